"""Terms the pricing schema and the cost code share: service-tier names and time-of-day windows.

The schema checks that a period's windows do not overlap and the cost code finds the window a
moment falls in; both use these functions, so each rule is written once. Plain Python, no
pydantic: the cost path imports it.
"""

from __future__ import annotations

import datetime as _dt

STANDARD_TIERS = ("standard", "default", "auto")
"""Service-tier names that mean the base prices (what OpenAI, Anthropic and Gemini report for them)."""
TIER_NAME_PATTERN = r"^(?!.*\n)[a-z][a-z0-9_-]*$"
"""A service tier or region name: lowercase, e.g. `flex`, `priority`, `us`, `eu`."""

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Weekday names as the catalog writes them, Monday first (Python's `weekday()` order)."""
_DAY = 1440
_WEEK = 7 * _DAY


def _clock(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def window_minutes(start: str, end: str, days: list[str] | None) -> list[tuple[int, int]]:
    """Half-open minute ranges of a week (Monday 00:00 is 0) that a window covers.

    `start`/`end` are `HH:MM` (`end` may be `24:00`); an end before the start runs past midnight
    into the next day, and `days` name the weekday each stretch starts on (None: every day).
    """
    begin_of_day, length = _clock(start), (_clock(end) - _clock(start)) % _DAY or _DAY
    out = []
    for day in days or WEEKDAYS:
        begin = WEEKDAYS.index(day) * _DAY + begin_of_day
        stop = begin + length
        out.append((begin, min(stop, _WEEK)))
        if stop > _WEEK:  # Sunday evening into Monday morning
            out.append((0, stop - _WEEK))
    return out


def minute_of_week(moment: _dt.datetime) -> int:
    """The minute of the week of a local (already time-zone converted) moment."""
    return moment.weekday() * _DAY + moment.hour * 60 + moment.minute


def covers(start: str, end: str, days: list[str] | None, moment: _dt.datetime) -> bool:
    """Whether the window covers `moment`, a datetime already in the window's time zone."""
    minute = minute_of_week(moment)
    return any(lo <= minute < hi for lo, hi in window_minutes(start, end, days))
