"""Turn what a person types (`sonnet`, `gpt-4o`, `gemini/gemini-2.5-pro`) into exactly one full id.

The rules, first hit wins (docs/models/resolution.md has them with examples):

1. user alias: the `user_aliases` argument, then the user config's `aliases:`; a user alias may
   point at another name, which is resolved in turn (cycles are refused)
2. catalog or plugin alias
3. full id exactly as catalogued, then a short id (the part after `provider/`); several providers
   carrying the same short id are told apart by: the entry the others are `base`d on, then the one
   provider that is configured (key in the environment or in the user config), then the provider
   with the lowest `priority`; otherwise the name is ambiguous
4. full id with a provider alias (`gemini/gemini-2.5-pro` -> `google/gemini-2.5-pro`)
5. forgiving forms, each only when it names one model: any case, `.` `-` `_` alike, and a dated
   snapshot asked for without its date (`claude-3-5-sonnet` -> the newest `claude-3-5-sonnet-*`)
6. `provider/anything` with a known provider passes through as an uncatalogued full id

Anything else is an `UnknownModelError` naming the closest ids.

Each rule has one implementation (`Resolver._resolve` and what it calls). `resolve` remembers the
answers those rules gave for names asked before (only answers no setting can change), so a repeated
name costs one dict lookup; the forgiving-form and suggestion indices are built on the first miss.
The resolver reads the registry through its public methods only.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

from .errors import AmbiguousModelError, UnknownModelError
from .names import check_name
from .patterns import MODEL_ID_PATTERN, PATTERN_HELP

if TYPE_CHECKING:
    from .registry import Registry


# A dated snapshot's suffix. Four forms are recognised, no more:
#   -YYYYMMDD   claude-3-5-sonnet-20241022
#   -YYYY-MM-DD gpt-4o-2024-08-06
#   @YYYYMMDD   claude-3-5-sonnet@20240620 (Vertex AI)
#   -MMDD       gpt-4-0613 (month 01-12, day 01-31, so `-2024` or `-8192` are not dates)
_DATED = re.compile(
    r"(?:-(?P<ymd>(?:19|20)\d{6})|-(?P<iso>(?:19|20)\d{2}-\d{2}-\d{2})|@(?P<at>(?:19|20)\d{6})"
    r"|-(?P<md>(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])))$"
)
_MODEL_ID = re.compile(MODEL_ID_PATTERN)
_WARN_STATUSES = ("deprecated", "retired")
_MAX_ANSWERS = 65_536
"""Most answers a resolver remembers; past that it starts afresh."""


class ModelStatusWarning(UserWarning):
    """Issued when a name resolves to a deprecated or retired model; the message names the successor."""


class Resolution:
    """What `explain()` returns: the id a name resolved to, the rule that decided it, and why."""

    __slots__ = ("query", "id", "rule", "candidates", "steps", "warning", "uncatalogued")

    def __init__(
        self, query: str, id: str, rule: str, candidates: list[str] | None = None, steps: list[str] | None = None,
        warning: str | None = None, uncatalogued: bool = False,
    ) -> None:
        self.query = query
        """The name as asked for."""
        self.id = id
        """The full id it resolved to."""
        self.rule = rule
        """The first rule that fired: `user alias`, `catalog alias`, `full id`, `short name`,
        `provider alias`, `forgiving: case/punctuation`, `forgiving: dated snapshot` or `pass-through`."""
        self.candidates = candidates or []
        """The full ids the deciding rule weighed (one when there was no choice to make)."""
        self.steps = steps or []
        """Every rule that fired, in order (several when an alias points at another name)."""
        self.warning = warning
        """Set when the model is deprecated or retired: what to use instead."""
        self.uncatalogued = uncatalogued
        """True when the id passed through without a catalog entry."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Resolution) and self.as_dict() == other.as_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "Resolution(" + ", ".join(f"{k}={v!r}" for k, v in self.as_dict().items()) + ")"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "query": self.query,
            "id": self.id,
            "rule": self.rule,
            "candidates": self.candidates,
            "steps": self.steps,
            "warning": self.warning,
            "uncatalogued": self.uncatalogued,
        }


