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

import re
from typing import TYPE_CHECKING, Any

from .errors import AmbiguousModelError, UnknownModelError
from .names import MAX_ALIAS_DEPTH, check_name
from .patterns import MODEL_ID_PATTERN, PATTERN_HELP
from .spellings import FULL, NAME, UNDATED_FULL, UNDATED_NAME, Spellings, normalise, undated

__all__ = ["ModelStatusWarning", "Resolution", "Resolver", "normalise", "undated"]

if TYPE_CHECKING:
    from .registry import Registry


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
                if answer[1] is not None:
                    _warn(answer[1])
                return answer[0]
        res = self._explain_remembered(name, user_aliases, remember)
        if res.warning:
            _warn(res.warning)
        return res.id

    def _explain_remembered(self, name: str, user_aliases: dict[str, str] | None, remember: bool) -> Resolution:
        """`explain`, its answer remembered when no setting decided it and the registry did not change
        meanwhile (apart from `resolve`, whose hit path a closure here would slow down)."""
        unsettled = self._unsettled
        stamp = self.registry.changes
        res = self.explain(name, user_aliases)
        if remember and self._unsettled == unsettled:
            self.registry.keep_if_unchanged(stamp, lambda: self._remember(name, (res.id, res.warning)))
        return res

    def _remember(self, name: str, answer: tuple[str, str | None]) -> None:
        if len(self._answers) >= _MAX_ANSWERS:
            self._answers.clear()  # a process asking for endless new names gets bounded memory
        self._answers[name] = answer

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
        except (AmbiguousModelError, _AliasCycle):
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
        except _AliasCycle:
            return None
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
            _check_depth(chain, name)
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
            _check_depth(chain, name)
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
        # A copy stands for the model it offers, as when every owner offers one model: a configured
        # gateway's copy never outranks the first party's model it is based on.
        candidates = list(dict.fromkeys(self._root(o) for o in candidates))
        first_party = lambda o: self._provider_block(o.split("/", 1)[0]).get("kind") == "first-party"  # noqa: E731
        for keep in (
            # A gateway's or cloud's copy that is retired (today's status) never answers while another
            # entry does; a first party's retired model still does, with its warning and successor.
            lambda o: first_party(o) or registry.status_of(o) != "retired",
            lambda o: self.is_configured(o.split("/", 1)[0]),
            first_party,
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
        """The tie-break's "configured provider": `configured.provider_configured` with the user
        config's settings, the environment and the credentials file. Resolving never asks a server,
        so a local provider (which counts only when its server answers) does not break ties here."""
        block = self._provider_block(provider_id)
        if not block:
            return False
        from .configured import provider_configured

        settings = (self.user_config.get("providers") or {}).get(provider_id)
        return provider_configured(block, settings=settings, stored=self._stored_keys(),
                                   borrowed=self.registry.first_party_env_vars()).ok

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
            from .errors import CredentialsError, UnsafeFileError

            try:
                self._stored = load_credentials()
            except (CredentialsError, UnsafeFileError):
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
            if re.search(MODEL_ID_PATTERN, rest) is None:  # compiled on first use: only a pass-through asks
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
        index = self._forgiving
        if index is None:
            # Built from a copy of the contents; kept only if they did not change meanwhile (another
            # thread may be registering models), else used for this one lookup.
            stamp = self.registry.changes
            index = _ForgivingIndex(self.registry)
            self.registry.keep_if_unchanged(stamp, lambda: setattr(self, "_forgiving", index))
        return index

    # -- status --------------------------------------------------------------------------------
    def status_warning(self, full_id: str) -> str | None:
        """A one-line warning for a deprecated or retired model, naming its successor; None otherwise."""
        if self.registry.status_of(full_id) not in _WARN_STATUSES:
            return None  # an active model: no record read
        rec = self.registry.record(full_id) if self.registry.has_id(full_id) else None
        if rec is None or rec.get("status") not in _WARN_STATUSES:
            return None
        status = rec["status"]
        retires = rec.get("retirement_date")
        if retires:
            when = f" (served until {retires})" if status == "deprecated" else f" (since {retires})"
        else:
            when = f" (deprecated {rec['deprecation_date']})" if rec.get("deprecation_date") else ""
        text = f"{full_id} is {status}{when}"
        successor = rec.get("successor")
        return text + (f"; use {successor} instead" if successor else "; the catalog names no successor")


class _AliasCycle(UnknownModelError):
    """A loop of aliases, or a chain longer than `MAX_ALIAS_DEPTH`: reported once, naming the
    aliases, not wrapped per alias."""


def _check_depth(chain: tuple[str, ...], name: str) -> None:
    """Refuse to follow `name` when the aliases followed so far are already `MAX_ALIAS_DEPTH` long."""
    if len(chain) >= MAX_ALIAS_DEPTH:
        start = chain[0] if chain else name
        raise _AliasCycle(start, reason=f"alias {start!r} passes through more than {MAX_ALIAS_DEPTH} aliases "
                                        "(each naming the next); point it at a model id")


def _keyword_match(provider: dict[str, Any], name: str) -> bool:
    """True when a word of `name` starts with one of the provider's keywords (`glm-5.1` and zai's `glm`)."""
    words = normalise(name).replace("/", "-").split("-")
    return any(word.startswith(kw) for kw in provider.get("keywords", ()) for word in words if kw)


def _warn(message: str | None) -> None:
    import warnings

    warnings.warn(message or "", ModelStatusWarning, stacklevel=4)


class _ForgivingIndex:
    """The forgiving forms and suggestions of the registry's names.

    Its sources: the spelling index stored with the catalog the registry was loaded from (a
    snapshot's, read on demand), plus one built here over the names added since; or, when none was
    stored, one built here over every name. A stored answer is checked against the registry, since
    a name it knew may have been replaced since.
    """

    def __init__(self, registry: Registry) -> None:
        self._registry = registry
        stored = registry.stored_spellings()
        ids, aliases = (list(registry.ids()), list(registry.aliases())) if stored is None else registry.names_added()
        # A model only a scan knows is suggested, never named by a forgiving form.
        built = Spellings(ids, aliases, unforgiving=[i for i in ids if registry.is_scan_only(i)])
        self._sources = [built] if stored is None else [stored, built]

    def _forms(self, kind: int, key: str) -> list[Any]:
        """What every source gives for a forgiving form, left out what no longer names anything."""
        out: list[Any] = []
        for source in self._sources:
            for value in source.forms(kind, key):
                name = value[1] if isinstance(value, tuple) else value
                if value not in out and self._names_something(name, forgiving=True):
                    out.append(value)
        return out

    def _names_something(self, name: str, forgiving: bool = False) -> bool:
        registry = self._registry
        if registry.has_id(name):
            return not (forgiving and registry.is_scan_only(name))
        return registry.alias_target(name) is not None or bool(registry.short_owners(name))

    def lookup(self, resolver: Resolver, name: str, canon: str | None, rest: str, trace: _Trace) -> str | None:
        """The one model a forgiving form of `name` names, None when none does; ambiguous forms raise."""
        keys = []
        if canon is not None:
            keys.append((FULL, UNDATED_FULL, normalise(f"{canon}/{rest}")))
        keys.append((NAME, UNDATED_NAME, normalise(name)))
        for spelled, dated, key in keys:
            found = self._forms(spelled, key)
            if found:
                return self._one(resolver, name, found, "forgiving: case/punctuation", trace)
            snapshots = self._forms(dated, key)
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
        """Up to `n` aliases or full ids closest to `name` (a short id that matches is shown as its full id).

        Each source narrows its names to the few dozen most like `name` (`spellings.nearest`), and
        difflib ranks what they found together.
        """
        import difflib

        query = name.lower()
        shown: dict[str, str] = {}
        for source in self._sources:
            for key, spelling in source.candidates(query):
                if key not in shown and self._names_something(spelling):
                    shown[key] = spelling
        registry = self._registry
        out: list[str] = []
        for key in difflib.get_close_matches(query, list(shown), n=n * 3, cutoff=0.5):
            spelling = shown[key]
            if not registry.has_id(spelling) and registry.alias_target(spelling) is None:
                spelling = resolver.find(spelling) or spelling  # a short id: show the id it resolves to
            if spelling not in out:
                out.append(spelling)
        return out[:n]
