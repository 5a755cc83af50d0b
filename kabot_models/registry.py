"""The in-memory registry: every model and provider, indexed for O(1) lookup by any of its names.

A `Registry` holds indices and answers lookups over them. It loads nothing (`loader.load_registry`
fills one from a compiled catalog or a snapshot) and knows no resolution rule: `resolve`,
`explain`, `lookup` and `get` ask the resolver its builder gave it (`resolver.Resolver`, which
works over this class's public methods only).

Records are plain dicts (the compiled catalog's form); `ModelMetadata` objects are built only when
a caller asks for one and then cached, so loading and resolving never import pydantic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

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
        self._objects: dict[str, ModelMetadata] = {}
        self._scan_only: set[str] = set()
        """full ids of models only a scan knows (they take no part in forgiving forms)"""
        self.source_hash = ""
        """`catalog.catalog_hash` of the catalog loaded last."""
        self.plugin_problems: list[Any] = []
        """Third-party plugins left out of this registry, and why (`plugins.third_party.PluginProblem`)."""
        self._resolver_factory = resolver_factory
        self._resolver: Any = None

    # -- building ----------------------------------------------------------------------------
    def add_provider(self, block: dict[str, Any]) -> None:
        """Add (or replace) a provider record."""
        pid = block["id"]
        self._providers[pid] = block  # type: ignore[index]
        self._provider_ids[pid] = pid
        for alias in block.get("aliases", ()):
            self._provider_ids.setdefault(alias, pid)
        self._changed()

    def add_model(self, record: dict[str, Any]) -> None:
        """Add (or replace) a model record and index its names."""
        full_id = record["id"]
        old = self._models.get(full_id)
        if old is not None:
            for alias in old.get("aliases", ()):
                if self._aliases.get(alias) == full_id:
                    del self._aliases[alias]
        else:
            self._short.setdefault(full_id.split("/", 1)[1], []).append(full_id)
        self._models[full_id] = record  # type: ignore[index]
        self._objects.pop(full_id, None)
        self._scan_only.discard(full_id)
        if record.get("base"):
            self._bases[full_id] = record["base"]
        else:
            self._bases.pop(full_id, None)
        for alias in record.get("aliases", ()):
            self._aliases[alias] = full_id
        self._changed()

    def add_scanned_model(self, record: dict[str, Any], *, by_short_id: bool) -> None:
        """Add a model only a scan knows: it is never named by a forgiving form, and by its short id
        only when `by_short_id` (the merge decides; see `loader.merge_scanned`)."""
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
        self._aliases[alias] = full_id
        self._changed()

    def register(self, model: ModelMetadata) -> None:
        """Add (or replace) a model given as `ModelMetadata`; it is then found by full id, short id and aliases."""
        record = model.model_dump(mode="json", exclude_none=True)
        record.setdefault("status", "active")
        record.setdefault("mode", "chat")
        self.add_model(record)
        self._objects[model.id] = model

    def load_compiled(self, compiled: CompiledCatalog) -> int:
        """Add every provider and model of a compiled catalog; returns how many models it held.

        Into an empty registry the compiled mappings and names are taken whole, so a snapshot's
        records stay unread until someone asks for one.
        """
        if not self._models and not self._providers:
            names = compiled.index()
            self._models, self._providers = compiled.models, compiled.providers
            self._provider_ids = {pid: pid for pid in compiled.providers}
            self._provider_ids.update(names.provider_aliases)
            self._aliases, self._bases = dict(names.aliases), dict(names.bases)
            short: dict[str, list[str]] = {}
            for full_id in compiled.models:
                api_id = full_id.split("/", 1)[1]
                owners = short.get(api_id)
                if owners is None:
                    short[api_id] = [full_id]
                else:
                    owners.append(full_id)
            self._short = short
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
        # Fresh dicts rather than .clear(): a snapshot-loaded registry's indices are read-only views.
        self._models, self._providers, self._objects = {}, {}, {}
        self._provider_ids, self._aliases, self._short, self._bases = {}, {}, {}, {}
        self._scan_only = set()
        self.source_hash = ""
        self._changed()

    def _changed(self) -> None:
        # What the resolver derived from the old contents (cached answers, forgiving forms) is stale.
        if self._resolver is not None:
            self._resolver.invalidate()

    def as_compiled(self) -> CompiledCatalog:
        """The registry's contents as a compiled catalog (what `snapshot.write_snapshot` writes)."""
        from .catalog import CatalogNames, CompiledCatalog

        names = CatalogNames(provider_aliases={a: p for a, p in self._provider_ids.items() if a != p},
                             aliases=dict(self._aliases), bases=dict(self._bases))
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

    def is_scan_only(self, full_id: str) -> bool:
        """True for a model only a scan knows (it answers to no forgiving form)."""
        return full_id in self._scan_only

    def record(self, full_id: str) -> dict[str, Any] | None:
        """The raw record of a full id (provider aliases allowed), or None."""
        rec = self._models.get(full_id)
        if rec is not None or "/" not in full_id:
            return rec
        pid, rest = full_id.split("/", 1)
        canon = self._provider_ids.get(pid)
        return self._models.get(f"{canon}/{rest}") if canon and canon != pid else None

    def provider_record(self, name: str) -> dict[str, Any] | None:
        """The raw provider block for a provider id or alias, or None."""
        pid = self._provider_ids.get(name)
        return self._providers.get(pid) if pid is not None else None

    def model(self, full_id: str) -> ModelMetadata:
        """The `ModelMetadata` of a full id (KeyError if absent), built once and cached."""
        obj = self._objects.get(full_id)
        if obj is None:
            from .schema import ModelMetadata

            obj = ModelMetadata.model_validate(self._models[full_id])
            self._objects[full_id] = obj
        return obj

    def provider(self, name: str) -> ProviderMetadata | None:
        """The provider for an id or alias, or None."""
        pid = self._provider_ids.get(name)
        if pid is None:
            return None
        from .schema import ProviderMetadata

        return ProviderMetadata.model_validate(self._providers[pid])

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

    def get(self, name: str) -> ModelMetadata | None:
        """The model for an alias, full id or unambiguous short id, or None."""
        full_id = self.lookup(name)
        return self.model(full_id) if full_id else None

    def resolve(self, name: str, user_aliases: dict[str, str] | None = None) -> str:
        """The full id `name` stands for (resolution order: docs/models/resolution.md).

        `user_aliases` come first, then the user config's aliases. Raises `UnknownModelError` (with
        the closest ids) or `AmbiguousModelError` (with the candidates); both are `LookupError`s.
        Unlike Kabot's old registry, an unknown bare name raises instead of coming back unchanged;
        `provider/anything` with a known provider still comes back (canonicalised) as uncatalogued.
        """
        return self.resolver.resolve(name, user_aliases)

    def explain(self, name: str, user_aliases: dict[str, str] | None = None) -> Any:
        """How `name` resolves (a `resolver.Resolution`): the id, the rule that fired, the candidates weighed, any warning."""
        return self.resolver.explain(name, user_aliases)

    # -- listing -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._models)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.lookup(name) is not None

    def ids(self) -> Iterator[str]:
        """Every full id, in catalog order."""
        return iter(self._models)

    def records(self) -> Iterator[dict[str, Any]]:
        """Every model record, in catalog order."""
        return iter(self._models.values())

    def provider_records(self) -> Iterator[dict[str, Any]]:
        """Every provider block."""
        return iter(self._providers.values())

    def aliases(self) -> dict[str, str]:
        """Catalog alias -> full id (a copy)."""
        return dict(self._aliases)

    def first_party_env_vars(self) -> set[str]:
        """Environment variables some first-party provider reads its key from. A gateway that reads
        one too (aihubmix reads OPENAI_API_KEY) is not configured, nor scanned, by that key alone."""
        return {
            var
            for block in self._providers.values()
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
        for rec in self._models.values():
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
