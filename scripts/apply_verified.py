"""Write facts read on providers' own pages into the catalog, each marked `verified` with its page.

    python scripts/apply_verified.py FACTS.jsonl [--catalog DIR] [--date YYYY-MM-DD] [--write]

FACTS.jsonl holds one fact per line, as a person (or a helper) wrote it down while reading a page:

    {"provider": "xai", "model": "grok-3", "field": "retirement_date", "value": "2026-05-15",
     "url": "https://docs.x.ai/docs/migration/may-15-retirement"}

An optional `note` (how the page was read, e.g. from a copy) goes into the provenance record.
`field` is one of release_date, knowledge_cutoff, deprecation_date, retirement_date, successor,
open_weights (true or false).
A successor may be written as the page writes it (`grok-4.3`): it is taken as the same provider's
model when that provider has it, else as a full id; it must be in the catalog. Each fact sets the
field on that model entry and records `{method: verified, url, date}` for it under the entry's
`provenance.fields`; the files are written round-trip (comments and layout kept), and only with
`--write`. The catalog is validated before any fact is read and again after writing; when the
written files do not validate, they are put back as they were and the first issue is printed.

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

from kabot_models.catalog import validate_catalog  # noqa: E402
from kabot_models.files import MAX_FILE_BYTES, read_regular  # noqa: E402
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


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("facts", type=Path)
    parser.add_argument("--catalog", type=Path, default=REPO / "catalog")
    parser.add_argument("--date", type=_day, default=dt.date.today(), help="the day the pages were read")
    parser.add_argument("--write", action="store_true", help="write the provider files (default: only report)")
    args = parser.parse_args()
    read_on = args.date
    try:
        lines = read_regular(args.facts, MAX_FILE_BYTES).decode("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {args.facts}: {exc}", file=sys.stderr)
        return 2
    _, issues = validate_catalog(args.catalog)
    if issues:
        print(f"error: the catalog does not validate before any fact is applied: {issues[0]}", file=sys.stderr)
        return 1

    docs: dict[str, object] = {}
    changed: set[str] = set()
    applied = skipped = 0
    for number, line in enumerate(lines, 1):
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
        doc = _doc(args.catalog, docs, pid)
        entry = (doc.get("models") or {}).get(model) if doc is not None else None
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
        verified = ((entry["provenance"].get("fields") or {}).get(field) or {}).get("method") == "verified"
        current = entry.get(field)
        if verified and str(current) == str(value):
            continue
        if verified and current is not None:
            print(f"{where}: left out: {pid}/{model} {field} is verified as {current} elsewhere; this page says {value}")
            skipped += 1
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
    if args.write and changed:
        return _write(args.catalog, {pid: docs[pid] for pid in sorted(changed)}, applied, skipped)
    verb = "wrote" if args.write else "would write"
    print(f"{applied} fact(s) applied, {skipped} left out; {verb} {len(changed)} provider file(s)")
    return 0


def _write(catalog: Path, docs: dict[str, object], applied: int, skipped: int) -> int:
    """Write the changed files; put every one back when the catalog then does not validate."""
    originals = {pid: _path(catalog, pid).read_bytes() for pid in docs}
    for pid, doc in docs.items():
        write_atomically(_path(catalog, pid), dump_rt(doc))
    _, issues = validate_catalog(catalog)
    if issues:
        for pid, data in originals.items():
            write_atomically(_path(catalog, pid), data.decode("utf-8"))
        print(f"error: with these facts the catalog does not validate, nothing written: {issues[0]}", file=sys.stderr)
        return 1
    print(f"{applied} fact(s) applied, {skipped} left out; wrote {len(docs)} provider file(s)")
    return 0


def _path(catalog: Path, pid: str) -> Path:
    return catalog / "providers" / f"{pid}.yaml"


def _doc(catalog: Path, docs: dict[str, object], pid: str) -> object:
    """The round-trip document of provider `pid` (read once; None when there is no such file)."""
    if pid not in docs:
        path = _path(catalog, pid)
        docs[pid] = load_rt(path) if PROVIDER_ID.match(pid) and path.is_file() else None
    return docs[pid]


def _catalogued(catalog: Path, docs: dict[str, object], full_id: str) -> bool:
    """Whether `full_id` (`provider/api id`) is a model entry of the catalog (files read as needed)."""
    if "/" not in full_id:
        return False
    pid, api_id = full_id.split("/", 1)
    doc = _doc(catalog, docs, pid)
    return doc is not None and api_id in (doc.get("models") or {})  # type: ignore[attr-defined]


if __name__ == "__main__":
    sys.exit(main())
