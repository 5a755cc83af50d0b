"""The Fireworks flavour: OpenAI's list at `/inference/v1/models`, each item with `kind`,
`context_length` (read by the OpenAI flavour already), `supports_chat`, `supports_image_input` and
`supports_tools`.

Documented at https://docs.fireworks.ai/api-reference/list-models (the same fields, camel-cased,
in the account-level API).
"""

from __future__ import annotations

from typing import Any

from .base import flags
from .openai import OpenAIPlugin

#: `supports_*` flags and the catalog capability each one means.
_CAPABILITIES = {"supports_image_input": "vision", "supports_tools": "tool_use"}


class FireworksPlugin(OpenAIPlugin):
    """Translator for Fireworks' OpenAI-compatible model list."""

    flavor = "fireworks"

    def fields(self, item: dict[str, Any]) -> dict[str, Any]:
        """Context and capabilities; a model that does not serve chat is an embedding model when its kind says so."""
        caps = flags(item, _CAPABILITIES)
        fields = super().fields(item)
        kind = item.get("kind")
        if item.get("supports_chat") is False and isinstance(kind, str) and "EMBEDDING" in kind.upper():
            fields["mode"] = "embedding"
        return {
            **fields,
            "capabilities": caps,
            "input_modalities": ["image", "text"] if "vision" in caps else None,
        }


PLUGIN = FireworksPlugin()
