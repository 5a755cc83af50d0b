"""The user's scan database (`$KABOT_MODELS_HOME/models.db`): what the live provider APIs listed.

Tables: `scan_runs` (one per `kabot-models scan`), `provider_scans` (one per provider per run, ok or
failed with its reason), `scanned_models` (one row per provider and API id: first and last seen,
the normalised fields as JSON, the raw entry trimmed to `RAW_LIMIT` characters, and `gone_since`
once a later scan no longer lists it) and `scan_changes` (the history: each model a scan added,
removed or changed, with its fields before and after, so any earlier scan's model set can be
rebuilt and `kabot-models changes` can tell what happened when).

Each provider's results are written in one transaction, so a failed, interrupted or killed scan
leaves that provider's previous results as they were. WAL journaling lets readers go on while a
scan writes, and a busy timeout (set when the connection opens, before anything reads the file)
makes a second writer wait up to `BUSY_SECONDS` instead of failing at once; switching a new file to
WAL, which SQLite refuses at once rather than waiting while another process creates the same file,
is retried for as long. The file is created 0600 (SQLite's WAL and shared-memory files take the
database file's mode) in a 0700 directory, and a path that is not a regular file (a FIFO, a
symlink to /dev/zero) is refused before SQLite opens it. The schema
version lives in `PRAGMA user_version`; `MIGRATIONS[n]` takes a database from version n to n+1.
Nothing here ever sees an API key.
"""

from __future__ import annotations

import datetime as _dt
import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import StoreError

if TYPE_CHECKING:
    from .plugins.base import ScannedModel

BUSY_SECONDS = 10.0
"""How long a writer waits for another writer before giving up."""
RAW_LIMIT = 16_384
"""Most characters of one raw API entry kept (enough to debug a translator, bounded for a 100k-model gateway)."""

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE scan_runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT
    );
    CREATE TABLE provider_scans (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES scan_runs(id),
        provider TEXT NOT NULL,
        base_url TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
        reason TEXT,
        started_at TEXT NOT NULL,
        seconds REAL NOT NULL,
        seen INTEGER NOT NULL DEFAULT 0,
        new INTEGER NOT NULL DEFAULT 0,
        gone INTEGER NOT NULL DEFAULT 0,
        changed INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        duplicates INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX provider_scans_by_provider ON provider_scans (provider, status, id);
    CREATE TABLE scanned_models (
        provider TEXT NOT NULL,
        api_id TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        last_scan_id INTEGER NOT NULL REFERENCES provider_scans(id),
        gone_since TEXT,
        fields TEXT NOT NULL,
        raw TEXT,
        PRIMARY KEY (provider, api_id)
    ) WITHOUT ROWID;
    """,
    # 1 -> 2: the scan history. A provider's first scan records no `added` rows (it is the baseline,
    # not news); the backfill follows that rule with what version 1 kept: first and gone dates.
    """
    CREATE TABLE scan_changes (
        id INTEGER PRIMARY KEY,
        scan_id INTEGER NOT NULL REFERENCES provider_scans(id),
        provider TEXT NOT NULL,
        api_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('added', 'removed', 'changed')),
        at TEXT NOT NULL,
        before TEXT,
        after TEXT
    );
    CREATE INDEX scan_changes_by_time ON scan_changes (at, provider);
    INSERT INTO scan_changes (scan_id, provider, api_id, kind, at, after)
        SELECT m.last_scan_id, m.provider, m.api_id, 'added', m.first_seen, m.fields FROM scanned_models m
        WHERE m.first_seen > (SELECT MIN(first_seen) FROM scanned_models f WHERE f.provider = m.provider);
    INSERT INTO scan_changes (scan_id, provider, api_id, kind, at, before)
        SELECT last_scan_id, provider, api_id, 'removed', gone_since, fields FROM scanned_models WHERE gone_since IS NOT NULL;
    """,
)
"""`MIGRATIONS[n]` upgrades schema version n to n+1; append, never edit a released step."""
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class ScanCounts:
    """How one provider's list compares with its previous successful scan."""

    seen: int = 0
    new: int = 0
    gone: int = 0
    changed: int = 0


@dataclass
class LatestScan:
    """The latest successful results of every scanned provider, as the registry merges them."""

    providers: dict[str, str] = field(default_factory=dict)
    """Provider id -> when its last successful scan started (ISO 8601, UTC)."""
    models: list[dict[str, Any]] = field(default_factory=list)
    """One dict per model the provider listed last time: provider, api_id, fields, first_seen, last_seen."""
    skipped: int = 0
    """Rows left out because their fields do not have the catalog's types (`records.record_problem`)."""


