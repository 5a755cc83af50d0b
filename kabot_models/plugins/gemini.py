"""The Gemini flavour: `GET /models` with `x-goog-api-key`, `{models, nextPageToken}`, ids `models/<id>`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ScanError
from .base import BasePlugin, ListRequest, Page, ScannedModel, compact, items_of, positive_int, text, translate_items

PAGE_SIZE = "1000"


class GeminiPlugin(BasePlugin):
    """Translator for the Gemini API's model list; keeps models that serve `generateContent`."""

    flavor = "gemini"

    def list_request(self, provider: Mapping[str, Any], base_url: str, key: str | None, page_token: str | None) -> ListRequest:
        """`GET /models?pageSize=1000[&pageToken=...]`."""
        headers = {"x-goog-api-key": key} if key else {}
        params = {"pageSize": PAGE_SIZE}
        if page_token:
            params["pageToken"] = page_token
        return ListRequest("/models", headers=headers, params=params)

    def translate(self, provider_id: str, payload: Any) -> Page:
        """Map one page. An empty list may come without the `models` key at all."""
        if isinstance(payload, dict) and "models" not in payload and set(payload) <= {"nextPageToken"}:
            payload = {**payload, "models": []}
        entries, skipped = translate_items(items_of(payload, "models", "models"), self._entry, id_key="name")
        next_page = payload.get("nextPageToken") or None
        if next_page is not None and not isinstance(next_page, str):
            raise ScanError("unexpected response: nextPageToken is not a string")
        return Page(entries, next_page, skipped)

    def _entry(self, item: dict[str, Any]) -> ScannedModel | None:
        methods = item.get("supportedGenerationMethods")
        if not isinstance(methods, list) or "generateContent" not in methods:
            return None  # embedding, AQA and other non-chat models: not what the catalog lists here
        api_id = item["name"].removeprefix("models/")
        fields = {
            "name": text(item.get("displayName"), 200),
            "description": text(item.get("description")),
            "context_window": positive_int(item.get("inputTokenLimit")),
            "max_output": positive_int(item.get("outputTokenLimit")),
            "capabilities": ["reasoning"] if item.get("thinking") is True else None,
        }
        return ScannedModel(api_id, compact(fields), item)


PLUGIN = GeminiPlugin()
