"""The change feed: models added, removed, deprecated or retired, and prices changed, from two histories.

- The catalog's git history: every commit that touched `catalog/providers/*.yaml` is read with
  `git log --raw` (which blob each file was before and after), both blobs are parsed, and their
  `models:` mappings compared. A catalog outside a git checkout (an installed package), or a
  machine without git, has no such history; the feed then says so in one note and goes on.
- The scan history the store keeps (`scan_changes`): what each scan found added, removed or
  changed since the previous scan of that provider. A provider's first scan is its baseline, not news.

`changes()` returns plain data (dicts, lists, strings, numbers) with a stable shape, so the CLI
prints it and the site publishes it as JSON and Atom:

    {"generated": "2026-12-01T23:40:00Z", "since": "2026-11-01" | None, "provider": "openai" | None,
     "notes": ["..."],
     "changes": [{"date": "2026-11-30", "time": "2026-11-30T12:00:00Z", "kind": "added",
                  "id": "openai/gpt-5", "provider": "openai", "name": "GPT-5", "source": "catalog",
                  "summary": "openai/gpt-5 added to the catalog",
                  "prices": {"input_1m": {"before": 2.5, "after": 1.25}},      # price_changed only
                  "status": "deprecated",                                        # deprecated / retired only
                  "commit": {"sha": "...", "subject": "..."}}]}               # catalog only

`kind` is one of `KINDS`; changes are newest first, ties in id order.
"""

from __future__ import annotations

import datetime as _dt
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import StoreError
from .lifecycle import current_status

KINDS = ("added", "removed", "deprecated", "retired", "price_changed")
"""What a change can be."""

PRICE_FIELDS = ("input_1m", "output_1m", "cache_read_1m", "cache_write_1m", "cache_write_1h_1m", "reasoning_1m",
                "input_audio_1m", "output_audio_1m")
"""The `pricing` figures whose change is news (tiers, batch and history are details of these)."""

GIT_TIMEOUT = 120.0
"""Seconds `git` may take for one command before the catalog history is given up (with a note)."""


def changes(since: str | _dt.date | None = None, provider: str | None = None, *,
            catalog_dir: Path | None = None, db: str | Path | None | bool = None) -> dict[str, Any]:
    """The change feed (see the module docstring for its shape).

    `since` keeps changes on or after that day (a date or `YYYY-MM-DD`; a `ValueError` names a
    bad one); `provider` keeps one provider's (an id or alias of the catalog). `catalog_dir` is the
    catalog read (default: the packaged one, or `$KABOT_MODELS_CATALOG`), `db` the scan database
    (default: the user's, `paths.db_path()`; False: none).
    """
    from .catalog import default_catalog_dir

    day = _since_day(since)
    catalog_dir = Path(catalog_dir) if catalog_dir is not None else default_catalog_dir()
    notes: list[str] = []
    pid = _provider_id(catalog_dir, provider) if provider else None
    found = catalog_changes(catalog_dir, day, pid, notes)
    if db is not False:
        found += scan_changes(db, day, pid, notes)
    found.sort(key=lambda c: c["id"])
    found.sort(key=lambda c: c["time"], reverse=True)
    return {"generated": _now(), "since": day.isoformat() if day else None, "provider": pid, "notes": notes, "changes": found}


def _since_day(since: str | _dt.date | None) -> _dt.date | None:
    if since is None or isinstance(since, _dt.date):
        return since
    try:
        return _dt.date.fromisoformat(since)
    except ValueError:
        raise ValueError(f"--since {since!r}: expected a date as YYYY-MM-DD") from None


def _provider_id(catalog_dir: Path, name: str) -> str:
    """The provider id `name` means in the catalog (an alias allowed); a name the catalog lacks is kept
    as given, so the history of a provider that was removed can still be asked for."""
    from .loader import load_registry

    try:
        return load_registry(catalog_dir, db=False).canonical_provider(name) or name
    except Exception:  # a catalog that does not load today still has a history worth reading
        return name


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- comparing two versions of a provider's models --------------------------------------------------


def model_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """`(api_id, kind, detail)` for each change between two `{api_id: entry}` mappings.

    `detail` holds `name`, and `prices` (`{field: {before, after}}`) for a price change or `status`
    for a deprecation or retirement. Entries that are not mappings are compared as empty ones.
    """
    out: list[tuple[str, str, dict[str, Any]]] = []
    for api_id in after:
        new = after[api_id] if isinstance(after[api_id], Mapping) else {}
        name = new.get("name") if isinstance(new.get("name"), str) else None
        if api_id not in before:
            out.append((api_id, "added", {"name": name}))
            continue
        old = before[api_id] if isinstance(before[api_id], Mapping) else {}
        status = _lifecycle(new)
        if status and status != _lifecycle(old):
            out.append((api_id, status, {"name": name, "status": status}))
        prices = _price_diff(old.get("pricing"), new.get("pricing"))
        if prices:
            out.append((api_id, "price_changed", {"name": name, "prices": prices}))
    for api_id in before:
        if api_id not in after:
            old = before[api_id] if isinstance(before[api_id], Mapping) else {}
            out.append((api_id, "removed", {"name": old.get("name") if isinstance(old.get("name"), str) else None}))
    return out


