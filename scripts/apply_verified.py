"""Write facts read on providers' own pages into the catalog, each marked `verified` with its page.

    python scripts/apply_verified.py FACTS.jsonl [--catalog DIR] [--date YYYY-MM-DD] [--write]

FACTS.jsonl holds one fact per line, as a person (or a helper) wrote it down while reading a page:

    {"provider": "xai", "model": "grok-3", "field": "retirement_date", "value": "2026-05-15",
     "url": "https://docs.x.ai/docs/migration/may-15-retirement"}

An optional `note` (how the page was read, e.g. from a copy) goes into the provenance record.
`field` is one of release_date, knowledge_cutoff, deprecation_date, retirement_date, successor,
open_weights (true or false).
A successor may be written as the page writes it (`grok-4.3`): it is taken as the same provider's
model when that provider has it, else as a full id; it must be in the catalog. Each fact sets the field on that model entry and records
`{method: verified, url, date}` for it under the entry's `provenance.fields`; the files are written
round-trip (comments and layout kept), and only with `--write`.

A fact is left out, with the reason printed, when its model or successor is not in the catalog,
its value has the wrong form, the entry has no `provenance` (the record would then claim every
figure), or the field already holds a different verified value (two pages disagree: a person
decides). Without `--write` it prints what it would change.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kabot_models.sync.merge import ENTRY_ORDER, insert_ordered, set_provenance  # noqa: E402
from kabot_models.sync.runner import make_node  # noqa: E402
from kabot_models.yamlwrite import dump_rt, load_rt, write_atomically  # noqa: E402

FIELDS = ("release_date", "knowledge_cutoff", "deprecation_date", "retirement_date", "successor", "open_weights")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTH_OR_DAY = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
PROVIDER_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def typed_value(field: str, value: object) -> object:
    """The value as the catalog writes it, or raise ValueError saying why it has the wrong form."""
    if field == "open_weights":
        if not isinstance(value, bool):
            raise ValueError(f"open_weights must be true or false, not {value!r}")
        return value
    if not isinstance(value, str):
        raise ValueError(f"{field} must be text, not {type(value).__name__}")
    if field in ("deprecation_date", "retirement_date"):
        if not DAY.match(value):
            raise ValueError(f"{field} must be YYYY-MM-DD, not {value!r}")
        return dt.date.fromisoformat(value)
    if field == "release_date":
        if not MONTH_OR_DAY.match(value):
            raise ValueError(f"release_date must be YYYY-MM-DD or YYYY-MM, not {value!r}")
        return dt.date.fromisoformat(value) if len(value) == 10 else value
    if field == "knowledge_cutoff":
        if not MONTH_OR_DAY.match(value):
            raise ValueError(f"knowledge_cutoff must be YYYY-MM or YYYY-MM-DD, not {value!r}")
        return value
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("facts", type=Path)
    parser.add_argument("--catalog", type=Path, default=REPO / "catalog")
    parser.add_argument("--date", default=dt.date.today().isoformat(), help="the day the pages were read")
    parser.add_argument("--write", action="store_true", help="write the provider files (default: only report)")
    args = parser.parse_args()
    read_on = dt.date.fromisoformat(args.date)

    docs: dict[str, object] = {}
    changed: set[str] = set()
    applied = skipped = 0
    for number, line in enumerate(args.facts.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{args.facts}:{number}"
        try:
            fact = json.loads(line)
            pid, model, field, url = fact["provider"], fact["model"], fact["field"], fact["url"]
            if not isinstance(pid, str) or not PROVIDER_ID.match(pid) or not isinstance(model, str):
                raise ValueError(f"provider {pid!r} is not a provider id")
            if field not in FIELDS:
                raise ValueError(f"field {field!r} is not one of {', '.join(FIELDS)}")
            if not isinstance(url, str) or not url.startswith(("https://", "http://")):
                raise ValueError("url must be the page's http(s) address")
            value = typed_value(field, fact["value"])
        except (ValueError, KeyError, TypeError) as exc:
            print(f"{where}: left out: {exc}")
            skipped += 1
            continue
        path = args.catalog / "providers" / f"{pid}.yaml"
        if pid not in docs:
            docs[pid] = load_rt(path) if path.is_file() else None
        doc = docs[pid]
        models = doc.get("models") if doc is not None else None
        entry = models.get(model) if models is not None else None
        if entry is None:
            print(f"{where}: left out: {pid}/{model} is not in the catalog")
            skipped += 1
            continue
        if entry.get("provenance") is None:
            # Without a block the verified record would become the default of every figure it has.
            print(f"{where}: left out: {pid}/{model} states no provenance for its other figures")
            skipped += 1
            continue
        if field == "successor":
            # The page writes its own provider's id (`google/gemma-3-27b-it` at Novita is Novita's):
            # that is tried first, then the value as another provider's full id.
            target = next((t for t in (f"{pid}/{value}", str(value)) if _catalogued(args.catalog, docs, t)), None)
            if target is None:
                print(f"{where}: left out: successor {value} is not in the catalog")
                skipped += 1
                continue
            if target == f"{pid}/{model}":
                print(f"{where}: left out: {pid}/{model} cannot succeed itself")
                skipped += 1
                continue
            value = target
        fields = (entry.get("provenance") or {}).get("fields") or {}
        current = entry.get(field)
        if current is not None and str(current) != str(value) and (fields.get(field) or {}).get("method") == "verified":
            print(f"{where}: left out: {pid}/{model} {field} is verified as {current} elsewhere; this page says {value}")
            skipped += 1
            continue
        if str(current) == str(value) and (fields.get(field) or {}).get("method") == "verified":
            continue
        was = f" (was {current})" if current is not None and str(current) != str(value) else ""
        print(f"{pid}/{model}: {field} = {value}{was}  [{url}]")
        insert_ordered(entry, field, make_node(value), ENTRY_ORDER)
        record = {"method": "verified", "url": url, "date": read_on}
        if isinstance(fact.get("note"), str) and fact["note"].strip():
            record["note"] = fact["note"].strip()
        set_provenance(entry, field, record, make_node)
        changed.add(pid)
        applied += 1
    if args.write:
        for pid in sorted(changed):
            write_atomically(args.catalog / "providers" / f"{pid}.yaml", dump_rt(docs[pid]))
    verb = "wrote" if args.write else "would write"
    print(f"{applied} fact(s) applied, {skipped} left out; {verb} {len(changed)} provider file(s)")
    return 0


def _catalogued(catalog: Path, docs: dict[str, object], full_id: str) -> bool:
    """Whether `full_id` (`provider/api id`) is a model entry of the catalog (files read as needed)."""
    if "/" not in full_id:
        return False
    pid, api_id = full_id.split("/", 1)
    if pid not in docs:
        path = catalog / "providers" / f"{pid}.yaml"
        docs[pid] = load_rt(path) if path.is_file() and path.parent == catalog / "providers" else None
    doc = docs[pid]
    return doc is not None and api_id in (doc.get("models") or {})


if __name__ == "__main__":
    sys.exit(main())
