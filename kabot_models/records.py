"""Model records read back from files (the scan database, a snapshot) are checked before use.

Those files are untrusted input: a record whose `context_window` is `"huge"` or whose price is
`"abc"` would break listing, sorting and pricing far from where it was read. `record_problem` says
what is wrong with a record (or a scan's fields) in one phrase, by the types the catalog's schema
(`schema.ModelEntry`) gives each field, without importing pydantic: it runs on the load path.
A test holds these tables to the schema's fields.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

INT_FIELDS = frozenset({"context_window", "max_output"})
TEXT_FIELDS = frozenset({"id", "provider", "name", "description", "base", "mode", "status", "successor", "litellm_id",
                         "knowledge_cutoff", "release_date", "deprecation_date", "retirement_date", "origin"})
FLAG_FIELDS = frozenset({"is_premium", "open_weights", "served"})
TEXT_LIST_FIELDS = frozenset({"capabilities", "input_modalities", "output_modalities", "aliases"})
MAPPING_FIELDS = frozenset({"source", "field_sources", "pricing"})
LIST_FIELDS = frozenset({"acknowledged"})
KNOWN_FIELDS = INT_FIELDS | TEXT_FIELDS | FLAG_FIELDS | TEXT_LIST_FIELDS | MAPPING_FIELDS | LIST_FIELDS
_PRICE_SETS = ("batch",)
_PRICE_LISTS = ("tiers", "history")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value and abs(value) != float("inf")


def _price_problem(prices: Any, where: str) -> str | None:
    if not isinstance(prices, dict):
        return f"{where} is not a mapping"
    for key, value in prices.items():
        if key.endswith("_1m") or key == "above_input_tokens":
            if value is not None and not _is_number(value):
                return f"{where}.{key} is not a number"
        elif key in _PRICE_SETS:
            problem = value is not None and _price_problem(value, f"{where}.{key}")
            if problem:
                return problem
        elif key in _PRICE_LISTS:
            if not isinstance(value, list):
                return f"{where}.{key} is not a list"
            for i, item in enumerate(value):
                problem = _price_problem(item, f"{where}.{key}[{i}]")
                if problem:
                    return problem
        elif key == "free" and not isinstance(value, bool):
            return f"{where}.free is not true or false"
        elif key == "since" and not isinstance(value, str):
            return f"{where}.since is not a date"
    return None


def field_problem(key: str, value: Any) -> str | None:
    """What is wrong with one field's value, or None (a None value, "unknown", is always fine)."""
    if value is None:
        return None
    if key in INT_FIELDS:
        return None if _is_int(value) else f"{key} is not a whole number"
    if key in TEXT_FIELDS:
        return None if isinstance(value, str) else f"{key} is not text"
    if key in FLAG_FIELDS:
        return None if isinstance(value, bool) else f"{key} is not true or false"
    if key in TEXT_LIST_FIELDS:
        return None if isinstance(value, list) and all(isinstance(v, str) for v in value) else f"{key} is not a list of text"
    if key == "pricing":
        return _price_problem(value, "pricing")
    if key in MAPPING_FIELDS:
        return None if isinstance(value, dict) else f"{key} is not a mapping"
    if key in LIST_FIELDS:
        return None if isinstance(value, list) else f"{key} is not a list"
    return None  # a field this code does not know is kept as it is and never read


def record_problem(record: Mapping[str, Any]) -> str | None:
    """The first thing wrong with a model record (or a scan's fields), or None when every known field has its type."""
    for key, value in record.items():
        problem = field_problem(key, value)
        if problem:
            return problem
    return None
