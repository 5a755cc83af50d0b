"""What a call costs: exact decimal arithmetic over a model's catalog prices, by the rules of
docs/models/pricing.md. This module is the only place those rules are implemented.

Prices are USD per 1M tokens, or USD per request, per image and per 1000 web searches. Every
figure becomes a `Decimal` built from the number's `repr` (`0.6` stays `0.6`, never
`0.59999999999999997779...`), so sums are exact to the last digit.

Counts follow the Anthropic usage convention, because it is the only one where each token has
exactly one price: `input_tokens` are text prompt tokens neither read from nor written to the
cache; cache reads, cache writes (5-minute and 1-hour), audio tokens and reasoning tokens are each
counted apart. (OpenAI reports cached tokens inside `prompt_tokens` and reasoning tokens inside
`completion_tokens`; `cost_from_response` splits them.)

The rules, in the order they are applied (pricing.md has a worked example of each):

1. **Period.** The price period in force on the UTC day of `at` (default: now): `history[]`, the
   current prices, or `scheduled[]`. A day no period covers is an error.
2. **Time of day.** Inside one of the period's `windows` (in the window's time zone and on its
   weekdays) the window's prices replace the period's; a moment given without a time of day is
   an error when the period has windows.
3. **Long context.** When the prompt (input + cache read + cache writes + audio input tokens) is
   larger than a tier's `above_input_tokens`, the highest such tier prices the whole request;
   a price the tier leaves out stays at the period's.
4. **Service tier** (`batch`, `flex`, `priority`, `fast`, ...; one per call). A tier with a
   `multiplier` multiplies every per-token price reached in 3; a tier with prices of its own
   replaces them, rule 3 applied to its own `tiers` (a prompt that is long-context at the
   standard prices but crosses none of the tier's thresholds is an error).
5. **Region.** A region's `multiplier` multiplies every per-token price reached in 4.
6. Per-request, per-image and web-search prices come from the service tier when it sets them,
   otherwise from the period, and are never multiplied.

A combination the catalog does not record (a component without a price, a service tier or
region the model does not offer, a window with a service tier or above a long-context threshold,
a region not offered with the service tier) is a `PricingError` naming what is missing, never a
guess and never a silent 0.

This module imports nothing heavy: it works on plain records and on `ModelMetadata` alike.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .errors import PricingError
from .lifecycle import release_day
from .pricing_terms import STANDARD_TIERS, covers

#: (component, count argument, price field, units the price is for), in the order a breakdown lists them.
COMPONENTS: tuple[tuple[str, str, str, int], ...] = (
    ("input", "input_tokens", "input_1m", 1_000_000),
    ("output", "output_tokens", "output_1m", 1_000_000),
    ("reasoning", "reasoning_tokens", "reasoning_1m", 1_000_000),
    ("cache_read", "cache_read_tokens", "cache_read_1m", 1_000_000),
    ("cache_write", "cache_write_tokens", "cache_write_1m", 1_000_000),
    ("cache_write_1h", "cache_write_1h_tokens", "cache_write_1h_1m", 1_000_000),
    ("input_audio", "input_audio_tokens", "input_audio_1m", 1_000_000),
    ("output_audio", "output_audio_tokens", "output_audio_1m", 1_000_000),
    ("requests", "requests", "per_request", 1),
    ("web_searches", "web_searches", "web_search_1k", 1_000),
    ("images", "images", "per_image", 1),
)
#: Counts that make up the prompt a long-context threshold is compared with.
PROMPT_COUNTS = ("input_tokens", "cache_read_tokens", "cache_write_tokens", "cache_write_1h_tokens", "input_audio_tokens")
_FEES = {"per_request", "web_search_1k", "per_image"}


@dataclass(frozen=True)
class CostLine:
    """One priced component of a call: how many units, the price applied, and the cost."""

    component: str
    """A name from `COMPONENTS`: `input`, `output`, `reasoning`, `cache_read`, ..., `web_searches`, `images`."""
    count: int
    """Tokens (or requests, searches, images) of this component."""
    price: Decimal
    """USD per `per` units, after every multiplier."""
    per: int
    """Units the price is for: 1,000,000 tokens, 1,000 searches, or 1 request or image."""
    cost: Decimal
    """count * price / per, exact."""


@dataclass(frozen=True)
class CostBreakdown:
    """The exact price of one call and how it was reached."""

    model: str
    """Full id of the model priced."""
    lines: tuple[CostLine, ...]
    """One line per component used, in the order of `COMPONENTS`."""
    total: Decimal
    """Sum of the lines' costs, in USD."""
    service_tier: str | None = None
    """The service tier priced (`batch`, `flex`, ...), None for the standard prices."""
    tier: int | None = None
    """`above_input_tokens` of the long-context tier applied, None for the base prices."""
    region: str | None = None
    """The region whose uplift was applied, None for none."""
    window: str | None = None
    """The time-of-day window applied (its name, or `HH:MM-HH:MM`), None outside every window."""
    at: _dt.date | _dt.datetime | None = None
    """The moment asked for with `at`, None for now."""
    prices_since: _dt.date | None = None
    """First day of the price period used, when the catalog records it."""
    currency: str = field(default="USD")
    """Always USD: the catalog's prices are USD."""

    @property
    def batch(self) -> bool:
        """Priced through the batch API."""
        return self.service_tier == "batch"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form; amounts are decimal strings so no precision is lost."""
        return {
            "model": self.model,
            "currency": self.currency,
            "total": decimal_text(self.total),
            "lines": [
                {"component": l.component, "count": l.count, "price": decimal_text(l.price), "per": l.per, "cost": decimal_text(l.cost)}
                for l in self.lines
            ],
            "service_tier": self.service_tier,
            "batch": self.batch,
            "tier_above_input_tokens": self.tier,
            "region": self.region,
            "window": self.window,
            "at": self.at.isoformat() if self.at else None,
            "prices_since": self.prices_since.isoformat() if self.prices_since else None,
        }


def decimal_text(value: Decimal) -> str:
    """`Decimal('0.012500')` -> `'0.0125'`, `Decimal('3E+1')` -> `'30'`: exact, without exponent noise."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def to_decimal(value: Any) -> Decimal:
    """A YAML number as an exact Decimal: from the float's shortest repr, never its binary value."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise PricingError(f"price {value!r} is not a number")
    return Decimal(repr(value) if isinstance(value, float) else str(value))


def _as_dict(obj: Any) -> dict[str, Any]:
    """A pricing block as a plain dict, whether it came from a record or a pydantic object."""
    if obj is None:
        return {}
    if isinstance(obj, dict):
        return obj
    return obj.model_dump(exclude_none=True)


def _model_parts(model: Any) -> tuple[str, dict[str, Any], Any]:
    """(full id, pricing dict, release date) of a record dict or a `ModelMetadata`."""
    if model is None:  # the usual cause: `registry.record("sonnet")`, which takes full ids only
        raise PricingError("no model to price (None): registry.record() takes a full id and returns None for any other name;"
                           " pass registry.record(registry.resolve(name)) or registry.get(name)")
    if isinstance(model, dict):
        return model.get("id", "model"), _as_dict(model.get("pricing")), model.get("release_date")
    return getattr(model, "id", "model"), _as_dict(getattr(model, "pricing", None)), getattr(model, "release_date", None)


def _as_date(value: Any, what: str) -> _dt.date | None:
    if value is None or isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value))
    except ValueError:
        raise PricingError(f"{what} {value!r} is not a date (YYYY-MM-DD)") from None


def parse_moment(value: Any) -> tuple[_dt.datetime | None, bool]:
    """(the moment in UTC, whether it has a time of day) for `at`: None (now), a date, a datetime,
    or ISO text (`2026-12-01`, `2026-12-01T09:30`, `2026-12-01T09:30+08:00`, `...Z`). Naive times are UTC."""
    if value is None:
        return None, True
    if isinstance(value, str):
        text = value.strip()
        try:
            value = _dt.date.fromisoformat(text) if len(text) == 10 else _dt.datetime.fromisoformat(text)
        except ValueError:
            raise PricingError(
                f"{value!r} is not a date; use YYYY-MM-DD, or YYYY-MM-DDTHH:MM[+HH:MM] for a time of day"
            ) from None
    if isinstance(value, _dt.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=_dt.timezone.utc)
        return aware.astimezone(_dt.timezone.utc), True
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day, tzinfo=_dt.timezone.utc), False
    raise PricingError(f"at {value!r} is not a date or a datetime")


def _check_count(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PricingError(f"{name} must be a whole number, not {value!r}")
    if value < 0:
        raise PricingError(f"{name} must not be negative (got {value})")
    return value


# -- rule 1: the period ------------------------------------------------------------------------------


def _period_at(model_id: str, pricing: dict[str, Any], day: _dt.date, asked: bool, release: _dt.date | None) -> tuple[dict[str, Any], str]:
    """(the price period in force on `day`, where it sits in the YAML, e.g. `pricing.history[0]`)."""
    since = _as_date(pricing.get("since"), f"{model_id} pricing.since")
    history = [(_as_date(h.get("since"), f"{model_id} pricing.history[].since"), f"pricing.history[{i}]", h) for i, h in enumerate(pricing.get("history") or [])]
    scheduled = [(_as_date(s.get("since"), f"{model_id} pricing.scheduled[].since"), f"pricing.scheduled[{i}]", s) for i, s in enumerate(pricing.get("scheduled") or [])]
    begun = [entry for entry in scheduled if entry[0] is not None and entry[0] <= day]
    if begun:
        return _still_in_force(model_id, day, begun[-1])
    if since is None and (not asked or (not history and day >= _dt.datetime.now(_dt.timezone.utc).date())):
        return pricing, "pricing"  # undated prices are today's
    if since is None and not history:
        if release is not None and day < release:
            raise PricingError(f"no price known for {model_id} on {day}: it was released on {release}")
        # Today's price may not be the one charged then (GPT-4o launched at twice its current
        # price), so an old date gets no answer rather than a wrong one.
        raise PricingError(
            f"no price known for {model_id} on {day}: the catalog does not record since when its current prices "
            "apply (pricing.since) nor earlier prices (pricing.history); leave out --at for today's price"
        )
    periods = [*history, *([(since, "pricing", pricing)] if since is not None else [])]
    started = [entry for entry in periods if entry[0] is None or entry[0] <= day]
    if not started:
        first = min(d for d, _, _ in periods if d is not None)
        raise PricingError(f"no price known for {model_id} on {day}: its earliest recorded price starts {first}")
    start, where, period = started[-1]
    if since is None and where == history[-1][1]:
        # The last old price ended when the current one began, and that day is not recorded.
        raise PricingError(
            f"{model_id} records price history but not when its current prices began (pricing.since), "
            f"so the price on {day} is not known"
        )
    if start is None and release is not None and day < release:
        raise PricingError(f"no price known for {model_id} on {day}: it was released on {release}")
    return _still_in_force(model_id, day, started[-1])


def _still_in_force(model_id: str, day: _dt.date, entry: tuple[Any, str, dict[str, Any]]) -> tuple[dict[str, Any], str]:
    """The period of `entry` unless its announced end (`until`) is on or before `day`."""
    _, where, period = entry
    until = _as_date(period.get("until"), f"{model_id} {where}.until")
    if until is not None and day >= until:
        raise PricingError(f"no price known for {model_id} on {day}: the prices of {where} ended on {until} and no later ones are recorded")
    return period, where


# -- rules 2 to 5: which prices apply -------------------------------------------------------------------


def _window_at(model_id: str, period: dict[str, Any], where: str, moment: _dt.datetime, has_time: bool) -> tuple[dict[str, Any], str, str] | None:
    """(the time-of-day window `moment` falls in, where it sits, its label), or None outside all."""
    windows = period.get("windows") or []
    if not windows:
        return None
    if not has_time:
        raise PricingError(
            f"{model_id} has time-of-day prices ({where}.windows), so a day alone does not say the price; "
            "give a time, e.g. --at 2026-12-01T10:00Z"
        )
    from zoneinfo import ZoneInfo

    for i, w in enumerate(windows):
        local = moment.astimezone(ZoneInfo(w.get("timezone") or "UTC"))
        if covers(w["start"], w["end"], w.get("days"), local):
            label = w.get("name") or f"{w['start']}-{w['end']} {w.get('timezone') or 'UTC'}"
            return w, f"{where}.windows[{i}]", label
    return None


def _get(prices: dict[str, Any], price_field: str) -> Any:
    """A price from one price set; reasoning tokens cost what output does unless priced apart."""
    value = prices.get(price_field)
    if value is None and price_field == "reasoning_1m":
        value = prices.get("output_1m")
    return value


def _long_context_get(tier: dict[str, Any], period: dict[str, Any], price_field: str) -> Any:
    """A price under a long-context tier: the tier's, else the period's (that component is not tiered)."""
    if price_field == "reasoning_1m" and tier.get("reasoning_1m") is None and tier.get("output_1m") is not None:
        return tier["output_1m"]  # the tier re-prices output, and reasoning tokens are output
    value = tier.get(price_field)
    return _get(period, price_field) if value is None else value


@dataclass(frozen=True)
class _Choice:
    """What the modifiers of one call resolved to; `price` turns it into one component's price."""

    model_id: str
    period: dict[str, Any]
    where: str
    window: tuple[dict[str, Any], str, str] | None
    long_context: dict[str, Any] | None
    service: tuple[str, dict[str, Any], str] | None
    uplift: tuple[str, Decimal] | None
    prompt: int

    def price(self, component: str, price_field: str, count: int) -> Decimal:
        """The price of one component after every rule; a missing price is an error naming its field."""
        if price_field in _FEES:
            service_prices = self.service[1] if self.service else {}
            if service_prices.get(price_field) is not None:
                return to_decimal(service_prices[price_field])
            return self._need(self.period.get(price_field), f"{self.where}.{price_field}", component, count)
        if self.service is not None and self.service[1].get("multiplier") is None:
            name, tier, where = self.service
            own = self.service_long_context()
            if own is not None:
                value = self._need(_long_context_get(own, tier, price_field), f"{where}.tiers.{price_field}", component, count)
            else:
                value = self._need(_get(tier, price_field), f"{where}.{price_field}", component, count)
        else:
            if self.window is not None:
                window, where, _ = self.window
                value = self._need(_get(window, price_field), f"{where}.{price_field}", component, count)
            elif self.long_context is not None:
                value = self._need(_long_context_get(self.long_context, self.period, price_field), f"{self.where}.{price_field}", component, count)
            else:
                value = self._need(_get(self.period, price_field), f"{self.where}.{price_field}", component, count)
            if self.service is not None:
                value *= to_decimal(self.service[1]["multiplier"])
        if self.uplift is not None:
            value *= self.uplift[1]
        return value

    def service_long_context(self) -> dict[str, Any] | None:
        """The long-context tier of a service tier with prices of its own: rule 3 applied to its own `tiers`."""
        if self.service is None or self.service[1].get("multiplier") is not None:
            return None
        name, tier, where = self.service
        crossed = [t for t in tier.get("tiers") or [] if self.prompt > t["above_input_tokens"]]
        if crossed:
            return crossed[-1]
        if self.long_context is not None:
            above = self.long_context["above_input_tokens"]
            raise PricingError(
                f"{self.model_id}: the {name} tier records no long-context prices ({where}.tiers), so a "
                f"{self.prompt:,}-token prompt (above {above:,}) cannot be priced through it"
            )
        return None

    def _need(self, value: Any, where: str, component: str, count: int) -> Decimal:
        if value is None:
            raise PricingError(f"{self.model_id} has no {component} price ({where}), so {count:,} {component} cannot be priced")
        return to_decimal(value)


