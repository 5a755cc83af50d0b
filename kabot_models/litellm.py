"""The LiteLLM bridge: resolve a name, route it the way LiteLLM wants, price it as the catalog does.

    from kabot_models.litellm import completion
    response = completion("sonnet", [{"role": "user", "content": "hi"}])

`route(name)` turns any name `resolve` understands into LiteLLM's model string, the API base to
pass (if any), the environment variable holding the key, and extra headers. `provider_route(block)`
is the part that depends only on the provider: which LiteLLM provider serves its API and whether
LiteLLM must be told the base URL. `register_price(full_id)` loads one model's catalog price into
LiteLLM so `litellm.completion_cost` agrees with the catalog (`register_prices()` loads them all,
which takes seconds); `completion` and `acompletion` route, register the called model's price, call
LiteLLM and set the response's cost from the catalog.

LiteLLM is imported only inside these functions, with its bundled price map (no network at import).
Importing this module is cheap. LiteLLM is the optional extra `kabot-models[litellm]`; without it
every function here that needs it raises `ExtraMissing`, whose one line names the extra.
"""

from __future__ import annotations

import functools
import os
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import ExtraMissing, RoutingError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .registry import Registry

_PRICE_FIELDS = {
    "input_1m": "input_cost_per_token",
    "output_1m": "output_cost_per_token",
    "cache_read_1m": "cache_read_input_token_cost",
    "cache_write_1m": "cache_creation_input_token_cost",
    "cache_write_1h_1m": "cache_creation_input_token_cost_above_1hr",
    "reasoning_1m": "output_cost_per_reasoning_token",
    "input_audio_1m": "input_cost_per_audio_token",
    "output_audio_1m": "output_cost_per_audio_token",
}
"""Catalog price (USD per 1M tokens) -> LiteLLM's model-map key (USD per token)."""

CAPABILITY_FLAGS = {
    "supports_vision": "vision",
    "supports_function_calling": "tool_use",
    "supports_parallel_function_calling": "parallel_tool_calls",
    "supports_reasoning": "reasoning",
    "supports_response_schema": "structured_output",
    "supports_prompt_caching": "prompt_caching",
    "supports_audio_input": "audio_input",
    "supports_audio_output": "audio_output",
    "supports_video_input": "video_input",
    "supports_pdf_input": "pdf_input",
    "supports_web_search": "web_search",
    "supports_computer_use": "computer_use",
    "supports_system_messages": "system_messages",
}
"""LiteLLM's model-map boolean flag -> the catalog capability it means (those with a counterpart only)."""

_FLAVOR_PROVIDER = {"anthropic": "anthropic", "gemini": "gemini", "ollama": "ollama"}
"""The LiteLLM provider that speaks an API flavour; every other flavour is called OpenAI-compatibly."""

_AUTHENTICATING = frozenset({"chatgpt", "github_copilot"})
"""LiteLLM providers whose `get_llm_provider` starts an OAuth device flow: never asked, only named."""

_PROBE = "kabot-models-probe"
"""A model name no provider has: asking LiteLLM about it tells what it infers from the base URL alone."""


@dataclass(frozen=True)
class ProviderRoute:
    """How LiteLLM reaches one catalog provider (the model-independent part of a `Route`)."""

    prefix: str
    """The LiteLLM provider prefix put before the provider's api ids: the catalog's `litellm.prefix`,
    else LiteLLM's own provider for that API, else the one speaking its flavour (`anthropic`, or
    `openai` for any OpenAI-compatible API)."""
    skip_prefixes: tuple[str, ...]
    """Model strings starting with one of these are passed unchanged: the catalog's, plus the derived
    prefix's own `prefix/` when the catalog names none."""
    api_base: str | None
    """The catalog's base URL when LiteLLM must be told it; None when LiteLLM's default for `prefix`
    is the same server (or the catalog has no base URL)."""
    native: bool
    """LiteLLM knows this provider's server by itself, so a route needs no base URL."""


def _quietly(call: Any, *args: Any, **kwargs: Any) -> Any:
    # LiteLLM prints a provider-list banner for a model it cannot place and logs a warning per
    # model it cannot map; for the bridge's own questions those say nothing to the user.
    import logging

    lite = _litellm()
    logger = logging.getLogger("LiteLLM")
    saved = lite.suppress_debug_info, logger.level
    lite.suppress_debug_info = True
    logger.setLevel(logging.ERROR)
    try:
        return call(*args, **kwargs)
    finally:
        lite.suppress_debug_info = saved[0]
        logger.setLevel(saved[1])


