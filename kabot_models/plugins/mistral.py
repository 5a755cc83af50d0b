"""The Mistral flavour: OpenAI's list plus `name`, `description`, `max_context_length`, `aliases`,
`deprecation` and a `capabilities` object of booleans.

Documented at https://docs.mistral.ai/api/#tag/models/operation/list_models_v1_models_get
"""

from __future__ import annotations

from typing import Any

from .base import date_of, flags, obj, positive_int, seq, text
from .openai import OpenAIPlugin

#: `capabilities` flags and the catalog capability each one means.
_CAPABILITIES = {"function_calling": "tool_use", "vision": "vision", "audio": "audio_input"}


class MistralPlugin(OpenAIPlugin):
    """Translator for Mistral's model list."""

    flavor = "mistral"

    def fields(self, item: dict[str, Any]) -> dict[str, Any]:
        """Name, description, context, capabilities, aliases and the deprecation date."""
        raw_caps = obj(item.get("capabilities"))
        caps = flags(raw_caps, _CAPABILITIES)
        deprecation = date_of(item.get("deprecation")) if isinstance(item.get("deprecation"), str) else None
        aliases = item.get("aliases")
        fields = super().fields(item)
        if raw_caps.get("completion_chat") is False and raw_caps.get("completion_fim") is True:
            fields["mode"] = "completion"
        elif raw_caps.get("completion_chat") is False and raw_caps.get("ocr") is True:
            fields["mode"] = "ocr"
        return {
            **fields,
            "name": text(item.get("name"), 200),
            "description": text(item.get("description")),
            "context_window": positive_int(item.get("max_context_length")),
            "capabilities": caps,
            "input_modalities": sorted({"text", *(["image"] if "vision" in caps else []), *(["audio"] if "audio_input" in caps else [])}) if caps else None,
            "status": "deprecated" if deprecation else None,
            "deprecation_date": deprecation,
            "aliases": [a for a in seq(aliases) if isinstance(a, str)],
        }


PLUGIN = MistralPlugin()
