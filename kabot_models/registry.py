"""The in-memory registry: every model and provider, indexed for O(1) lookup by any of its names.

Records are plain dicts (the compiled catalog's form); `ModelMetadata` objects are built only when
a caller asks for one and then cached, so loading and resolving never import pydantic.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing, pathlib and collections.abc cost more than the whole resolve path
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any, Literal

    from .catalog import CompiledCatalog
    from .resolver import Resolution, Resolver
    from .schema import ModelMetadata, ProviderMetadata


class ModelRegistry:
    """Models and providers with O(1) lookup by full id, short id, alias and provider-id alias.

    `ModelRegistry()` comes loaded with the packaged catalog (and, through `load_scanned_models`,
    the scan results in `db`), as Kabot's own registry did; `ModelRegistry(load=False)` (or
    `ModelRegistry.empty()`) is an empty one for code that fills it itself.
    """

    def __init__(self, db: str | os.PathLike[str] | None = None, *, load: bool = True) -> None:
        self._models: dict[str, dict[str, Any]] = {}
        """full id -> record"""
        self._providers: dict[str, dict[str, Any]] = {}
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
        self.plugin_problems: list[Any] = []
        """Third-party plugins left out of this registry, and why (`plugins.loader.PluginProblem`)."""
        self.db = db
        """Path of the scan database merged by `load_scanned_models` (None: the default one)."""
        self._resolver: Resolver | None = None
        if load:
            self.load_catalog()
            self.load_scanned_models(db)

    @classmethod
    def empty(cls) -> ModelRegistry:
        """A registry with nothing in it (no catalog read)."""
        return cls(load=False)

    # -- building ----------------------------------------------------------------------------
    def add_provider(self, block: dict[str, Any]) -> None:
        """Add (or replace) a provider record."""
        pid = block["id"]
        self._providers[pid] = block
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
        self._models[full_id] = record
        self._objects.pop(full_id, None)
        self._scan_only.discard(full_id)
        if record.get("base"):
            self._bases[full_id] = record["base"]
        else:
            self._bases.pop(full_id, None)
        for alias in record.get("aliases", ()):
            self._aliases[alias] = full_id
        self._changed()

    def add_alias(self, alias: str, full_id: str) -> None:
        """Point a catalog-level alias at a model."""
        self._aliases[alias] = full_id
        self._changed()

    def _changed(self) -> None:
        # The resolver's forgiving-form indices describe the old contents; rebuild them on next need.
        if self._resolver is not None:
            self._resolver.invalidate()

    def load_compiled(self, compiled: CompiledCatalog) -> None:
        """Add every provider and model of a compiled catalog."""
        for block in compiled.providers.values():
            self.add_provider(block)
        for record in compiled.models.values():
            self.add_model(record)
        self.source_hash = compiled.source_hash

    def merge_scanned(self, rows: Iterable[dict[str, Any]], scanned_providers: Iterable[str]) -> int:
        """Merge live scan results (`store.LatestScan`) under the catalog; returns how many records it added or marked.

        For each scanned provider in the catalog: its catalog models get `served` True or False;
        a scanned model fills only the fields the catalog leaves unset (`field_sources[f] = "scan"`),
        never a curated figure; a model only the scan knows is added with origin `scan`, marked
        `provisional` with when the scans first and last saw it (`scanned`).

        A scan never changes what a name already means: aliases a provider lists are never merged
        (they stay in the scan database's fields); a scan-only model answers to its short id only
        when that name meant nothing before, is left out when its full id (or a provider-alias
        spelling of it) already named something, and takes no part in forgiving forms.
        """
        providers = {pid for p in scanned_providers if (pid := self._provider_ids.get(p))}
        live: dict[str, dict[str, Any]] = {}
        seen: dict[str, dict[str, Any]] = {}
        for row in rows:
            pid = self._provider_ids.get(row["provider"])
            if pid in providers:
                live[f"{pid}/{row['api_id']}"] = {k: v for k, v in row["fields"].items() if k != "aliases"}
                seen[f"{pid}/{row['api_id']}"] = {"first_seen": row.get("first_seen"), "last_seen": row.get("last_seen")}
        # What each name a scan-only model would answer to means before the merge (catalog only).
        meaning: dict[str, str | None] = {}
        aliases_of: dict[str, list[str]] = {}
        for block in self._providers.values():
            aliases_of[block["id"]] = list(block.get("aliases", ()))
        for full_id in live:
            if full_id not in self._models:
                pid, short = full_id.split("/", 1)
                for name in (full_id, short, *(f"{a}/{short}" for a in aliases_of.get(pid, ()))):
                    if name not in meaning:
                        meaning[name] = self.resolver.catalog_meaning(name)
        unserved = [rec for full_id, rec in self._models.items() if rec["provider"] in providers and full_id not in live]
        for rec in unserved:
            self.add_model({**rec, "served": False})
        merged = len(unserved)
        for full_id, fields in live.items():
            rec = self._models.get(full_id)
            if rec is None:
                pid, short = full_id.split("/", 1)
                spellings = (full_id, *(f"{a}/{short}" for a in aliases_of.get(pid, ())))
                if any(meaning[n] not in (None, full_id) for n in spellings):
                    continue  # adding it would take over a name the catalog already gives
                record = {**fields, "name": fields.get("name") or short, "status": fields.get("status", "active"), "mode": fields.get("mode", "chat")}
                record.update(id=full_id, provider=pid, origin="scan", served=True)
                record["field_sources"] = {k: "scan" for k in record if k not in ("id", "provider", "origin", "served")}
                record["provisional"] = True
                if all(isinstance(v, str) for v in seen[full_id].values()):
                    record["scanned"] = seen[full_id]
                self.add_model(record)
                self._scan_only.add(full_id)
                if meaning[short] not in (None, full_id):
                    # The short id already means something (a catalog model, a forgiving form, another
                    # provider's pass-through): the scan-only model is reached by its full id only.
                    owners = self._short[short]
                    owners.remove(full_id)
                    if not owners:
                        del self._short[short]
            else:
                record = {**rec, "served": True, "field_sources": dict(rec.get("field_sources", {}))}
                for key, value in fields.items():
                    if key not in record["field_sources"]:  # unset, or only a default: the scan may fill it
                        record[key] = value
                        record["field_sources"][key] = "scan"
                self.add_model(record)
            merged += 1
        return merged

    # -- O(1) lookups ------------------------------------------------------------------------
    def canonical_provider(self, name: str) -> str | None:
        """Provider id for a provider id or alias (`gemini` -> `google`), else None."""
        return self._provider_ids.get(name)

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

    def lookup(self, name: str) -> str | None:
        """Full id for an exact alias, full id (provider aliases allowed) or short id, ties broken as
        `resolve` breaks them; None when nothing matches exactly or the name stays ambiguous."""
        return self.resolver.find(name) if isinstance(name, str) else None

    def get(self, name: str) -> ModelMetadata | None:
        """The model for an alias, full id or unambiguous short id, or None."""
        full_id = self.lookup(name)
        return self.model(full_id) if full_id else None

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

    # -- resolution (rules in resolver.py) ---------------------------------------------------
    @property
    def resolver(self) -> Resolver:
        """The resolver over this registry (created on first use; it reads the user config then)."""
        if self._resolver is None:
            from .resolver import Resolver

            self._resolver = Resolver(self)
        return self._resolver

    def use_user_config(self, config: dict[str, Any] | None) -> None:
        """Resolve with this user config (plain data, as `config.load_config` returns it) instead of
        the user's file; None re-reads the file on next use."""
        from .resolver import Resolver

        self._resolver = None if config is None else Resolver(self, config)

    def resolve(self, name: str, user_aliases: dict[str, str] | None = None) -> str:
        """The full id `name` stands for (resolution order: docs/models/resolution.md).

        `user_aliases` come first, then the user config's aliases. Raises `UnknownModelError` (with
        the closest ids) or `AmbiguousModelError` (with the candidates); both are `LookupError`s.
        Unlike Kabot's old registry, an unknown bare name raises instead of coming back unchanged;
        `provider/anything` with a known provider still comes back (canonicalised) as uncatalogued.
        """
        return self.resolver.resolve(name, user_aliases)

    def explain(self, name: str, user_aliases: dict[str, str] | None = None) -> Resolution:
        """How `name` resolves: the id, the rule that fired, the candidates weighed, any warning."""
        return self.resolver.explain(name, user_aliases)

    # -- Kabot's model-layer API (its method names and meanings) --------------------------------
    def load_catalog(self, catalog_dir: str | os.PathLike[str] | None = None) -> int:
        """Add the catalog's providers and models (the packaged catalog unless `catalog_dir` is given),
        with the YAML of installed plugins (a plugin that fails is left out and listed in
        `plugin_problems`); returns how many models it held. Raises `CatalogError` when the catalog
        does not validate.

        The catalog comes from its SQLite snapshot when that is current (see `kabot_models.snapshot`).
        """
        from .snapshot import load_catalog

        loaded, problems = load_catalog(catalog_dir)
        if not self._models and not self._providers:
            # Empty (the usual case): take the snapshot's indices whole; records stay unread until asked for.
            self._models, self._providers = loaded._models, loaded._providers
            self._provider_ids, self._aliases, self._short = loaded._provider_ids, loaded._aliases, loaded._short
            self._bases = loaded._bases
            self._changed()
        else:
            for block in loaded.provider_records():
                self.add_provider(block)
            for record in loaded.records():
                self.add_model(record)
        self.source_hash = loaded.source_hash
        self.plugin_problems = problems
        return len(loaded)

    def load_scanned_models(self, db: str | os.PathLike[str] | None = None) -> int:
        """Merge the latest scan results in `db` (default: this registry's `db`, else the user's
        database, `paths.db_path()`) under the catalog; returns how many records the scan added or marked.

        Without a database file nothing is read and SQLite is not even imported. A database named
        here or as the registry's `db` that cannot be read raises `StoreError`; the default one
        (which the user may never have chosen) only warns, and the catalog is used alone, so a
        damaged file cannot stop every name from resolving.
        """
        from .paths import db_path_str

        explicit = db if db is not None else self.db
        path = os.fspath(explicit if explicit is not None else db_path_str())
        if not os.path.isfile(path):
            return 0
        from .errors import StoreError
        from .store import read_latest

        try:
            latest = read_latest(path)
        except StoreError as exc:
            if explicit is not None:
                raise
            import warnings

            warnings.warn(f"scan results not used: {exc}", stacklevel=2)
            return 0
        return self.merge_scanned(latest.models, latest.providers)

    def register(self, model: ModelMetadata) -> None:
        """Add (or replace) a model given as `ModelMetadata`; it is then found by full id, short id and aliases."""
        record = model.model_dump(mode="json", exclude_none=True)
        record.setdefault("status", "active")
        record.setdefault("mode", "chat")
        self.add_model(record)
        self._objects[model.id] = model

    def get_model(self, model_id: str) -> ModelMetadata | None:
        """The model for a full id, short id or alias (short-id ties broken as `resolve` does); None if none."""
        full_id = self.lookup(model_id)
        return self.model(full_id) if full_id is not None and full_id in self._models else None

    def list_models(self, provider: str | None = None, **criteria: Any) -> list[ModelMetadata]:
        """Models matching every criterion (`filter`'s keywords: capability, status, mode, prices)."""
        return [self.model(rec["id"]) for rec in self.filter(provider=provider, **criteria)]

    def get_providers(self) -> list[str]:
        """Provider ids: the catalog's, then those of registered models outside it."""
        out = dict.fromkeys(self._providers)
        for rec in self._models.values():
            out.setdefault(rec["provider"], None)
        return list(out)

    def clear(self) -> None:
        """Remove every model, provider and alias."""
        # Fresh dicts rather than .clear(): a snapshot-loaded registry's indices are read-only views.
        self._models, self._providers, self._objects = {}, {}, {}
        self._provider_ids, self._aliases, self._short, self._bases = {}, {}, {}, {}
        self._scan_only = set()
        self.source_hash = ""
        self._changed()

    def register_alias(self, alias: str, target: str) -> None:
        """Point `alias` at `target` (a full id, or any name `resolve` understands)."""
        self.add_alias(alias, target)

    def resolve_alias(self, alias: str) -> str | None:
        """The target of a catalog or registered alias, or None."""
        return self._aliases.get(alias)

    def get_all_aliases(self) -> dict[str, str]:
        """Every catalog and registered alias -> its target (a copy)."""
        return dict(self._aliases)

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

    def first_party_env_vars(self) -> set[str]:
        """Environment variables some first-party provider reads its key from. A gateway that reads
        one too (aihubmix reads OPENAI_API_KEY) is not configured, nor scanned, by that key alone."""
        return {
            var
            for block in self._providers.values()
            if block.get("kind") == "first-party"
            for var in (block.get("auth") or {}).get("env", ())
        }

    def provider_records(self) -> Iterator[dict[str, Any]]:
        """Every provider block."""
        return iter(self._providers.values())

    def aliases(self) -> dict[str, str]:
        """Catalog alias -> full id (a copy)."""
        return dict(self._aliases)

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


def load_registry(catalog_dir: str | os.PathLike[str] | None = None,
                  db: str | os.PathLike[str] | Literal[False] | None = None) -> ModelRegistry:
    """A registry loaded with the catalog (the packaged one unless `catalog_dir` is given).

    The catalog is read from its SQLite snapshot when that is current, and compiled (and cached)
    when not; see `kabot_models.snapshot`. Scan results are merged under the catalog from `db`
    (default: `paths.db_path()`) when that file exists; `db=False` leaves them out. Without a
    database no SQLite work is done. Raises `CatalogError` (listing every defect) when the catalog
    has to be compiled and does not validate, and `StoreError` when a `db` passed here cannot be
    read (the default database, unreadable, only warns and is left out).
    """
    registry = ModelRegistry(load=False)
    registry.load_catalog(catalog_dir)
    if db is not False:
        registry.load_scanned_models(db)
    return registry


_DEFAULT: list[ModelRegistry] = []


def default_registry() -> ModelRegistry:
    """The process-wide registry that `providers` and `litellm` use: `load_registry()`, loaded once."""
    if not _DEFAULT:
        _DEFAULT.append(load_registry())
    return _DEFAULT[0]


def set_default_registry(registry: ModelRegistry | None) -> None:
    """Make `registry` the process-wide one (None: load the packaged catalog again on next use)."""
    _DEFAULT.clear()
    if registry is not None:
        _DEFAULT.append(registry)
