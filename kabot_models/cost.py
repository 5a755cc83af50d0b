"""What a call costs: exact decimal arithmetic over a model's catalog prices.

Prices are USD per 1M tokens. Every figure becomes a `Decimal` built from the number's `repr`
(`0.6` stays `0.6`, never `0.59999999999999997779...`), so sums are exact to the last digit.

Token counts follow the Anthropic usage convention, because it is the only one where each count
has exactly one price: `input_tokens` are prompt tokens neither read from nor written to the cache;
`cache_read_tokens` and `cache_write_tokens` are counted apart. (OpenAI reports cached tokens
inside `prompt_tokens`; subtract them before calling.)

Tiers (`pricing.tiers[].above_input_tokens`): a tier applies to the whole request when the prompt,
i.e. input + cache read + cache write tokens, is larger than the threshold. That is how both
providers with long-context prices define it: Anthropic charges every token of a request over 200K
input tokens (cache reads and writes included) at the long-context rate, and Google prices
Gemini prompts "> 200k tokens" at the higher rate for input and output alike. The highest tier
whose threshold is exceeded wins; a price the tier leaves out stays at the base price (that
component is not tiered).

Price history: `pricing.since` is the first day of the current prices, `pricing.history[]` the
earlier ones, each valid from its `since` until the next one began. A date before the first known
price is an error, not a guess. History entries and batch prices carry no tiers, so a request
above a tier threshold priced at an old date or through the batch API is refused rather than
priced at the base rate.

A component that is used (tokens > 0) but has no price is an error naming the missing field,
never a silent 0.

This module imports nothing heavy: it works on plain records and on `ModelMetadata` alike.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .errors import PricingError

#: (component name, token-count argument, price field), in the order a breakdown lists them.
COMPONENTS: tuple[tuple[str, str, str], ...] = (
    ("input", "input_tokens", "input_1m"),
    ("output", "output_tokens", "output_1m"),
    ("cache_read", "cache_read_tokens", "cache_read_1m"),
    ("cache_write", "cache_write_tokens", "cache_write_1m"),
)
_PRICE_FIELDS = tuple(f for _, _, f in COMPONENTS)
_MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class CostLine:
    """One priced component of a call: its tokens, the price per 1M tokens used, and the cost."""

    component: str
    """`input`, `output`, `cache_read` or `cache_write`."""
    tokens: int
    """Tokens of this component."""
    price_1m: Decimal
    """USD per 1M tokens applied."""
    cost: Decimal
    """tokens * price_1m / 1M, exact."""


@dataclass(frozen=True)
class CostBreakdown:
    """The exact price of one call and how it was reached."""

    model: str
    """Full id of the model priced."""
    lines: tuple[CostLine, ...]
    """One line per component with tokens, in the order of `COMPONENTS`."""
    total: Decimal
    """Sum of the lines' costs, in USD."""
    batch: bool = False
    """Priced at the batch API's prices."""
    tier: int | None = None
    """`above_input_tokens` of the tier applied, None for the base prices."""
    at: _dt.date | None = None
    """The date asked for with `at`, None for the current prices."""
    prices_since: _dt.date | None = None
    """First day of the price set used, when the catalog records it."""
    currency: str = field(default="USD")
    """Always USD: the catalog's prices are USD."""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form; amounts are decimal strings so no precision is lost."""
        return {
            "model": self.model,
            "currency": self.currency,
            "total": decimal_text(self.total),
            "lines": [
                {"component": l.component, "tokens": l.tokens, "price_1m": decimal_text(l.price_1m), "cost": decimal_text(l.cost)}
                for l in self.lines
            ],
            "batch": self.batch,
            "tier_above_input_tokens": self.tier,
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


def _check_tokens(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PricingError(f"{name} must be a whole number of tokens, not {value!r}")
    if value < 0:
        raise PricingError(f"{name} must not be negative (got {value})")
    return value


def _price_set_at(model_id: str, pricing: dict[str, Any], at: _dt.date | None, release: _dt.date | None) -> tuple[dict[str, Any], _dt.date | None, bool]:
    """(prices, their first day, whether they are the current set) in force on `at`."""
    since = _as_date(pricing.get("since"), f"{model_id} pricing.since")
    if at is None:
        return pricing, since, True
    history = [(_as_date(h.get("since"), f"{model_id} pricing.history[].since"), h) for h in pricing.get("history") or []]
    if since is not None and at >= since:
        return pricing, since, True
    earlier = [(d, h) for d, h in history if d is not None and d <= at]
    if earlier:
        day, entry = earlier[-1]
        if since is None and entry is history[-1][1]:
            # The last old price ended when the current one began, and that day is not recorded.
            raise PricingError(
                f"{model_id} records price history but not when its current prices began (pricing.since), "
                f"so the price on {at} is not known"
            )
        return entry, day, False
    first = history[0][0] if history else since
    if first is not None:
        raise PricingError(f"no price known for {model_id} on {at}: its earliest recorded price starts {first}")
    if release is not None and at < release:
        raise PricingError(f"no price known for {model_id} on {at}: it was released on {release}")
    if at >= _dt.date.today():
        return pricing, None, True
    # Neither a start date nor a history: today's price may not be the one charged then (GPT-4o
    # launched at twice its current price), so an old date gets no answer rather than a wrong one.
    raise PricingError(
        f"no price known for {model_id} on {at}: the catalog does not record since when its current prices "
        "apply (pricing.since) nor earlier prices (pricing.history); leave out --at for today's price"
    )


def cost(
    model: Any,
    *,
    input_tokens: int = 0,
    output_tokens: int = 0,
    cache_read_tokens: int = 0,
    cache_write_tokens: int = 0,
    batch: bool = False,
    at: _dt.date | str | None = None,
) -> CostBreakdown:
    """The exact cost of one call to `model` (a registry record dict or a `ModelMetadata`).

    Raises `PricingError` for a negative or non-integer token count, a date before the first
    known price, or a used component without a price.
    """
    counts = {
        "input_tokens": _check_tokens("input_tokens", input_tokens),
        "output_tokens": _check_tokens("output_tokens", output_tokens),
        "cache_read_tokens": _check_tokens("cache_read_tokens", cache_read_tokens),
        "cache_write_tokens": _check_tokens("cache_write_tokens", cache_write_tokens),
    }
    model_id, pricing, release = _model_parts(model)
    at_date = _as_date(at, "date")
    release_date = _as_date(release, f"{model_id} release_date")
    prices, prices_since, current = _price_set_at(model_id, pricing, at_date, release_date)
    where = "pricing" if current else f"pricing.history (since {prices_since})"

    prompt = counts["input_tokens"] + counts["cache_read_tokens"] + counts["cache_write_tokens"]
    tiers = [_as_dict(t) for t in (pricing.get("tiers") or [])]
    crossed = [t for t in tiers if prompt > t["above_input_tokens"]]
    tier = crossed[-1] if crossed else None
    if tier is not None and not current:
        raise PricingError(
            f"{model_id}: the price history does not record long-context tiers, so a {prompt:,}-token prompt "
            f"(above {tier['above_input_tokens']:,}) cannot be priced on {at_date}"
        )
    if batch:
        batch_prices = _as_dict(prices.get("batch")) if current else {}
        if not batch_prices:
            raise PricingError(f"{model_id} has no batch prices ({where}.batch)")
        if tier is not None:
            raise PricingError(
                f"{model_id}: batch prices have no long-context tiers, so a {prompt:,}-token prompt "
                f"(above {tier['above_input_tokens']:,}) cannot be priced through the batch API"
            )
        prices, where = batch_prices, f"{where}.batch"

    lines = []
    for component, arg, price_field in COMPONENTS:
        tokens = counts[arg]
        if tokens == 0:
            continue
        value = tier.get(price_field) if tier is not None else None
        if value is None:
            value = prices.get(price_field)
        if value is None:
            raise PricingError(
                f"{model_id} has no {component} price ({where}.{price_field}), "
                f"so {tokens:,} {component} tokens cannot be priced"
            )
        price = to_decimal(value)
        lines.append(CostLine(component, tokens, price, price * tokens / _MILLION))
    total = sum((l.cost for l in lines), Decimal(0))
    return CostBreakdown(
        model=model_id,
        lines=tuple(lines),
        total=total,
        batch=batch,
        tier=tier["above_input_tokens"] if tier is not None else None,
        at=at_date,
        prices_since=prices_since,
    )