def _service_tier(model_id: str, period: dict[str, Any], where: str, name: str | None) -> tuple[str, dict[str, Any], str] | None:
    if name is None or name in STANDARD_TIERS:
        return None
    if name == "batch":
        batch = _as_dict(period.get("batch"))
        if not batch:
            raise PricingError(f"{model_id} has no batch prices ({where}.batch)")
        return "batch", batch, f"{where}.batch"
    tiers = period.get("service_tiers") or {}
    if name not in tiers:
        offered = ", ".join(sorted(["batch"] * bool(period.get("batch")) + list(tiers))) or "none"
        raise PricingError(f"{model_id} offers no {name!r} service tier ({where}.service_tiers; offered: {offered})")
    return name, _as_dict(tiers[name]), f"{where}.service_tiers.{name}"


def _region(model_id: str, period: dict[str, Any], where: str, name: str | None, service: str | None) -> tuple[str, Decimal] | None:
    if name is None or name == "global":
        return None
    regions = period.get("regions") or {}
    if name not in regions:
        offered = ", ".join(sorted(regions)) or "none"
        raise PricingError(f"{model_id} records no price for region {name!r} ({where}.regions; recorded: {offered})")
    uplift = _as_dict(regions[name])
    allowed = uplift.get("service_tiers")
    if allowed is not None and (service or "standard") not in allowed:
        raise PricingError(f"{model_id}: region {name!r} is not offered with the {service or 'standard'} tier ({where}.regions.{name}.service_tiers: {', '.join(allowed)})")
    return name, to_decimal(uplift["multiplier"])


