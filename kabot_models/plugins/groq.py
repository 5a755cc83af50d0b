"""The Groq flavour: OpenAI's list plus `context_window`, `max_completion_tokens` (read by the
OpenAI flavour already) and `active`.

Documented at https://console.groq.com/docs/api-reference#models-list
"""

from __future__ import annotations

from typing import Any

from .openai import OpenAIPlugin


class GroqPlugin(OpenAIPlugin):
    """Translator for Groq's model list."""

    flavor = "groq"

    def fields(self, item: dict[str, Any]) -> dict[str, Any]:
        """An inactive model is listed as deprecated (Groq no longer serves it)."""
        return {**super().fields(item), "status": "deprecated" if item.get("active") is False else None}


PLUGIN = GroqPlugin()
