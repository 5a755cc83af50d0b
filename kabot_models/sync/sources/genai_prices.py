"""pydantic's genai-prices (the installed package's bundled data) as catalog offers.

The pricing fields come from `pricing_import.genai_pricing`, the one mapping of a genai-prices model
to the catalog's price periods (current prices and `since`, `history`, `scheduled`, time-of-day
`windows`, `batch`, `service_tiers`, long-context `tiers`, each period with its import `source`);
what it cannot hold is named in the offer's notes. An OpenRouter `:free` id with no price is `free: true`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ...audit import dataset_version, load_genai_providers
from ...pricing_import import genai_pricing
from ..names import display_name, tidy_name
from . import Dataset, Offer, ProviderOffer

def read(path: Path | None, *, live: bool, today: dt.date) -> Dataset:
    """The installed genai-prices' providers and models."""
    if path is not None or live:
        raise ValueError("genai-prices is read from the installed package; it takes no file and no --live")
    version = dataset_version("genai-prices")
    offers: list[Offer] = []
    providers: dict[str, ProviderOffer] = {}
    for gp in load_genai_providers():
        providers[gp.id] = ProviderOffer(gp.id, gp.name,
                                         docs_url=(gp.pricing_urls or [None])[0])
        url = (gp.pricing_urls or [None])[0]
        for model in gp.models:
            offers.append(offer_from(gp.id, model, url, version, today))
    return Dataset("genai-prices", version, offers, providers)


def offer_from(provider: str, model: Any, url: str | None, version: str, today: dt.date) -> Offer:
    """One genai-prices model as an offer."""
    fields: dict[str, Any] = {"name": _name(model.name, model.id)}
    if model.context_window:
        fields["context_window"] = model.context_window
    priced = genai_pricing(model, version, today)
    pricing = priced["pricing"] or None
    notes = [f"left out, the format cannot hold it: genai-prices {item}" for item in priced["skipped"]]
    if model.id.endswith(":free") and pricing is None:
        pricing = {"input_1m": 0, "output_1m": 0, "free": True}
    if pricing:
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
