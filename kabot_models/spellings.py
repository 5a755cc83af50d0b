"""The forms a name is found by when it is not typed exactly, and the index of them.

Two jobs, both over the names of a catalog (full ids, short ids, aliases):

- forgiving forms (resolution rule 5): a name in any case with `.` `-` `_` alike (`normalise`),
  and a dated snapshot asked for without its date (`undated`);
- suggestions for a miss: the names that share the most three-letter pieces with it (`trigrams`),
  ranked by Dice's coefficient, for difflib to order.

`Spellings` holds both indices in memory. The snapshot stores the same index when a catalog is
compiled (`snapshot.SnapshotSpellings` reads it on demand), so a process's first miss need not
build it over every name: at 100k models that build took seconds. Both answer the same two
questions (`forms`, `candidates`); the ranking is one function, `nearest`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

FULL, NAME, UNDATED_FULL, UNDATED_NAME = 0, 1, 2, 3
"""Kinds of forgiving form: normalised full id -> full ids; normalised short id or alias -> those
names; the same two without a date suffix -> (date, full id) and (date, short id)."""

CANDIDATES = 50
"""Names handed to difflib: many more than it returns, so its choice is (nearly always) the one over every name."""
COMMON = 2_000
"""A piece found in more names than this is skipped once rarer pieces have found candidates."""

# A dated snapshot's suffix. Four forms are recognised, no more:
#   -YYYYMMDD   claude-3-5-sonnet-20241022
#   -YYYY-MM-DD gpt-4o-2024-08-06
#   @YYYYMMDD   claude-3-5-sonnet@20240620 (Vertex AI)
#   -MMDD       gpt-4-0613 (month 01-12, day 01-31, so `-2024` or `-8192` are not dates)
_DATED_PATTERN = (
    r"(?:-(?P<ymd>(?:19|20)\d{6})|-(?P<iso>(?:19|20)\d{2}-\d{2}-\d{2})|@(?P<at>(?:19|20)\d{6})"
    r"|-(?P<md>(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])))$"
)


def normalise(name: str) -> str:
    """The forgiving form of a name: lower case, with `.` and `_` spelled as `-`."""
    return name.lower().replace(".", "-").replace("_", "-")  # str.translate is ~5x slower


def undated(name: str) -> tuple[str, str] | None:
    """`(name without its date suffix, sortable date)` for a dated snapshot id, else None.

    The sortable date is `YYYYMMDD`; an `-MMDD` suffix has no year and sorts as `0000MMDD`.
    """
    m = re.search(_DATED_PATTERN, name)  # compiled on first use (a miss), not at import: it costs more than a resolve
    if m is None:
        return None
    digits = m.group("ymd") or m.group("at") or (m.group("iso") or "").replace("-", "") or "0000" + m.group("md")
    return name[: m.start()], digits


def trigrams(text: str) -> set[str]:
    """The three-letter pieces of `text`, its two ends marked (so short names have pieces too)."""
    padded = f"\x02{text}\x03"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def forgiving_rows(full_ids: Iterable[str], aliases: Iterable[str]) -> Iterable[tuple[int, str, str, str]]:
    """`(kind, key, name, date)` for every forgiving form of these names (date: `""` unless undated)."""
    for full_id in full_ids:
        short = full_id.split("/", 1)[1]
        yield FULL, normalise(full_id), full_id, ""
        yield NAME, normalise(short), short, ""
        dated = undated(short)
        if dated is not None:
            stem, date = dated
            yield UNDATED_FULL, normalise(full_id[: len(full_id) - len(short)] + stem), full_id, date
            yield UNDATED_NAME, normalise(stem), short, date
    for alias in aliases:
        yield NAME, normalise(alias), alias, ""


def suggestion_names(full_ids: Iterable[str], aliases: Iterable[str]) -> dict[str, str]:
    """Lower-cased name -> the name as catalogued, for every full id, short id and alias (first spelling wins)."""
    spellings: dict[str, str] = {}
    for full_id in full_ids:
        spellings.setdefault(full_id.lower(), full_id)
        short = full_id.split("/", 1)[1]
        spellings.setdefault(short.lower(), short)
    for alias in aliases:
        spellings.setdefault(alias.lower(), alias)
    return spellings


def postings(keys: Sequence[str]) -> dict[str, list[int]]:
    """Three-letter piece -> positions in `keys` of the names that hold it, in order."""
    index: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        for piece in trigrams(key):
            bucket = index.get(piece)
            if bucket is None:
                index[piece] = [i]
            else:
                bucket.append(i)
    return index


def nearest(query: str, counts: dict[str, int], bucket: Callable[[str], Sequence[int]], length: Callable[[int], int],
            limit: int = CANDIDATES) -> list[int]:
    """Positions of the `limit` names most like `query` by Dice's coefficient over shared pieces.

    `counts` says how many names hold each piece of `query` (pieces no name holds left out),
    `bucket(piece)` gives their positions and `length(i)` a name's length. Rare pieces are counted
    first, and a piece nearly every name has is not even read once rarer ones found candidates, so
    a query costs about the same at 100k names as at 2k.
    """
    import heapq
    from collections import Counter

    shared: Counter[int] = Counter()
    for piece in sorted(counts, key=counts.__getitem__):
        if counts[piece] > COMMON and shared:
            break  # the rest are as common or more
        shared.update(bucket(piece))
    size = len(query)
    return [i for i, _ in heapq.nlargest(limit, shared.items(), key=lambda hit: hit[1] / (length(hit[0]) + size))]


class Spellings:
    """The forgiving forms and suggestion pieces of a set of names, in memory.

    `unforgiving` full ids (models only a scan knows) are suggested but have no forgiving form.
    The suggestion index is built on the first `candidates` call.
    """

    def __init__(self, full_ids: Iterable[str], aliases: Iterable[str], unforgiving: Iterable[str] = ()) -> None:
        full_ids, aliases = list(full_ids), list(aliases)
        skip = set(unforgiving)
        self._forms: dict[tuple[int, str], list[Any]] = {}
        for kind, key, name, date in forgiving_rows((i for i in full_ids if i not in skip), aliases):
            bucket = self._forms.setdefault((kind, key), [])
            value = (date, name) if date else name
            if value not in bucket:
                bucket.append(value)
        self._names = (full_ids, aliases)
        self._keys: list[str] = []
        self._shown: dict[str, str] | None = None
        self._postings: dict[str, list[int]] = {}
        self._lengths: list[int] = []

    def forms(self, kind: int, key: str) -> list[Any]:
        """The names (`FULL`, `NAME`) or `(date, name)` pairs (`UNDATED_*`) whose forgiving form is `key`."""
        return self._forms.get((kind, key), [])

    def form_rows(self) -> Iterable[tuple[int, str, str, str]]:
        """Every forgiving form as `(kind, key, name, date)`, each name once per form (what a snapshot stores)."""
        for (kind, key), values in self._forms.items():
            for value in values:
                date, name = value if isinstance(value, tuple) else ("", value)
                yield kind, key, name, date

    def suggestion_index(self) -> tuple[list[str], dict[str, str], dict[str, list[int]]]:
        """The lower-cased names, each one's catalogued spelling, and piece -> positions (built once)."""
        if self._shown is None:
            self._shown = suggestion_names(*self._names)
            self._keys = list(self._shown)
            self._postings = postings(self._keys)
            self._lengths = [len(k) for k in self._keys]
        return self._keys, self._shown, self._postings

    def candidates(self, query: str) -> list[tuple[str, str]]:
        """`(lower-cased name, name as catalogued)` of the names most like `query` (lower case), best first."""
        keys, shown, index = self.suggestion_index()
        counts = {p: len(index[p]) for p in trigrams(query) if p in index}
        found = nearest(query, counts, index.__getitem__, self._lengths.__getitem__)
        return [(keys[i], shown[keys[i]]) for i in found]
