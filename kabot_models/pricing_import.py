"""Translating outside datasets' price entries into the catalog's pricing fields.

Small pure functions, one per dataset shape; they read nothing and write nothing. `kabot-models
sync` (issue 12) calls them to bring the fields below into the YAML; each result carries an
`import` source (dataset, version, date), never `verified`.

- genai-prices (`genai_prices.types.ModelInfo`, duck-typed so this module does not import the
  package): `prices` as a list of `ConditionalPrice` becomes price periods (`since`, `history`,
  `scheduled`) and time-of-day `windows`; `price_variants` become `batch` (`processing: batch`)
  and `service_tiers` (`service_tier: flex|priority|fast`, `speed: fast`); `TieredPrices` become
  long-context `tiers`.
- LiteLLM's map (one entry of `model_prices_and_context_window.json`): `*_flex`, `*_priority`,
  `*_ultrafast`, `*_batches` keys (with their `*_above_<N>k_tokens_*` long-context prices) become
  service tiers; `regional_processing_uplift_multiplier_<region>` becomes `regions`;
  `search_context_cost_per_query`, `input_cost_per_request` and `output_cost_per_image` become
  the per-call prices.

What the catalog cannot hold is left out and named in the result's `skipped` list, never guessed.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal
from typing import Any

#: genai-prices price keys -> (catalog field, factor from the dataset's unit to the catalog's).
GENAI_FIELDS: dict[str, tuple[str, Decimal]] = {
    "input_mtok": ("input_1m", Decimal(1)),
    "output_mtok": ("output_1m", Decimal(1)),
    "cache_read_mtok": ("cache_read_1m", Decimal(1)),
    "cache_write_mtok": ("cache_write_1m", Decimal(1)),
    "cache_write_1h_mtok": ("cache_write_1h_1m", Decimal(1)),
    "input_audio_mtok": ("input_audio_1m", Decimal(1)),
    "output_audio_mtok": ("output_audio_1m", Decimal(1)),
    "output_reasoning_mtok": ("reasoning_1m", Decimal(1)),
    "web_searches_kcount": ("web_search_1k", Decimal(1)),
    "requests_kcount": ("per_request", Decimal("0.001")),
}
#: A genai-prices variant's `when` -> the catalog's service-tier name (None: the standard prices).
_GENAI_TIERS = {("processing", "batch"): "batch", ("speed", "fast"): "fast", ("service_tier", "default"): None}

#: LiteLLM per-token keys -> catalog fields (USD per token there, per 1M tokens here).
LITELLM_FIELDS: dict[str, str] = {
    "input_cost_per_token": "input_1m",
    "output_cost_per_token": "output_1m",
    "cache_read_input_token_cost": "cache_read_1m",
    "cache_creation_input_token_cost": "cache_write_1m",
    "cache_creation_input_token_cost_above_1hr": "cache_write_1h_1m",
    "output_cost_per_reasoning_token": "reasoning_1m",
    "input_cost_per_audio_token": "input_audio_1m",
    "output_cost_per_audio_token": "output_audio_1m",
}
#: LiteLLM key suffixes that name a service tier -> the catalog's tier name.
LITELLM_TIERS = {"batches": "batch", "flex": "flex", "priority": "priority", "ultrafast": "ultrafast"}
_LONG = re.compile(r"^(?P<field>.+)_above_(?P<n>[0-9]+)k_tokens$")
_MILLION = Decimal(1_000_000)


def number(value: Decimal) -> int | float:
    """A Decimal as the plainest YAML number that reads back to the same Decimal (`2` not `2.0`)."""
    value = value.normalize()
    if value == value.to_integral_value():
        return int(value)
    return float(str(value))


def import_source(dataset: str, version: str, day: _dt.date, note: str | None = None) -> dict[str, Any]:
    """The `source` record of an imported pricing item."""
    out: dict[str, Any] = {"method": "import", "source": dataset, "version": version, "date": day}
    if note:
        out["note"] = note
    return out


# -- genai-prices ---------------------------------------------------------------------------------


def _is_tiered(value: Any) -> bool:
    return hasattr(value, "base") and hasattr(value, "tiers")


def genai_price_set(price: Any, skipped: list[str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(flat prices, long-context tiers) of one genai-prices `ModelPrice`."""
    flat: dict[str, Any] = {}
    tiers: dict[int, dict[str, Any]] = {}
    for key, value in vars(price).items():
        if value is None or key.startswith("_"):
            continue
        if key not in GENAI_FIELDS:
            skipped.append(key)
            continue
        field, factor = GENAI_FIELDS[key]
        if _is_tiered(value):
            flat[field] = number(Decimal(value.base) * factor)
            for tier in value.tiers:
                # genai-prices' tier `start` is the cliff: a prompt above it pays the tier price for every token.
                tiers.setdefault(int(tier.start), {"above_input_tokens": int(tier.start)})[field] = number(Decimal(tier.price) * factor)
        else:
            flat[field] = number(Decimal(value) * factor)
    return flat, [tiers[k] for k in sorted(tiers)]


