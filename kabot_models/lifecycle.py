"""A model's status as of a day, from the status the catalog states and its lifecycle dates.

`deprecation_date` is the day the provider announced the model's end (or marked it deprecated),
`retirement_date` the day it retires (shuts down) the model, as the provider states it. The status
a user sees follows from them on the day asked, so a model is retired the day after its
retirement date with no edit to the catalog:

- after `retirement_date`: `retired`;
- on or after `deprecation_date`, or with a retirement date announced: at least `deprecated`;
- otherwise the stated status (`active` when unset).

A stated status is never softened by a date: an entry that says `retired` stays retired.
Plain data in, plain data out.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

_RANK = {"active": 0, "preview": 0, "deprecated": 1, "retired": 2}


def _day(value: Any) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def status_on(stated: str | None, deprecation_date: Any, retirement_date: Any, today: _dt.date) -> str:
    """The status on `today` of a model the catalog states `stated` (None: active) with these dates."""
    status = stated or "active"
    retires, deprecates = _day(retirement_date), _day(deprecation_date)
    if retires is not None and today > retires:
        dated = "retired"
    elif retires is not None or (deprecates is not None and today >= deprecates):
        dated = "deprecated"
    else:
        return status
    return dated if _RANK[dated] > _RANK.get(status, 0) else status


def today() -> _dt.date:
    """The day statuses are computed for: the local date (one place, so a test can move it)."""
    return _dt.date.today()


def current_status(record: Mapping[str, Any], on: _dt.date | None = None) -> str:
    """`status_on` for a record, today unless `on` is given."""
    return status_on(record.get("status"), record.get("deprecation_date"), record.get("retirement_date"),
                     on or today())


def is_dated(record: Mapping[str, Any]) -> bool:
    """Whether the record has a lifecycle date, so its status can change with the day."""
    return bool(record.get("deprecation_date") or record.get("retirement_date"))


def lifecycle_dates(record: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(deprecation date, retirement date) of a record, as YYYY-MM-DD text (None where unset)."""
    return tuple(str(d) if (d := _day(record.get(k))) is not None else None  # type: ignore[return-value]
                 for k in ("deprecation_date", "retirement_date"))


def release_day(value: Any) -> str:
    """A release date as the ISO day it sorts and compares as: a month alone (`2026-01`, known
    only to the month) is that month's first day."""
    text = str(value)[:10]
    return text + "-01" if len(text) == 7 else text
