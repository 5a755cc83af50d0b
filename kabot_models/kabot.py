"""Kabot's model layer: `ModelRegistry`, with the constructor and method names Kabot's own registry had.

`ModelRegistry()` comes loaded with the packaged catalog and the scan results in `db` (through
`loader`, like `load_registry()`); `ModelRegistry(load=False)` (or `ModelRegistry.empty()`) is an
empty one for code that fills it itself. Everything else (`get_model`, `list_models`,
`register_alias`, ...) is the `registry.Registry` it extends.
Kabot's provider layer lives in `providers.py`.
"""

from __future__ import annotations

import os

from .loader import load_catalog, load_scan_results, user_resolver
from .registry import Registry


class ModelRegistry(Registry):
    """Models and providers with O(1) lookup by full id, short id, alias and provider-id alias, as
    Kabot's registry offered them."""

    def __init__(self, db: str | os.PathLike[str] | None = None, *, load: bool = True) -> None:
        super().__init__(resolver_factory=user_resolver)
        self.db = db
        """Path of the scan database merged by `load_scanned_models` (None: the default one)."""
        if load:
            self.load_catalog()
            self.load_scanned_models(db)

    @classmethod
    def empty(cls) -> ModelRegistry:
        """A registry with nothing in it (no catalog read)."""
        return cls(load=False)

    def load_catalog(self, catalog_dir: str | os.PathLike[str] | None = None) -> int:
        """Add the catalog's providers and models (the packaged catalog unless `catalog_dir` is given),
        with the YAML of installed plugins (see `loader.load_catalog`); returns how many models it held."""
        return load_catalog(self, catalog_dir)

    def load_scanned_models(self, db: str | os.PathLike[str] | None = None) -> int:
        """Merge the latest scan results in `db` (default: this registry's `db`, else the user's
        database) under the catalog; returns how many records the scan added or marked (see
        `loader.load_scan_results`)."""
        return load_scan_results(self, db if db is not None else self.db)
