"""Where loading happens: a registry assembled from the catalog (or its snapshot), the scan store,
the user's config and the installed plugins.

`load_registry()` is the one way in; Kabot's `ModelRegistry()` (kabot.py) goes through the same
functions. The catalog comes from a snapshot when one is current: the one an installed package
carries, else a cache file per catalog directory under `paths.data_dir()/snapshots/`, rebuilt
(atomically) when stale, or just compiled in memory where it cannot be written. A catalog with
plugin YAML is compiled on every load: its outcome depends on more than the directory.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from typing import Any, Literal

from . import catalog
from .catalog import CompiledCatalog, catalog_signature, compile_catalog
from .config import read_user_config
from .registry import Registry
from .resolver import Resolver
from .snapshot import PACKAGED_SNAPSHOT, CollectorPaused, cache_path, read_snapshot, write_snapshot


def user_resolver(registry: Registry, config: dict[str, Any] | None) -> Resolver:
    """The resolver of `registry` with `config`, or (None) with the user's config file."""
    return Resolver(registry, read_user_config() if config is None else config)


def new_registry() -> Registry:
    """An empty registry that resolves with the user's config."""
    return Registry(resolver_factory=user_resolver)


def load_registry(catalog_dir: str | os.PathLike[str] | None = None,
                  db: str | os.PathLike[str] | Literal[False] | None = None) -> Registry:
    """A registry loaded with the catalog (the packaged one unless `catalog_dir` is given).

    The catalog is read from its SQLite snapshot when that is current, and compiled (and cached)
    when not; see `kabot_models.snapshot`. Scan results are merged under the catalog from `db`
    (default: `paths.db_path()`) when that file exists; `db=False` leaves them out. Without a
    database no SQLite work is done. Raises `CatalogError` (listing every defect) when the catalog
    has to be compiled and does not validate, and `StoreError` when a `db` passed here cannot be
    read (the default database, unreadable, only warns and is left out).
    """
    registry = new_registry()
    load_catalog(registry, catalog_dir)
    if db is not False:
        load_scan_results(registry, db)
    return registry


def load_catalog(registry: Registry, catalog_dir: str | os.PathLike[str] | None = None) -> int:
    """Add the catalog's providers and models to `registry` (the packaged catalog unless `catalog_dir`
    is given), with the YAML of installed plugins (a plugin that fails is left out and listed in
    `registry.plugin_problems`); returns how many models the catalog held. Raises `CatalogError`
    when the catalog has to be compiled and does not validate."""
    from .plugins.third_party import compile_with_plugins, plugins

    cdir = os.fspath(catalog_dir) if catalog_dir is not None else os.fspath(catalog.default_catalog_dir())
    found = plugins()  # without an installed plugin this is a directory scan, no importlib.metadata
    with CollectorPaused():
        if any(p.catalog_files for p in found.plugins):
            from pathlib import Path

            compiled, found = compile_with_plugins(Path(cdir))
        else:
            compiled = _catalog_of_dir(cdir, catalog_dir is None)
        count = registry.load_compiled(compiled)
    registry.plugin_problems = list(found.problems)
    return count


def _catalog_of_dir(cdir: str, default: bool) -> CompiledCatalog:
    """A catalog directory's compiled form: its packaged or cached snapshot when current, else compiled and cached."""
    if default and cdir == os.fspath(catalog.packaged_catalog_dir()):
        compiled = read_snapshot(os.path.join(cdir, PACKAGED_SNAPSHOT), cdir, installed=True)
        if compiled is not None:
            return compiled
    try:
        cached: str | None = cache_path(cdir)
    except OSError:  # no usable home directory: compile every time, still correct
        cached = None
    if cached is not None:
        compiled = read_snapshot(cached, cdir)
        if compiled is not None:
            return compiled
    signature = catalog_signature(cdir)
    compiled = compile_catalog(cdir)
    if cached is not None:
        try:
            write_snapshot(compiled, cached, signature=signature, private=True)
        except (OSError, sqlite3.Error):
            pass  # an unwritable cache only costs the next load a compile
    return compiled


def compile_registry(catalog_dir: str | os.PathLike[str]) -> Registry:
    """Validate and compile a catalog directory into an in-memory registry (raises `CatalogError`).

    The collector is paused: parsing keeps every file's data alive, and its passes over all of it
    made a 100k-model compile cost twice as much per model as a 10k one (56 s against 27 s).
    """
    registry = new_registry()
    with CollectorPaused():
        registry.load_compiled(compile_catalog(catalog_dir))
    return registry


