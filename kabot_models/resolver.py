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

The common case (an alias, full id or unique short id) is a few dict lookups and builds nothing;
the forgiving-form indices are built on the first miss, and names are checked for length and
control characters only on a miss (a dict hit is a catalogued, hence valid, name).
"""

from __future__ import annotations

import os

from .errors import AmbiguousModelError, UnknownModelError
from .patterns import MAX_NAME_LENGTH, MODEL_ID_PATTERN, PATTERN_HELP

TYPE_CHECKING = False  # typing and dataclasses cost more than a whole registry load; type checkers only
if TYPE_CHECKING:
    from typing import Any

    from .registry import ModelRegistry

MAX_ALIAS_DEPTH = 32
"""Most aliases one name may pass through (an alias naming an alias ...) before reaching a model;
a longer chain is refused, naming this limit."""

_CONTROL = r"[\x00-\x1f\x7f-\x9f]"

# A dated snapshot's suffix. Four forms are recognised, no more:
#   -YYYYMMDD   claude-3-5-sonnet-20241022
#   -YYYY-MM-DD gpt-4o-2024-08-06
#   @YYYYMMDD   claude-3-5-sonnet@20240620 (Vertex AI)
#   -MMDD       gpt-4-0613 (month 01-12, day 01-31, so `-2024` or `-8192` are not dates)
_DATED = (
    r"(?:-(?P<ymd>(?:19|20)\d{6})|-(?P<iso>(?:19|20)\d{2}-\d{2}-\d{2})|@(?P<at>(?:19|20)\d{6})"
    r"|-(?P<md>(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])))$"
)
_WARN_STATUSES = ("deprecated", "retired")


def _search(pattern: str, text: str) -> Any:
    """`re.search`, with `re` imported only when a miss needs it (it costs a tenth of a bare start)."""
    import re  # re caches compiled patterns

    return re.search(pattern, text)


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
    m = _search(_DATED, name)
    if m is None:
        return None
    digits = m.group("ymd") or m.group("at") or (m.group("iso") or "").replace("-", "") or "0000" + m.group("md")
    return name[: m.start()], digits


def check_name(name: object) -> str:
    """The name with surrounding whitespace removed; `UnknownModelError` when it cannot be a model name."""
    if not isinstance(name, str):
        raise UnknownModelError(repr(name), reason=f"a model name must be a string, not {type(name).__name__}")
    if len(name) > MAX_NAME_LENGTH:
        shown = name[:40] + "..."
        raise UnknownModelError(
            shown, reason=f"model name {shown!r} is {len(name):,} characters long; the limit is {MAX_NAME_LENGTH}"
        )
    stripped = name.strip()
    if not stripped:
        raise UnknownModelError(name, reason="model name is empty")
    bad = _search(_CONTROL, stripped)
    if bad is not None:
        raise UnknownModelError(
            stripped, reason=f"model name {stripped!r} contains the control character {bad.group()!r}; remove it"
        )
    return stripped


CONFIG_CACHE = "config-cache.json"
"""The validated user config as JSON, in the data dir, keyed by the config file's identity."""