def _clock(t: _dt.time) -> str:
    if t.tzinfo is not None:
        t = _dt.datetime.combine(_dt.date(2000, 1, 3), t).astimezone(_dt.timezone.utc).time()
    return f"{t.hour:02d}:{t.minute:02d}"


def _window(constraint: Any, price: Any, skipped: list[str]) -> dict[str, Any]:
    """A time-of-day window; it has the source of the period that holds it."""
    flat, tiers = genai_price_set(price, skipped)
    if tiers:
        skipped.append("long-context prices inside a time-of-day window")
    return {"start": _clock(constraint.start_time), "end": _clock(constraint.end_time), "timezone": "UTC", **flat}


def _variant_tiers(model: Any, day: _dt.date | None, skipped: list[str]) -> dict[str, dict[str, Any]]:
    """Service-tier prices in force from `day` (None: from the start): per price key, the first active variant wins."""
    merged: dict[str, dict[str, Any]] = {}
    for variant in getattr(model, "price_variants", None) or ():
        start = getattr(variant.constraint, "start_date", None)
        if start is not None and (day is None or start > day):
            continue
        if len(variant.when) != 1:
            skipped.append(f"variant {variant.when}")
            continue
        (key, value), = variant.when.items()
        name = _GENAI_TIERS.get((key, value), value if key == "service_tier" else "")
        if name == "":
            skipped.append(f"variant {key}={value}")
            continue
        if name is None:
            continue
        slot = merged.setdefault(name, {})
        for price_key, price in vars(variant.prices).items():
            if price is not None and not price_key.startswith("_"):
                slot.setdefault(price_key, price)
    out = {}
    for name, keys in merged.items():
        if not keys:
            continue
        flat, tiers = genai_price_set(_Prices(keys), skipped)
        out[name] = {**flat, **({"tiers": tiers} if tiers else {})}
    return out


class _Prices:
    """A stand-in ModelPrice holding the keys collected from several variants."""

    def __init__(self, keys: dict[str, Any]) -> None:
        self.__dict__.update(keys)


def is_standing(constraint: Any) -> bool:
    """Whether a genai-prices price with this constraint holds all day (none, or a start date), as
    opposed to a time-of-day price, which the catalog holds in `pricing.windows`."""
    return constraint is None or hasattr(constraint, "start_date")


def genai_pricing(model: Any, version: str, today: _dt.date) -> dict[str, Any]:
    """The catalog pricing fields for one genai-prices `ModelInfo`, split around `today`.

    Returns `{"pricing": {...}, "skipped": [...]}`: the current period's prices and `since` at the
    top, `history` and `scheduled` periods, `windows`, `batch`, `service_tiers` and `tiers`, each
    period with an import `source`. Time-of-day prices belong to the latest dated price listed
    before them (genai-prices lists them last so they win inside their hours).
    """
    skipped: list[str] = []
    source = import_source("genai-prices", version, today, note=f"genai-prices model `{model.id}`")
    entries = model.prices if isinstance(model.prices, list) else [_Conditional(None, model.prices)]
    dated: list[tuple[_dt.date | None, int, Any]] = []
    windows: dict[int, list[dict[str, Any]]] = {}
    for i, entry in enumerate(entries):
        constraint = entry.constraint
        if is_standing(constraint):
            dated.append((getattr(constraint, "start_date", None), i, entry.prices))
        else:
            owner = max((j for _, j, _ in dated), default=None)
            if owner is None:
                skipped.append("a time-of-day price before any standing price")
                continue
            windows.setdefault(owner, []).append(_window(constraint, entry.prices, skipped))
    variant_days = {v.constraint.start_date for v in getattr(model, "price_variants", None) or () if v.constraint is not None}
    days = sorted({d for d, _, _ in dated if d is not None} | variant_days)
    periods: list[dict[str, Any]] = []
    for day in [None, *days]:
        active = [(d, i, p) for d, i, p in dated if d is None or (day is not None and d <= day)]
        if not active:
            continue
        _, index, price = active[-1]  # genai-prices: the last active price wins
        flat, tiers = genai_price_set(price, skipped)
        period: dict[str, Any] = {**({"since": day} if day is not None else {}), **flat}
        if tiers:
            period["tiers"] = tiers
        service = _variant_tiers(model, day, skipped)
        if "batch" in service:
            period["batch"] = service.pop("batch")
        if service:
            period["service_tiers"] = service
        if windows.get(index):
            period["windows"] = windows[index]
        period["source"] = source
        if periods and _same(periods[-1], period):
            continue
        periods.append(period)
    current_index = max((i for i, p in enumerate(periods) if p.get("since") is None or p["since"] <= today), default=None)
    if current_index is None:
        return {"pricing": {}, "skipped": sorted(set(skipped)) + ["every price starts after today"]}
    pricing = dict(periods[current_index])
    if current_index:
        pricing["history"] = periods[:current_index]
    if periods[current_index + 1:]:
        pricing["scheduled"] = periods[current_index + 1:]
    return {"pricing": pricing, "skipped": sorted(set(skipped))}