def _lifecycle(entry: Mapping[str, Any]) -> str | None:
    """`retired` or `deprecated` when the entry's stated status or its lifecycle dates make it so
    today (`lifecycle.current_status`), else None."""
    status = current_status({k: entry.get(k) for k in ("status", "deprecation_date", "retirement_date")
                             if isinstance(entry.get(k), (str, _dt.date))})
    return status if status in ("deprecated", "retired") else None


def _price_diff(old: Any, new: Any) -> dict[str, dict[str, Any]]:
    old = old if isinstance(old, Mapping) else {}
    new = new if isinstance(new, Mapping) else {}
    out = {}
    for key in PRICE_FIELDS:
        a, b = _number(old.get(key)), _number(new.get(key))
        if a != b and (a is not None or b is not None):
            out[key] = {"before": a, "after": b}
    return out


def _number(value: Any) -> float | int | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _record(kind: str, full_id: str, provider: str, when: str, source: str, detail: dict[str, Any], **extra: Any) -> dict[str, Any]:
    what = {"added": "added to", "removed": "removed from", "deprecated": "deprecated in", "retired": "retired in",
            "price_changed": "repriced in"}[kind]
    where = "the catalog" if source == "catalog" else f"{provider}'s live list"
    summary = f"{full_id} {what} {where}"
    if kind == "price_changed":
        summary += ": " + ", ".join(f"{k} {_fmt(v['before'])} -> {_fmt(v['after'])}" for k, v in detail["prices"].items())
    return {"date": when[:10], "time": when, "kind": kind, "id": full_id, "provider": provider, "name": detail.get("name"),
            "source": source, "summary": summary, **{k: v for k, v in detail.items() if k != "name"}, **extra}


def _fmt(value: Any) -> str:
    return "-" if value is None else f"{value:g}"


# --- the catalog's git history ---------------------------------------------------------------------


@dataclass
class _Commit:
    sha: str
    time: str
    subject: str
    files: list[tuple[str, str, str]]
    """(old blob, new blob, path) of each provider file the commit touched; a zero blob is "none"."""


def catalog_changes(catalog_dir: Path, since: _dt.date | None, provider: str | None, notes: list[str]) -> list[dict[str, Any]]:
    """Changes recorded in the git history of `catalog_dir/providers`; a note instead when there is none."""
    providers = (catalog_dir / "providers").resolve()
    top = _git(providers.parent if providers.is_dir() else catalog_dir, "rev-parse", "--show-toplevel", notes=notes)
    if top is None:
        return []
    root = Path(top.decode("utf-8", "replace").strip())
    try:
        rel = providers.relative_to(root.resolve()).as_posix()
    except ValueError:
        notes.append(f"catalog history unavailable: {providers} is outside the git checkout {root}")
        return []
    pathspec = f"{rel}/{provider}.yaml" if provider else f"{rel}/*.yaml"
    args = ["log", "--raw", "--no-abbrev", "--no-renames", "--format=%x01%H%x02%cI%x02%s", "-z"]
    if since:
        args.append(f"--since={since.isoformat()}T00:00:00Z")
    out = _git(root, *args, "--", pathspec, notes=notes)
    if out is None:
        return []
    commits = _parse_log(out)
    blobs = _read_blobs(root, {b for c in commits for old, new, _ in c.files for b in (old, new)}, notes)
    parsed: dict[str, dict[str, Any] | None] = {}  # by blob: a file's new version is the next commit's old one

    def models(sha: str) -> dict[str, Any] | None:
        if sha not in parsed:
            parsed[sha] = _models(blobs.get(sha))
        return parsed[sha]

    found = []
    for commit in commits:
        if since and commit.time[:10] < since.isoformat():
            continue
        for old, new, path in commit.files:
            pid = Path(path).stem
            before, after = models(old), models(new)
            if before is None or after is None:
                continue  # a version that does not parse: the commit that fixed it shows the change
            when = _utc(commit.time)
            for api_id, kind, detail in model_changes(before, after):
                found.append(_record(kind, f"{pid}/{api_id}", pid, when, "catalog", detail,
                                     commit={"sha": commit.sha, "subject": commit.subject}))
    return found


