"""The merge rules of `kabot-models sync`, applied to one model entry (ruamel round-trip nodes).

For every figure a source offers:
- the entry has no value: the source's value is added, with the source's provenance;
- the values agree: nothing changes (provenance stays what it was, so a second run is a no-op);
- they disagree, and the figure is `verified`, acknowledged for this dataset, or has no provenance
  at all (a hand edit): the catalog's value stays and the disagreement is reported with both values;
- they disagree and the figure was imported from this same source: the source's new value replaces it;
- they disagree and it came from another source: the source that `catalog/sync.yaml` prefers for
  that field wins; a `fill_only` field is never replaced, only filled.
docs/models/sync.md has the rules with examples.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..figures import same_figure
from ..provenance import FACT_FIELDS, PRICE_FIELDS, field_value, record_for

#: The order keys take in a model entry when sync adds one (the order the catalog's files use).
ENTRY_ORDER = ("name", "description", "base", "mode", "context_window", "max_input", "max_output", "pricing",
               "capabilities", "input_modalities", "output_modalities", "release_date", "knowledge_cutoff", "status",
               "deprecation_date", "retirement_date", "successor", "aliases", "is_premium", "open_weights", "litellm_id",
               "provenance", "unlisted", "acknowledged")
#: Fields compared as sets: their order carries no meaning.
SET_FIELDS = frozenset({"capabilities", "input_modalities", "output_modalities"})
#: The fields that together say which prices hold when: a current price's start and end and the
#: periods before and after it. They are merged as one (`EntryMerger.merge_periods`): replacing one
#: and keeping another would make periods that overlap.
PERIOD_FIELDS = ("pricing.since", "pricing.until", "pricing.history", "pricing.scheduled")
#: The parts of a provenance record that say where a value came from (url and note only describe it).
IDENTITY = ("method", "source", "version", "date", "key", "api")


@dataclass(frozen=True)
class Change:
    """One thing a sync would do (or did), or a disagreement it left alone."""

    provider: str
    model: str
    field: str
    action: str
    """added (a new model), set (a field that had no value), updated, unlisted, relisted;
    or kept: the catalog's value stays (see `reason`)."""
    old: Any = None
    new: Any = None
    reason: str = ""

    @property
    def drift(self) -> bool:
        """True when the change edits the catalog (False for a disagreement that is only reported)."""
        return self.action != "kept"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"provider": self.provider, "model": self.model, "field": self.field, "action": self.action,
                "catalog": plain(self.old), "source": plain(self.new), "reason": self.reason}


@dataclass(frozen=True)
class Preferences:
    """`catalog/sync.yaml`: which source wins which field, and which fields a source only fills."""

    default: tuple[str, ...]
    fields: Mapping[str, tuple[str, ...]]
    fill_only: frozenset[str]

    def rank(self, path: str, source: str) -> int:
        """Lower is preferred; a source not listed ranks last."""
        order = self.fields.get(path) or self.fields.get(path.split(".", 1)[0]) or self.default
        return order.index(source) if source in order else len(order)


def plain(value: Any) -> Any:
    """A value (ruamel nodes, dates) as plain JSON-ready data, for comparing and printing."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _without_sources(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_sources(v) for k, v in value.items() if k != "source"}
    if isinstance(value, list):
        return [_without_sources(v) for v in value]
    return value


def same(path: str, a: Any, b: Any) -> bool:
    """Whether two values of a field mean the same (numbers by value, capability lists as sets).

    The `source` records inside price periods and service tiers say where prices came from, not what
    they are: prices that agree are the same even when the sync's record is dated today (rule 2).
    A figure written rounder states the same fact (`figures.same_figure`): 200,000 does not replace
    204,800."""
    a, b = plain(a), plain(b)
    if path.startswith("pricing."):
        a, b = _without_sources(a), _without_sources(b)
    if path in SET_FIELDS and isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    return same_figure(path, a, b)


def offered_fields(fields: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(field path, value) pairs of an offer, pricing split into its fields as provenance tracks them."""
    out = []
    for path in FACT_FIELDS:
        value = field_value(fields, path)
        if value is not None and value != [] and value != {}:
            out.append((path, value))
    return out


