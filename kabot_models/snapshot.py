"""A compiled catalog as an SQLite file: compiled from the YAML once, then read instead of it.

`write_snapshot` stores a `catalog.CompiledCatalog`; `read_snapshot` gives one back, whose records
are `SnapshotRecords` (read from the file when first asked for) and whose `names` come from the
stored name index, so a registry is built from it without reading a record. Which snapshot to read,
and when to compile and cache one, is the loader's business (`loader.load_catalog`).

A snapshot holds the tables `meta`, `providers`, `provider_aliases`, `models`, `aliases` and `prices`
(documented in docs/snapshot.md, so anyone can query it with `sqlite3`), plus `load_index`, the same
names in the form loading reads, and `spellings`, `suggest_names` and `trigrams`, the index of
forgiving forms and suggestions (`spellings.Spellings`) that a miss reads (`SnapshotSpellings`).
So `load_registry().resolve(name)` costs a few small queries and imports no YAML, JSON Schema or
pydantic.

Freshness: a snapshot records the catalog's content hash (`catalog.catalog_hash`) and a cheap stat
signature (file names, sizes, mtimes). The signature is checked first; when it differs the content
is hashed, and only a different hash makes the snapshot stale. (An installed package's files get
the install's mtimes, so there the check is: same names and sizes, nothing written after the
install.) A snapshot written by other code (`compiler_identity`) is stale too.

Where snapshots live: an installed wheel carries `kabot_models/catalog_data/catalog.sqlite` (compiled
by setup.py's build step); a checkout or a custom catalog directory gets a cache file under
`paths.data_dir()/snapshots/` (`cache_path`), one per catalog directory, replaced atomically.
"""

from __future__ import annotations

import gc
import os
import sqlite3
import stat
import sys
import time
from _thread import allocate_lock
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .catalog import CatalogNames, CompiledCatalog, catalog_hash, catalog_signature, provider_files
from .errors import KabotModelsError
from .records import record_problem

SCHEMA_VERSION = "5"
"""Bumped whenever the tables change; a snapshot of another version is rebuilt."""
PACKAGED_SNAPSHOT = "catalog.sqlite"
"""File name of the snapshot an installed package carries next to its `providers/` directory."""

_PRICE_FIELDS = ("input_1m", "output_1m", "cache_read_1m", "cache_write_1m", "cache_write_1h_1m",
                 "reasoning_1m", "input_audio_1m", "output_audio_1m")

_TABLES = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE providers (
    id TEXT PRIMARY KEY, name TEXT, kind TEXT, priority INTEGER, base_url TEXT, flavor TEXT,
    data TEXT NOT NULL);
CREATE TABLE provider_aliases (alias TEXT PRIMARY KEY, provider_id TEXT NOT NULL);
CREATE TABLE models (
    id TEXT PRIMARY KEY, provider TEXT NOT NULL, api_id TEXT NOT NULL, name TEXT, mode TEXT,
    status TEXT, context_window INTEGER, max_output INTEGER, capabilities TEXT, base TEXT,
    successor TEXT, release_date TEXT, deprecation_date TEXT, retirement_date TEXT, is_premium INTEGER, origin TEXT,
    data TEXT NOT NULL);
CREATE INDEX models_provider ON models (provider);
CREATE INDEX models_api_id ON models (api_id);
CREATE TABLE aliases (alias TEXT PRIMARY KEY, model_id TEXT NOT NULL);
CREATE TABLE prices (
    model_id TEXT NOT NULL, kind TEXT NOT NULL, above_input_tokens INTEGER, since TEXT,
    {", ".join(f"{f} REAL" for f in _PRICE_FIELDS)}, free INTEGER);
