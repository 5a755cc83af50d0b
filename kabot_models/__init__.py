"""kabot-models: the open catalog of LLM providers and models.

    from kabot_models import load_registry
    registry = load_registry()
    registry.resolve("sonnet")      # -> "anthropic/claude-..."

Every public name is imported on first use (module `__getattr__`), so `import kabot_models` costs
almost nothing and the resolve path never imports pydantic, YAML or LiteLLM.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_registry": "loader",
    "ModelRegistry": "kabot",
    "ModelMetadata": "schema",
    "ModelPricing": "schema",
    "ProviderMetadata": "schema",
    "KabotModelsError": "errors",
    "CatalogError": "errors",
    "CatalogIssue": "errors",
    "ConfigError": "errors",
    "ResolutionError": "errors",
    "UnknownModelError": "errors",
    "AmbiguousModelError": "errors",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from .errors import (
        AmbiguousModelError,
        CatalogError,
        CatalogIssue,
        ConfigError,
        KabotModelsError,
        ResolutionError,
        UnknownModelError,
    )
    from .kabot import ModelRegistry
    from .loader import load_registry
    from .schema import ModelMetadata, ModelPricing, ProviderMetadata


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # `__import__` with a level is `importlib.import_module` without importing importlib (0.2-0.5 ms
    # of a start whose budget is ~3.5 bare interpreter starts); it returns the submodule `module`.
    value = getattr(__import__(module, globals(), None, (name,), 1), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
