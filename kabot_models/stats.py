"""Counts over the compiled catalog: what `kabot-models stats` prints."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from .lifecycle import current_status

#: Fields whose coverage `stats` reports among active chat models.
COVERAGE_FIELDS = ("name", "context_window", "max_output", "pricing.input_1m", "pricing.output_1m", "capabilities",
                   "input_modalities", "output_modalities", "release_date", "knowledge_cutoff", "open_weights")


def catalog_stats(catalog: Any) -> dict[str, Any]:
    """Providers, models, priced / context-window coverage, and counts per status (today's, from the
    lifecycle dates), capability, mode and provider."""
    models = list(catalog.models.values())
    served = active_chat(models)

    def priced(r: dict[str, Any]) -> bool:
        return (r.get("pricing") or {}).get("input_1m") is not None

    per_provider = Counter(r["provider"] for r in models)
    return {
        "providers": len(catalog.providers),
        "models": len(models),
        "with_price": sum(priced(r) for r in models),
        "with_context_window": sum(r.get("context_window") is not None for r in models),
        "chat_with_price_and_context": sum(r["mode"] == "chat" and priced(r) and r.get("context_window") is not None for r in models),
        "status": dict(Counter(current_status(r) for r in models).most_common()),
        "mode": dict(Counter(r["mode"] for r in models).most_common()),
        "capabilities": dict(Counter(c for r in models for c in r.get("capabilities") or []).most_common()),
        "providers_by_models": {p: per_provider.get(p, 0) for p in sorted(catalog.providers, key=lambda p: (-per_provider.get(p, 0), p))},
        "offerings": len(models),
        "active_chat_models": len(served),
        "coverage_active_chat": coverage(served),
        "provenance_methods": provenance_methods(catalog),
    }


def active_chat(models: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chat models that are served today (active or preview, by `lifecycle.current_status`: a model
    past its retirement date is not counted, whatever status its entry states)."""
    return [r for r in models if r.get("mode", "chat") == "chat" and current_status(r) in ("active", "preview")]


def coverage(models: list[dict[str, Any]]) -> dict[str, float]:
    """Field -> share (0..1, 3 decimals) of `models` with a value, own or inherited."""
    from .provenance import field_value

    if not models:
        return {f: 0.0 for f in COVERAGE_FIELDS}
    return {f: round(sum(field_value(r, f) not in (None, [], {}) for r in models) / len(models), 3) for f in COVERAGE_FIELDS}


def provenance_methods(catalog: Any) -> dict[str, int]:
    """How many figures (field values across all models) came by each method: import, verified, scan, unknown."""
    from .provenance import expand

    counts: Counter[str] = Counter()
    for rec in catalog.models.values():
        for record in expand(rec, catalog.models.get).values():
            counts[record["method"]] += 1
    return dict(counts.most_common())


def unexplained_disagreements(catalog: Any, *, models_dev: Path | None = None) -> dict[str, int | None]:
    """Dataset -> differences `audit` finds that no `acknowledged:` entry explains (None: the dataset
    is not installed or, for models.dev, no `models_dev` file was named). A `models_dev` file that
    cannot be read raises `DatasetMissing`: it was asked for."""
    from .audit import DATASETS, DatasetMissing, audit

    out: dict[str, int | None] = {}
    for dataset in DATASETS:
        if dataset == "models-dev":
            out[dataset] = len(audit(catalog, dataset, models_dev=models_dev).unacknowledged) if models_dev else None
            continue
        try:
            out[dataset] = len(audit(catalog, dataset, models_dev=models_dev).unacknowledged)
        except DatasetMissing:
            out[dataset] = None
    return out