@functools.lru_cache(maxsize=4096)
def llm_provider(model: str, api_base: str | None = None) -> str | None:
    """The provider LiteLLM calls for a model string (`litellm.get_llm_provider`), or None when it
    cannot place it."""
    declared = model.split("/", 1)[0] if "/" in model else None
    if declared in _AUTHENTICATING:
        return declared
    lite = _litellm()  # outside the `try`: a missing LiteLLM is an error, not "cannot place"
    try:
        return _quietly(lite.get_llm_provider, model, api_base=api_base)[1] or None
    except Exception:  # LiteLLM raises BadRequestError (and others) for a string it cannot place
        return None


@functools.lru_cache(maxsize=512)
def litellm_default_base(provider: str) -> str | None:
    """The API base LiteLLM uses for one of its providers when given none (None: unknown)."""
    if provider in _AUTHENTICATING:
        return None
    lite = _litellm()
    try:
        base = _quietly(lite.get_llm_provider, f"{provider}/{_PROBE}")[3]
    except Exception:  # not a LiteLLM provider
        return None
    if base:
        return str(base)
    try:  # first-party handlers (openai, anthropic, gemini, ...) keep their default in the model info
        from litellm.types.utils import LlmProviders
        from litellm.utils import ProviderConfigManager

        info = ProviderConfigManager.get_provider_model_info(_PROBE, LlmProviders(provider))
        base = info.get_api_base() if info is not None else None
    except Exception:  # a provider without model info, or one whose lookup needs settings we lack
        return None
    return str(base) if base else None


def _server(url: str | None) -> str:
    """`scheme://host:port` of a URL, lower case ("" for none)."""
    from urllib.parse import urlsplit

    if not url:
        return ""
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}" if parts.netloc else ""


def _same_url(a: str | None, b: str | None) -> bool:
    """Both URLs name the same server and path (trailing `/` and the case of scheme and host aside)."""
    from urllib.parse import urlsplit

    if not (a and b):
        return False
    pa, pb = urlsplit(a.strip()), urlsplit(b.strip())
    return _server(a) == _server(b) and pa.path.rstrip("/") == pb.path.rstrip("/")


def _base_to_pass(called: str | None, base: str | None) -> str | None:
    """The catalog's base URL, unless LiteLLM's default for the provider it calls is the same server."""
    if base and called and _server(litellm_default_base(called)) == _server(base):
        return None
    return base


def _native_provider(names: tuple[str, ...], base: str | None) -> str | None:
    """LiteLLM's own provider for the API at `base`: the one LiteLLM infers from that URL, or one
    it names like the catalog provider (id or alias, `-` as `_`) whose default base is that URL."""
    if not base:
        return None
    inferred = llm_provider(_PROBE, base)
    if inferred:
        return inferred
    try:  # LiteLLM's declarative OpenAI-compatible providers are indexed by base URL (`veniceai`)
        from litellm.llms.openai_like.json_loader import JSONProviderRegistry

        found = JSONProviderRegistry.get_by_base_url(base) or JSONProviderRegistry.get_by_base_url(base.rstrip("/"))
        if found is not None:
            return str(found.slug)
    except (ImportError, AttributeError):  # older LiteLLM: no declarative providers
        pass
    known = {str(getattr(p, "value", p)) for p in _litellm().provider_list}
    for name in names:
        slug = name.replace("-", "_")
        if slug in known and _same_url(litellm_default_base(slug), base):
            return slug
    return None


@functools.lru_cache(maxsize=1024)
def _provider_route(
    names: tuple[str, ...], base: str | None, flavor: str, declared: str | None, skip: tuple[str, ...]
) -> ProviderRoute:
    found = None if declared or flavor in _FLAVOR_PROVIDER else _native_provider(names, base)
    prefix = declared or found or _FLAVOR_PROVIDER.get(flavor, "openai")
    api_base = _base_to_pass(prefix, base)
    if not declared and f"{prefix}/" not in skip:
        skip = (*skip, f"{prefix}/")
    return ProviderRoute(
        prefix=prefix,
        skip_prefixes=skip,
        api_base=api_base,
        native=bool(declared or found) or (bool(base) and api_base is None),
    )


