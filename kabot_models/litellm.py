"""The LiteLLM bridge: resolve a name, route it the way LiteLLM wants, price it as the catalog does.

    from kabot_models.litellm import completion
    response = completion("sonnet", [{"role": "user", "content": "hi"}])

`route(name)` turns any name `resolve` understands into LiteLLM's model string (the provider's
prefix rules, or the model's `litellm_id`), the API base (the user config's `api_base` beats the
catalog's `base_url`), the environment variable holding the key, and extra headers.
`register_prices()` loads the catalog's prices into LiteLLM so `litellm.completion_cost` agrees
with the catalog; `completion` and `acompletion` do all three and call LiteLLM.

LiteLLM is imported only here, on first use, with its bundled price map (no network at import).
"""

from __future__ import annotations

import os
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .registry import ModelRegistry

_PRICE_FIELDS = {
    "input_1m": "input_cost_per_token",
    "output_1m": "output_cost_per_token",
    "cache_read_1m": "cache_read_input_token_cost",
    "cache_write_1m": "cache_creation_input_token_cost",
    "reasoning_1m": "output_cost_per_reasoning_token",
    "input_audio_1m": "input_cost_per_audio_token",
    "output_audio_1m": "output_cost_per_audio_token",
}
"""Catalog price (USD per 1M tokens) -> LiteLLM's model-map key (USD per token)."""