class _Trace:
    """Collects the rules that fire while one name is resolved (only on the explained path)."""

    def __init__(self) -> None:
        self.rule = ""
        self.candidates: list[str] = []
        self.steps: list[str] = []

    def fired(self, rule: str, name: str, target: str, candidates: list[str] | None = None) -> None:
        if not self.rule:
            self.rule = rule
        if candidates is not None and (not self.candidates or len(candidates) > 1):
            self.candidates = candidates
        self.steps.append(f"{rule}: {name} -> {target}")


def normalise(name: str) -> str:
    """The forgiving form of a name: lower case, with `.` and `_` spelled as `-`."""
    return name.lower().replace(".", "-").replace("_", "-")  # str.translate is ~5x slower


def undated(name: str) -> tuple[str, str] | None:
    """`(name without its date suffix, sortable date)` for a dated snapshot id, else None.

    The sortable date is `YYYYMMDD`; an `-MMDD` suffix has no year and sorts as `0000MMDD`.
    """
    m = _DATED.search(name)
    if m is None:
        return None
    digits = m.group("ymd") or m.group("at") or (m.group("iso") or "").replace("-", "") or "0000" + m.group("md")
    return name[: m.start()], digits


class Resolver:
    """The resolution rules over one registry's indices, plus the user config's aliases.

    The registry owns the indices and calls `invalidate()` when its contents change.
    """

    def __init__(self, registry: Registry, user_config: dict[str, Any]) -> None:
        self.registry = registry
        self.user_config = user_config
        """The user config (plain data, as `config.load_config` returns it)."""
        self._user: dict[str, str] = self.user_config.get("aliases") or {}
        self._stored: dict[str, Any] | None = None
        self._forgiving: _ForgivingIndex | None = None
        self._answers: dict[str, tuple[str, str | None]] = {}
        """name -> (full id, status warning) the rules gave it, for answers no setting can change"""
        self._unsettled = 0
        """How many tie-breaks have consulted a setting (a key, the config): such answers are not remembered."""

    def invalidate(self) -> None:
        """Forget what was derived from the registry's contents (answers, forgiving forms); rebuilt on next need."""
        self._forgiving = None
        self._answers.clear()

    # -- the entry points ------------------------------------------------------------------
    def resolve(self, name: str, user_aliases: dict[str, str] | None = None) -> str:
        """The full id `name` stands for; warns (`ModelStatusWarning`) when the model is deprecated or retired.

        Raises `UnknownModelError` or `AmbiguousModelError` (both `ResolutionError`, a `LookupError`).
        """
        remember = not user_aliases and isinstance(name, str)
        if remember:
            answer = self._answers.get(name)
            if answer is not None:
                if answer[1]:
                    _warn(answer[1])
                return answer[0]
        unsettled = self._unsettled
        res = self.explain(name, user_aliases)
        if remember and self._unsettled == unsettled:
            if len(self._answers) >= _MAX_ANSWERS:
                self._answers.clear()  # a process asking for endless new names gets bounded memory
            self._answers[name] = (res.id, res.warning)
        if res.warning:
            _warn(res.warning)
        return res.id

    def explain(self, name: str, user_aliases: dict[str, str] | None = None) -> Resolution:
        """Resolve `name` and say how: the rule that fired, the candidates it weighed, any warning."""
        query = name
        name = check_name(name)
        trace = _Trace()
        full_id = self._resolve(name, user_aliases or {}, trace, ())
        return Resolution(
            query=query,
            id=full_id,
            rule=trace.rule,
            candidates=trace.candidates or [full_id],
            steps=trace.steps,
            warning=self.status_warning(full_id),
            uncatalogued=not self.registry.has_id(full_id),
        )

    def find(self, name: str) -> str | None:
        """The full id for an exact alias, full id or short id (tie-breaks applied); None if none or ambiguous."""
        try:
            return self._exact(name, None, ())
        except AmbiguousModelError:
            return None

    def catalog_meaning(self, name: str) -> str | None:
        """What `name` means by rules 2 to 6 (no user aliases, no warnings, no suggestions): the full
        id, `""` when it is ambiguous, None when it names nothing. The scan merge asks this so that
        a scanned model never takes over a name."""
        trace = _Trace()
        try:
            hit = self._exact(name, None, ())
            if hit is None:
                pid, slash, rest = name.partition("/")
                canon = self._provider_of(pid) if slash else None
                hit = self._forgiving_index().lookup(self, name, canon, rest, trace)
                if hit is None and canon is not None:
                    hit = f"{canon}/{rest}"
        except AmbiguousModelError:
            return ""
        return hit

    # -- the rules -----------------------------------------------------------------------------
    def _resolve(self, name: str, user_aliases: dict[str, str], trace: _Trace, chain: tuple[str, ...]) -> str:
        target = user_aliases.get(name)
        if target is None:
            target = self._user.get(name)
        if target is not None:
            if name in chain:
                cycle = " -> ".join(chain[chain.index(name):] + (name,))
                raise _AliasCycle(name, reason=f"user alias cycle: {cycle}; point one of them at a model id")
            trace.fired("user alias", name, target)
            try:
                return self._resolve(check_name(target), user_aliases, trace, chain + (name,))
            except _AliasCycle:
                raise  # already names every alias on the loop
            except UnknownModelError as exc:
                if exc.name == name:  # already about this alias (a cycle through it)
                    raise
                raise UnknownModelError(
                    name, exc.suggestions, reason=f"user alias {name!r} points at {target!r}, which is not a model ({exc})"
                ) from None
        hit = self._exact(name, trace, chain)
        if hit is not None:
            return hit
        spelled = self._user_spelling(name, user_aliases)
        if spelled is not None:  # `Sonnet` for the user's `sonnet`, before any catalog name it hides
            return self._resolve(spelled, user_aliases, trace, chain)
        return self._resolve_miss(name, trace)

    def _user_spelling(self, name: str, user_aliases: dict[str, str]) -> str | None:
        """The one user alias `name` spells forgivingly (case, `.` `-` `_`), else None."""
        key = normalise(name)
        found = {a for aliases in (user_aliases, self._user) for a in aliases if a != name and normalise(a) == key}
        return found.pop() if len(found) == 1 else None

    def _exact(self, name: str, trace: _Trace | None, chain: tuple[str, ...]) -> str | None:
        """Rules 2 to 4: catalog alias, full id, provider-alias full id, short id."""
        registry = self.registry
        target = registry.alias_target(name)
        if target is not None:
            if trace is not None:
                trace.fired("catalog alias", name, target)
            if registry.has_id(target) or name in chain:
                return target
            # An alias registered at run time (Kabot's register_alias) may name a short id or another alias.
            return self._exact(target, trace, chain + (name,)) or target
        if registry.has_id(name):
            if trace is not None:
                trace.fired("full id", name, name)
            return name
        if "/" in name:
            full_id = self._via_provider_alias(name)
            if full_id is not None:
                if trace is not None:
                    trace.fired("provider alias", name, full_id)
                return full_id
        owners = registry.short_owners(name)
        if owners:
            winner = self._pick_short(name, owners)
            if trace is not None:
                trace.fired("short name", name, winner, list(owners))
            return winner
        return None

    def _via_provider_alias(self, name: str) -> str | None:
        """`x-ai/grok-4.7` -> `xai/grok-4.7` when that model exists. Checked before short ids: a
        provider alias names that provider's model, not a gateway's copy spelled the same."""
        pid, rest = name.split("/", 1)
        canon = self.registry.canonical_provider(pid)
        if canon is not None and canon != pid and self.registry.has_id(f"{canon}/{rest}"):
            return f"{canon}/{rest}"
        return None

    def _root(self, full_id: str) -> str:
        """The model an entry offers: its `base`, followed to the end (the catalog forbids cycles)."""
        registry = self.registry
        seen = {full_id}
        while True:
            base = registry.base_of(full_id)
            if base is None or not registry.has_id(base) or base in seen:
                return full_id
            seen.add(base)
            full_id = base

    def _pick_short(self, name: str, owners: tuple[str, ...]) -> str:
        """The model a short id names when entries share it (or one is a copy), by the tie-breaks in
        docs/models/resolution.md; else `AmbiguousModelError`."""
        roots = {self._root(o) for o in owners}
        if len(roots) == 1:
            # Every owner is, or offers, the same model: the name means that model itself.
            return roots.pop()
        self._unsettled += 1  # the tie-breaks below read the environment, the credentials and the config
        registry = self.registry
        # A name the catalog gives keeps its meaning whatever a scan found since.
        candidates = [o for o in owners if (registry.record(o) or {}).get("origin") != "scan"] or list(owners)
        for keep in (
            lambda o: self.is_configured(o.split("/", 1)[0]),
            lambda o: self._provider_block(o.split("/", 1)[0]).get("kind") == "first-party",
            lambda o: _keyword_match(self._provider_block(o.split("/", 1)[0]), name),
        ):
            if len(candidates) == 1:
                return candidates[0]
            narrowed = [o for o in candidates if keep(o)]
            if narrowed:
                candidates = narrowed
        if len(candidates) == 1:
            return candidates[0]
        priority = {o: self._provider_block(o.split("/", 1)[0]).get("priority", 100) for o in candidates}
        best = min(priority.values())
        top = [o for o in candidates if priority[o] == best]
        if len(top) == 1:
            return top[0]
        raise AmbiguousModelError(name, sorted(owners))

    def is_configured(self, provider_id: str) -> bool:
        """True when the provider's key is in the environment or the credentials file (`auth login`),
        or the user config names the provider."""
        if provider_id in (self.user_config.get("providers") or {}):
            return True
        block = self._provider_block(provider_id) or None
        if block is not None:
            # A gateway reading a first-party provider's variable (aihubmix reads OPENAI_API_KEY) is
            # not configured by it: that key is the first party's, not a wish to use the gateway.
            borrowed = self.registry.first_party_env_vars() if block.get("kind") != "first-party" else ()
            if any(os.environ.get(var) and var not in borrowed for var in block.get("auth", {}).get("env", ())):
                return True
        return provider_id in self._stored_keys()

    def _provider_block(self, provider_id: str) -> dict[str, Any]:
        """The block of the provider with exactly this id (not an alias), else `{}`."""
        block = self.registry.provider_record(provider_id)
        return block if block is not None and block["id"] == provider_id else {}

    def _provider_of(self, pid: str) -> str | None:
        """The provider a `pid/...` prefix names, in any case."""
        return self.registry.canonical_provider(pid) or self.registry.canonical_provider(pid.lower())

    def _stored_keys(self) -> dict[str, Any]:
        """The credentials file's providers, read once (JSON: no YAML import on the resolve path)."""
        if self._stored is None:
            from .credentials import load_credentials
            from .errors import CredentialsError

            try:
                self._stored = load_credentials()
            except CredentialsError:
                self._stored = {}  # only a tie-break hint here; commands that use keys report the broken file
        return self._stored

    def _resolve_miss(self, name: str, trace: _Trace) -> str:
        """Rules 5 and 6, then the error."""
        pid, slash, rest = name.partition("/")
        canon = self._provider_of(pid) if slash else None
        if canon is not None and not rest.strip():
            raise UnknownModelError(name, reason=f"{name!r} names the provider {canon!r} but no model; write {canon}/<model id>")
        forgiving = self._forgiving_index()
        hit = forgiving.lookup(self, name, canon, rest, trace)
        if hit is not None:
            return hit
        if canon is not None:
            if _MODEL_ID.search(rest) is None:
                # What passes through goes to LiteLLM and into URLs: only what a catalog id could be.
                raise UnknownModelError(name, reason=f"{name!r} is not a model id: {PATTERN_HELP[MODEL_ID_PATTERN]}")
            full_id = f"{canon}/{rest}"
            trace.fired("pass-through", name, full_id)
            return full_id
        suggestions = forgiving.closest(self, name)
        if slash:
            reason = f"unknown model {name!r}: no provider is called {pid!r}"
        else:
            reason = f"unknown model {name!r}"
        raise UnknownModelError(name, suggestions, reason=reason)

    def _forgiving_index(self) -> _ForgivingIndex:
        if self._forgiving is None:
            self._forgiving = _ForgivingIndex(self.registry)
        return self._forgiving

    # -- status --------------------------------------------------------------------------------
    def status_warning(self, full_id: str) -> str | None:
        """A one-line warning for a deprecated or retired model, naming its successor; None otherwise."""
        rec = self.registry.record(full_id) if self.registry.has_id(full_id) else None
        if rec is None or rec.get("status") not in _WARN_STATUSES:
            return None
        status = rec["status"]
        when = rec.get("deprecation_date")
        text = f"{full_id} is {status}" + (f" (deprecation date {when})" if when else "")
        successor = rec.get("successor")
        return text + (f"; use {successor} instead" if successor else "; the catalog names no successor")


