"""The in-memory registry: every model and provider, indexed for O(1) lookup by any of its names.

A `Registry` holds indices and answers lookups over them. It loads nothing (`loader.load_registry`
fills one from a compiled catalog or a snapshot) and knows no resolution rule: `resolve`,
`explain`, `lookup` and `get` ask the resolver its builder gave it (`resolver.Resolver`, which
works over this class's public methods only).

Records are plain dicts (the compiled catalog's form); `ModelMetadata` objects are built only when
a caller asks for one and then cached, so loading and resolving never import pydantic.

Threads: one registry may be read by many threads while one adds to it (Kabot registers scanned
models while its agent resolves). Every change runs under the registry's lock and bumps `changes`;
lookups are single dict reads, and whatever iterates (listing, filtering, building the resolver's
indices) iterates a copy taken at one moment, so a reader never sees an exception, only the
contents before a change or after it. A cache derived from the contents (the resolver's) is kept
only through `keep_if_unchanged`, so one built from old contents is never kept.
"""

from __future__ import annotations

from _thread import RLock
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from . import lifecycle
from .lifecycle import is_dated, lifecycle_dates, status_on

if TYPE_CHECKING:
    from .catalog import CompiledCatalog
    from .schema import ModelMetadata, ProviderMetadata

ResolverFactory = Callable[["Registry", "dict[str, Any] | None"], Any]
"""Builds the resolver of a registry: `(registry, user config or None for the user's file) -> resolver`."""


