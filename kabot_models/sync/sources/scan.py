"""The user's scan database (what `kabot-models scan` stored) as catalog offers.

The scanner already normalised each provider's list-models answer into catalog fields, so this
translator only unpacks the latest successful results: one offer per model, keyed by the catalog's
own provider id. Their provenance is `scan` (the provider's API, the day of the scan).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import Dataset, Offer

FIELDS = ("name", "description", "mode", "context_window", "max_output", "pricing", "capabilities", "knowledge_cutoff",
          "input_modalities", "output_modalities", "release_date", "status", "deprecation_date", "retirement_date",
          "open_weights")


def read(path: Path | None, *, live: bool, today: dt.date) -> Dataset:
    """The latest scan results in the database at `path` (default: the user's `models.db`)."""
    from ...paths import db_path
    from ...store import read_latest

    if live:
        raise ValueError("scan reads the scan database; run `kabot-models scan` for a live scan")
    db = path or db_path()
    if not Path(db).is_file():
        raise ValueError(f"{db}: no scan database; run `kabot-models scan` first")
    latest = read_latest(db)
    offers = []
    for row in latest.models:
        fields = {k: row["fields"][k] for k in FIELDS if row["fields"].get(k) is not None}
        for day in ("release_date", "deprecation_date", "retirement_date"):
            if isinstance(fields.get(day), str):
                try:
                    fields[day] = dt.date.fromisoformat(fields[day])
                except ValueError:
                    del fields[day]
        try:
            seen = dt.date.fromisoformat(str(row["last_seen"])[:10])
        except ValueError:
            seen = today
        offers.append(Offer(row["provider"], row["api_id"], fields, seen=seen))
    return Dataset("scan", "", offers, review="scan")