def provider_route(block: dict[str, Any]) -> ProviderRoute:
    """How LiteLLM reaches a compiled provider block (cached per distinct block; imports LiteLLM).

    The catalog's `api.base_url` is what the scanner lists models from; LiteLLM adds its own paths
    (Anthropic's handler appends `/v1/messages`), so the base is passed only when LiteLLM's default
    for the chosen provider is another server: `https://api.anthropic.com/v1` is not passed."""
    api, lite = block.get("api", {}), block.get("litellm", {})
    return _provider_route(
        (block["id"], *block.get("aliases", ())),
        api.get("base_url"),
        api.get("flavor", "openai"),
        lite.get("prefix"),
        tuple(lite.get("skip_prefixes", ())),
    )


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


def _registry(registry: Registry | None) -> Registry:
    if registry is not None:
        return registry
    from .loader import default_registry

    return default_registry()


def litellm_model(full_id: str, provider: dict[str, Any], record: dict[str, Any] | None) -> str:
    """LiteLLM's model string for a full id: the record's `litellm_id` when set, else the api id (the
    full id without its provider part, slashes of its own kept: `moonshotai/Kimi-K2.5`) behind
    `provider_route(provider).prefix`, unless it already starts with one of the route's skip prefixes.
    `strip_model_prefix` needs nothing more: an api id never carries the gateway's own prefix."""
    if record is not None and record.get("litellm_id"):
        return str(record["litellm_id"])
    model = full_id.split("/", 1)[1]
    route = provider_route(provider)
    if any(model.startswith(s) for s in route.skip_prefixes):
        return model
    return f"{route.prefix}/{model}"


def route(name: str, registry: Registry | None = None, user_aliases: dict[str, str] | None = None,
          api_base: str | None = None) -> Route:
    """How to call the model `name` stands for (imports LiteLLM to ask it about its providers).

    `api_base`, when given, is the caller's base URL and wins over the user config's and the
    catalog's. Raises `ResolutionError` for a name that resolves to no model, and `RoutingError`
    when neither the caller, the catalog nor the user config gives a base URL for a provider
    LiteLLM cannot reach by itself.
    """
    reg = _registry(registry)
    full_id = reg.resolve(name, user_aliases)
    pid = full_id.split("/", 1)[0]
    provider = reg.provider_record(pid) or {"id": pid}
    settings = (reg.resolver.user_config.get("providers") or {}).get(pid, {})
    env = provider.get("auth", {}).get("env") or []
    record = reg.record(full_id)
    model = litellm_model(full_id, provider, record)
    base = provider.get("api", {}).get("base_url")
    api_base = api_base or settings.get("api_base") or _base_to_pass(llm_provider(model), base)
    # Without a base URL an OpenAI- or Anthropic-compatible route would reach OpenAI or Anthropic.
    if not (api_base or base or (record or {}).get("litellm_id") or provider_route(provider).native):
        raise RoutingError(
            f"{full_id}: provider {pid!r} has no API base URL in the catalog and LiteLLM has no default for it; "
            f"set providers.{pid}.api_base in the kabot-models config"
        )
    return Route(
        id=full_id,
        model=model,
        provider=pid,
        api_base=api_base,
        api_key_env=settings.get("key_env") or (env[0] if env else None),
        extra_headers=dict(settings.get("headers") or {}),
    )


INSTALL_HINT = "pip install 'kabot-models[litellm]'"
"""How to add the bridge's dependency; every message about a missing LiteLLM says it."""


def _litellm() -> Any:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    try:
        import litellm
    except ImportError as exc:
        if exc.name != "litellm":
            raise  # LiteLLM is there but broken: its own error says more than ours would
        raise ExtraMissing(f"the LiteLLM bridge needs LiteLLM, which is not installed: {INSTALL_HINT}") from None
    return litellm


def _per_token(per_million: Any) -> float:
    """USD per 1M tokens as the nearest float per token (0.8 -> 8e-07, not 0.8 / 1e6 = 8.000000000000001e-07)."""
    from .cost import to_decimal

    return float(to_decimal(per_million) / 1_000_000)