def now() -> str:
    """The current UTC time as the database stores it: `2026-11-26T22:15:03Z`."""
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def encode_fields(fields: Mapping[str, Any]) -> str:
    """Normalised fields as canonical JSON, so equal fields compare equal as text."""
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def trim_raw(raw: Any, limit: int = RAW_LIMIT) -> str:
    """The raw entry as JSON of at most `limit` characters: long values are cut, keys past the budget dropped."""
    text = json.dumps(raw, ensure_ascii=False, default=str)
    if len(text) <= limit:
        return text
    if not isinstance(raw, dict):
        return json.dumps({"_trimmed": text[: limit // 2 - 16]}, ensure_ascii=False)
    out: dict[str, Any] = {}
    budget = limit - len('{"_trimmed": true}')
    for key, value in raw.items():
        piece = json.dumps({str(key): value}, ensure_ascii=False, default=str)
        if len(piece) > limit // 8:
            value = json.dumps(value, ensure_ascii=False, default=str)[: limit // 16] + "..."
            piece = json.dumps({str(key): value}, ensure_ascii=False)
        budget -= len(piece)  # the braces counted here pay for the ", " between items
        if budget < 0:
            out["_trimmed"] = True
            break
        out[str(key)] = value
    return json.dumps(out, ensure_ascii=False, default=str)


def _changes(previous: Mapping[str, str], current: Mapping[str, str], baseline: bool) -> list[tuple[str, str, str | None, str | None]]:
    """`(api_id, kind, before, after)` rows for `scan_changes`; a baseline scan adds nothing."""
    rows: list[tuple[str, str, str | None, str | None]] = []
    for api_id, enc in current.items():
        if api_id not in previous:
            if not baseline:
                rows.append((api_id, "added", None, enc))
        elif previous[api_id] != enc:
            rows.append((api_id, "changed", previous[api_id], enc))
    rows += [(api_id, "removed", enc, None) for api_id, enc in previous.items() if api_id not in current]
    return rows


def _decoded(text: str | None) -> dict[str, Any] | None:
    """Stored fields as a dict; None for none, or for a damaged row (history is informative, never fatal)."""
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def compare(previous: Mapping[str, str], current: Mapping[str, str]) -> ScanCounts:
    """Counts of new, gone and changed ids between two `{api_id: encoded fields}` maps."""
    new = sum(1 for api_id in current if api_id not in previous)
    changed = sum(1 for api_id, enc in current.items() if api_id in previous and previous[api_id] != enc)
    gone = sum(1 for api_id in previous if api_id not in current)
    return ScanCounts(seen=len(current), new=new, gone=gone, changed=changed)


class Store:
    """An open scan database; use as a context manager. Opening creates or migrates it."""

    def __init__(self, path: str | Path) -> None:
        from .files import create_private, private_dir

        self.path = Path(path)
        try:
            private_dir(self.path.parent)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot create its directory: {exc.strerror or exc}") from None
        try:
            create_private(self.path)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot open the scan database: {exc.strerror or exc}; move it aside and scan again") from None
        self.conn = _connect(self.path)
        try:
            self._migrate()
        except BaseException:
            self.conn.close()
            raise

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    # -- writing ------------------------------------------------------------------------------
    def begin_run(self) -> int:
        """Record the start of a scan run; returns its id."""
        with self._write():
            return int(self.conn.execute("INSERT INTO scan_runs (started_at) VALUES (?)", (now(),)).lastrowid or 0)

    def finish_run(self, run_id: int) -> None:
        """Record the end of a scan run."""
        with self._write():
            self.conn.execute("UPDATE scan_runs SET finished_at = ? WHERE id = ?", (now(), run_id))

    def previous(self, provider: str) -> dict[str, str]:
        """`{api_id: encoded fields}` of what the provider's last successful scan listed."""
        rows = self._read("SELECT api_id, fields FROM scanned_models WHERE provider = ? AND gone_since IS NULL", (provider,))
        return dict(rows)

    def save_provider(
        self,
        run_id: int,
        provider: str,
        base_url: str,
        started_at: str,
        seconds: float,
        entries: Iterable[ScannedModel],
        skipped: int = 0,
        duplicates: int = 0,
    ) -> ScanCounts:
        """Store one provider's successful scan in one transaction; returns how it compares with the last."""
        stamp = now()
        with self._write():
            previous = self.previous(provider)
            cur = self.conn.execute(
                "INSERT INTO provider_scans (run_id, provider, base_url, status, started_at, seconds, skipped, duplicates)"
                " VALUES (?, ?, ?, 'ok', ?, ?, ?, ?)",
                (run_id, provider, base_url, started_at, seconds, skipped, duplicates),
            )
            scan_id = cur.lastrowid
            baseline = not self._read("SELECT 1 FROM provider_scans WHERE provider = ? AND status = 'ok' AND id != ? LIMIT 1", (provider, scan_id))
            current: dict[str, str] = {}
            for entry in entries:
                encoded = encode_fields(entry.fields)
                current[entry.id] = encoded
                self.conn.execute(
                    "INSERT INTO scanned_models (provider, api_id, first_seen, last_seen, last_scan_id, gone_since, fields, raw)"
                    " VALUES (?, ?, ?, ?, ?, NULL, ?, ?)"
                    " ON CONFLICT (provider, api_id) DO UPDATE SET last_seen = excluded.last_seen,"
                    " last_scan_id = excluded.last_scan_id, gone_since = NULL, fields = excluded.fields, raw = excluded.raw",
                    (provider, entry.id, stamp, stamp, scan_id, encoded, trim_raw(entry.raw)),
                )
            self.conn.executemany(
                "UPDATE scanned_models SET gone_since = ? WHERE provider = ? AND api_id = ?",
                [(stamp, provider, api_id) for api_id in previous if api_id not in current],
            )
            self.conn.executemany(
                "INSERT INTO scan_changes (scan_id, provider, api_id, kind, at, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(scan_id, provider, api_id, kind, stamp, before, after) for api_id, kind, before, after in _changes(previous, current, baseline)],
            )
            counts = compare(previous, current)
            self.conn.execute(
                "UPDATE provider_scans SET seen = ?, new = ?, gone = ?, changed = ? WHERE id = ?",
                (counts.seen, counts.new, counts.gone, counts.changed, scan_id),
            )
        return counts

    def history(self, since: str | None = None, provider: str | None = None) -> list[dict[str, Any]]:
        """What scans added, removed and changed, oldest first: `{at, provider, api_id, kind, before, after}`
        with the fields decoded (None where a row holds none); `since` is an ISO date or time (inclusive)."""
        where, params = ["1 = 1"], []
        if since:
            where.append("at >= ?")
            params.append(since)
        if provider:
            where.append("provider = ?")
            params.append(provider)
        rows = self._read(f"SELECT at, provider, api_id, kind, before, after FROM scan_changes WHERE {' AND '.join(where)} ORDER BY at, id", tuple(params))
        out = []
        for at, pid, api_id, kind, before, after in rows:
            out.append({"at": at, "provider": pid, "api_id": api_id, "kind": kind, "before": _decoded(before), "after": _decoded(after)})
        return out

    def save_failure(self, run_id: int, provider: str, base_url: str, started_at: str, seconds: float, reason: str) -> None:
        """Record that a provider's scan failed; its previous results stay as they were."""
        with self._write():
            self.conn.execute(
                "INSERT INTO provider_scans (run_id, provider, base_url, status, reason, started_at, seconds)"
                " VALUES (?, ?, ?, 'failed', ?, ?, ?)",
                (run_id, provider, base_url, reason, started_at, seconds),
            )

    # -- reading ------------------------------------------------------------------------------
    def latest(self) -> LatestScan:
        """The latest successful results of every provider."""
        out = LatestScan()
        for provider, started in self._read("SELECT provider, MAX(started_at) FROM provider_scans WHERE status = 'ok' GROUP BY provider"):
            out.providers[provider] = started
        rows = self._read(
            "SELECT provider, api_id, fields, first_seen, last_seen FROM scanned_models WHERE gone_since IS NULL ORDER BY provider, api_id"
        )
        try:  # one decode of all rows: a per-row json.loads costs several times more at gateway scale
            decoded = json.loads("[" + ",".join(row[2] for row in rows) + "]")
        except (ValueError, TypeError):
            decoded = None
        if not isinstance(decoded, list) or len(decoded) != len(rows) or not all(isinstance(d, dict) for d in decoded):
            raise StoreError(f"{self.path}: stored model fields are not valid JSON objects; the database is damaged, move it aside and scan again")
        from .records import record_problem

        # The file is untrusted input: a row whose fields have the wrong types is left out and counted.
        for (p, a, _, fs, ls), f in zip(rows, decoded):
            if isinstance(p, str) and isinstance(a, str) and record_problem(f) is None:
                out.models.append({"provider": p, "api_id": a, "fields": f, "first_seen": fs, "last_seen": ls})
            else:
                out.skipped += 1
        return out

    def last_checks(self) -> dict[str, dict[str, Any]]:
        """Provider id -> its most recent scan or login check, failed or not: `{status, reason, started_at}`."""
        rows = self._read(
            "SELECT provider, status, reason, started_at FROM provider_scans p WHERE id ="
            " (SELECT MAX(id) FROM provider_scans q WHERE q.provider = p.provider)"
        )
        return {p: {"status": st, "reason": reason, "started_at": when} for p, st, reason, when in rows}

    def provider_scans(self, limit: int = 100) -> list[dict[str, Any]]:
        """The most recent provider scans, newest first (for reports and tests)."""
        cols = ("id", "run_id", "provider", "base_url", "status", "reason", "started_at", "seconds", "seen", "new", "gone", "changed", "skipped", "duplicates")
        rows = self._read(f"SELECT {', '.join(cols)} FROM provider_scans ORDER BY id DESC LIMIT ?", (limit,))
        return [dict(zip(cols, row)) for row in rows]

    # -- plumbing -----------------------------------------------------------------------------
    def _migrate(self) -> None:
        version = self._read("PRAGMA user_version")[0][0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: written by a newer kabot-models (schema version {version}, this one knows {SCHEMA_VERSION}); upgrade kabot-models")
        while version < SCHEMA_VERSION:
            with self._write():
                # Re-read under the write lock: another process may have migrated meanwhile.
                version = self.conn.execute("PRAGMA user_version").fetchone()[0]
                if version >= SCHEMA_VERSION:
                    break
                for statement in MIGRATIONS[version].split(";"):
                    if statement.strip():
                        self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {version + 1}")
            version += 1

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise _store_error(self.path, exc) from None

    def _write(self) -> _Transaction:
        return _Transaction(self)


class _Transaction:
    """`BEGIN IMMEDIATE` ... `COMMIT`, rolled back on any exception (including KeyboardInterrupt)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> None:
        try:
            self.store.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _store_error(self.store.path, exc) from None

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        conn = self.store.conn
        if exc_type is None:
            try:
                conn.execute("COMMIT")
                return
            except sqlite3.Error as err:
                _rollback(conn)
                raise _store_error(self.store.path, err) from None
        _rollback(conn)
        if isinstance(exc, sqlite3.Error):
            raise _store_error(self.store.path, exc) from None


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back what is open; a file that never was a database has nothing to roll back, and that
    is not the error worth reporting."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def _connect(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    except sqlite3.Error as exc:
        raise _store_error(path, exc) from None
    try:
        _retry_busy(lambda: conn.execute("PRAGMA journal_mode = WAL"))
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        conn.close()
        raise _store_error(path, exc) from None
    return conn


def _retry_busy(step: Any) -> Any:
    """Run `step`, again while SQLite says the file is locked, for up to `BUSY_SECONDS`.

    Changing the journal mode needs the whole file; SQLite answers "locked" at once (no busy wait)
    while another connection holds it, as happens when two processes create the same database.
    """
    import time

    deadline = time.monotonic() + BUSY_SECONDS
    pause = 0.002
    while True:
        try:
            return step()
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.1)


def _is_busy(exc: sqlite3.Error) -> bool:
    message = str(exc)
    return "locked" in message or "busy" in message


def _store_error(path: Path, exc: sqlite3.Error) -> StoreError:
    message = str(exc)
    if _is_busy(exc):
        return StoreError(f"{path}: database is busy (another scan is writing); try again in a moment")
    if "not a database" in message or "malformed" in message:
        return StoreError(f"{path}: not a readable kabot-models database ({message}); move it aside and scan again")
    return StoreError(f"{path}: {message}")


def read_latest(path: str | Path) -> LatestScan:
    """The latest successful scan results in the database at `path` (which must exist)."""
    with Store(path) as store:
        return store.latest()


def read_last_checks(path: str | Path) -> dict[str, dict[str, Any]]:
    """`Store.last_checks()` of the database at `path`; empty when there is no such file."""
    if not Path(path).is_file():
        return {}
    with Store(path) as store:
        return store.last_checks()
