"""Kabot's model layer: `ModelRegistry`, with the constructor, methods and meanings Kabot's own registry had.

`ModelRegistry()` is Kabot's registry: one shared instance per process (Kabot's was a singleton,
so a model registered through one `ModelRegistry()` is seen by the next), loaded with the packaged
catalog and the scan results in `db` (a path, or Kabot's SQLite store object), through `loader`
like `load_registry()`. It resolves as Kabot's did: a name the catalog does not know comes back
unchanged, with a logged warning, and ids come back in the spelling Kabot's LiteLLM prefixing
expects (`gemini/...`, not `google/...`). `ModelRegistry(strict=True)` (or `resolve(name,
strict=True)`, or `load_registry()`) raises instead. `ModelRegistry(load=False)` (or
`ModelRegistry.empty()`) is a new, empty one for code that fills it itself. Everything else
(`register_alias`, ...) is the `registry.Registry` it extends. Kabot's provider layer lives in
`providers.py`.
"""

from __future__ import annotations

import os
from _thread import RLock
from typing import TYPE_CHECKING, Any

from .errors import ResolutionError
from .loader import load_catalog, load_scan_results, user_resolver
from .registry import Registry

if TYPE_CHECKING:
    from .providers import ProviderIndex
    from .schema import ModelMetadata

_SHARED_LOCK = RLock()
"""Held while the shared instance is made and loaded: threads calling `ModelRegistry()` at once get
one instance, loaded once, and none sees it half loaded."""