def _tier_table(pricing: dict[str, Any], context_window: int | None) -> list[dict[str, Any]]:
    """The long-context tiers as LiteLLM's `tiered_pricing` table, which its Dashscope calculator
    (and its generic one, before the `_above_` keys) reads: ranges of input tokens, one price set each
    for the whole request, every price spelled out (a price a catalog tier leaves out is the base one)."""
    tiers = sorted(pricing["tiers"], key=lambda t: t["above_input_tokens"])
    starts = [0] + [t["above_input_tokens"] for t in tiers]
    # Above the last range LiteLLM bills the last tier, so the last range's end only has to be past its start.
    ends = starts[1:] + [max(context_window or 0, starts[-1] + 1)]
    table = []
    for start, end, tier in zip(starts, ends, [{}] + tiers):
        row: dict[str, Any] = {"range": [float(start), float(end)]}
        for ours, theirs in _PRICE_FIELDS.items():
            value = tier.get(ours) if tier.get(ours) is not None else pricing.get(ours)
            if ours == "reasoning_1m" and tier.get(ours) is None and tier.get("output_1m") is not None:
                continue  # the tier re-prices output, and reasoning tokens are output (LiteLLM's rule too)
            if value is not None:
                row[theirs] = _per_token(value)
        table.append(row)
    return table


def model_cost_entry(record: dict[str, Any], provider: dict[str, Any]) -> dict[str, Any] | None:
    """The LiteLLM model-map entry for a catalog record (None when the catalog has no input and
    output price for it). `litellm_provider` is the provider LiteLLM calls for the routed string,
    which is where `completion_cost` looks the entry up; `catalog_id` names the record. Capability
    flags are set for the capabilities the catalog lists, never cleared for the others (a short
    list in the catalog must not switch off what LiteLLM knows)."""
    pricing = record.get("pricing") or {}
    entry: dict[str, Any] = {}
    for ours, theirs in _PRICE_FIELDS.items():
        if pricing.get(ours) is not None:
            entry[theirs] = _per_token(pricing[ours])
    if "input_cost_per_token" not in entry or "output_cost_per_token" not in entry:
        return None
    for tier in pricing.get("tiers") or ():
        threshold = tier["above_input_tokens"]
        # LiteLLM reads `_above_200k_tokens` as 200,000 and `_above_1500_tokens` as 1,500.
        suffix = f"_above_{threshold // 1000}k_tokens" if threshold % 1000 == 0 else f"_above_{threshold}_tokens"
        for ours, theirs in _PRICE_FIELDS.items():
            if tier.get(ours) is not None:
                entry[theirs + suffix] = _per_token(tier[ours])
    if pricing.get("tiers"):
        entry["tiered_pricing"] = _tier_table(pricing, record.get("context_window"))
    batch = pricing.get("batch") or {}
    for ours in ("input_1m", "output_1m"):
        if batch.get(ours) is not None:
            entry[_PRICE_FIELDS[ours] + "_batches"] = _per_token(batch[ours])
    model = litellm_model(record["id"], provider, record)
    entry["litellm_provider"] = llm_provider(model) or provider_route(provider).prefix
    entry["mode"] = record.get("mode", "chat")
    if record.get("context_window"):
        entry["max_input_tokens"] = record["context_window"]
    if record.get("max_output"):
        entry["max_output_tokens"] = record["max_output"]
    capabilities = set(record.get("capabilities") or ())
    for flag, capability in CAPABILITY_FLAGS.items():
        if capability in capabilities:
            entry[flag] = True
    entry["catalog_id"] = record["id"]
    return entry


_REGISTERED: weakref.WeakKeyDictionary[Registry, set[str]] = weakref.WeakKeyDictionary()
"""Per registry, the full ids whose prices LiteLLM has (register again after changing a record)."""


