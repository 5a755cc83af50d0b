"""The DeepInfra flavour: OpenAI's list at `/v1/openai/models`, each item with a `metadata` object
holding `description`, `context_length`, `max_tokens` and `pricing` (`input_tokens`,
`output_tokens`, `cache_read_tokens`: USD per 1M tokens). `metadata` is null for models DeepInfra
serves through other endpoints (embeddings, images).

Documented at https://deepinfra.com/docs/advanced/openai_api
"""

from __future__ import annotations

from typing import Any

from .base import obj, positive_int, price_1m, text
from .openai import OpenAIPlugin

#: DeepInfra's price keys and the catalog's.
_PRICES = {"input_tokens": "input_1m", "output_tokens": "output_1m", "cache_read_tokens": "cache_read_1m"}


class DeepInfraPlugin(OpenAIPlugin):
    """Translator for DeepInfra's OpenAI-compatible model list."""

    flavor = "deepinfra"

    def fields(self, item: dict[str, Any]) -> dict[str, Any]:
        """Description, context, max output and prices from `metadata`."""
        meta = obj(item.get("metadata"))
        pricing = obj(meta.get("pricing"))
        prices = {ours: price_1m(pricing.get(theirs)) for theirs, ours in _PRICES.items()}
        return {
            **super().fields(item),
            "description": text(meta.get("description")),
            "context_window": positive_int(meta.get("context_length")),
            "max_output": positive_int(meta.get("max_tokens")),
            "pricing": {k: v for k, v in prices.items() if v is not None} or None,
        }


PLUGIN = DeepInfraPlugin()
