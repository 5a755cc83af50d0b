"""The Moonshot flavour: OpenAI's list plus `context_length` (read by the OpenAI flavour already),
`supports_image_in`, `supports_video_in` and `supports_reasoning`.

Documented at https://platform.moonshot.ai/docs/api/chat#list-models
"""

from __future__ import annotations

from typing import Any

from .base import flags
from .openai import OpenAIPlugin

#: `supports_*` flags and the catalog capability each one means.
_CAPABILITIES = {"supports_image_in": "vision", "supports_video_in": "video_input", "supports_reasoning": "reasoning"}


class MoonshotPlugin(OpenAIPlugin):
    """Translator for Moonshot's model list."""

    flavor = "moonshot"

    def fields(self, item: dict[str, Any]) -> dict[str, Any]:
        """Context and capabilities; image and video input show as input modalities too."""
        caps = flags(item, _CAPABILITIES)
        inputs = {"text"} | {"image" for c in caps if c == "vision"} | {"video" for c in caps if c == "video_input"}
        return {
            **super().fields(item),
            "capabilities": caps,
            "input_modalities": sorted(inputs) if len(inputs) > 1 else None,
        }


PLUGIN = MoonshotPlugin()
