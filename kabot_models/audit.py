"""Read the two outside datasets the catalog is checked against: LiteLLM's map and genai-prices.

Both are read from the installed packages, never from the network, and neither package is imported
for LiteLLM (importing litellm takes seconds; its map is a plain JSON file inside the package).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from .errors import KabotModelsError

LITELLM_MAP_FILE = "model_prices_and_context_window_backup.json"
LITELLM_REPO_URL = "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json"
GENAI_PRICES_REPO_URL = "https://github.com/pydantic/genai-prices"


class DatasetMissing(KabotModelsError):
    """An outside dataset the command needs is not installed."""


def litellm_map_path() -> Path:
    """Where the installed LiteLLM keeps its bundled model map."""
    spec = importlib.util.find_spec("litellm")
    if spec is None or not spec.submodule_search_locations:
        raise DatasetMissing("LiteLLM is not installed; `pip install litellm` to audit against it")
    path = Path(next(iter(spec.submodule_search_locations))) / LITELLM_MAP_FILE
    if not path.is_file():
        raise DatasetMissing(f"LiteLLM is installed but has no {LITELLM_MAP_FILE}; reinstall litellm")
    return path


@cache
def load_litellm_map() -> dict[str, dict[str, Any]]:
    """LiteLLM's model map: key -> entry (the `sample_spec` documentation entry left out)."""
    data = json.loads(litellm_map_path().read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if isinstance(v, dict) and k != "sample_spec"}


def dataset_version(dist: str) -> str:
    """The installed version of a distribution, or `unknown`."""
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def per_million(per_token: Any) -> float | None:
    """A per-token USD price as USD per 1M tokens, without float noise (2.5e-06 -> 2.5)."""
    if per_token is None or isinstance(per_token, bool) or not isinstance(per_token, (int, float)):
        return None
    value = (Decimal(repr(float(per_token))) * 1_000_000).normalize()
    return _number(value)


def _number(value: Decimal) -> float | int:
    value = value.quantize(Decimal("1e-9")).normalize() if value.as_tuple().exponent < -9 else value  # type: ignore[operator]
    return int(value) if value == value.to_integral_value() else float(value)


def genai_number(value: Any) -> float | int | None:
    """A genai-prices Decimal (or tiered price's base) as a plain number."""
    if value is None:
        return None
    base = getattr(value, "base", value)
    if not isinstance(base, Decimal):
        return None
    return _number(base.normalize())


def load_genai_providers() -> list[Any]:
    """genai-prices' bundled providers (its own data, not the auto-updated snapshot)."""
    if importlib.util.find_spec("genai_prices") is None:
        raise DatasetMissing("genai-prices is not installed; `pip install genai-prices` to audit against it")
    from genai_prices.data import providers

    return providers