_ZERO = "0" * 40


def _git(cwd: Path, *args: str, notes: list[str], stdin: bytes | None = None) -> bytes | None:
    """`git args` in `cwd`; None (and one note) when git is missing, fails, or takes too long."""
    try:
        done = subprocess.run(["git", "-C", str(cwd), *args], input=stdin, capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except FileNotFoundError:
        notes.append("catalog history unavailable: git is not installed")
        return None
    except subprocess.TimeoutExpired:
        notes.append(f"catalog history unavailable: git {args[0]} took longer than {GIT_TIMEOUT:g}s")
        return None
    except OSError as exc:
        notes.append(f"catalog history unavailable: cannot run git: {exc.strerror or exc}")
        return None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = message[0] if message else f"git {args[0]} exited with {done.returncode}"
        if "not a git repository" in reason:
            reason = f"{cwd} is not in a git checkout"
        notes.append(f"catalog history unavailable: {reason[:200]}")
        return None
    return done.stdout


def _parse_log(out: bytes) -> list[_Commit]:
    """Commits from `git log --raw -z --format=%x01%H%x02%cI%x02%s`."""
    commits = []
    for chunk in out.decode("utf-8", "replace").split("\x01")[1:]:
        header, _, rest = chunk.partition("\x00")
        parts = header.split("\x02")
        if len(parts) != 3:
            continue
        sha, time, subject = parts
        fields = [f for f in rest.split("\x00") if f and f != "\n"]
        files = []
        # -z --raw: ":<mode> <mode> <old> <new> <status>" then the path, each NUL-terminated
        for meta, path in zip(fields[0::2], fields[1::2]):
            bits = meta.lstrip("\n").split()
            if len(bits) == 5 and bits[0].startswith(":"):
                files.append((bits[2], bits[3], path))
        commits.append(_Commit(sha, time, subject, files))
    return commits


def _read_blobs(root: Path, shas: Iterable[str], notes: list[str]) -> dict[str, bytes]:
    """The content of each blob, through one `git cat-file --batch`."""
    wanted = sorted(s for s in set(shas) if s != _ZERO)
    if not wanted:
        return {}
    out = _git(root, "cat-file", "--batch", notes=notes, stdin="".join(f"{s}\n" for s in wanted).encode())
    blobs: dict[str, bytes] = {}
    at = 0
    while out is not None and at < len(out):
        end = out.index(b"\n", at)
        head = out[at:end].split()
        at = end + 1
        if len(head) != 3:  # "<sha> missing"
            continue
        size = int(head[2])
        blobs[head[0].decode()] = out[at:at + size]
        at += size + 1
    return blobs


def _models(raw: bytes | None) -> dict[str, Any] | None:
    """The `models:` mapping of one version of a provider file ({} when the file did not exist), None when it does not parse.

    Plain PyYAML (libyaml when present): history needs the data only, not the positions `yamlload` tracks for errors.
    """
    if raw is None:
        return {}
    import yaml

    try:
        data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError, ValueError):
        return None
    models = data.get("models") if isinstance(data, dict) else None
    return models if isinstance(models, dict) else {}


def _utc(iso: str) -> str:
    """A git ISO 8601 time with offset as UTC `YYYY-MM-DDTHH:MM:SSZ`."""
    try:
        return _dt.datetime.fromisoformat(iso).astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return iso


# --- the scan history ------------------------------------------------------------------------------


def scan_changes(db: str | Path | None, since: _dt.date | None, provider: str | None, notes: list[str]) -> list[dict[str, Any]]:
    """Changes the scans recorded in the scan database (default: the user's); a note when there is none."""
    from .paths import db_path
    from .store import Store

    path = Path(db) if db is not None else db_path()
    if not path.is_file():
        notes.append(f"no scan history: {path} does not exist (run kabot-models scan)")
        return []
    try:
        with Store(path) as store:
            rows = store.history(since.isoformat() if since else None, provider)
    except StoreError as exc:
        notes.append(f"scan history unavailable: {exc}")
        return []
    found = []
    for row in rows:
        full_id = f"{row['provider']}/{row['api_id']}"
        before, after = row["before"] or {}, row["after"] or {}
        if row["kind"] == "changed":
            for _, kind, detail in model_changes({row["api_id"]: before}, {row["api_id"]: after}):
                found.append(_record(kind, full_id, row["provider"], row["at"], "scan", detail))
        else:
            name = (after if row["kind"] == "added" else before).get("name")
            found.append(_record(row["kind"], full_id, row["provider"], row["at"], "scan", {"name": name if isinstance(name, str) else None}))
    return found