class EntryMerger:
    """Applies the rules to one existing entry, recording every change and disagreement."""

    def __init__(self, provider: str, api_id: str, entry: Any, record: dict[str, Any], prefs: Preferences,
                 dataset: str, make_node: Any, inherited: Any = None) -> None:
        self.provider, self.api_id, self.entry = provider, api_id, entry
        self.inherited = inherited or (lambda path: None)
        self.record = record
        self.prefs, self.dataset = prefs, dataset
        self.node = make_node
        self.changes: list[Change] = []

    def acknowledged(self, path: str) -> bool:
        """An `acknowledged:` entry of this dataset settles the difference for this field."""
        return any(a.get("dataset") == self.dataset and a.get("field") == path for a in self.entry.get("acknowledged") or [])

    def merge(self, path: str, value: Any) -> None:
        """One offered figure."""
        current = field_value(self.entry, path)
        if current is None and self.acknowledged(path):
            self.changes.append(Change(self.provider, self.api_id, path, "kept", None, value,
                                       f"acknowledged difference with {self.dataset}: left out"))
            return
        if current is None:
            inherited = self.inherited(path)
            if inherited is not None and (same(path, inherited, value) or path.split(".", 1)[0] in self.prefs.fill_only):
                return  # the entry's base already says it
            self.set(path, value)
            self.changes.append(Change(self.provider, self.api_id, path, "set", None, value))
            return
        if same(path, current, value):
            return
        prov = record_for(self.entry.get("provenance"), path)
        reason = self.keep_reason(path, prov)
        if reason:
            self.changes.append(Change(self.provider, self.api_id, path, "kept", current, value, reason))
            return
        self.set(path, value)
        self.changes.append(Change(self.provider, self.api_id, path, "updated", current, value))

    def merge_periods(self, offered: Mapping[str, Any]) -> None:
        """The `PERIOD_FIELDS` a source offers, as one: all of them take the source's values, or none does."""
        current = {path: field_value(self.entry, path) for path in PERIOD_FIELDS}
        differ = [p for p in PERIOD_FIELDS if not same(p, current[p], offered.get(p))]
        if not differ:
            return
        if all(v is None for v in current.values()) and all(same(p, self.inherited(p), offered.get(p)) for p in PERIOD_FIELDS):
            return  # the entry's base already says it
        reasons = {}
        for path in differ:
            if current[path] is None:
                continue
            if offered.get(path) is None:
                reasons[path] = f"{self.dataset} has no {path}: the catalog's price periods stay"
            else:
                reasons[path] = self.keep_reason(path, record_for(self.entry.get("provenance"), path))
        kept = {p: r for p, r in reasons.items() if r}
        if kept:
            why = "; ".join(f"{p}: {r}" for p, r in kept.items())
            for path in differ:
                self.changes.append(Change(self.provider, self.api_id, path, "kept", current[path], offered.get(path),
                                           kept.get(path) or f"price periods are merged as one ({why})"))
            return
        for path in differ:
            self.set(path, offered[path])
            self.changes.append(Change(self.provider, self.api_id, path, "set" if current[path] is None else "updated",
                                       current[path], offered[path]))

    def keep_reason(self, path: str, prov: dict[str, Any] | None) -> str:
        """Why the catalog's differing value stays, or '' when the source's replaces it."""
        if prov is None:
            return "no provenance: a hand edit"
        if prov.get("method") == "verified":
            return f"verified on {prov.get('url')} ({prov.get('date')})"
        if self.acknowledged(path):
            return f"acknowledged difference with {self.dataset}"
        if path.split(".", 1)[0] in self.prefs.fill_only or path in self.prefs.fill_only:
            return "fill-only field (catalog/sync.yaml)"
        current_source = prov.get("source") if prov.get("method") == "import" else "scan"
        if current_source == self.dataset:
            return ""
        if self.prefs.rank(path, self.dataset) < self.prefs.rank(path, str(current_source)):
            return ""
        return f"{current_source} is preferred for {path} (catalog/sync.yaml)"

    def set(self, path: str, value: Any) -> None:
        """Write a value and its provenance."""
        if path.startswith("pricing."):
            leaf = path.split(".", 1)[1]
            pricing = self.entry.get("pricing")
            if pricing is None:
                pricing = self.node({}, flow=True)
                insert_ordered(self.entry, "pricing", pricing, ENTRY_ORDER)
            insert_ordered(pricing, leaf, self.node(value, flow=True), PRICE_FIELDS)
        else:
            insert_ordered(self.entry, path, self.node(value, flow=True), ENTRY_ORDER)
        set_provenance(self.entry, path, self.record, self.node)


def insert_ordered(mapping: Any, key: str, value: Any, order: tuple[str, ...]) -> None:
    """Set `mapping[key]`, placing a new key where `order` puts it among the keys already there."""
    if key in mapping or not hasattr(mapping, "insert"):
        mapping[key] = value  # a plain dict (the planner's copy): order does not matter there
        return
    rank = order.index(key) if key in order else len(order)
    position = len(mapping)
    for i, existing in enumerate(mapping):
        if (order.index(existing) if existing in order else len(order)) > rank:
            position = i
            break
    mapping.insert(position, key, value)


def _identity(record: Mapping[str, Any] | None) -> dict[str, Any]:
    return {k: plain(record.get(k)) for k in IDENTITY if record and record.get(k) is not None}


def set_provenance(entry: Any, path: str, record: dict[str, Any], make_node: Any) -> None:
    """Record that `path` now holds `record`'s value: an exception under `fields`, unless it is the entry's default."""
    block = entry.get("provenance")
    if block is None:
        insert_ordered(entry, "provenance", make_node(record, flow=True), ENTRY_ORDER)
        return
    default = {k: v for k, v in block.items() if k != "fields"}
    fields = block.get("fields")
    if _identity(default) == _identity(record):
        if fields is not None and path in fields:
            del fields[path]
            if not fields:
                del block["fields"]
        return
    if fields is None:
        if hasattr(block, "fa"):
            block.fa.set_block_style()
        fields = make_node({}, flow=False)
        block["fields"] = fields
    fields[path] = make_node(record, flow=True)
