"""Counts over the compiled catalog: what `kabot-models stats` prints."""

from __future__ import annotations

from collections import Counter
from typing import Any


def catalog_stats(catalog: Any) -> dict[str, Any]:
    """Providers, models, priced / context-window coverage, and counts per status, capability, mode and provider."""
    models = list(catalog.models.values())

    def priced(r: dict[str, Any]) -> bool:
        return (r.get("pricing") or {}).get("input_1m") is not None

    per_provider = Counter(r["provider"] for r in models)
    return {
        "providers": len(catalog.providers),
        "models": len(models),
        "with_price": sum(priced(r) for r in models),
        "with_context_window": sum(r.get("context_window") is not None for r in models),
        "chat_with_price_and_context": sum(r["mode"] == "chat" and priced(r) and r.get("context_window") is not None for r in models),
        "status": dict(Counter(r["status"] for r in models).most_common()),
        "mode": dict(Counter(r["mode"] for r in models).most_common()),
        "capabilities": dict(Counter(c for r in models for c in r.get("capabilities") or []).most_common()),
        "providers_by_models": {p: per_provider.get(p, 0) for p in sorted(catalog.providers, key=lambda p: (-per_provider.get(p, 0), p))},
    }