# -- scan results -------------------------------------------------------------------------------------
def load_scan_results(registry: Registry, db: str | os.PathLike[str] | None = None) -> int:
    """Merge the latest scan results in `db` (default: the user's database, `paths.db_path()`) under
    the catalog; returns how many records the scan added or marked.

    Without a database file nothing is read and SQLite's scan store is not even imported. A database
    named here that cannot be read raises `StoreError`; the default one (which the user may never
    have chosen) only warns, and the catalog is used alone, so a damaged file cannot stop every
    name from resolving.
    """
    from .paths import db_path

    path = os.fspath(db if db is not None else db_path())
    if not os.path.isfile(path):
        return 0
    from .errors import StoreError
    from .store import read_latest

    try:
        latest = read_latest(path)
    except StoreError as exc:
        if db is not None:
            raise
        import warnings

        warnings.warn(f"scan results not used: {exc}", stacklevel=3)
        return 0
    if latest.skipped:
        import warnings

        warnings.warn(f"{path}: {latest.skipped} scanned model(s) left out: their stored fields have the wrong types; "
                      "`kabot-models scan` again replaces them", stacklevel=3)
    return merge_scanned(registry, latest.models, latest.providers)


LATEST_TAG = ":latest"
"""Ollama's name for a model's default tag: it lists `llama3:latest` for what the catalog calls `llama3`."""


def _served_id(registry: Registry, full_id: str) -> str:
    """The catalog id a listed id is: `ollama/llama3:latest` is `ollama/llama3` when the catalog has that
    and not the tagged spelling (one model, not a catalog entry plus a scan-only copy)."""
    if full_id.endswith(LATEST_TAG) and not registry.has_id(full_id):
        bare = full_id[: -len(LATEST_TAG)]
        if registry.has_id(bare):
            return bare
    return full_id


def merge_scanned(registry: Registry, rows: Iterable[dict[str, Any]], scanned_providers: Iterable[str]) -> int:
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
    providers = {pid for p in scanned_providers if (pid := registry.canonical_provider(p))}
    live: dict[str, dict[str, Any]] = {}
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        pid = registry.canonical_provider(row["provider"])
        if pid in providers:
            served = _served_id(registry, f"{pid}/{row['api_id']}")
            live[served] = {k: v for k, v in row["fields"].items() if k != "aliases"}
            seen[served] = {"first_seen": row.get("first_seen"), "last_seen": row.get("last_seen")}
    # What each name a scan-only model would answer to means before the merge (catalog only).
    meaning: dict[str, str | None] = {}
    aliases_of: dict[str, list[str]] = {}
    for block in registry.provider_records():
        aliases_of[block["id"]] = list(block.get("aliases", ()))
    for full_id in live:
        if not registry.has_id(full_id):
            pid, short = full_id.split("/", 1)
            for name in (full_id, short, *(f"{a}/{short}" for a in aliases_of.get(pid, ()))):
                if name not in meaning:
                    meaning[name] = registry.resolver.catalog_meaning(name)
    unserved = [rec for rec in registry.records() if rec["provider"] in providers and rec["id"] not in live]
    for rec in unserved:
        registry.add_model({**rec, "served": False})
    merged = len(unserved)
    for full_id, fields in live.items():
        rec = registry.record(full_id) if registry.has_id(full_id) else None
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
            # A short id that already means something (a catalog model, a forgiving form, another
            # provider's pass-through) keeps its meaning: the scan-only model is reached by its full id only.
            registry.add_scanned_model(record, by_short_id=meaning[short] in (None, full_id))
        else:
            record = {**rec, "served": True, "field_sources": dict(rec.get("field_sources", {}))}
            for key, value in fields.items():
                if key not in record["field_sources"]:  # unset, or only a default: the scan may fill it
                    record[key] = value
                    record["field_sources"][key] = "scan"
            registry.add_model(record)
        merged += 1
    return merged


# -- the process-wide registry (what `providers` and `litellm` answer from) ----------------------------
_DEFAULT: list[Registry] = []


def default_registry() -> Registry:
    """The process-wide registry that `providers` and `litellm` use: `load_registry()`, loaded once."""
    if not _DEFAULT:
        _DEFAULT.append(load_registry())
    return _DEFAULT[0]


def set_default_registry(registry: Registry | None) -> None:
    """Make `registry` the process-wide one (None: load the packaged catalog again on next use)."""
    _DEFAULT.clear()
    if registry is not None:
        _DEFAULT.append(registry)
