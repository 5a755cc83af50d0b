"""The in-memory registry: every model and provider, indexed for O(1) lookup by any of its names.

Records are plain dicts (the compiled catalog's form); `ModelMetadata` objects are built only when
a caller asks for one and then cached, so loading and resolving never import pydantic.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing, pathlib and collections.abc cost more than the whole resolve path
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any

    from .catalog import CompiledCatalog
    from .schema import ModelMetadata, ProviderMetadata


class ModelRegistry:
    """Models and providers with O(1) lookup by full id, short id, alias and provider-id alias."""

    def __init__(self) -> None:
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
        self._objects: dict[str, ModelMetadata] = {}
        self.source_hash = ""

    # -- building ----------------------------------------------------------------------------
    def add_provider(self, block: dict[str, Any]) -> None:
        """Add (or replace) a provider record."""
        pid = block["id"]
        self._providers[pid] = block
        self._provider_ids[pid] = pid
        for alias in block.get("aliases", ()):
            self._provider_ids.setdefault(alias, pid)

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
        for alias in record.get("aliases", ()):
            self._aliases[alias] = full_id

    def add_alias(self, alias: str, full_id: str) -> None:
        """Point a catalog-level alias at a model."""
        self._aliases[alias] = full_id

    def load_compiled(self, compiled: CompiledCatalog) -> None:
        """Add every provider and model of a compiled catalog."""
        for block in compiled.providers.values():
            self.add_provider(block)
        for record in compiled.models.values():
            self.add_model(record)
        self.source_hash = compiled.source_hash

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

    def lookup(self, name: str) -> str | None:
        """Full id for an exact alias, full id or unambiguous short id; None when none matches exactly."""
        target = self._aliases.get(name)
        if target is not None:
            return target
        if name in self._models:  # a membership test: no record is read for it
            return name
        if "/" in name:
            pid, rest = name.split("/", 1)
            canon = self._provider_ids.get(pid)
            if canon and canon != pid and f"{canon}/{rest}" in self._models:
                return f"{canon}/{rest}"
        owners = self._short.get(name)
        if owners is not None and len(owners) == 1:
            return owners[0]
        return None

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

    def short_owners(self, short_id: str) -> list[str]:
        """Full ids whose api id is `short_id`."""
        return list(self._short.get(short_id, ()))

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


def load_registry(catalog_dir: str | os.PathLike[str] | None = None) -> ModelRegistry:
    """A registry loaded with the catalog (the packaged one unless `catalog_dir` is given).

    Reads the catalog's SQLite snapshot when it is current and compiles (and caches) it when not;
    see `kabot_models.snapshot`. Raises `CatalogError` (listing every defect) when the catalog has
    to be compiled and does not validate.
    """
    from .snapshot import load_catalog

    return load_catalog(catalog_dir)