def _price_entries(reg: Registry, records: Iterable[dict[str, Any]],
                   shared: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """LiteLLM model-map entries of some records, keyed by the model strings `route` produces,
    longest strings first.

    LiteLLM keys a price by model string alone (case aside, and after its own prefix handling), so
    records of several providers routed to one string (`openai/Qwen/Qwen3-235B-A22B` from a dozen
    OpenAI-compatible gateways) can share one entry only if they charge alike. When they do not, the
    provider LiteLLM reaches without a base URL (the string's own company) keeps it; with no such
    single owner the string is left out, and named in `shared` when a list is given."""
    groups: dict[tuple[str, str], list[tuple[str, dict[str, Any], dict[str, Any]]]] = {}
    for record in records:
        block = reg.provider_record(record["provider"]) or {"id": record["provider"]}
        entry = model_cost_entry(record, block)
        if entry is None:
            continue
        model = litellm_model(record["id"], block, record)
        groups.setdefault(_price_key(model, entry["litellm_provider"]), []).append((model, entry, block))
    entries: dict[str, dict[str, Any]] = {}
    for members in groups.values():
        if len({_prices(entry) for _, entry, _ in members}) > 1:
            owners = [m for m in members if _owns_its_strings(provider_route(m[2]))]
            if len({_prices(entry) for _, entry, _ in owners}) != 1:
                if shared is not None:
                    shared.extend(sorted({model for model, _, _ in members}))
                continue
            members = owners
        # One string, one price: the original's entry stands for its copies (a shared `litellm_id`).
        members.sort(key=lambda m: bool((reg.record(m[1]["catalog_id"]) or {}).get("base")))
        for model, entry, _ in members:
            entries.setdefault(model, entry)
    _twin_rerouted_azure(entries)
    # Longest strings first: `register_model` files a string under a row LiteLLM already has for a
    # shorter form of it (`openrouter/openai/gpt-4o-2024-05-13` lands on `openrouter/openai/gpt-4o`
    # once that row exists), so registering the shorter one last keeps both prices apart.
    return dict(sorted(entries.items(), key=lambda item: -len(item[0])))


@functools.lru_cache(maxsize=16384)
def _price_key(model: str, provider: str) -> tuple[str, str]:
    """The row LiteLLM files a model string's price under: its provider and the model name it strips
    the prefix to, case folded."""
    try:
        name = _quietly(_litellm().get_llm_provider, model)[0]
    except Exception:  # a string LiteLLM cannot place keeps its own spelling
        name = model
    name = str(name).lower()
    if provider == "fireworks_ai":  # LiteLLM's Fireworks prices `x` and `accounts/fireworks/models/x` as one
        name = name.removeprefix("accounts/fireworks/models/")
    return provider, name


def _owns_its_strings(route: ProviderRoute) -> bool:
    """LiteLLM reaches the provider's own server with no base URL given: its strings are its own."""
    return route.native and route.api_base is None


def _prices(entry: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, v) for k, v in entry.items() if "cost" in k))


def _twin_rerouted_azure(entries: dict[str, dict[str, Any]]) -> None:
    """LiteLLM sends `azure/<name>` to its OpenAI handler when <name> is one of its Mistral or Cohere
    chat models (Azure AI's serverless deployments) and then looks the price up as an OpenAI model,
    so `azure/mistral-large-2411` stops being found once `mistral/mistral-large-2411` is registered.
    Which way it goes depends on what was registered before; an `openai/azure/<name>` twin of the
    entry keeps the price found either way."""
    lite = _litellm()
    mistral, cohere = set(getattr(lite, "mistral_chat_models", ())), set(getattr(lite, "cohere_chat_models", ()))
    for key, entry in list(entries.items()):
        if key.startswith("azure/") and entry.get("litellm_provider") == "azure":
            name = key.split("/", 1)[1]
            if f"mistral/{name}" in entries or f"mistral/{name}" in mistral or name in cohere:
                entries.setdefault(f"openai/{key}", {**entry, "litellm_provider": "openai"})