def _long_context(model_id: str, pricing: dict[str, Any], period: dict[str, Any], where: str, prompt: int) -> dict[str, Any] | None:
    tiers = [_as_dict(t) for t in period.get("tiers") or []]
    crossed = [t for t in tiers if prompt > t["above_input_tokens"]]
    if crossed:
        return crossed[-1]
    if tiers:
        return None
    # A period without tiers, in a model whose other periods have them, did not record them.
    others = [pricing, *(pricing.get("history") or []), *(pricing.get("scheduled") or [])]
    thresholds = [t["above_input_tokens"] for p in others for t in _as_dict(p).get("tiers") or []]
    lowest = min(thresholds, default=None)
    if lowest is not None and prompt > lowest:
        raise PricingError(
            f"{model_id}: {where} does not record long-context tiers, so a {prompt:,}-token prompt "
            f"(above {lowest:,}) cannot be priced with it"
        )
    return None


def cost(
    model: Any,
    *,
    input_tokens: int = 0,
    output_tokens: int = 0,
    cache_read_tokens: int = 0,
    cache_write_tokens: int = 0,
    cache_write_1h_tokens: int = 0,
    reasoning_tokens: int = 0,
    input_audio_tokens: int = 0,
    output_audio_tokens: int = 0,
    requests: int = 0,
    web_searches: int = 0,
    images: int = 0,
    batch: bool = False,
    tier: str | None = None,
    region: str | None = None,
    at: _dt.date | _dt.datetime | str | None = None,
) -> CostBreakdown:
    """The exact cost of one call to `model` (a registry record dict or a `ModelMetadata`).

    `tier` names a service tier (`batch`, `flex`, `priority`, `fast`, ...; `batch=True` is
    `tier="batch"`), `region` a data-residency region, `at` the moment (date, datetime or ISO
    text; default now). Raises `PricingError` for a bad count, a moment no price covers, or a
    component, tier, region or combination the catalog does not price.
    """
    given = {
        "input_tokens": input_tokens, "output_tokens": output_tokens, "reasoning_tokens": reasoning_tokens,
        "cache_read_tokens": cache_read_tokens, "cache_write_tokens": cache_write_tokens,
        "cache_write_1h_tokens": cache_write_1h_tokens, "input_audio_tokens": input_audio_tokens,
        "output_audio_tokens": output_audio_tokens, "requests": requests, "web_searches": web_searches, "images": images,
    }
    counts = {arg: _check_count(arg, given[arg]) for _, arg, _, _ in COMPONENTS}
    if (tier is not None and not isinstance(tier, str)) or (region is not None and not isinstance(region, str)):
        raise PricingError("tier and region must be names (text)")
    tier = tier.strip().lower() if tier else None
    region = region.strip().lower() if region else None
    if batch:
        if tier not in (None, "batch", *STANDARD_TIERS):
            raise PricingError(f"one service tier per call: batch and {tier!r} cannot both apply")
        tier = "batch"
    model_id, pricing, release = _model_parts(model)
    moment, has_time = parse_moment(at)
    now = moment or _dt.datetime.now(_dt.timezone.utc)
    # a release known only to the month counts from the month's first day
    release_date = _as_date(release_day(release) if release else None, f"{model_id} release_date")
    period, where = _period_at(model_id, pricing, now.date(), at is not None, release_date)

    prompt = sum(counts[c] for c in PROMPT_COUNTS)
    window = _window_at(model_id, period, where, now, has_time)
    long_context = _long_context(model_id, pricing, period, where, prompt)
    service = _service_tier(model_id, period, where, tier)
    if window is not None and service is not None:
        raise PricingError(f"{model_id}: time-of-day prices ({window[1]}) do not combine with the {service[0]} tier; the catalog records no such price")
    if window is not None and long_context is not None:
        raise PricingError(
            f"{model_id}: time-of-day prices ({window[1]}) record no long-context tiers, so a {prompt:,}-token prompt "
            f"(above {long_context['above_input_tokens']:,}) cannot be priced at that time"
        )
    uplift = _region(model_id, period, where, region, service[0] if service else None)
    choice = _Choice(model_id, period, where, window, long_context, service, uplift, prompt)
    applied = choice.service_long_context() if service is not None and service[1].get("multiplier") is None else long_context

    lines = []
    for component, arg, price_field, per in COMPONENTS:
        count = counts[arg]
        if count == 0:
            continue
        price = choice.price(component, price_field, count)
        lines.append(CostLine(component, count, price, per, price * count / per))
    total = sum((l.cost for l in lines), Decimal(0))
    return CostBreakdown(
        model=model_id,
        lines=tuple(lines),
        total=total,
        service_tier=service[0] if service else None,
        tier=applied["above_input_tokens"] if applied is not None else None,
        region=uplift[0] if uplift else None,
        window=window[2] if window else None,
        at=(moment if has_time else moment.date()) if moment is not None else None,
        prices_since=_as_date(period.get("since"), f"{model_id} {where}.since"),
    )


