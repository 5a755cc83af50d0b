"""LiteLLM's model map (`model_prices_and_context_window_backup.json` in the installed package) as catalog offers.

Only chat and responses entries are read. `*_cost_per_token` x 1e6 -> `*_1m`; `*_above_<N>k_tokens`
and `tiered_pricing` -> `pricing.tiers`; batch, flex/priority tiers, regional uplifts and per-call
prices through `pricing_import.litellm_pricing` (the mapping issue 14 seeded the catalog with); `max_input_tokens` ->
`context_window`; `max_output_tokens` -> `max_output` unless above the input limit; `supports_*`
-> capabilities; `deprecation_date` (the day serving stops) -> `retirement_date`; `successor_model` ->
the offer's successor. A 0 price is LiteLLM's "unknown" and a 0 cache price its "no surcharge":
both are left out, never read as free.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from ...audit import dataset_version, litellm_map_path, per_million
from ...pricing_import import litellm_pricing
from . import Dataset, Offer

MODES = {"chat": None, "responses": "responses"}
MODALITIES = {"text", "image", "audio", "video", "pdf"}
CAPABILITY_FLAGS = {
    "supports_vision": "vision", "supports_function_calling": "tool_use",
    "supports_parallel_function_calling": "parallel_tool_calls", "supports_reasoning": "reasoning",
    "supports_response_schema": "structured_output", "supports_prompt_caching": "prompt_caching",
    "supports_audio_input": "audio_input", "supports_audio_output": "audio_output",
    "supports_video_input": "video_input", "supports_pdf_input": "pdf_input",
    "supports_web_search": "web_search", "supports_computer_use": "computer_use",
    "supports_system_messages": "system_messages",
}
PRICE_KEYS = {"input_cost_per_token": "input_1m", "output_cost_per_token": "output_1m",
              "cache_read_input_token_cost": "cache_read_1m", "cache_creation_input_token_cost": "cache_write_1m"}
EXTRA_PRICE_KEYS = {"cache_creation_input_token_cost_above_1hr": "cache_write_1h_1m",
                    "output_cost_per_reasoning_token": "reasoning_1m",
                    "input_cost_per_audio_token": "input_audio_1m", "output_cost_per_audio_token": "output_audio_1m"}
_TIER_KEY = re.compile(r"^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|"
                       r"cache_creation_input_token_cost)_above_(\d+)k_tokens$")


def read(path: Path | None, *, live: bool, today: dt.date) -> Dataset:
    """The installed LiteLLM's map (or the map file at `path`)."""
    if live:
        raise ValueError("litellm is read from the installed package (or a file); --live does not apply")
    file = path or litellm_map_path()
    data = json.loads(Path(file).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{file}: not a LiteLLM model map (a JSON object)")
    version = dataset_version("litellm") if path is None else f"file:{Path(file).name}"
    offers = []
    for key, info in data.items():
        if key == "sample_spec" or not isinstance(info, dict) or info.get("mode") not in MODES:
            continue
        provider = info.get("litellm_provider")
        if not isinstance(provider, str):
            continue
        offer = offer_from(key, provider, info, version, today)
        if offer is not None:
            offers.append(offer)
    return Dataset("litellm", version, offers)


def offer_from(key: str, provider: str, info: dict[str, Any], version: str, today: dt.date) -> Offer | None:
    """One map entry as an offer, or None when it has neither a price nor a context window."""
    fields: dict[str, Any] = {}
    notes: list[str] = []
    if MODES[info["mode"]]:
        fields["mode"] = MODES[info["mode"]]
    ctx = info.get("max_input_tokens")
    if isinstance(ctx, int) and not isinstance(ctx, bool) and ctx > 0:
        fields["context_window"] = ctx
    out = info.get("max_output_tokens")
    if isinstance(out, int) and not isinstance(out, bool) and out > 0:
        if isinstance(ctx, int) and out > ctx:
            notes.append(f"LiteLLM's max_output_tokens {out} is above its max_input_tokens {ctx}; left out")
        else:
            fields["max_output"] = out
    pricing = pricing_from(key, info, version, today, notes)
    if pricing:
        fields["pricing"] = pricing
    if "pricing" not in fields and "context_window" not in fields:
        return None
    caps = [cap for flag, cap in CAPABILITY_FLAGS.items() if info.get(flag) is True]
    if caps:
        fields["capabilities"] = caps
    for src, dst in (("supported_modalities", "input_modalities"), ("supported_output_modalities", "output_modalities")):
        mods = [m for m in info.get(src) or [] if m in MODALITIES]
        if mods:
            fields[dst] = mods
    dep = info.get("deprecation_date")
    if isinstance(dep, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", dep):
        # LiteLLM's `deprecation_date` is the day the provider stops serving the model: the catalog's
        # retirement date (the status follows from it on the day asked; see kabot_models/lifecycle.py).
        fields["retirement_date"] = dt.date.fromisoformat(dep)
    url = info.get("source") if isinstance(info.get("source"), str) and info["source"].startswith(("http://", "https://")) else None
    successor = info.get("successor_model") if isinstance(info.get("successor_model"), str) else None
    return Offer(provider, key, fields, url=url, successor=successor, notes=notes)


def _tiered(info: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """`tiered_pricing` as (range start, tier), lowest first: LiteLLM bills a whole request at the tier
    whose range holds its input tokens (`start < tokens <= end`), so a tier starting at N is the
    catalog's `above_input_tokens: N` and the one starting at 0 gives the base prices."""
    out = []
    for tier in info.get("tiered_pricing") or []:
        rng = tier.get("range") if isinstance(tier, dict) else None
        if isinstance(rng, (list, tuple)) and len(rng) == 2 and all(isinstance(x, (int, float)) for x in rng):
            out.append((int(rng[0]), tier))
    return sorted(out, key=lambda t: t[0])


def _drop_zero_cache(prices: dict[str, Any], notes: list[str], where: str = "") -> None:
    if not prices.get("input_1m"):
        return
    for name, key in (("cache_write_1m", "cache_creation_input_token_cost"), ("cache_read_1m", "cache_read_input_token_cost")):
        if prices.get(name) == 0:
            del prices[name]
            notes.append(f"LiteLLM's {key}{where} is 0, which it uses for no separate price (or unknown), not for free; {name} left out")


def pricing_from(key: str, info: dict[str, Any], version: str, today: dt.date, notes: list[str]) -> dict[str, Any] | None:
    """The catalog `pricing` of a map entry, or None when it has no real token price: the base prices and
    long-context tiers here, batch, service tiers, regions and per-call prices from `pricing_import.litellm_pricing`."""
    tiered = _tiered(info)
    flat = info
    if tiered and tiered[0][0] == 0 and per_million(tiered[0][1].get("input_cost_per_token")) is not None:
        flat = {**info, **{k: v for k, v in tiered[0][1].items() if k != "range"}}  # LiteLLM prefers the table
    pricing: dict[str, Any] = {}
    for src, dst in {**PRICE_KEYS, **EXTRA_PRICE_KEYS}.items():
        value = per_million(flat.get(src))
        if value is not None:
            pricing[dst] = value
    if not pricing.get("input_1m") and not pricing.get("output_1m"):
        if info.get("input_cost_per_token") == 0 and info.get("output_cost_per_token") == 0:
            notes.append("LiteLLM lists 0 prices, which it also uses for unknown; pricing left out")
        return None
    _drop_zero_cache(pricing, notes)
    tiers: dict[int, dict[str, Any]] = {}
    for k, v in info.items():
        match = _TIER_KEY.match(k)
        if match and per_million(v) is not None:
            threshold = int(match.group(2)) * 1000
            tiers.setdefault(threshold, {"above_input_tokens": threshold})[PRICE_KEYS[match.group(1)]] = per_million(v)
    if flat is not info:
        for start, tier in tiered[1:]:
            for src, dst in PRICE_KEYS.items():
                value = per_million(tier.get(src))
                if value is not None:
                    tiers.setdefault(start, {"above_input_tokens": start})[dst] = value
            reasoning = per_million(tier.get("output_cost_per_reasoning_token"))
            if reasoning is not None:
                notes.append(f"LiteLLM prices reasoning output at {reasoning} per 1M above {start} input tokens; a tier carries no reasoning price")
    if tiers:
        order = ["above_input_tokens", *PRICE_KEYS.values()]
        for tier in tiers.values():
            for name in ("cache_write_1m", "cache_read_1m"):
                if tier.get(name) == 0 and (tier.get("input_1m") or pricing.get("input_1m")):
                    del tier[name]
        pricing["tiers"] = [{k: tiers[t][k] for k in order if k in tiers[t]} for t in sorted(tiers)]
    extras = litellm_pricing(info, key, version, today)
    for item in [extras.get("batch"), *(extras.get("service_tiers") or {}).values()]:
        if item:
            _drop_zero_cache(item, notes, " of a service tier")
    pricing.update(extras)
    return pricing
