"""Translators: each reads one dataset and yields its entries in the catalog's shape (`Offer`).

A translator knows one dataset's file layout and field names and nothing else: which catalog
provider an entry belongs to, what the catalog already holds, and how the two are merged are the
runner's business (`kabot_models.sync.runner`).
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field
from typing import Any

#: Source name on the command line -> the module that translates it.
SOURCES = {"litellm": "litellm", "genai-prices": "genai_prices", "models-dev": "models_dev",
           "openrouter": "openrouter", "scan": "scan"}


@dataclass
class Offer:
    """One model as a dataset lists it, already in the catalog's field names and units."""

    provider: str
    """The dataset's provider id (matched against a provider block's `datasets.<source>.id`)."""
    key: str
    """The dataset's id for the model (what `key_prefix` is stripped from to give the API id)."""
    fields: dict[str, Any]
    """Catalog fields: name, context_window, max_output, pricing {...}, capabilities, dates, ..."""
    url: str | None = None
    """The page the dataset cites for this model's figures, if any."""
    successor: str | None = None
    """The dataset's key of the model it names as successor."""
    notes: list[str] = field(default_factory=list)
    """What the translator left out and why (recorded in the provenance note of a new entry)."""
    seen: dt.date | None = None
    """The day the dataset observed the entry (a scan's day), when it is not the sync's."""


@dataclass
class ProviderOffer:
    """A provider as a dataset describes it (for providers the catalog does not have yet)."""

    id: str
    name: str
    base_url: str | None = None
    env: list[str] = field(default_factory=list)
    docs_url: str | None = None
    flavor: str | None = None


@dataclass
class Dataset:
    """What a translator read: the dataset's version and its entries."""

    source: str
    version: str
    offers: list[Offer]
    providers: dict[str, ProviderOffer] = field(default_factory=dict)
    review: str | None = None
    """The schema's `review` flag set on each entry this dataset adds (`scan`: proposed from a live list, unreviewed)."""


def translator(source: str) -> Any:
    """The translator module for a source name."""
    return importlib.import_module(f"{__name__}.{SOURCES[source]}")