def read_user_config() -> dict[str, Any]:
    """The user's config as plain data (`{}` when there is none).

    Parsing and validating YAML takes YAML and pydantic (a quarter second cold), so the validated
    result is cached as JSON beside the database and reused while the file's path, inode, size and
    mtime are unchanged: a user with a config still resolves without importing either.
    """
    from .paths import config_path_str, data_dir_str

    path = config_path_str()
    try:
        st = os.stat(path)
    except OSError:
        return {}
    import json

    signature = [path, st.st_ino, st.st_size, st.st_mtime_ns]
    cache = os.path.join(data_dir_str(), CONFIG_CACHE)
    try:
        with open(cache, encoding="utf-8") as fh:
            cached = json.load(fh)
        if cached["signature"] == signature and isinstance(cached["config"].get("aliases"), dict):
            return cached["config"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass  # no cache, or one from another file or version: validate afresh
    from .config import load_config

    from pathlib import Path

    config = load_config(Path(path))
    try:
        os.makedirs(os.path.dirname(cache), mode=0o700, exist_ok=True)
        tmp = os.path.join(os.path.dirname(cache), f".{CONFIG_CACHE}.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump({"signature": signature, "config": config}, fh)
        os.replace(tmp, cache)
    except OSError:
        pass  # a read-only data dir only costs the next start the validation again
    return config


class Resolver:
    """The resolution rules over one registry's indices, plus the user config's aliases.

    The registry owns the indices and calls `invalidate()` when its contents change.
    """

    def __init__(self, registry: ModelRegistry, user_config: dict[str, Any] | None = None) -> None:
        self.registry = registry
        self.user_config = read_user_config() if user_config is None else user_config
        self._stored: dict[str, Any] | None = None
        """The user config (plain data, as `config.load_config` returns it)."""
        self._user: dict[str, str] = self.user_config.get("aliases") or {}
        self._forgiving: _ForgivingIndex | None = None
        self._based: dict[str, str] = {}
        """short id -> the owner the others are based on (a tie-break that no setting can change)"""

    def invalidate(self) -> None:
        """Forget the indices derived from the registry's contents (they are rebuilt on the next miss)."""
        self._forgiving = None
        self._based.clear()

    # -- the entry points ------------------------------------------------------------------
    def resolve(self, name: str, user_aliases: dict[str, str] | None = None) -> str:
        """The full id `name` stands for; warns (`ModelStatusWarning`) when the model is deprecated or retired.

        Raises `UnknownModelError` or `AmbiguousModelError` (both `ResolutionError`, a `LookupError`).
        """
        # Fast path: the same rules as `_resolve`, as bare dict lookups, for the common hits.
        if isinstance(name, str) and not ((user_aliases and name in user_aliases) or name in self._user):
            target = self._fast(name)
            if target is None and self._forgiving is not None and not (user_aliases or self._user):
                target = self._fast_forgiving(name)
            if target is not None:
                rec = self.registry._models.get(target)
                if rec is not None:
                    if rec.get("status") in _WARN_STATUSES:
                        _warn(self.status_warning(target))
                    return target
        res = self.explain(name, user_aliases)
        if res.warning:
            _warn(res.warning)
        return res.id

    def _fast(self, name: str) -> str | None:
        """Catalog alias, full id or short id whose winner is settled: dict hits only, no tracing."""
        target = self.registry._aliases.get(name)
        if target is not None:
            return target
        if name in self.registry._models:
            return name
        if "/" in name:
            full_id = self._via_provider_alias(name)
            if full_id is not None:
                return full_id
        owners = self.registry._short.get(name)
        if owners is not None:
            if len(owners) == 1 and owners[0] not in self.registry._bases:
                return owners[0]
            return self._based.get(name)
        return None

    def _fast_forgiving(self, name: str) -> str | None:
        """A forgiving spelling that names exactly one catalogued name, once the index exists."""
        index = self._forgiving
        assert index is not None
        found = (index.full if "/" in name else index.names).get(normalise(name))
        if found is not None and len(found) == 1:
            return self._fast(found[0])
        return None

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
            uncatalogued=full_id not in self.registry._models,
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
                ids = self.registry._provider_ids
                canon = (ids.get(pid) or ids.get(pid.lower())) if slash else None
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
        target = self.registry._aliases.get(name)
        if target is not None:
            if trace is not None:
                trace.fired("catalog alias", name, target)
            if target in self.registry._models or name in chain:
                return target
            # An alias registered at run time (Kabot's register_alias) may name a short id or another alias.
            return self._exact(target, trace, chain + (name,)) or target
        if name in self.registry._models:
            if trace is not None:
                trace.fired("full id", name, name)
            return name
        if "/" in name:
            full_id = self._via_provider_alias(name)
            if full_id is not None:
                if trace is not None:
                    trace.fired("provider alias", name, full_id)
                return full_id
        owners = self.registry._short.get(name)
        if owners is not None:
            winner = self._pick_short(name, owners)
            if trace is not None:
                trace.fired("short name", name, winner, list(owners))
            return winner
        return None

    def _via_provider_alias(self, name: str) -> str | None:
        """`x-ai/grok-4.7` -> `xai/grok-4.7` when that model exists. Checked before short ids: a
        provider alias names that provider's model, not a gateway's copy spelled the same."""
        pid, rest = name.split("/", 1)
        canon = self.registry._provider_ids.get(pid)
        if canon is not None and canon != pid and f"{canon}/{rest}" in self.registry._models:
            return f"{canon}/{rest}"
        return None

    def _root(self, full_id: str) -> str:
        """The model an entry offers: its `base`, followed to the end (the catalog forbids cycles)."""
        models, bases = self.registry._models, self.registry._bases
        seen = {full_id}
        while True:
            base = bases.get(full_id)
            if base is None or base not in models or base in seen:
                return full_id
            seen.add(base)
            full_id = base

    def _pick_short(self, name: str, owners: list[str]) -> str:
        """The model a short id names when entries share it (or one is a copy), by the tie-breaks in
        docs/models/resolution.md; else `AmbiguousModelError`."""
        roots = {self._root(o) for o in owners}
        if len(roots) == 1:
            # Every owner is, or offers, the same model: the name means that model itself.
            winner = roots.pop()
            if winner != owners[0] or len(owners) > 1:
                self._based[name] = winner
            return winner
        models, providers = self.registry._models, self.registry._providers
        # A name the catalog gives keeps its meaning whatever a scan found since.
        candidates = [o for o in owners if models[o].get("origin") != "scan"] or list(owners)
        for keep in (
            lambda o: self.is_configured(o.split("/", 1)[0]),
            lambda o: providers.get(o.split("/", 1)[0], {}).get("kind") == "first-party",
            lambda o: _keyword_match(providers.get(o.split("/", 1)[0], {}), name),
        ):
            if len(candidates) == 1:
                return candidates[0]
            narrowed = [o for o in candidates if keep(o)]
            if narrowed:
                candidates = narrowed
        if len(candidates) == 1:
            return candidates[0]
        priority = {o: providers.get(o.split("/", 1)[0], {}).get("priority", 100) for o in candidates}
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
        block = self.registry._providers.get(provider_id)
        if block is not None:
            # A gateway reading a first-party provider's variable (aihubmix reads OPENAI_API_KEY) is
            # not configured by it: that key is the first party's, not a wish to use the gateway.
            borrowed = self.registry.first_party_env_vars() if block.get("kind") != "first-party" else ()
            if any(os.environ.get(var) and var not in borrowed for var in block.get("auth", {}).get("env", ())):
                return True
        return provider_id in self._stored_keys()

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
        canon = self.registry._provider_ids.get(pid) or self.registry._provider_ids.get(pid.lower()) if slash else None
        if canon is not None and not rest.strip():
            raise UnknownModelError(name, reason=f"{name!r} names the provider {canon!r} but no model; write {canon}/<model id>")
        forgiving = self._forgiving_index()
        hit = forgiving.lookup(self, name, canon, rest, trace)
        if hit is not None:
            return hit
        if canon is not None:
            if _search(MODEL_ID_PATTERN, rest) is None:
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
        rec = self.registry._models.get(full_id)
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

    def __init__(self, registry: ModelRegistry) -> None:
        self.full: dict[str, list[str]] = {}
        """normalised full id -> full ids"""
        self.names: dict[str, list[str]] = {}
        """normalised alias or short id -> those names as catalogued"""
        self.undated_full: dict[str, list[tuple[str, str]]] = {}
        """normalised full id without its date -> (date, full id)"""
        self.undated_names: dict[str, list[tuple[str, str]]] = {}
        """normalised short id without its date -> (date, short id)"""
        self._registry = registry
        self._spellings: dict[str, str] | None = None
        scan_only = registry._scan_only
        for full_id in registry._models:
            if full_id in scan_only:  # a model only a scan knows is named exactly, never by a forgiving form
                continue
            short = full_id.split("/", 1)[1]
            _add(self.full, normalise(full_id), full_id)
            _add(self.names, normalise(short), short)
            dated = undated(short)
            if dated is not None:
                stem, date = dated
                _add(self.undated_full, normalise(full_id[: len(full_id) - len(short)] + stem), (date, full_id))
                _add(self.undated_names, normalise(stem), (date, short))
        for alias in registry._aliases:
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
        models = self._registry._models
        releases = [self._release(models, name) for _, name in snapshots]
        if all(releases):
            keyed = list(zip(releases, (n for _, n in snapshots)))
        else:
            keyed = list(snapshots)
        best = max(k for k, _ in keyed)
        return sorted({n for k, n in keyed if k == best})

    def _release(self, models: dict[str, dict[str, Any]], name: str) -> str:
        owners = [name] if name in models else self._registry._short.get(name, [])
        dates = [str(models[o].get("release_date") or "") for o in owners]
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
        import difflib

        if self._spellings is None:
            spellings: dict[str, str] = {}
            for full_id in self._registry._models:
                spellings.setdefault(full_id.lower(), full_id)
                spellings.setdefault(full_id.split("/", 1)[1].lower(), full_id.split("/", 1)[1])
            for alias in self._registry._aliases:
                spellings.setdefault(alias.lower(), alias)
            self._spellings = spellings
        out: list[str] = []
        for match in difflib.get_close_matches(name.lower(), self._spellings, n=n * 3, cutoff=0.5):
            spelling = self._spellings[match]
            if spelling not in self._registry._models and spelling not in self._registry._aliases:
                spelling = resolver.find(spelling) or spelling  # a short id: show the id it resolves to
            if spelling not in out:
                out.append(spelling)
        return out[:n]


def _add(index: dict[str, list[Any]], key: str, value: Any) -> None:
    bucket = index.setdefault(key, [])
    if value not in bucket:
        bucket.append(value)
