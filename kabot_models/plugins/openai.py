"""The OpenAI-compatible flavour: `GET {base}/models`, a bearer key, `{"data": [...]}`.

OpenAI itself gives only `id`, `created` and `owned_by`; the many compatible APIs add their own
fields, mapped here when present: Groq (`context_window`, `max_completion_tokens`), Mistral
(`max_context_length`, `aliases`, `deprecation`, `capabilities`), Moonshot (`context_length`,
`supports_image_in`, `supports_reasoning`), and DeepSeek, xAI, Cerebras, Fireworks with the plain shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import BasePlugin, ListRequest, Page, ScannedModel, compact, date_of, items_of, mode_from_id, positive_int, text, translate_items

#: Mistral's `capabilities` flags and the catalog capability each one means.
_MISTRAL_CAPABILITIES = {"function_calling": "tool_use", "vision": "vision"}


class OpenAIPlugin(BasePlugin):
    """Translator for OpenAI-compatible model lists."""

    flavor = "openai"

    def list_request(self, provider: Mapping[str, Any], base_url: str, key: str | None, page_token: str | None) -> ListRequest:
        """`GET /models`; these APIs return everything on one page."""
        return ListRequest("/models", headers=self.auth_headers(provider, key))

    def translate(self, provider_id: str, payload: Any) -> Page:
        """Map `{"data": [...]}`."""
        entries, skipped = translate_items(items_of(payload, "data", "models"), self._entry)
        return Page(entries, None, skipped)

    def _entry(self, item: dict[str, Any]) -> ScannedModel:
        api_id = item["id"]
        capabilities = []
        mistral_caps = item.get("capabilities")
        if isinstance(mistral_caps, dict):
            capabilities += [cap for flag, cap in _MISTRAL_CAPABILITIES.items() if mistral_caps.get(flag) is True]
        if item.get("supports_image_in") is True:
            capabilities.append("vision")
        if item.get("supports_reasoning") is True:
            capabilities.append("reasoning")
        deprecation = date_of(item.get("deprecation"))
        aliases = item.get("aliases")
        fields = {
            "name": text(item.get("display_name") or item.get("name"), 200),
            "description": text(item.get("description")),
            "context_window": positive_int(item.get("context_window") or item.get("max_context_length") or item.get("context_length")),
            "max_output": positive_int(item.get("max_completion_tokens")),
            "capabilities": sorted(set(capabilities)),
            "input_modalities": ["text", "image"] if "vision" in capabilities else None,
            "mode": mode_from_id(api_id),
            "release_date": date_of(item.get("created")),
            "status": "deprecated" if deprecation else None,
            "deprecation_date": deprecation,
            "aliases": [a for a in aliases if isinstance(a, str)] if isinstance(aliases, list) else None,
        }
        return ScannedModel(api_id, compact(fields), item)


PLUGIN = OpenAIPlugin()