class _AliasCycle(UnknownModelError):
    """A loop of user aliases: reported once, naming the whole loop, not wrapped per alias."""


def _keyword_match(provider: dict[str, Any], name: str) -> bool:
    """True when a word of `name` starts with one of the provider's keywords (`glm-5.1` and zai's `glm`)."""
    words = normalise(name).replace("/", "-").split("-")
    return any(word.startswith(kw) for kw in provider.get("keywords", ()) for word in words if kw)


def _warn(message: str | None) -> None:
    import warnings

    warnings.warn(message or "", ModelStatusWarning, stacklevel=4)


class _ForgivingIndex:
    """Indices for the forgiving forms and for suggestions, built from the registry in one pass."""

    def __init__(self, registry: Registry) -> None:
        self.full: dict[str, list[str]] = {}
        """normalised full id -> full ids"""
        self.names: dict[str, list[str]] = {}
        """normalised alias or short id -> those names as catalogued"""
        self.undated_full: dict[str, list[tuple[str, str]]] = {}
        """normalised full id without its date -> (date, full id)"""
        self.undated_names: dict[str, list[tuple[str, str]]] = {}
        """normalised short id without its date -> (date, short id)"""
        self._registry = registry
        self._suggestions: _Suggestions | None = None
        for full_id in registry.ids():
            if registry.is_scan_only(full_id):  # a model only a scan knows is named exactly, never by a forgiving form
                continue
            short = full_id.split("/", 1)[1]
            _add(self.full, normalise(full_id), full_id)
            _add(self.names, normalise(short), short)
            dated = undated(short)
            if dated is not None:
                stem, date = dated
                _add(self.undated_full, normalise(full_id[: len(full_id) - len(short)] + stem), (date, full_id))
                _add(self.undated_names, normalise(stem), (date, short))
        for alias in registry.aliases():
            _add(self.names, normalise(alias), alias)

    def lookup(self, resolver: Resolver, name: str, canon: str | None, rest: str, trace: _Trace) -> str | None:
        """The one model a forgiving form of `name` names, None when none does; ambiguous forms raise."""
        keys = []
        if canon is not None:
            keys.append((self.full, self.undated_full, normalise(f"{canon}/{rest}")))
        keys.append((self.names, self.undated_names, normalise(name)))
        for spelled, dated, key in keys:
            found = spelled.get(key)
            if found:
                return self._one(resolver, name, found, "forgiving: case/punctuation", trace)
            snapshots = dated.get(key)
            if snapshots:
                return self._one(resolver, name, self._newest(snapshots), "forgiving: dated snapshot", trace, snapshots)
        return None

    def _newest(self, snapshots: list[tuple[str, str]]) -> list[str]:
        # Release dates, when every snapshot has one, order `-MMDD` ids across years correctly.
        releases = [self._release(name) for _, name in snapshots]
        if all(releases):
            keyed = list(zip(releases, (n for _, n in snapshots)))
        else:
            keyed = list(snapshots)
        best = max(k for k, _ in keyed)
        return sorted({n for k, n in keyed if k == best})

    def _release(self, name: str) -> str:
        registry = self._registry
        owners = (name,) if registry.has_id(name) else registry.short_owners(name)
        dates = [str((registry.record(o) or {}).get("release_date") or "") for o in owners]
        return max(dates) if dates else ""

    def _one(
        self, resolver: Resolver, name: str, spellings: list[str], rule: str, trace: _Trace,
        weighed: list[tuple[str, str]] | None = None,
    ) -> str:
        ids = sorted({resolver._exact(s, None, ()) or s for s in spellings})
        if len(ids) > 1:
            raise AmbiguousModelError(name, ids)
        everything = sorted({resolver._exact(n, None, ()) or n for _, n in weighed}) if weighed else ids
        trace.fired(rule, name, ids[0], everything)
        return ids[0]

    def closest(self, resolver: Resolver, name: str, n: int = 3) -> list[str]:
        """Up to `n` aliases or full ids closest to `name` (a short id that matches is shown as its full id)."""
        registry = self._registry
        if self._suggestions is None:
            spellings: dict[str, str] = {}
            for full_id in registry.ids():
                spellings.setdefault(full_id.lower(), full_id)
                spellings.setdefault(full_id.split("/", 1)[1].lower(), full_id.split("/", 1)[1])
            for alias in registry.aliases():
                spellings.setdefault(alias.lower(), alias)
            self._suggestions = _Suggestions(spellings)
        out: list[str] = []
        for spelling in self._suggestions.closest(name, n * 3):
            if not registry.has_id(spelling) and registry.alias_target(spelling) is None:
                spelling = resolver.find(spelling) or spelling  # a short id: show the id it resolves to
            if spelling not in out:
                out.append(spelling)
        return out[:n]


