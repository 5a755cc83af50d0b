"""Provider plugins: one small module per list-models API flavour, found by the provider's `api.flavor`.

Each built-in module (one per name in `BUILTIN_FLAVORS`) holds a
`PLUGIN` object implementing `base.ProviderPlugin` (and, through `base.BasePlugin`, the login hooks
of `base.LoginHooks`). Modules are imported on first use, so loading the registry never pays for
them. Third-party plugins (`third_party.py`, entry-point group `kabot_models.plugins`) that name a
provider take its place for that provider: `plugin_for_provider` and `login_hook` pick them first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import ScanError

if TYPE_CHECKING:
    from .base import ProviderPlugin

BUILTIN_FLAVORS = ("openai", "anthropic", "gemini", "ollama", "openrouter", "together", "groq", "mistral", "deepinfra", "fireworks", "moonshot")
"""Flavours with a built-in plugin; `none` (no list-models API) has none by design."""


def plugin_for(flavor: str) -> ProviderPlugin:
    """The plugin serving `flavor`; `ScanError` when there is none."""
    if flavor not in BUILTIN_FLAVORS:
        raise ScanError(f"no plugin for API flavor {flavor!r}; known: {', '.join(BUILTIN_FLAVORS)}")
    from importlib import import_module  # here, not at the top: loading the registry imports this package

    return import_module(f"{__name__}.{flavor}").PLUGIN  # type: ignore[no-any-return]


def plugin_for_provider(provider: dict[str, Any]) -> ProviderPlugin:
    """The translator for one provider: a third-party plugin that names it and implements the whole
    `ProviderPlugin` protocol, else the built-in plugin of its `api.flavor` (`ScanError` when none)."""
    from .base import ProviderPlugin
    from .third_party import plugins

    third = plugins().for_provider(provider["id"])
    if third is not None and isinstance(third, ProviderPlugin):
        return third
    return plugin_for((provider.get("api") or {}).get("flavor", "openai"))


def login_hook(provider: dict[str, Any], name: str) -> Any:
    """The `base.LoginHooks` method `name` that answers for a provider at `auth login`: a third-party
    plugin's when it names the provider and defines it, else the built-in flavour plugin's (whose
    defaults live in `base.BasePlugin`; a flavour without a translator gets those defaults)."""
    from .base import BasePlugin
    from .third_party import plugins

    third = plugins().for_provider(provider["id"])
    if third is not None and callable(getattr(third, name, None)):
        return getattr(third, name)
    try:
        builtin: Any = plugin_for((provider.get("api") or {}).get("flavor", "openai"))
    except ScanError:
        builtin = BasePlugin()
    return getattr(builtin, name)