CREATE INDEX prices_model ON prices (model_id);
CREATE TABLE load_index (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE spellings (kind INTEGER NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL, date TEXT NOT NULL);
CREATE INDEX spellings_key ON spellings (key);
CREATE TABLE suggest_names (id INTEGER PRIMARY KEY, key TEXT NOT NULL, shown TEXT NOT NULL);
CREATE TABLE trigrams (piece TEXT PRIMARY KEY, count INTEGER NOT NULL, hits BLOB NOT NULL);
"""


class CollectorPaused:
    """Pause the cyclic garbage collector around a bulk build that allocates no reference cycles.

    Writing or indexing 100k models allocates hundreds of thousands of containers; the collector's
    passes over them (and over everything already alive) made such a load ~1.5x and a write ~2x
    as costly per model as at 10k. Paused, both grow linearly.
    """

    def __enter__(self) -> None:
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.was_enabled:
            gc.enable()


class SnapshotError(KabotModelsError):
    """A snapshot could not be read or written; the message names the file and what to do."""


# -- the identity of the code that wrote a snapshot ------------------------------------------------
_COMPILER_FILES = ("catalog.py", "schema.py", "yamlload.py", "snapshot.py")


def compiler_identity() -> str:
    """Sizes and mtimes of the code that compiles a catalog: a cached snapshot built by other code
    (an upgrade, a pull, an edit) is stale even when the YAML is not."""
    here = os.path.dirname(os.path.abspath(__file__))
    parts = [SCHEMA_VERSION]
    for name in _COMPILER_FILES:
        st = os.stat(os.path.join(here, name))
        parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
    return "/".join(parts)


def cache_path(catalog_dir: str | os.PathLike[str]) -> str:
    """The cache file of a catalog directory: one per directory, so edits replace it, never pile up."""
    import hashlib

    from .paths import data_dir

    key = hashlib.sha256(os.path.realpath(catalog_dir).encode()).hexdigest()[:16]
    return os.path.join(data_dir(), "snapshots", f"{key}.sqlite")


# -- writing ----------------------------------------------------------------------------------------
def write_snapshot(compiled: CompiledCatalog, path: str | os.PathLike[str], *, source_hash: str = "",
                   signature: str = "", private: bool = False) -> None:
    """Write a compiled catalog (every provider, model and alias) as a snapshot at `path`, atomically.

    The file is built under a temporary name in the same directory and moved into place, so a
    reader sees the old snapshot or the new one, never half of one. A `private` one (the user's
    cache) is 0600 in a 0700 directory whatever the umask; others (`build`, a package) 0644.
    Raises OSError when the directory cannot be written.
    """
    import json

    from .files import FILE_MODE, private_dir

    path = os.fspath(path)
    if private:
        private_dir(os.path.dirname(os.path.abspath(path)), owned=False)
    else:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode
    try:
        if os.path.lexists(tmp):
            os.remove(tmp)
        # Created with its mode here, not by SQLite (which would take the umask's)
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE if private else 0o644))
        if not private:
            os.chmod(tmp, 0o644)  # a published file is readable by all whatever the umask
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode=OFF")  # a fresh temp file: nothing to roll back to
            conn.execute("PRAGMA synchronous=OFF")  # fsync'd once below, before the rename
            conn.executescript(_TABLES)
            with conn, CollectorPaused():
                names = compiled.index()
                _insert_all(conn, compiled, names, dumps)
                _insert_load_index(conn, compiled, names)
                _insert_spellings(conn, compiled, names)
                meta = {"schema_version": SCHEMA_VERSION, "compiler": compiler_identity(),
                        "source_hash": source_hash or compiled.source_hash,
                        "signature": signature, "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                        "models": str(len(compiled.models)), "providers": str(len(compiled.providers))}
                conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        finally:
            conn.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise


def _insert_all(conn: sqlite3.Connection, compiled: CompiledCatalog, names: CatalogNames, dumps: Any) -> None:
    conn.executemany(
        "INSERT INTO providers VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((p["id"], p.get("name"), p.get("kind"), p.get("priority"), (p.get("api") or {}).get("base_url"),
          (p.get("api") or {}).get("flavor"), dumps(p)) for p in compiled.providers.values()))
    conn.executemany("INSERT INTO provider_aliases VALUES (?, ?)", names.provider_aliases.items())
    conn.executemany(
        "INSERT INTO models VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((r["id"], r["provider"], r["id"].split("/", 1)[1], r.get("name"), r.get("mode"), r.get("status"),
          r.get("context_window"), r.get("max_output"), dumps(r.get("capabilities") or []), r.get("base"),
          r.get("successor"), _text(r.get("release_date")), _text(r.get("deprecation_date")),
          _text(r.get("retirement_date")), _flag(r.get("is_premium")), r.get("origin", "catalog"), dumps(r)) for r in compiled.models.values()))
    conn.executemany("INSERT INTO aliases VALUES (?, ?)", names.aliases.items())
    conn.executemany(f"INSERT INTO prices VALUES ({', '.join('?' * (len(_PRICE_FIELDS) + 5))})",
                     (row for r in compiled.models.values() for row in _price_rows(r)))


def _insert_load_index(conn: sqlite3.Connection, compiled: CompiledCatalog, names: CatalogNames) -> None:
    """The name index as a few newline-joined texts: one row read and split beats a row per model.

    Reading 2,000 ids row by row costs ~2 ms (about 1 us a row); splitting one text costs ~0.1 ms.
    Ids, api ids and aliases cannot hold a newline or a tab (schema patterns), so they separate.
    Short ids and bases are not here: they are looked up in `models` one name at a time
    (`SnapshotLookup`), since a process asks about few of them.
    """
    index = {
        "model_ids": "\n".join(compiled.models),
        "provider_ids": "\n".join(compiled.providers),
        "provider_aliases": "\n".join(f"{a}\t{p}" for a, p in names.provider_aliases.items()),
        "aliases": "\n".join(f"{a}\t{m}" for a, m in names.aliases.items()),
        "statuses": "\n".join(f"{m}\t{s}" for m, s in names.statuses.items()),
        "dates": "\n".join(f"{m}\t{d or ''}\t{r or ''}" for m, (d, r) in names.dates.items()),
    }
    conn.executemany("INSERT INTO load_index VALUES (?, ?)", index.items())


def _insert_spellings(conn: sqlite3.Connection, compiled: CompiledCatalog, names: CatalogNames) -> None:
    """The forgiving forms and suggestion pieces of every name (`spellings.Spellings`), so that a
    process's first miss reads a few rows instead of indexing every name (seconds at 100k models).

    A piece's hits are its names' positions and lengths, interleaved, as little-endian uint32.
    """
    from array import array

    from .spellings import Spellings

    index = Spellings(compiled.models, names.aliases)
    conn.executemany("INSERT INTO spellings VALUES (?, ?, ?, ?)", index.form_rows())
    keys, shown, pieces = index.suggestion_index()
    conn.executemany("INSERT INTO suggest_names VALUES (?, ?, ?)", ((i, k, shown[k]) for i, k in enumerate(keys)))
    lengths = [len(k) for k in keys]

    def hits(positions: list[int]) -> bytes:
        packed = array("I", [0]) * (2 * len(positions))
        packed[0::2] = array("I", positions)
        packed[1::2] = array("I", [lengths[i] for i in positions])
        if _BIG_ENDIAN:
            packed.byteswap()
        return packed.tobytes()

    conn.executemany("INSERT INTO trigrams VALUES (?, ?, ?)",
                     ((piece, len(positions), hits(positions)) for piece, positions in pieces.items()))


_BIG_ENDIAN = sys.byteorder == "big"


def _price_rows(record: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    """One row for the current prices, then one per tier, the batch prices, each past and each scheduled price."""
    pricing = record.get("pricing")
    if not pricing:
        return
    mid = record["id"]

    def row(kind: str, prices: dict[str, Any], above: Any = None, since: Any = None, free: Any = None) -> tuple[Any, ...]:
        return (mid, kind, above, _text(since), *(prices.get(f) for f in _PRICE_FIELDS), free)

    yield row("current", pricing, since=pricing.get("since"), free=_flag(pricing.get("free")))
    for tier in pricing.get("tiers") or ():
        yield row("tier", tier, above=tier.get("above_input_tokens"))
    if pricing.get("batch"):
        yield row("batch", pricing["batch"])
    for past in pricing.get("history") or ():
        yield row("history", past, since=past.get("since"))
    for future in pricing.get("scheduled") or ():
        yield row("scheduled", future, since=future.get("since"))


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _flag(value: Any) -> int | None:
    return None if value is None else int(bool(value))


# -- reading ----------------------------------------------------------------------------------------
class SnapshotRecords:
    """A mapping of id -> record whose records, and whose list of ids, are read when first needed.

    It behaves like the plain dict the registry otherwise holds (`in`, `get`, `[]`, iteration in
    catalog order, `values()`, assignment), so registry code needs no second path for snapshots.
    A question about one id reads that row; the id list (7,000 ids, 2 ms to read and index) is
    read only for iteration, or for `len` once ids were added or removed.
    """

    def __init__(self, conn: sqlite3.Connection, table: str, ids: Callable[[], list[str]], path: str,
                 check: Callable[[dict[str, Any]], str | None] | None = None, count: int | None = None) -> None:
        self._conn = conn
        self._check = check
        """Says what is wrong with a record (`records.record_problem`); such a record is left out."""
        self._left_out: dict[str, str] = {}
        """id -> what is wrong with its record, for records that failed `check`."""
        self._reported = 0
        self._query = f"SELECT data FROM {table} WHERE id = ?"
        self._all = f"SELECT id, data FROM {table}"
        self._exists = f"SELECT 1 FROM {table} WHERE id = ?"
        self._path = path
        self._read_ids = ids
        """Reads every id the file holds, in catalog order."""
        self._count = count
        """How many ids the file holds, when its `meta` says (`len` then needs no id list)."""
        self._index: dict[str, None] | None = None
        """Every id, in catalog order (the keys); None until first needed."""
        self._present: set[str] = set()
        self._absent: set[str] = set()
        """Ids asked about that the file holds, and does not hold (before the id list is read)."""
        self._changes: dict[str, bool] = {}
        """id -> added (True) or removed (False) before the id list was read, in order."""
        self._loaded: dict[str, dict[str, Any]] = {}
        """Records read so far, plus any assigned after loading."""
        self._lock = allocate_lock()

    def _read(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return _rows(self._conn, self._path, sql, args)

    def _ids(self) -> dict[str, None]:
        index = self._index
        if index is None:
            with CollectorPaused():
                ids = self._read_ids()
            with self._lock:  # the changes made meanwhile are applied before the list is published
                if self._index is None:
                    fresh = dict.fromkeys(ids)
                    for key, added in self._changes.items():
                        if added:
                            fresh[key] = None
                        else:
                            fresh.pop(key, None)
                    self._index = fresh
                index = self._index
        return index

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        if self._index is not None:
            return key in self._index
        change = self._changes.get(key)
        if change is not None:
            return change
        if key in self._loaded or key in self._left_out or key in self._present:
            return True
        if key in self._absent:
            return False
        found = bool(self._read(self._exists, (key,)))
        (self._present if found else self._absent).add(key)
        return found

    def _remember(self, key: str, data: str) -> None:
        rec = self._decode(data, key)
        if rec is not None:
            self._loaded.setdefault(key, rec)  # another thread may have read or assigned it meanwhile

    def __getitem__(self, key: str) -> dict[str, Any]:
        rec = self._loaded.get(key)
        if rec is None:
            if key not in self or key in self._left_out:
                raise KeyError(key)
            rec = self._loaded.get(key)
            if rec is None:
                rows = self._read(self._query, (key,))
                self._remember(key, rows[0][0] if rows else "")
                rec = self._loaded.get(key)
                if rec is None:
                    raise KeyError(key)
        return rec

    def _decode(self, data: str, key: str) -> dict[str, Any] | None:
        """The record stored as `data`; None (and noted in `_left_out`) when its fields have the wrong types."""
        import json

        try:
            rec = json.loads(data)
        except ValueError:
            rec = None
        if not isinstance(rec, dict):
            raise SnapshotError(f"{self._path}: snapshot is damaged (no readable record for {key!r}); delete it and it is rebuilt")
        problem = self._check(rec) if self._check is not None else None
        if problem is not None:  # the file is untrusted input: a wrong-typed record is left out, not used
            self._left_out[key] = problem
            return None
        return rec

    def get(self, key: str, default: Any = None) -> Any:
        """The record of `key`, or `default` when there is none (or it was left out)."""
        rec = self._loaded.get(key)  # the resolver asks for the same records again and again
        if rec is not None:
            return rec
        try:
            return self[key]
        except KeyError:
            return default

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._ids()))  # a copy made in one step: another thread may add a record meanwhile

    def __len__(self) -> int:
        if self._index is None and self._count is not None and not self._changes:
            return self._count
        return len(self._ids())

    def keys(self) -> Any:
        """Every id, in catalog order."""
        return self._ids().keys()

    def values(self) -> list[dict[str, Any]]:
        """Every record, in catalog order (read in one query when many are still unread)."""
        keys = list(self._ids())  # a copy: another thread may add a record meanwhile
        loaded = self._loaded
        if len(loaded) + len(self._left_out) < len(keys):
            index = self._ids()
            with CollectorPaused():
                for key, data in self._read(self._all):
                    if key not in loaded and key not in self._left_out and key in index:
                        rec = self._decode(data, key)
                        if rec is not None:
                            loaded[key] = rec
        left_out = self._left_out
        if len(left_out) > self._reported:
            self._reported = len(left_out)
            import warnings

            first = next(iter(left_out.items()))
            warnings.warn(f"{self._path}: {len(left_out)} model record(s) left out: their fields have the wrong types "
                          f"({first[0]}: {first[1]})", stacklevel=3)
        return [loaded[k] for k in keys if k in loaded]

    def items(self) -> list[tuple[str, dict[str, Any]]]:
        """(id, record) pairs, in catalog order (records left out are left out here too)."""
        self.values()
        loaded = self._loaded
        return [(k, loaded[k]) for k in list(self._ids()) if k in loaded]

    def __setitem__(self, key: str, value: dict[str, Any]) -> None:
        self._loaded[key] = value  # first: a reader who sees the key in the index finds its record
        self._left_out.pop(key, None)
        with self._lock:
            if self._index is not None:
                self._index[key] = None
            else:
                self._absent.discard(key)
                self._present.add(key)
                self._changes[key] = True

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self._loaded.pop(key, None)
        self._left_out.pop(key, None)
        with self._lock:
            if self._index is not None:
                self._index.pop(key, None)
            else:
                self._present.discard(key)
                self._changes[key] = False

    def pop(self, key: str, *default: Any) -> Any:
        """Remove `key` and return its record (or `default`)."""
        if key not in self:
            if default:
                return default[0]
            raise KeyError(key)
        value = self[key]
        del self[key]
        return value


class SnapshotLookup:
    """A mapping (key -> value) over one question to the snapshot, answered one key
    at a time and remembered: the short ids and `base`s a process asks about are few, so loading
    builds neither index (at 7,000 models they took 2-3 ms of a 40 ms start).

    After `BULK` distinct questions it reads every answer in one query and asks no more. It takes
    assignments and deletions like a dict (the registry indexes models added after loading), and
    `copy()` gives an independent mapping over the same file.
    """

    BULK = 256
    """Distinct keys asked one at a time before the whole index is read at once."""

    def __init__(self, conn: sqlite3.Connection, path: str, one: str, every: str,
                 group: bool = False) -> None:
        self._conn = conn
        self._path = path
        self._one = one
        """SQL with one `?`: the value rows of a key (one row, or with `group` every row in order)."""
        self._every = every
        """SQL: `(key, value)` rows of every key, in catalog order."""
        self._group = group
        """Whether a key's value is the list of its rows' values (short id -> full ids) or one value."""
        self._known: dict[str, Any] = {}
        """key -> value, or `_ABSENT`, for every key asked or assigned so far."""
        self._asked = 0
        self._complete = False
        self._lock = allocate_lock()
        """Held to change `_known`: a bulk read swaps it while other threads may assign."""

    def _read(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return _rows(self._conn, self._path, sql, args)

    def _lookup(self, key: str) -> Any:
        value = self._known.get(key, _UNASKED)
        if value is not _UNASKED or self._complete:
            return _ABSENT if value is _UNASKED else value
        self._asked += 1
        if self._asked > self.BULK:
            self._read_all()
            return self._known.get(key, _ABSENT)
        rows = self._read(self._one, (key,))
        if self._group:
            value = [v for v, in rows] if rows else _ABSENT
        else:
            value = rows[0][0] if rows and rows[0][0] is not None else _ABSENT
        with self._lock:
            return self._known.setdefault(key, value)  # another thread may have answered meanwhile

    def _read_all(self) -> None:
        if self._complete:
            return
        found: dict[str, Any] = {}
        with CollectorPaused():
            for key, value in self._read(self._every):
                if self._group:
                    found.setdefault(key, []).append(value)
                else:
                    found[key] = value
        with self._lock:
            if self._complete:
                return
            found.update(self._known)  # what was asked, assigned or deleted since loading wins
            self._known = found
            self._complete = True

    def get(self, key: str, default: Any = None) -> Any:
        value = self._lookup(key)
        return default if value is _ABSENT else value

    def __getitem__(self, key: str) -> Any:
        value = self._lookup(key)
        if value is _ABSENT:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._lookup(key) is not _ABSENT

    def setdefault(self, key: str, default: Any) -> Any:
        if self._lookup(key) is _ABSENT:
            with self._lock:
                if self._known.get(key, _ABSENT) is _ABSENT:
                    self._known[key] = default
        return self._known[key]

    def __setitem__(self, key: str, value: Any) -> None:
        with self._lock:  # no question to the file: what is assigned replaces its answer
            self._known[key] = value

    def __delitem__(self, key: str) -> None:
        if self._lookup(key) is _ABSENT:
            raise KeyError(key)
        with self._lock:
            self._known[key] = _ABSENT

    def pop(self, key: str, *default: Any) -> Any:
        value = self._lookup(key)
        if value is _ABSENT:
            if default:
                return default[0]
            raise KeyError(key)
        with self._lock:
            self._known[key] = _ABSENT
        return value

    def items(self) -> list[tuple[str, Any]]:
        """Every (key, value), in catalog order then assignment order (reads the whole index)."""
        self._read_all()
        return [(k, v) for k, v in list(self._known.items()) if v is not _ABSENT]

    def keys(self) -> list[str]:
        return [k for k, _ in self.items()]

    def values(self) -> list[Any]:
        return [v for _, v in self.items()]

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self.items())

    def __bool__(self) -> bool:
        return bool(self.items())

    def copy(self) -> SnapshotLookup:
        """An independent mapping over the same file, knowing what this one knows."""
        twin = SnapshotLookup(self._conn, self._path, self._one, self._every, self._group)
        twin._known = {k: (list(v) if self._group and v is not _ABSENT else v) for k, v in list(self._known.items())}
        twin._asked, twin._complete = self._asked, self._complete
        return twin


_UNASKED = object()
_ABSENT = object()
"""What `SnapshotLookup` remembers for a key the file does not hold (or that was deleted)."""


class SnapshotSpellings:
    """The spelling index a snapshot stores (`spellings.Spellings`' questions, answered from the file).

    Nothing is read until a name misses; then a forgiving form costs one indexed query, and a
    suggestion one query for the pieces' counts, one per piece rare enough to count, and one for
    the names it found.
    """

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self._conn = conn
        self._path = path
        self._forms: dict[str, list[tuple[int, str, str]]] = {}
        """key -> (kind, name, date) rows read so far"""

    def _read(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return _rows(self._conn, self._path, sql, args)

    def forms(self, kind: int, key: str) -> list[Any]:
        """The names (or `(date, name)` pairs for the undated kinds) whose forgiving form of `kind` is `key`."""
        rows = self._forms.get(key)
        if rows is None:
            rows = self._forms[key] = self._read("SELECT kind, name, date FROM spellings WHERE key = ? ORDER BY rowid", (key,))
        return [(date, name) if date else name for k, name, date in rows if k == kind]

    def candidates(self, query: str) -> list[tuple[str, str]]:
        """`(lower-cased name, name as catalogued)` of the names most like `query` (lower case), best first."""
        from array import array

        from .spellings import nearest, trigrams

        pieces = sorted(trigrams(query))
        counts = dict(self._read(f"SELECT piece, count FROM trigrams WHERE piece IN ({', '.join('?' * len(pieces))})",
                                 tuple(pieces)))
        lengths: dict[int, int] = {}

        def bucket(piece: str) -> Sequence[int]:
            packed = array("I")
            for (blob,) in self._read("SELECT hits FROM trigrams WHERE piece = ?", (piece,)):
                packed.frombytes(blob)
            if _BIG_ENDIAN:
                packed.byteswap()
            positions = packed[0::2]
            lengths.update(zip(positions, packed[1::2]))
            return positions

        found = nearest(query, counts, bucket, lengths.__getitem__)
        if not found:
            return []
        shown = {i: (key, name) for i, key, name in self._read(
            f"SELECT id, key, shown FROM suggest_names WHERE id IN ({', '.join('?' * len(found))})", tuple(found))}
        return [shown[i] for i in found if i in shown]


def _connect_readonly(path: str) -> sqlite3.Connection:
    # A URI keeps a missing file from being created and works in a read-only site-packages.
    uri = "file:" + path.replace("%", "%25").replace("?", "%3f").replace("#", "%23") + "?mode=ro"
    # Shared across threads: the registry is read by whichever thread asks; SQLite serialises access.
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


INSTALL_WINDOW_NS = 300 * 10**9
"""How long after the packaged snapshot an installer may still be writing the package's other files."""


def _unchanged_since_install(recorded: str, catalog_dir: str, snapshot_mtime_ns: int) -> bool:
    """True when the installed provider files are the ones the packaged snapshot was built from.

    Installers (pip) do not keep mtimes, so the build's signature never matches an installed
    package and would force a content hash on every start. Instead: the same names and sizes,
    and no file written later than the install that wrote the snapshot. An edit after that
    changes an mtime and falls back to the content hash.
    """
    entries = []
    newest = 0
    for entry in provider_files(catalog_dir):
        try:
            st = entry.stat()
        except OSError:  # a dangling symlink: not the install's file; the content hash decides
            return False
        entries.append(f"{entry.name}:{st.st_size}")
        newest = max(newest, st.st_mtime_ns)
    built = [part.rsplit(":", 1)[0] for part in recorded.split("/")] if recorded else []
    return entries == built and newest <= snapshot_mtime_ns + INSTALL_WINDOW_NS


def _open_current(path: str, catalog_dir: str | None, *, installed: bool = False) -> tuple[sqlite3.Connection, dict[str, str]] | None:
    """Open `path` when it is a complete snapshot of this schema (and of `catalog_dir`'s content, if given).

    `installed` marks the snapshot a package carries, whose provider files an installer wrote.
    Returns None when the file is missing, damaged, truncated or stale: the caller rebuilds it.
    """
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):  # a FIFO would block SQLite's open: rebuild over it instead
        return None
    size = st.st_size
    conn = None
    try:
        conn = _connect_readonly(path)
        pages, = conn.execute("PRAGMA page_count").fetchone()
        page_size, = conn.execute("PRAGMA page_size").fetchone()
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        # The header states the size the file was written with: a shorter file lost its tail.
        if pages * page_size != size or meta.get("schema_version") != SCHEMA_VERSION:
            conn.close()
            return None
    except sqlite3.Error:
        if conn is not None:
            conn.close()
        return None
    if installed and catalog_dir is not None and _unchanged_since_install(meta.get("signature", ""), catalog_dir, st.st_mtime_ns):
        return conn, meta  # built with this very code by the package's build step
    if not installed and meta.get("compiler") != compiler_identity():
        conn.close()
        return None
    if catalog_dir is not None and meta.get("signature") != catalog_signature(catalog_dir):
        current = catalog_hash(catalog_dir)
        if meta.get("source_hash") != current:
            conn.close()
            return None
        meta["signature"] = ""  # content matches; the caller may record the new signature
    return conn, meta


def is_snapshot(path: str | os.PathLike[str]) -> bool:
    """True when `path` is an SQLite file this module wrote (it has our `meta` table)."""
    try:
        conn = _connect_readonly(os.fspath(path))
        try:
            return conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() is not None
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def read_snapshot(path: str | os.PathLike[str], catalog_dir: str | os.PathLike[str] | None = None, *,
                  installed: bool = False) -> CompiledCatalog | None:
    """The compiled catalog a snapshot holds, or None when it is missing, damaged or (given `catalog_dir`) stale.

    Its `models` and `providers` are `SnapshotRecords`: every id is known, each record is read from
    the file when first asked for, and `names` comes from the stored name index. When the content
    matched but the stat signature did not (a `git checkout` touched the files), the new signature
    is recorded so the next load need not hash again.
    `installed`: the snapshot an installed package carries next to `catalog_dir` (see `_unchanged_since_install`).
    """
    path = os.fspath(path)
    cdir = os.fspath(catalog_dir) if catalog_dir is not None else None
    opened = _open_current(path, cdir, installed=installed)
    if opened is None:
        return None
    conn, meta = opened
    try:
        compiled = _compiled_from(conn, meta, path)
    except (sqlite3.Error, KeyError, IndexError, ValueError):  # a load_index that is not ours
        conn.close()
        return None
    if cdir is not None and not installed and not meta.get("signature"):
        _record_signature(path, catalog_signature(cdir))
    return compiled


def _compiled_from(conn: sqlite3.Connection, meta: dict[str, str], path: str) -> CompiledCatalog:
    with CollectorPaused():
        # The id list itself is read when first needed; that it is there (as text) is checked now,
        # so a snapshot without it is rebuilt like any other damaged one.
        index = dict(conn.execute("SELECT name, CASE name WHEN 'model_ids' THEN typeof(value) ELSE value END "
                                  "FROM load_index").fetchall())
        if index["model_ids"] != "text":
            raise ValueError("no list of model ids")
        provider_ids = index["provider_ids"].split("\n") if index["provider_ids"] else []
        bases = SnapshotLookup(conn, path, "SELECT base FROM models WHERE id = ?",
                               "SELECT id, base FROM models WHERE base IS NOT NULL ORDER BY rowid")
        short_ids = SnapshotLookup(conn, path, "SELECT id FROM models WHERE api_id = ? ORDER BY rowid",
                                   "SELECT api_id, id FROM models ORDER BY rowid", group=True)
        names = CatalogNames(provider_aliases=dict(_pairs(index["provider_aliases"])),
                             aliases=dict(_pairs(index["aliases"])), bases=bases,  # type: ignore[arg-type]
                             statuses=dict(_pairs(index["statuses"])), dates=_dates(index["dates"]),
                             short_ids=short_ids)  # type: ignore[arg-type]
        models = SnapshotRecords(conn, "models", lambda: _model_ids(conn, path), path, record_problem,
                                 count=int(meta["models"]))
        return CompiledCatalog(providers=SnapshotRecords(conn, "providers", lambda: provider_ids, path),
                               models=models, source_hash=meta.get("source_hash", ""), names=names,
                               spellings=SnapshotSpellings(conn, path))


def _model_ids(conn: sqlite3.Connection, path: str) -> list[str]:
    """Every model id a snapshot holds, in catalog order (its `load_index` row, read when first needed)."""
    rows = _rows(conn, path, "SELECT value FROM load_index WHERE name = 'model_ids'")
    if not rows or not isinstance(rows[0][0], str):
        raise SnapshotError(f"{path}: snapshot is damaged (no list of model ids); delete it and it is rebuilt")
    return rows[0][0].split("\n") if rows[0][0] else []


def _rows(conn: sqlite3.Connection, path: str, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The rows a query of an open snapshot returns; a file SQLite cannot read raises `SnapshotError`."""
    try:
        return conn.execute(sql, args).fetchall()
    except sqlite3.Error as exc:
        raise SnapshotError(f"{path}: snapshot is damaged ({exc}); delete it and it is rebuilt") from None


def _dates(text: str) -> dict[str, tuple[str | None, str | None]]:
    out: dict[str, tuple[str | None, str | None]] = {}
    for line in text.split("\n") if text else ():
        full_id, deprecation, retirement = line.split("\t")
        out[full_id] = (deprecation or None, retirement or None)
    return out


def _pairs(text: str) -> Iterator[list[str]]:
    return (line.split("\t", 1) for line in text.split("\n")) if text else iter(())


def _record_signature(path: str, signature: str) -> None:
    """Store a new stat signature in a cache snapshot whose content was found current (best effort)."""
    try:
        conn = sqlite3.connect(path)
        with conn:
            conn.execute("UPDATE meta SET value = ? WHERE key = 'signature'", (signature,))
        conn.close()
    except sqlite3.Error:
        pass  # read-only or busy: the next load hashes again, which is correct, only slower