class _Conditional:
    def __init__(self, constraint: Any, prices: Any) -> None:
        self.constraint, self.prices = constraint, prices


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two periods with the same prices (a variant date that changed nothing for this model)."""
    strip = lambda p: {k: v for k, v in p.items() if k not in ("since", "source")}  # noqa: E731
    return strip(a) == strip(b)


# -- LiteLLM --------------------------------------------------------------------------------------


def _per_million(value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        return None
    return number(Decimal(repr(value)) * _MILLION)


def litellm_tier_prices(entry: dict[str, Any], suffix: str) -> dict[str, Any]:
    """The prices LiteLLM lists for one service tier (`flex`, `priority`, `batches`, ...), with long-context tiers."""
    flat: dict[str, Any] = {}
    tiers: dict[int, dict[str, Any]] = {}
    for key, value in entry.items():
        if not key.endswith("_" + suffix):
            continue
        base = key[: -len(suffix) - 1]
        long = _LONG.match(base)
        field = LITELLM_FIELDS.get(long.group("field") if long else base)
        price = _per_million(value)
        if field is None or price is None:
            continue
        if long:
            above = int(long.group("n")) * 1000
            tiers.setdefault(above, {"above_input_tokens": above})[field] = price
        else:
            flat[field] = price
    if not flat:
        return {}
    return {**flat, **({"tiers": [tiers[k] for k in sorted(tiers)]} if tiers else {})}


def litellm_pricing(entry: dict[str, Any], key: str, version: str, today: _dt.date) -> dict[str, Any]:
    """The catalog pricing fields LiteLLM's map gives for one entry beyond the base prices:
    `batch`, `service_tiers`, `regions` and the per-call prices, each with an import `source`."""
    source = import_source("litellm", version, today, note=f"LiteLLM map key `{key}`")
    out: dict[str, Any] = {}
    tiers = {}
    for suffix, name in LITELLM_TIERS.items():
        prices = litellm_tier_prices(entry, suffix)
        if prices:
            tiers[name] = {**prices, "source": source}
    if "batch" in tiers:
        out["batch"] = tiers.pop("batch")
    if tiers:
        out["service_tiers"] = tiers
    regions = {}
    for k, value in entry.items():
        m = re.match(r"^regional_processing_uplift_multiplier_([a-z]+)$", k)
        if m and isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            regions[m.group(1)] = {"multiplier": number(Decimal(repr(value))), "source": source}
    if regions:
        out["regions"] = regions
    search = entry.get("search_context_cost_per_query")
    if isinstance(search, dict):
        values = {v for v in search.values() if isinstance(v, (int, float)) and not isinstance(v, bool)}
        if len(values) == 1 and len(search) == 3:  # one price whatever the context size
            out["web_search_1k"] = number(Decimal(repr(values.pop())) * 1000)
    fees = [("input_cost_per_request", "per_request")]
    if entry.get("mode") in ("image_generation", "image_edit"):
        # A chat entry's output_cost_per_image is not a price per generated image (Gemini 3.1 Pro lists 0.00012).
        fees.append(("output_cost_per_image", "per_image"))
    for their, ours in fees:
        value = entry.get(their)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
            out[ours] = number(Decimal(repr(value)))
    return out
