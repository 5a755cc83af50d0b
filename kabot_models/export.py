"""The catalog in other tools' shapes: LiteLLM's `model_cost`, models.dev's `api.json`, and plain JSON.

Every exported entry names the catalog record it came from (`catalog_id`, the full id; a provider's
is its id). A figure the catalog does not hold is left out, never filled with a guess, even where
the other format calls the field required (models.dev's `release_date`, `limit.output`, ...): a
reader can tell "unknown" from a made-up value.

`export_litellm` needs the `litellm` extra (the model strings and `litellm_provider` are LiteLLM's
own answers); the other shapes need nothing but the registry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .audit import dataset_version
from .reach import provider_facts

if TYPE_CHECKING:
    from .registry import Registry

FORMATS = ("litellm", "models-dev", "json", "csv")
"""The formats `kabot-models export` writes (`csv` is `list --csv`, written by the CLI)."""

_MODELS_DEV_NPM = {
    "anthropic": "@ai-sdk/anthropic",
    "gemini": "@ai-sdk/google",
    "openrouter": "@openrouter/ai-sdk-provider",
    "together": "@ai-sdk/togetherai",
    "openai": "@ai-sdk/openai-compatible",
}
"""The AI SDK package a models.dev client loads for each API flavour (`ollama` and `none` have none)."""

_MODELS_DEV_COST = {
    "input_1m": "input",
    "output_1m": "output",
    "cache_read_1m": "cache_read",
    "cache_write_1m": "cache_write",
    "reasoning_1m": "reasoning",
    "input_audio_1m": "input_audio",
    "output_audio_1m": "output_audio",
}
"""Catalog price field -> models.dev cost field (both USD per 1M tokens)."""

_MODELS_DEV_STATUS = {"preview": "beta", "deprecated": "deprecated", "retired": "deprecated"}
"""Catalog lifecycle -> models.dev's `status` (active models carry none)."""


def _records(registry: Registry, provider: str | None) -> list[dict[str, Any]]:
    return registry.filter(provider=provider) if provider else list(registry.records())


def _providers(registry: Registry, provider: str | None) -> list[dict[str, Any]]:
    if provider:
        block = registry.provider_record(provider)
        return [block] if block is not None else []
    return list(registry.provider_records())


def export_litellm(registry: Registry, provider: str | None = None,
                   shared: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """LiteLLM's `model_cost` map for every model the catalog prices (`litellm.model_cost_map`);
    strings several providers share at different prices are left out and appended to `shared`."""
    from .litellm import model_cost_map

    return model_cost_map(registry, provider, shared)


def _models_dev_cost(pricing: dict[str, Any]) -> dict[str, Any] | None:
    def prices(source: dict[str, Any]) -> dict[str, Any]:
        return {theirs: source[ours] for ours, theirs in _MODELS_DEV_COST.items() if source.get(ours) is not None}

    cost = prices(pricing)
    if "input" not in cost or "output" not in cost:
        return None  # models.dev requires both; half a price would read as a whole one
    tiers = [{"tier": {"type": "context", "size": t["above_input_tokens"]}, **prices(t)} for t in pricing.get("tiers") or ()]
    if tiers:
        cost["tiers"] = tiers
    return cost


def models_dev_model(rec: dict[str, Any]) -> dict[str, Any]:
    """One record as a models.dev model entry (keyed by its api id in the provider's `models`)."""
    out: dict[str, Any] = {"id": rec["id"].split("/", 1)[1], "name": rec.get("name") or rec["id"], "catalog_id": rec["id"]}
    caps = rec.get("capabilities")
    if caps is not None:
        out["attachment"] = bool({"vision", "pdf_input"} & set(caps))
        out["reasoning"] = "reasoning" in caps
        out["tool_call"] = "tool_use" in caps
        out["structured_output"] = "structured_output" in caps
    if rec.get("knowledge_cutoff"):
        out["knowledge"] = str(rec["knowledge_cutoff"])
    if rec.get("release_date"):
        out["release_date"] = str(rec["release_date"])
    if rec.get("input_modalities") and rec.get("output_modalities"):
        out["modalities"] = {"input": list(rec["input_modalities"]), "output": list(rec["output_modalities"])}
    if rec.get("open_weights") is not None:
        out["open_weights"] = bool(rec["open_weights"])
    limit = {k: rec[f] for k, f in (("context", "context_window"), ("output", "max_output")) if rec.get(f)}
    if "context" in limit:
        out["limit"] = limit
    cost = _models_dev_cost(rec.get("pricing") or {})
    if cost is not None:
        out["cost"] = cost
    status = _MODELS_DEV_STATUS.get(rec.get("status", "active"))
    if status:
        out["status"] = status
    return out


def export_models_dev(registry: Registry, provider: str | None = None) -> dict[str, dict[str, Any]]:
    """models.dev's `api.json`: provider id -> provider (env, npm, api, name, doc) with its models."""
    by_provider: dict[str, dict[str, Any]] = {}
    for block in _providers(registry, provider):
        pid = block["id"]
        api = block.get("api") or {}
        entry: dict[str, Any] = {"id": pid, "name": block.get("name", pid), "catalog_id": pid,
                                 "env": list((block.get("auth") or {}).get("env") or ())}
        npm = _MODELS_DEV_NPM.get(api.get("flavor", "openai"))
        if npm:
            entry["npm"] = npm
        if api.get("base_url"):
            entry["api"] = api["base_url"]
        doc = block.get("docs_url") or block.get("pricing_url")
        if doc:
            entry["doc"] = doc
        entry["models"] = {}
        by_provider[pid] = entry
    for rec in _records(registry, provider):
        target = by_provider.get(rec["provider"])
        if target is not None:
            model = models_dev_model(rec)
            target["models"][model["id"]] = model
    return by_provider


def model_export(rec: dict[str, Any]) -> dict[str, Any]:
    """One record with everything the catalog holds on it, provenance (`source`, `field_sources`) included."""
    return {"catalog_id": rec["id"], **rec}


def provider_export(registry: Registry, block: dict[str, Any]) -> dict[str, Any]:
    """One provider block as the catalog holds it, with its model counts by status."""
    return {"catalog_id": block["id"], **block, "models": provider_facts(registry, block["id"])["models"]}


def export_json(registry: Registry, provider: str | None = None) -> dict[str, Any]:
    """Everything: every provider block and every model record, provenance included."""
    return {
        "generator": f"kabot-models {dataset_version('kabot-models')}",
        "source_hash": registry.source_hash,
        "providers": {b["id"]: provider_export(registry, b) for b in _providers(registry, provider)},
        "models": {rec["id"]: model_export(rec) for rec in _records(registry, provider)},
    }