class ModelRegistry(Registry):
    """Models and providers with O(1) lookup by full id, short id, alias and provider-id alias, as
    Kabot's registry offered them."""

    _shared: ModelRegistry | None = None
    """The instance `ModelRegistry()` returns (Kabot's singleton)."""

    def __new__(cls, db: Any = None, *, load: bool = True, strict: bool = False) -> ModelRegistry:
        if not load or strict:
            return super().__new__(cls)
        with _SHARED_LOCK:
            if cls.__dict__.get("_shared") is None:
                cls._shared = super().__new__(cls)
            return cls._shared  # type: ignore[return-value]

    def __init__(self, db: Any = None, *, load: bool = True, strict: bool = False) -> None:
        with _SHARED_LOCK:  # a second thread waits here until the first has loaded the shared instance
            if self.__dict__.get("_ready"):
                return  # the shared instance: built once, later arguments ignored, as Kabot's singleton did
            self._build(db, load, strict)

    def _build(self, db: Any, load: bool, strict: bool) -> None:
        """`__init__`'s work, with the shared lock held."""
        super().__init__(resolver_factory=user_resolver)
        self._ready = True
        self._db = db
        self.strict = strict
        """Raise on a name the catalog does not know (and on an ambiguous one) instead of passing it on."""
        self._index: tuple[Any, ProviderIndex] | None = None
        if load:
            self.load_catalog()
            self.load_scanned_models()

    @classmethod
    def empty(cls) -> ModelRegistry:
        """A new registry with nothing in it (no catalog read)."""
        return cls(load=False)

    @classmethod
    def reset_shared(cls) -> None:
        """Forget the shared instance: the next `ModelRegistry()` loads afresh (tests, reloads)."""
        with _SHARED_LOCK:
            cls._shared = None

    @property
    def db(self) -> Any:
        """The scan database `load_scanned_models` merges: a path, Kabot's store object, or None (the user's)."""
        return self._db

    @db.setter
    def db(self, value: Any) -> None:
        self._db = value

    # -- loading ------------------------------------------------------------------------------
    def load_catalog(self, catalog_dir: str | os.PathLike[str] | None = None) -> int:
        """Add the catalog's providers and models (the packaged catalog unless `catalog_dir` is given),
        with the YAML of installed plugins (see `loader.load_catalog`); returns how many models it held."""
        return load_catalog(self, catalog_dir)

    def load_plugins(self) -> int:
        """Discover the installed plugins again and add the catalog with their YAML, as construction
        does (Kabot's registry loaded its plugins here); returns how many plugins loaded. A plugin
        that fails is listed in `plugin_problems`, never raised."""
        from .plugins.third_party import plugins

        found = plugins(refresh=True)
        load_catalog(self)
        return len(found.plugins)

    def load_scanned_models(self, db: Any = None) -> int:
        """Merge scan results under the catalog; returns how many records they added or marked.

        `db` (default: this registry's `db`) is a path to a kabot-models scan database (see
        `loader.load_scan_results`; None: the user's), or Kabot's store: an object with
        `get_scanned_models()` returning Kabot's rows, each registered as a model (a row that does
        not make a valid model is skipped and counted in a logged warning).
        """
        source = db if db is not None else self._db
        if hasattr(source, "get_scanned_models"):
            return self._register_kabot_rows(source.get_scanned_models())
        return load_scan_results(self, source)

    def _register_kabot_rows(self, rows: Any) -> int:
        from pydantic import ValidationError

        from .schema import ModelMetadata, ModelPricing

        added = skipped = 0
        for row in rows or ():
            try:
                prices = {k: row.get(f"pricing_{k[:-3]}") for k in ("input_1m", "output_1m")}
                model = ModelMetadata(
                    id=row["id"], name=row.get("name") or "", provider=row.get("provider") or "",
                    context_window=row.get("context_window"), max_output=row.get("max_output"),
                    pricing=ModelPricing(**{k: v for k, v in prices.items() if v is not None}),
                    capabilities=row.get("capabilities"), is_premium=bool(row.get("is_premium")), origin="scan",
                )
            except (ValidationError, KeyError, TypeError, AttributeError):
                skipped += 1
                continue
            self.register(model)
            added += 1
        if skipped:
            _log().warning("%d scanned model row(s) in Kabot's store are not valid models and were skipped", skipped)
        return added

    # -- Kabot's lookups --------------------------------------------------------------------------
    def resolve(self, name: str, user_aliases: dict[str, str] | None = None, *, strict: bool | None = None) -> str:
        """The full id `name` stands for, in Kabot's spelling (`ids_for_kabot`); a name the catalog does
        not know, or several providers answer to, comes back unchanged with a logged warning, unless
        `strict` (default: the registry's) makes it raise `UnknownModelError` / `AmbiguousModelError`."""
        try:
            full_id = super().resolve(name, user_aliases)
        except ResolutionError as exc:
            if self.strict if strict is None else strict:
                raise
            _log().warning("%s; passing %r on unchanged", exc, name)
            return name
        return self.kabot_spelling(full_id)

    def kabot_spelling(self, full_id: str) -> str:
        """`full_id` as Kabot's LiteLLM prefixing wants it: Kabot puts its spec's `litellm_prefix` before
        a model string no skip prefix starts, so `google/gemini-2.5-pro` would become
        `gemini/google/gemini-2.5-pro`. Where that prefix is another name of the same provider, the id
        is spelled with it (`gemini/gemini-2.5-pro`); every other id is returned as it is."""
        pid, sep, api_id = full_id.partition("/")
        spec = self._providers_index().find_by_model(full_id) if sep else None
        if spec is None or not spec.litellm_prefix or any(full_id.startswith(p) for p in spec.skip_prefixes):
            return full_id
        if spec.provider_id == pid and self.canonical_provider(spec.litellm_prefix) == pid:
            return f"{spec.litellm_prefix}/{api_id}"
        return full_id

    def _providers_index(self) -> ProviderIndex:
        from .providers import ProviderIndex

        key = (self.source_hash, tuple(b["id"] for b in self.provider_records()))
        if self._index is None or self._index[0] != key:
            self._index = (key, ProviderIndex(self))
        return self._index[1]

    def get_model(self, model_id: str) -> ModelMetadata | None:
        """The model for a full id, short id or alias (short-id ties broken as `resolve` does); None if none.

        Kabot formats `context_window` with `{:,}`, which needs a number: a window the catalog does
        not know is handed out as 0, which Kabot's `models list` shows as "Unknown" (docs/kabot.md)."""
        full_id = self.lookup(model_id)
        return _for_kabot(self.model(full_id)) if full_id is not None and self.has_id(full_id) else None

    def list_models(self, provider: str | None = None, **criteria: Any) -> list[ModelMetadata]:
        """Models matching every criterion (`filter`'s keywords: capability, status, mode, prices),
        as `get_model` hands them out."""
        return [_for_kabot(self.model(rec["id"])) for rec in self.filter(provider=provider, **criteria)]

    def get_providers(self) -> dict[str, int]:
        """Provider id -> how many models it has here (Kabot's meaning)."""
        counts: dict[str, int] = {}
        for rec in self.records():
            counts[rec["provider"]] = counts.get(rec["provider"], 0) + 1
        return counts


def _for_kabot(model: ModelMetadata) -> ModelMetadata:
    return model if model.context_window is not None else model.model_copy(update={"context_window": 0})


def _log() -> Any:
    import logging

    return logging.getLogger("kabot_models")