class Registry:
    """Models and providers with O(1) lookup by full id, short id, alias and provider-id alias.

    `resolver_factory` makes the object that applies the resolution rules (the loader passes one
    that builds a `resolver.Resolver` with the user's config); it is called on first use.
    """

    def __init__(self, resolver_factory: ResolverFactory | None = None) -> None:
        self._models: Mapping[str, dict[str, Any]] = {}
        """full id -> record (a `snapshot.SnapshotRecords` when loaded from a snapshot)"""
        self._providers: Mapping[str, dict[str, Any]] = {}
        """provider id -> provider block"""
        self._provider_ids: dict[str, str] = {}
        """provider id or provider alias -> provider id"""
        self._aliases: dict[str, str] = {}
        """catalog alias -> full id"""
        self._short: dict[str, list[str]] = {}
        """short id (api id) -> full ids that carry it"""
        self._bases: dict[str, str] = {}
        """full id -> its `base`, for the models that have one (tie-breaks read no record)"""
        self._statuses: dict[str, str] = {}
        """full id -> its stated status, for the models that are not `active`"""
        self._dates: dict[str, tuple[str | None, str | None]] = {}
        """full id -> (deprecation date, retirement date), for the models that have one: their status
        is computed on the day asked (`lifecycle.status_on`)"""
        self._objects: dict[str, ModelMetadata] = {}
        self._scan_only: set[str] = set()
        """full ids of models only a scan knows (they take no part in forgiving forms)"""
        self.source_hash = ""
        """`catalog.catalog_hash` of the catalog loaded last."""
        self.plugin_problems: list[Any] = []
        """Third-party plugins left out of this registry, and why (`plugins.third_party.PluginProblem`)."""
        self._resolver_factory = resolver_factory
        self._resolver: Any = None
        self._lock = RLock()
        self.changes = 0
        """How many times the contents changed: a stamp for caches derived from them (`keep_if_unchanged`)."""
        self._spellings: Any = None
        """The spelling index stored with the compiled catalog loaded (see `stored_spellings`)."""
        self._added: tuple[dict[str, None], dict[str, None]] = ({}, {})
        """(full ids, aliases) added since that catalog was loaded: what its stored spellings lack"""

    # -- building ----------------------------------------------------------------------------
    def add_provider(self, block: dict[str, Any]) -> None:
        """Add (or replace) a provider record."""
        with self._lock:
            pid = block["id"]
            self._providers[pid] = block  # type: ignore[index]
            self._provider_ids[pid] = pid
            for alias in block.get("aliases", ()):
                self._provider_ids.setdefault(alias, pid)
            self._changed()

    def add_model(self, record: dict[str, Any]) -> None:
        """Add (or replace) a model record and index its names."""
        with self._lock:
            full_id = record["id"]
            old = self._models.get(full_id)
            if old is not None:
                for alias in old.get("aliases", ()):
                    if self._aliases.get(alias) == full_id:
                        del self._aliases[alias]
            else:
                self._short.setdefault(full_id.split("/", 1)[1], []).append(full_id)
            self._models[full_id] = record  # type: ignore[index]
            self._added[0][full_id] = None
            self._added[1].update(dict.fromkeys(record.get("aliases", ())))
            self._objects.pop(full_id, None)
            self._scan_only.discard(full_id)
            if record.get("base"):
                self._bases[full_id] = record["base"]
            else:
                self._bases.pop(full_id, None)
            if record.get("status", "active") != "active":
                self._statuses[full_id] = record["status"]
            else:
                self._statuses.pop(full_id, None)
            if is_dated(record):
                self._dates[full_id] = lifecycle_dates(record)
            else:
                self._dates.pop(full_id, None)
            for alias in record.get("aliases", ()):
                self._aliases[alias] = full_id
            self._changed()

    def add_scanned_model(self, record: dict[str, Any], *, by_short_id: bool) -> None:
        """Add a model only a scan knows: it is never named by a forgiving form, and by its short id
        only when `by_short_id` (the merge decides; see `loader.merge_scanned`)."""
        with self._lock:
            self.add_model(record)
            full_id = record["id"]
            self._scan_only.add(full_id)
            if not by_short_id:
                short = full_id.split("/", 1)[1]
                owners = self._short[short]
                owners.remove(full_id)
                if not owners:
                    del self._short[short]

    def add_alias(self, alias: str, full_id: str) -> None:
        """Point a catalog-level alias at a model (or at any name the resolver understands)."""
        with self._lock:
            self._aliases[alias] = full_id
            self._added[1][alias] = None
            self._changed()

    def register(self, model: ModelMetadata) -> None:
        """Add (or replace) a model given as `ModelMetadata`; it is then found by full id, short id and aliases."""
        record = model.model_dump(mode="json", exclude_none=True)
        record.setdefault("status", "active")
        record.setdefault("mode", "chat")
        with self._lock:
            self.add_model(record)
            self._objects[model.id] = model

    def load_compiled(self, compiled: CompiledCatalog) -> int:
        """Add every provider and model of a compiled catalog; returns how many models it held.

        Into an empty registry the compiled mappings and names are taken whole, so a snapshot's
        records stay unread until someone asks for one.
        """
        with self._lock:
            if not self._models and not self._providers:
                names = compiled.index()
                self._models, self._providers = compiled.models, compiled.providers
                self._provider_ids = {pid: pid for pid in compiled.providers}
                self._provider_ids.update(names.provider_aliases)
                # `copy()`: a snapshot's `bases` and `short_ids` stay lookups into its file, not dicts.
                self._aliases, self._bases = dict(names.aliases), names.bases.copy()
                self._statuses, self._dates = dict(names.statuses), dict(names.dates)
                self._short = names.short_ids.copy() if names.short_ids is not None else _short_index(compiled.models)
                self._spellings, self._added = compiled.spellings, ({}, {})
                self._changed()
            else:
                for block in compiled.providers.values():
                    self.add_provider(block)
                for record in compiled.models.values():
                    self.add_model(record)
            self.source_hash = compiled.source_hash
            return len(compiled.models)

    def clear(self) -> None:
        """Remove every model, provider and alias."""
        with self._lock:
            # Fresh dicts rather than .clear(): a snapshot-loaded registry's indices are read-only views.
            self._models, self._providers, self._objects = {}, {}, {}
            self._provider_ids, self._aliases, self._short, self._bases, self._statuses = {}, {}, {}, {}, {}
            self._dates = {}
            self._scan_only = set()
            self.source_hash = ""
            self._spellings, self._added = None, ({}, {})
            self._changed()

    def _changed(self) -> None:
        # What the resolver derived from the old contents (cached answers, forgiving forms) is stale.
        # Called with the lock held.
        self.changes += 1
        if self._resolver is not None:
            self._resolver.invalidate()

    def keep_if_unchanged(self, stamp: int, keep: Callable[[], None]) -> bool:
        """Run `keep` (storing something derived from the contents) only if nothing changed since
        `changes` was `stamp`; True when it ran. Checked and run under the lock, so a cache built
        from old contents is never kept after a change has cleared it."""
        with self._lock:
            if self.changes != stamp:
                return False
            keep()
            return True

    def as_compiled(self) -> CompiledCatalog:
        """The registry's contents as a compiled catalog (what `snapshot.write_snapshot` writes)."""
        from .catalog import CatalogNames, CompiledCatalog

        with self._lock:
            names = CatalogNames(provider_aliases={a: p for a, p in self._provider_ids.items() if a != p},
                                 aliases=dict(self._aliases), bases=dict(self._bases), statuses=dict(self._statuses),
                                 dates=dict(self._dates))
            return CompiledCatalog(providers=self._providers, models=self._models, source_hash=self.source_hash, names=names)

    # -- O(1) lookups ------------------------------------------------------------------------
    def canonical_provider(self, name: str) -> str | None:
        """Provider id for a provider id or alias (`gemini` -> `google`), else None."""
        return self._provider_ids.get(name)

    def has_id(self, full_id: str) -> bool:
        """True when `full_id` is a model's full id exactly as catalogued (no record is read)."""
        return full_id in self._models

    def alias_target(self, alias: str) -> str | None:
        """What a catalog (or registered) alias points at, else None."""
        return self._aliases.get(alias)

    def short_owners(self, short_id: str) -> tuple[str, ...]:
        """The full ids whose api id is `short_id`, in catalog order (empty when none)."""
        return tuple(self._short.get(short_id, ()))

    def base_of(self, full_id: str) -> str | None:
        """The `base` of a model entry (the model it offers), else None; reads no record."""
        return self._bases.get(full_id)

    def status_of(self, full_id: str) -> str:
        """The status of a catalogued full id today: the stated one (`active` unless its record says
        otherwise), or what its lifecycle dates make it (`lifecycle.status_on`); reads no record."""
        stated = self._statuses.get(full_id, "active")
        dates = self._dates.get(full_id)
        return stated if dates is None else status_on(stated, dates[0], dates[1], lifecycle.today())

    def _as_of_today(self, rec: dict[str, Any]) -> dict[str, Any]:
        """The record with today's status: a copy when its lifecycle dates changed it, else itself."""
        dates = self._dates.get(rec.get("id", ""))
        if dates is None:
            return rec
        status = status_on(rec.get("status"), dates[0], dates[1], lifecycle.today())
        return rec if status == rec.get("status", "active") else {**rec, "status": status}

    def is_scan_only(self, full_id: str) -> bool:
        """True for a model only a scan knows (it answers to no forgiving form)."""
        return full_id in self._scan_only

    def record(self, full_id: str) -> dict[str, Any] | None:
        """The raw record of a full id (provider aliases allowed), or None."""
        rec = self._models.get(full_id)
        if rec is None and "/" in full_id:
            pid, rest = full_id.split("/", 1)
            canon = self._provider_ids.get(pid)
            rec = self._models.get(f"{canon}/{rest}") if canon and canon != pid else None
        return self._as_of_today(rec) if rec is not None and self._dates else rec

    def provider_record(self, name: str) -> dict[str, Any] | None:
        """The raw provider block for a provider id or alias, or None."""
        pid = self._provider_ids.get(name)
        return self._providers.get(pid) if pid is not None else None

    def model(self, full_id: str) -> ModelMetadata:
        """The `ModelMetadata` of a full id (KeyError if absent), built once and cached."""
        obj = self._objects.get(full_id)
        if obj is None:
            from .schema import ModelMetadata

            obj = ModelMetadata.model_validate(self._as_of_today(self._models[full_id]))
            self._objects[full_id] = obj
        return obj

    def provider(self, name: str) -> ProviderMetadata | None:
        """The provider for an id or alias, or None."""
        pid = self._provider_ids.get(name)
        if pid is None:
            return None
        from .schema import ProviderMetadata

        return ProviderMetadata.model_validate(self._providers[pid])

    def stored_spellings(self) -> Any | None:
        """The spelling index (`spellings.Spellings`' questions: `forms`, `candidates`) stored with the
        compiled catalog this registry was loaded from, or None when none was. It knows the names
        of that catalog only: see `names_added` for the rest, and check each answer still names something."""
        return self._spellings

    def names_added(self) -> tuple[list[str], list[str]]:
        """(full ids, aliases) added or replaced since the compiled catalog was loaded (copies)."""
        return list(self._added[0]), list(self._added[1])

    # -- resolution (the rules are the resolver's) ----------------------------------------------
    @property
    def resolver(self) -> Any:
        """The resolver over this registry (made by the factory on first use; it reads the user config then)."""
        if self._resolver is None:
            self._resolver = self._make_resolver(None)
        return self._resolver

    def use_user_config(self, config: dict[str, Any] | None) -> None:
        """Resolve with this user config (plain data, as `config.load_config` returns it) instead of
        the user's file; None re-reads the file on next use."""
        self._resolver = None if config is None else self._make_resolver(config)

    def _make_resolver(self, config: dict[str, Any] | None) -> Any:
        if self._resolver_factory is None:
            raise RuntimeError("this registry was built without a resolver factory; build it with loader.new_registry()")
        return self._resolver_factory(self, config)

    def lookup(self, name: str) -> str | None:
        """Full id for an exact alias, full id (provider aliases allowed) or short id, ties broken as
        `resolve` breaks them; None when nothing matches exactly or the name stays ambiguous."""
        return self.resolver.find(name) if isinstance(name, str) else None

    def get(self, name: str) -> ModelMetadata:
        """The model any name `resolve` understands stands for (user aliases and forgiving spellings too).

        Never None: raises `UnknownModelError` (with `.suggestions`) for a name that means nothing or
        resolves to an id in neither the catalog nor the last scan (`provider/anything` passes
        through `resolve` uncatalogued), and `AmbiguousModelError` (with `.candidates`). For an
        exact-name lookup that answers None instead, use `lookup`, `record` or `get_model`.
        """
        full_id = self.resolve(name)
        if not self.has_id(full_id):
            from .errors import UnknownModelError

            raise UnknownModelError(name, reason=f"unknown model {name!r}: it stands for {full_id}, which is in neither the catalog nor the last scan")
        return self.model(full_id)

    def resolve(self, name: str, user_aliases: dict[str, str] | None = None) -> str:
        """The full id `name` stands for (resolution order: docs/models/resolution.md).

        `user_aliases` come first, then the user config's aliases. Raises `UnknownModelError` (with
        the closest ids) or `AmbiguousModelError` (with the candidates); both are `LookupError`s.
        Unlike Kabot's old registry, an unknown bare name raises instead of coming back unchanged;
        `provider/anything` with a known provider still comes back (canonicalised) as uncatalogued.
        """
        resolver = self._resolver  # not the property: this is the hot path, one attribute lookup less
        if resolver is None:
            resolver = self.resolver
        return resolver.resolve(name, user_aliases)

    def explain(self, name: str, user_aliases: dict[str, str] | None = None) -> Any:
        """How `name` resolves (a `resolver.Resolution`): the id, the rule that fired, the candidates weighed, any warning."""
        return self.resolver.explain(name, user_aliases)

    # -- listing -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._models)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.lookup(name) is not None

    def ids(self) -> Iterator[str]:
        """Every full id, in catalog order (as they were when asked: a copy, safe while another thread adds)."""
        return iter(list(self._models))

    def records(self) -> Iterator[dict[str, Any]]:
        """Every model record, in catalog order (a copy, as `ids`), each with today's status."""
        records = list(self._models.values())
        return iter([self._as_of_today(r) for r in records] if self._dates else records)

    def provider_records(self) -> Iterator[dict[str, Any]]:
        """Every provider block (a copy, as `ids`)."""
        return iter(list(self._providers.values()))

    def aliases(self) -> dict[str, str]:
        """Catalog alias -> full id (a copy)."""
        return dict(self._aliases)

    def first_party_env_vars(self) -> set[str]:
        """Environment variables some first-party provider reads its key from. A gateway that reads
        one too (aihubmix reads OPENAI_API_KEY) is not configured, nor scanned, by that key alone."""
        return {
            var
            for block in self.provider_records()
            if block.get("kind") == "first-party"
            for var in (block.get("auth") or {}).get("env", ())
        }

    def filter(
        self,
        *,
        provider: str | None = None,
        capability: str | Iterable[str] | None = None,
        status: str | Iterable[str] | None = None,
        mode: str | None = None,
        max_input_price: float | None = None,
        max_output_price: float | None = None,
    ) -> list[dict[str, Any]]:
        """Records matching every given criterion (capabilities: all of them; status: any of them)."""
        pid = self._provider_ids.get(provider, provider) if provider else None
        caps = {capability} if isinstance(capability, str) else set(capability or ())
        statuses = {status} if isinstance(status, str) else set(status or ())
        out = []
        for rec in self.records():
            if pid and rec["provider"] != pid:
                continue
            if caps and not caps.issubset(rec.get("capabilities") or ()):
                continue
            if statuses and rec.get("status", "active") not in statuses:
                continue
            if mode and rec.get("mode", "chat") != mode:
                continue
            price = rec.get("pricing") or {}
            if max_input_price is not None and (price.get("input_1m") is None or price["input_1m"] > max_input_price):
                continue
            if max_output_price is not None and (price.get("output_1m") is None or price["output_1m"] > max_output_price):
                continue
            out.append(rec)
        return out

    # -- Kabot's names for lookups (its registry had these; they answer through the methods above) --
    def get_model(self, model_id: str) -> ModelMetadata | None:
        """The model for a full id, short id or alias (short-id ties broken as `resolve` does); None if none."""
        full_id = self.lookup(model_id)
        return self.model(full_id) if full_id is not None and self.has_id(full_id) else None

    def list_models(self, provider: str | None = None, **criteria: Any) -> list[ModelMetadata]:
        """Models matching every criterion (`filter`'s keywords: capability, status, mode, prices)."""
        return [self.model(rec["id"]) for rec in self.filter(provider=provider, **criteria)]

    def get_providers(self) -> list[str]:
        """Provider ids: the catalog's, then those of registered models outside it."""
        out = dict.fromkeys(block["id"] for block in self.provider_records())
        for rec in self.records():
            out.setdefault(rec["provider"], None)
        return list(out)

    def register_alias(self, alias: str, target: str) -> None:
        """Point `alias` at `target` (a full id, or any name `resolve` understands)."""
        self.add_alias(alias, target)

    def resolve_alias(self, alias: str) -> str | None:
        """The target of a catalog or registered alias, or None."""
        return self.alias_target(alias)

    def get_all_aliases(self) -> dict[str, str]:
        """Every catalog and registered alias -> its target (a copy)."""
        return self.aliases()


def _short_index(full_ids: Iterable[str]) -> dict[str, list[str]]:
    """Short id -> the full ids that carry it, in order: the index of a catalog compiled in this
    process (a snapshot answers short ids from its file). Built at load, not on first use: at 100k
    models it takes a quarter second that a process's first short name or first miss would pay."""
    short: dict[str, list[str]] = {}
    for full_id in full_ids:
        api_id = full_id.split("/", 1)[1]
        owners = short.get(api_id)
        if owners is None:
            short[api_id] = [full_id]
        else:
            owners.append(full_id)
    return short
