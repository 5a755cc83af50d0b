"""The OpenRouter flavour: a public `GET /models` whose prices are strings in USD per token."""

from __future__ import annotations

from typing import Any

from .base import ScannedModel, compact, date_of, positive_int, price_1m, text
from .openai import OpenAIPlugin

#: OpenRouter's price keys (USD per token) and the catalog's (USD per 1M tokens).
_PRICES = {
    "prompt": "input_1m",
    "completion": "output_1m",
    "input_cache_read": "cache_read_1m",
    "input_cache_write": "cache_write_1m",
    "internal_reasoning": "reasoning_1m",
}
#: `supported_parameters` values and the capability each one shows.
_PARAMETERS = {"tools": "tool_use", "reasoning": "reasoning", "structured_outputs": "structured_output", "response_format": "json_mode"}
#: OpenRouter modality names and the catalog's (`file` inputs are documents: PDFs).
_MODALITIES = {"text": "text", "image": "image", "audio": "audio", "video": "video", "file": "pdf"}
#: Input modalities and the capability each one shows.
_INPUT_CAPABILITIES = {"image": "vision", "pdf": "pdf_input", "audio": "audio_input", "video": "video_input"}


class OpenRouterPlugin(OpenAIPlugin):
    """Translator for OpenRouter's model list: the OpenAI shape (`GET /models`, `{"data": [...]}`,
    one page; the key is sent when there is one but not needed), with richer entries."""

    flavor = "openrouter"

    def _entry(self, item: dict[str, Any]) -> ScannedModel:
        arch = item.get("architecture") if isinstance(item.get("architecture"), dict) else {}
        inputs = _modalities(arch.get("input_modalities"))
        outputs = _modalities(arch.get("output_modalities"))
        params = item.get("supported_parameters") if isinstance(item.get("supported_parameters"), list) else []
        capabilities = {cap for p, cap in _PARAMETERS.items() if p in params}
        capabilities |= {cap for m, cap in _INPUT_CAPABILITIES.items() if m in inputs}
        if "image" in outputs:
            capabilities.add("image_output")
        top = item.get("top_provider") if isinstance(item.get("top_provider"), dict) else {}
        fields = {
            "name": text(item.get("name"), 200),
            "description": text(item.get("description")),
            "context_window": positive_int(item.get("context_length")),
            "max_output": positive_int(top.get("max_completion_tokens")),
            "pricing": _pricing(item.get("pricing"), item["id"]),
            "capabilities": sorted(capabilities),
            "input_modalities": inputs,
            "output_modalities": outputs,
            "release_date": date_of(item.get("created")),
        }
        return ScannedModel(item["id"], compact(fields), item)


def _modalities(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return sorted({_MODALITIES[m] for m in value if isinstance(m, str) and m in _MODALITIES})


def _pricing(value: Any, api_id: str) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    # A negative price (the `openrouter/auto` router says -1) means "varies": price_1m drops it.
    prices = {ours: price_1m(value.get(theirs), per_token=True) for theirs, ours in _PRICES.items()}
    prices = {k: v for k, v in prices.items() if v is not None}
    if api_id.endswith(":free") and prices.get("input_1m") == 0 and prices.get("output_1m") == 0:
        prices["free"] = True
    return prices or None


PLUGIN = OpenRouterPlugin()
