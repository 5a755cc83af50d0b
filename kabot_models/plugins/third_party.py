"""Third-party plugins: found through the entry-point group `kabot_models.plugins`, loaded once per process.

An entry point names a module (its `PLUGIN` attribute is the plugin) or an object
(`pkg.module:PLUGIN`). A plugin may

- answer for one or more provider ids (`providers = ("acme",)`): the login hooks it defines
  (`base.LoginHooks`: `recommended_models`, `suggested_aliases`, `login_patch`) replace the
  built-in ones for them, and when it implements the whole `base.ProviderPlugin` protocol
  (subclass `base.BasePlugin` and write `list_request` and `translate`) the scanner and `auth
  login` use it to list those providers' models, which is also how their keys are verified;
- ship catalog YAML (`catalog_files()` returning paths of provider files), validated exactly like
  the packaged catalog.

A plugin that raises while loading, or whose YAML does not validate, is recorded in `problems` with
its name and the error, and left out; everything else keeps working. Loading happens only when
something needs plugins. A cheap scan of the installed distributions' `entry_points.txt` files
first decides whether any plugin is installed at all, so a process without plugins never imports
`importlib.metadata` (about as costly as the rest of a registry load).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

ENTRY_POINT_GROUP = "kabot_models.plugins"
_GROUP_HEADER_BYTES = f"[{ENTRY_POINT_GROUP}]".encode()


class LoadedPlugin:
    """A third-party plugin that loaded."""

    __slots__ = ("name", "value", "dist", "plugin", "catalog_files")

    def __init__(self, name: str, value: str, dist: str, plugin: Any, catalog_files: list[Path] | None = None) -> None:
        self.name = name
        """The entry point's name."""
        self.value = value
        """What the entry point names (`pkg.module` or `pkg.module:object`)."""
        self.dist = dist
        """`name version` of the distribution that installed it."""
        self.plugin = plugin
        """The plugin object."""
        self.catalog_files = catalog_files or []
        """Provider YAML files the plugin ships."""

    @property
    def providers(self) -> tuple[str, ...]:
        """Provider ids whose login hooks this plugin supplies."""
        return tuple(getattr(self.plugin, "providers", ()) or ())


class PluginProblem:
    """A plugin left out, and why (one line)."""

    __slots__ = ("name", "error")

    def __init__(self, name: str, error: str) -> None:
        self.name = name
        """The entry point's name."""
        self.error = error
        """What went wrong, e.g. `ModuleNotFoundError: No module named 'x'` or a catalog issue."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PluginProblem) and (self.name, self.error) == (other.name, other.error)

    def __hash__(self) -> int:
        return hash((self.name, self.error))

    def __repr__(self) -> str:
        return f"PluginProblem({self.name!r}, {self.error!r})"

    def __str__(self) -> str:
        return f"plugin {self.name!r} not loaded: {self.error}"


class PluginSet:
    """Every third-party plugin found in this environment."""

    def __init__(self) -> None:
        self.plugins: list[LoadedPlugin] = []
        self.problems: list[PluginProblem] = []

    def for_provider(self, provider_id: str) -> Any | None:
        """The plugin object answering for `provider_id`, or None."""
        for p in self.plugins:
            if provider_id in p.providers:
                return p.plugin
        return None

    def catalog_files(self) -> list[Path]:
        """Every plugin's provider files, in plugin order."""
        return [f for p in self.plugins for f in p.catalog_files]

    def drop(self, plugin: LoadedPlugin, error: str) -> None:
        """Leave `plugin` out, recording why."""
        self.plugins.remove(plugin)
        self.problems.append(PluginProblem(plugin.name, error))


def _maybe_installed() -> bool:
    """Whether any distribution on sys.path declares the group (a cheap over-approximation)."""
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as it:
                names = [e.name for e in it if e.name.endswith((".dist-info", ".egg-info"))]
        except OSError:
            continue
        for name in names:
            try:
                with open(os.path.join(entry or ".", name, "entry_points.txt"), "rb") as fh:  # bytes: no decoder per file
                    if _GROUP_HEADER_BYTES in fh.read():
                        return True
            except OSError:
                continue
    return False


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def discover() -> PluginSet:
    """Load every installed plugin (no cache: `plugins()` is the cached form)."""
    found = PluginSet()
    if not _maybe_installed():
        return found
    from importlib.metadata import entry_points
    from types import ModuleType

    seen: set[str] = set()
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in seen:  # the same distribution seen twice on sys.path
            continue
        seen.add(ep.name)
        dist = f"{ep.dist.name} {ep.dist.version}" if ep.dist else "?"
        try:
            obj = ep.load()
            if isinstance(obj, ModuleType):
                if not hasattr(obj, "PLUGIN"):
                    raise AttributeError(f"module {obj.__name__} has no PLUGIN object")
                obj = obj.PLUGIN
            files_fn = getattr(obj, "catalog_files", None)
            files = [Path(f) for f in files_fn()] if callable(files_fn) else []
            for f in files:
                if not f.is_file():
                    raise FileNotFoundError(f"catalog file {f} does not exist")
        except Exception as exc:  # a third party's bug must not take the registry down
            found.problems.append(PluginProblem(ep.name, _one_line(exc)))
            continue
        found.plugins.append(LoadedPlugin(ep.name, ep.value, dist, obj, files))
    return found


_CACHE: list[PluginSet] = []


def plugins(refresh: bool = False) -> PluginSet:
    """The third-party plugins of this process, discovered on first use."""
    if refresh or not _CACHE:
        _CACHE[:] = [discover()]
    return _CACHE[0]


def compile_with_plugins(catalog_dir: Path | None = None) -> tuple[Any, PluginSet]:
    """The catalog compiled together with every plugin's YAML, and the plugin set used.

    A plugin whose files do not validate (alone or together with the catalog) is dropped with its
    first issue recorded, and the rest compiled again; a defect in the catalog itself raises
    `CatalogError` as it would without plugins.
    """
    from ..catalog import compile_catalog, validate_catalog
    from ..errors import CatalogError

    found = plugins()
    while True:
        with_files = [p for p in found.plugins if p.catalog_files]
        if not with_files:
            return compile_catalog(catalog_dir), found
        compiled, issues = validate_catalog(catalog_dir, extra_files=found.catalog_files())
        if compiled is not None:
            return compiled, found
        owners = {str(f.resolve()): p for p in with_files for f in p.catalog_files}
        at_fault: dict[int, tuple[LoadedPlugin, str]] = {}
        for issue in issues:
            owner = owners.get(str(Path(issue.file).resolve()))
            if owner is not None and id(owner) not in at_fault:
                at_fault[id(owner)] = (owner, f"catalog: {issue}")
        if not at_fault:
            raise CatalogError(issues)
        for owner, error in at_fault.values():
            found.drop(owner, error)