@dataclass
class Route:
    """Everything LiteLLM needs to call one model."""

    id: str
    """The catalog full id the name resolved to."""
    model: str
    """The model string to hand LiteLLM."""
    provider: str
    """Provider id."""
    api_base: str | None = None
    """Base URL to call (None: LiteLLM's default for the model string)."""
    api_key_env: str | None = None
    """Environment variable that holds the key (None: the provider takes none)."""
    extra_headers: dict[str, str] = field(default_factory=dict)
    """Headers the user config adds for this provider."""

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `litellm.completion`: model, api_base, api_key (read now), extra_headers."""
        out: dict[str, Any] = {"model": self.model}
        if self.api_base:
            out["api_base"] = self.api_base
        key = os.environ.get(self.api_key_env) if self.api_key_env else None
        if key:
            out["api_key"] = key
        if self.extra_headers:
            out["extra_headers"] = dict(self.extra_headers)
        return out


def _registry(registry: ModelRegistry | None) -> ModelRegistry:
    if registry is not None:
        return registry
    from .registry import default_registry

    return default_registry()


def litellm_model(full_id: str, provider: dict[str, Any], record: dict[str, Any] | None) -> str:
    """LiteLLM's model string for a full id: the record's `litellm_id` when set, else the api id with the
    provider's rules (strip the gateway's model prefix, then add `litellm.prefix` unless the id already
    starts with one of `skip_prefixes`)."""
    if record is not None and record.get("litellm_id"):
        return str(record["litellm_id"])
    model = full_id.split("/", 1)[1]
    lite = provider.get("litellm", {})
    if lite.get("strip_model_prefix"):
        model = model.rsplit("/", 1)[-1]
    prefix = lite.get("prefix")
    if prefix and not model.startswith(f"{prefix}/") and not any(model.startswith(s) for s in lite.get("skip_prefixes", ())):
        model = f"{prefix}/{model}"
    return model


def route(name: str, registry: ModelRegistry | None = None, user_aliases: dict[str, str] | None = None) -> Route:
    """How to call the model `name` stands for. Raises `ResolutionError` for a name that resolves to no model."""
    reg = _registry(registry)
    full_id = reg.resolve(name, user_aliases)
    pid = full_id.split("/", 1)[0]
    provider = reg.provider_record(pid) or {"id": pid}
    settings = (reg.resolver.user_config.get("providers") or {}).get(pid, {})
    env = provider.get("auth", {}).get("env") or []
    return Route(
        id=full_id,
        model=litellm_model(full_id, provider, reg.record(full_id)),
        provider=pid,
        api_base=settings.get("api_base") or provider.get("api", {}).get("base_url"),
        api_key_env=settings.get("key_env") or (env[0] if env else None),
        extra_headers=dict(settings.get("headers") or {}),
    )


def _litellm() -> Any:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    return litellm


def model_cost_entry(record: dict[str, Any], provider: dict[str, Any]) -> dict[str, Any] | None:
    """The LiteLLM model-map entry for a catalog record (None when the catalog has no price for it)."""
    pricing = record.get("pricing") or {}
    entry: dict[str, Any] = {}
    for ours, theirs in _PRICE_FIELDS.items():
        if pricing.get(ours) is not None:
            entry[theirs] = pricing[ours] / 1_000_000
    if "input_cost_per_token" not in entry or "output_cost_per_token" not in entry:
        return None
    for tier in pricing.get("tiers") or ():
        threshold = tier["above_input_tokens"]
        if threshold % 1000 == 0:  # LiteLLM names tiers in thousands: `_above_200k_tokens`
            suffix = f"_above_{threshold // 1000}k_tokens"
            for ours, theirs in _PRICE_FIELDS.items():
                if tier.get(ours) is not None:
                    entry[theirs + suffix] = tier[ours] / 1_000_000
    batch = pricing.get("batch") or {}
    for ours in ("input_1m", "output_1m"):
        if batch.get(ours) is not None:
            entry[_PRICE_FIELDS[ours] + "_batches"] = batch[ours] / 1_000_000
    lite = provider.get("litellm", {})
    entry["litellm_provider"] = lite.get("prefix") or provider.get("id", record["provider"])
    entry["mode"] = record.get("mode", "chat")
    if record.get("context_window"):
        entry["max_input_tokens"] = record["context_window"]
    if record.get("max_output"):
        entry["max_output_tokens"] = record["max_output"]
    return entry


_REGISTERED: weakref.WeakSet[ModelRegistry] = weakref.WeakSet()
"""Registries whose prices LiteLLM has (call `register_prices` again after changing one)."""


def register_prices(registry: ModelRegistry | None = None) -> int:
    """Put the catalog's prices into LiteLLM's model map (`litellm.register_model`), keyed by the model
    strings `route` produces, so `litellm.completion_cost` charges what the catalog says.
    Returns how many model strings were registered."""
    reg = _registry(registry)
    entries: dict[str, dict[str, Any]] = {}
    for record in reg.records():
        provider = reg.provider_record(record["provider"]) or {"id": record["provider"]}
        entry = model_cost_entry(record, provider)
        if entry is None:
            continue
        model = litellm_model(record["id"], provider, record)
        # A gateway that strips its prefix shares the first-party model string; the original's price wins.
        if model not in entries or not record.get("base"):
            entries[model] = entry
    if entries:
        _quietly(_litellm().register_model, entries)
    _REGISTERED.add(reg)
    return len(entries)


def _quietly(call: Any, *args: Any) -> Any:
    # LiteLLM prints a provider-list banner and logs a warning per model it cannot place in its own
    # map; for a bulk registration of the catalog those say nothing the catalog's validation did not.
    import logging

    lite = _litellm()
    logger = logging.getLogger("LiteLLM")
    saved = lite.suppress_debug_info, logger.level
    lite.suppress_debug_info = True
    logger.setLevel(logging.ERROR)
    try:
        return call(*args)
    finally:
        lite.suppress_debug_info = saved[0]
        logger.setLevel(saved[1])


def _prepare(model: str, registry: ModelRegistry | None, kwargs: dict[str, Any]) -> dict[str, Any]:
    reg = _registry(registry)
    target = route(model, reg, kwargs.pop("user_aliases", None))
    if reg not in _REGISTERED:
        register_prices(reg)
    call = target.kwargs()
    headers = {**call.pop("extra_headers", {}), **(kwargs.pop("extra_headers", None) or {})}
    if headers:
        call["extra_headers"] = headers
    call.update(kwargs)  # the caller's own api_base, api_key, ... win
    return call


def completion(model: str, messages: list[dict[str, Any]], registry: ModelRegistry | None = None, **kwargs: Any) -> Any:
    """Resolve `model`, route it, and call `litellm.completion(messages=..., **kwargs)`: the agent loop's step.

    The catalog's prices are registered with LiteLLM on the first call, so
    `litellm.completion_cost(response)` agrees with the catalog.
    """
    call = _prepare(model, registry, kwargs)
    return _litellm().completion(messages=messages, **call)


async def acompletion(model: str, messages: list[dict[str, Any]], registry: ModelRegistry | None = None, **kwargs: Any) -> Any:
    """`completion`, awaited: `litellm.acompletion` with the same resolving and routing."""
    call = _prepare(model, registry, kwargs)
    return await _litellm().acompletion(messages=messages, **call)
