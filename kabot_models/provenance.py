"""Where each figure of a model came from: the per-field view of an entry's `provenance` block.

A model entry's `provenance` is a default record plus per-field exceptions (`fields`); a figure an
entry inherits from its `base` has the base's provenance for that figure. This module turns that
compact form into one record per figure that has a value, which `show` prints and `stats` counts.
Plain data in, plain data out: no YAML, no pydantic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

#: The figures of a model entry that carry provenance, as field paths. Curation (aliases, base,
#: is_premium, litellm_id, acknowledged) is the catalog's own choice, not a figure from a source.
#: The price fields in the order a pricing mapping holds them (schema.ModelPricing). A period's
#: `source` is not among them: it is itself a record of where prices came from, not a figure.
PRICE_FIELDS = ("input_1m", "output_1m", "cache_read_1m", "cache_write_1m", "cache_write_1h_1m", "reasoning_1m",
                "input_audio_1m", "output_audio_1m", "per_request", "web_search_1k", "per_image", "free", "since",
                "until", "tiers", "batch", "service_tiers", "regions", "windows", "history", "scheduled")
FACT_FIELDS: tuple[str, ...] = (
    "name", "description", "mode", "context_window", "max_input", "max_output",
    *(f"pricing.{p}" for p in PRICE_FIELDS),
    "capabilities", "input_modalities", "output_modalities", "release_date", "knowledge_cutoff",
    "open_weights", "status", "deprecation_date", "retirement_date", "successor",
)


def field_value(entry: Mapping[str, Any], path: str) -> Any:
    """The value at a field path (`pricing.input_1m`) of an entry, or None."""
    value: Any = entry
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def present_fields(entry: Mapping[str, Any]) -> Iterator[str]:
    """The fact fields the entry itself sets (empty lists and mappings count as unset)."""
    for path in FACT_FIELDS:
        value = field_value(entry, path)
        if value is not None and value != [] and value != {}:
            yield path


def record_for(block: Mapping[str, Any] | None, path: str) -> dict[str, Any] | None:
    """The provenance record of one field under a `provenance` block: its exception, else the default."""
    if not block:
        return None
    exception = (block.get("fields") or {}).get(path)
    if exception is not None:
        return _plain(exception)
    return _plain({k: v for k, v in block.items() if k != "fields"})


def _plain(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in record.items() if v is not None}


def expand(record: Mapping[str, Any], lookup: Callable[[str], Mapping[str, Any] | None]) -> dict[str, dict[str, Any]]:
    """Field path -> provenance record for every figure the compiled `record` has a value for.

    A figure inherited from `base:<id>` (see the record's `field_sources`) takes that model's
    provenance, named with `via`; a default the compiler filled in (`mode: chat`) is not a figure and
    has none; a figure with no provenance anywhere maps to `{"method": "unknown"}`. Notes stay on
    the entry's own `provenance` block. `lookup(full_id)` returns another compiled record.
    """
    out: dict[str, dict[str, Any]] = {}
    for path in present_fields(record):
        top = path.split(".", 1)[0]
        owner: Mapping[str, Any] | None = record
        origin = (record.get("field_sources") or {}).get(top)
        seen: set[str] = set()
        via = None
        while origin is not None and origin.startswith("base:") and origin not in seen:
            seen.add(origin)
            via = origin[5:]
            owner = lookup(via)
            origin = ((owner or {}).get("field_sources") or {}).get(top) if owner is not None else None
        if origin is None:
            continue  # a default, not a figure
        found = record_for((owner or {}).get("provenance"), path)
        if found is None:
            found = {"method": "scan"} if origin == "scan" else {"method": "unknown"}
        found.pop("note", None)
        if via:
            found["via"] = via
        out[path] = found
    return out


def provenance_of(expanded: Mapping[str, dict[str, Any]], path: str) -> dict[str, Any] | None:
    """The record `expand` gave a flattened field path: provenance is kept per field
    (`pricing.input_1m`), not per list item (`pricing.history[0].since` -> `pricing.history`)."""
    parts = re.sub(r"\[\d+\]", "", path).split(".")
    return expanded.get(".".join(parts[:2])) or expanded.get(parts[0])


def field_source(origin: str, record: Mapping[str, Any] | None) -> str:
    """Where a field came from, as `show` and the site print it: its origin (`catalog`, `scan`,
    `base:<id>`) and its provenance phrase, once when they say the same (`scan`)."""
    return "; ".join(dict.fromkeys(n for n in (origin, describe_provenance(record) if record else "") if n))


def describe_provenance(record: Mapping[str, Any]) -> str:
    """One provenance record as a short phrase: `import litellm 1.110.2 2026-11-26`, `verified <url> 2026-12-01`."""
    method = record.get("method", "unknown")
    parts = [method]
    if method == "import":
        parts += [record.get("source", "?"), record.get("version", "?")]
    elif method == "verified":
        parts.append(record.get("url", "?"))
    elif method == "scan" and record.get("api"):
        parts.append(record["api"])
    if record.get("date"):
        parts.append(str(record["date"]))
    if record.get("via"):
        parts.append(f"via {record['via']}")
    return " ".join(str(p) for p in parts)