def cost_from_response(body: Any, provider: str | None = None, at: Any = None, *, registry: Any = None) -> CostBreakdown:
    """The exact cost of the call a raw provider response describes (`kabot_models.usage` reads it).

    `body` is the response as bytes, text or parsed JSON; `provider` (a provider id) says whose
    catalog entry to price when the response does not; `at` is the moment of the call (default
    now). The model named in the response is resolved through `registry` (default:
    `load_registry()`). An unreadable body is a `PricingError` with one line saying why.
    """
    from .usage import read_usage

    usage = read_usage(body)
    if registry is None:
        from .loader import load_registry

        registry = load_registry()
    record = _response_model(registry, usage.model, provider or usage.provider)
    return cost(record, at=at, tier=usage.service_tier, region=usage.region, **usage.counts())


def _response_model(registry: Any, model: str, provider: str | None) -> dict[str, Any]:
    """The catalog record of the model a response names, looked up under `provider` first."""
    from .errors import ResolutionError

    # A known provider is never swapped for another: its copy of a model may be priced differently.
    names = [f"{provider}/{model}", *([model] if model.startswith(provider + "/") else [])] if provider else [model]
    for name in names:
        try:
            full_id = registry.resolve(name)
        except ResolutionError:
            continue
        record = registry.record(full_id)
        if record is not None:
            return record
    if provider:
        raise PricingError(f"the response's model {model!r} is not in the catalog under provider {provider!r}")
    raise PricingError(f"the response's model {model!r} is not in the catalog; pass provider= or --provider to say whose it is")
