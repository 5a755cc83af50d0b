"""pydantic's genai-prices (the installed package's bundled data) as catalog offers.

Each price class's `TieredPrices` -> `pricing.tiers` (genai-prices' tier fires on `tokens > start`,
as the catalog's does). Of a model's conditional prices, the latest dated one in force on the sync
date is the current price (`since` = its start), earlier dated ones are `history`; what the format
cannot hold (an undated price before the first dated one, future prices, time-of-day prices) is
named in the offer's notes. An OpenRouter `:free` id with no price is `free: true`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ...audit import dataset_version, genai_number, load_genai_providers
from ..names import display_name, tidy_name
from . import Dataset, Offer, ProviderOffer

PRICE_FIELDS = (("input_mtok", "input_1m"), ("output_mtok", "output_1m"), ("cache_read_mtok", "cache_read_1m"),
                ("cache_write_mtok", "cache_write_1m"))


def read(path: Path | None, *, live: bool, today: dt.date) -> Dataset:
    """The installed genai-prices' providers and models."""
    if path is not None or live:
        raise ValueError("genai-prices is read from the installed package; it takes no file and no --live")
    offers: list[Offer] = []
    providers: dict[str, ProviderOffer] = {}
    for gp in load_genai_providers():
        providers[gp.id] = ProviderOffer(gp.id, gp.name,
                                         docs_url=(gp.pricing_urls or [None])[0])
        url = (gp.pricing_urls or [None])[0]
        for model in gp.models:
            offers.append(offer_from(gp.id, model, url, today))
    return Dataset("genai-prices", dataset_version("genai-prices"), offers, providers)


def offer_from(provider: str, model: Any, url: str | None, today: dt.date) -> Offer:
    """One genai-prices model as an offer."""
    fields: dict[str, Any] = {"name": _name(model.name, model.id)}
    if model.context_window:
        fields["context_window"] = model.context_window
    pricing, since, history, notes = _pricing(model, today)
    if model.id.endswith(":free") and pricing is None:
        pricing = {"input_1m": 0, "output_1m": 0, "free": True}
    if pricing:
        if since:
            pricing["since"] = since
        if history:
            pricing["history"] = history
        fields["pricing"] = pricing
    if model.deprecated:
        fields["status"] = "deprecated"
    if model.price_comments:
        notes.insert(0, "genai-prices: " + model.price_comments.split(". ")[0].rstrip("."))
    return Offer(provider, model.id, fields, url=url, notes=notes)


def _name(name: str | None, model_id: str) -> str:
    """genai-prices' name in the catalog's style; rebuilt from the id when it is a lower-case, spaced-out one."""
    name = (name or "").strip()
    if not name or (name == name.lower() and " " in name and "-" not in name.split(" ")[0]):
        return display_name(model_id)
    return tidy_name(name)


def _price_set(mp: Any) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    for src, dst in PRICE_FIELDS:
        value = genai_number(getattr(mp, src, None))
        if value is not None:
            out[dst] = value
    tiers: dict[int, dict[str, Any]] = {}
    for src, dst in PRICE_FIELDS:
        for tier in getattr(getattr(mp, src, None), "tiers", None) or []:
            tiers.setdefault(tier.start, {"above_input_tokens": tier.start})[dst] = genai_number(tier.price)
    if out and tiers:
        out["tiers"] = [tiers[t] for t in sorted(tiers)]
    return out or None


def _describe(prices: dict[str, Any] | None) -> str:
    if not prices:
        return "no prices"
    words = {"input_1m": "input", "output_1m": "output", "cache_read_1m": "cache read", "cache_write_1m": "cache write"}
    text = ", ".join(f"{w} {prices[k]}" for k, w in words.items() if k in prices)
    for tier in prices.get("tiers") or []:
        text += f" (above {tier['above_input_tokens']}: " + ", ".join(f"{w} {tier[k]}" for k, w in words.items() if k in tier) + ")"
    return text


def _pricing(model: Any, today: dt.date) -> tuple[dict[str, Any] | None, dt.date | None, list[dict[str, Any]], list[str]]:
    """(current prices, their start date, earlier dated prices, notes): genai-prices tries a model's
    conditional prices last to first; a dated price applies from its start date."""
    from genai_prices.types import ModelPrice, StartDateConstraint, TimeOfDateConstraint

    if isinstance(model.prices, ModelPrice):
        return _price_set(model.prices), None, [], []
    notes: list[str] = []
    dated = sorted(((c.constraint.start_date, c.prices) for c in model.prices
                    if isinstance(c.constraint, StartDateConstraint) and c.constraint.start_date <= today), key=lambda x: x[0])
    future = sorted(((c.constraint.start_date, c.prices) for c in model.prices
                     if isinstance(c.constraint, StartDateConstraint) and c.constraint.start_date > today), key=lambda x: x[0])
    undated = [c.prices for c in model.prices if c.constraint is None]
    for c in model.prices:
        if isinstance(c.constraint, TimeOfDateConstraint):
            notes.append(f"genai-prices has a time-of-day price {_describe(_price_set(c.prices))} from "
                         f"{c.constraint.start_time:%H:%M} to {c.constraint.end_time:%H:%M} UTC, which the format cannot hold")
    for day, mp in future:
        notes.append(f"genai-prices schedules {_describe(_price_set(mp))} from {day}; the format records no future price")
    if not dated:
        return (_price_set(undated[0]) if undated else None), None, [], notes
    since, current = dated[-1]
    history = []
    for day, mp in dated[:-1]:
        prices = _price_set(mp) or {}
        if prices.pop("tiers", None):
            notes.append(f"the price from {day} had long-context tiers, which a history entry cannot hold")
        if prices:
            history.append({"since": day, **prices})
    if undated and _price_set(undated[0]):
        notes.append(f"before {dated[0][0]} genai-prices records {_describe(_price_set(undated[0]))} with no start date, "
                     "so it is not a history entry (a history entry needs its first day)")
    return _price_set(current), since, history, notes