def model_cost_map(registry: Registry | None = None, provider: str | None = None,
                   shared: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """LiteLLM's `model_cost` for the catalog (or one provider of it): model string -> entry, for
    every model the catalog prices. Feed it to `litellm.register_model` (or a LiteLLM proxy's
    model cost map) and `completion_cost` charges what the catalog says. A string several providers
    route to at different prices, none of them its owner, is left out and appended to `shared`."""
    reg = _registry(registry)
    return _price_entries(reg, reg.filter(provider=provider) if provider else reg.records(), shared)


def register_prices(registry: Registry | None = None) -> int:
    """Put every catalog price into LiteLLM's model map (`litellm.register_model`), keyed by the model
    strings `route` produces, so `litellm.completion_cost` charges what the catalog says for any of them.

    This is slow (LiteLLM checks each entry against its own map): `completion` registers only the
    model it calls (`register_price`). A model the catalog has no price for is not registered:
    `litellm.completion_cost` then answers from LiteLLM's own data for that string, if it has any;
    `completion` reports such a call's cost as None instead. Returns how many model strings were registered."""
    reg = _registry(registry)
    entries = model_cost_map(reg)
    if entries:
        _quietly(_litellm().register_model, entries)
    _REGISTERED.setdefault(reg, set()).update(reg.ids())
    return len(entries)


def register_price(full_id: str, registry: Registry | None = None) -> bool:
    """Put one model's catalog price into LiteLLM's model map (once per registry); True when the
    catalog prices it. A copy without prices of its own is not charged its base's price."""
    reg = _registry(registry)
    done = _REGISTERED.setdefault(reg, set())
    record = reg.record(full_id)
    entries = _price_entries(reg, [record]) if record is not None else {}
    if full_id not in done:
        if entries:
            _quietly(_litellm().register_model, entries)
        done.add(full_id)
    return bool(entries)


def _prepare(model: str, registry: Registry | None, kwargs: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """LiteLLM's keyword arguments for a call, and whether the catalog prices the model."""
    reg = _registry(registry)
    target = route(model, reg, kwargs.pop("user_aliases", None), api_base=kwargs.get("api_base"))
    priced = register_price(target.id, reg)
    call = target.kwargs()
    headers = {**call.pop("extra_headers", {}), **(kwargs.pop("extra_headers", None) or {})}
    if headers:
        call["extra_headers"] = headers
    call.update(kwargs)  # the caller's own api_base, api_key, ... win
    provider = reg.provider_record(target.provider) or {}
    lowered = target.model.lower()
    for part, params in ((provider.get("litellm") or {}).get("model_params") or {}).items():
        if part.lower() in lowered:
            call.update(params)  # what the model accepts and nothing else (kimi-k2.5: temperature 1.0)
            break
    return call, priced


def _catalog_cost(response: Any, priced: bool) -> Any:
    # LiteLLM sets `_hidden_params["response_cost"]` from its model map, which for a model the
    # catalog does not price may be another entry's price (a bare `claude-*` name): say "unknown".
    hidden = getattr(response, "_hidden_params", None)
    if not priced and isinstance(hidden, dict):
        hidden["response_cost"] = None
    return response


def _unpriced_quietly(priced: bool) -> Any:
    # For a string LiteLLM cannot price, its cost hook prints a provider-list banner to stdout
    # unless told not to; the cost is reported as None anyway.
    import contextlib

    if priced:
        return contextlib.nullcontext()
    lite = _litellm()

    @contextlib.contextmanager
    def quiet() -> Any:
        saved = lite.suppress_debug_info
        lite.suppress_debug_info = True
        try:
            yield
        finally:
            lite.suppress_debug_info = saved

    return quiet()


def completion(model: str, messages: list[dict[str, Any]], registry: Registry | None = None, **kwargs: Any) -> Any:
    """Resolve `model`, route it, and call `litellm.completion(messages=..., **kwargs)`: the agent loop's step.

    The called model's catalog price is registered with LiteLLM first (`register_price`), so
    `litellm.completion_cost(response)` agrees with the catalog. When the catalog has no price for
    the model the response's `_hidden_params["response_cost"]` is None and nothing is printed.
    Parameters the provider's `litellm.model_params` give for the model replace the caller's (the
    model accepts no others); `api_base=` is the caller's base URL (it also satisfies `route`).
    """
    call, priced = _prepare(model, registry, kwargs)
    with _unpriced_quietly(priced):
        return _catalog_cost(_litellm().completion(messages=messages, **call), priced)


async def acompletion(model: str, messages: list[dict[str, Any]], registry: Registry | None = None, **kwargs: Any) -> Any:
    """`completion`, awaited: `litellm.acompletion` with the same resolving, routing and cost."""
    call, priced = _prepare(model, registry, kwargs)
    with _unpriced_quietly(priced):
        return _catalog_cost(await _litellm().acompletion(messages=messages, **call), priced)
