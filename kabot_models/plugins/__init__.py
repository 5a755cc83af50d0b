"""Provider plugins: one small module per list-models API flavour, found by the provider's `api.flavor`.

Each built-in module (`openai`, `anthropic`, `gemini`, `openrouter`, `together`, `ollama`) holds a
`PLUGIN` object implementing `base.ProviderPlugin`. Modules are imported on first use, so loading
the registry never pays for them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from ..errors import ScanError

if TYPE_CHECKING:
    from .base import ProviderPlugin

BUILTIN_FLAVORS = ("openai", "anthropic", "gemini", "ollama", "openrouter", "together")
"""Flavours with a built-in plugin; `none` (no list-models API) has none by design."""


def plugin_for(flavor: str) -> ProviderPlugin:
    """The plugin serving `flavor`; `ScanError` when there is none."""
    if flavor not in BUILTIN_FLAVORS:
        raise ScanError(f"no plugin for API flavor {flavor!r}; known: {', '.join(BUILTIN_FLAVORS)}")
    return import_module(f"{__name__}.{flavor}").PLUGIN  # type: ignore[no-any-return]
