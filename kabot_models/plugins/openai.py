"""The OpenAI flavour: `GET {base}/models`, a bearer key, `{"data": [...]}` with `id`, `created`, `owned_by`.

That is all OpenAI's own list says (https://platform.openai.com/docs/api-reference/models/list).
Many servers speaking the same API add a `name` or `display_name`, a `description`, the context as
`context_length` or `context_window`, and `max_completion_tokens`; those are read here too when
present, as they mean the same everywhere. A server that documents more fields of its own has a
flavour that extends `OpenAIPlugin.fields` (groq, mistral, deepinfra, fireworks, moonshot).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import BasePlugin, ListRequest, Page, ScannedModel, compact, date_of, items_of, mode_from_id, positive_int, text, translate_items


class OpenAIPlugin(BasePlugin):
    """Translator for OpenAI's model list; the base of every OpenAI-compatible flavour."""

    flavor = "openai"

    def list_request(self, provider: Mapping[str, Any], base_url: str, key: str | None, page_token: str | None) -> ListRequest:
        """`GET /models`; these APIs return everything on one page."""
        return ListRequest("/models", headers=self.auth_headers(provider, key))

    def translate(self, provider_id: str, payload: Any) -> Page:
        """Map `{"data": [...]}`."""
        entries, skipped = translate_items(items_of(payload, "data", "models"), self._entry)
        return Page(entries, None, skipped)

    def _entry(self, item: dict[str, Any]) -> ScannedModel:
        return ScannedModel(item["id"], compact(self.fields(item)), item)

    def fields(self, item: dict[str, Any]) -> dict[str, Any]:
        """Catalog fields of one list item (None for what it does not say); a flavour adds its own."""
        return {
            "name": text(item.get("display_name") or item.get("name"), 200),
            "description": text(item.get("description")),
            "context_window": positive_int(item.get("context_window") or item.get("context_length")),
            "max_output": positive_int(item.get("max_completion_tokens")),
            "mode": mode_from_id(item["id"]),
            "release_date": date_of(item.get("created")),
        }


PLUGIN = OpenAIPlugin()