class _Suggestions:
    """The names closest to a miss, in difflib's order, without running difflib over every name.

    A trigram index narrows the names to the few dozen most like the query by their shared
    three-letter pieces (Dice's coefficient: shared pieces over both lengths, so a long name does
    not win by size alone; rare pieces are counted first, and a piece nearly every name has is
    skipped once rarer ones found candidates), and difflib ranks those. On the packaged catalog
    the top suggestion is difflib-over-every-name's for 399 of 400 random one-letter typos, and the
    top three are the same for 396.
    So a suggestion costs about the same at 100k models as at 2k, where difflib over every name
    grows with the catalog (42 ms at 2k models).
    """

    CANDIDATES = 50
    """Names handed to difflib: many more than it returns, so its choice is (nearly always) the one over every name."""
    COMMON = 2_000
    """A piece found in more names than this is skipped once rarer pieces have found candidates."""

    def __init__(self, spellings: dict[str, str]) -> None:
        self._shown = spellings
        """lower-cased name -> the name as catalogued"""
        self._keys = list(spellings)
        postings: dict[str, list[int]] = {}
        for i, key in enumerate(self._keys):
            for piece in _trigrams(key):
                bucket = postings.get(piece)
                if bucket is None:
                    postings[piece] = [i]
                else:
                    bucket.append(i)
        self._postings = postings

    def closest(self, name: str, n: int) -> list[str]:
        """Up to `n` catalogued names closest to `name` (difflib's ratio, at least 0.5), best first."""
        import difflib
        import heapq
        from collections import Counter

        query = name.lower()
        shared: Counter[int] = Counter()
        for bucket in sorted((self._postings.get(p, []) for p in _trigrams(query)), key=len):
            if len(bucket) > self.COMMON and shared:
                break  # the rest are as common or more
            shared.update(bucket)
        keys, size = self._keys, len(query)
        best = heapq.nlargest(self.CANDIDATES, shared.items(), key=lambda hit: hit[1] / (len(keys[hit[0]]) + size))
        candidates = [keys[i] for i, _ in best]
        return [self._shown[m] for m in difflib.get_close_matches(query, candidates, n=n, cutoff=0.5)]


def _trigrams(text: str) -> set[str]:
    """The three-letter pieces of `text`, its two ends marked (so short names have pieces too)."""
    padded = f"\x02{text}\x03"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _add(index: dict[str, list[Any]], key: str, value: Any) -> None:
    bucket = index.setdefault(key, [])
    if value not in bucket:
        bucket.append(value)
