"""The Gemini flavour: `GET /models` with `x-goog-api-key`, `{models, nextPageToken}`, ids `models/<id>`.

Each model gives `displayName`, `description`, `inputTokenLimit`, `outputTokenLimit`,
`supportedGenerationMethods` and `thinking`. Documented at
https://ai.google.dev/api/models#method:-models.list
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ScanError
from .base import BasePlugin, ListRequest, Page, ScannedModel, compact, items_of, positive_int, seq, text, translate_items

PAGE_SIZE = "1000"


class GeminiPlugin(BasePlugin):
    """Translator for the Gemini API's model list: chat models (`generateContent`) and embedding
    models (`embedContent`); others (AQA, image and video `predict` models) are left out, as their
    token limits mean something else."""

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
        methods = [m for m in seq(methods) if isinstance(m, str)]
        chat = "generateContent" in methods
        if not chat and "embedContent" not in methods:
            return None
        api_id = item["name"].removeprefix("models/")
        inputs = positive_int(item.get("inputTokenLimit"))
        fields = {
            "name": text(item.get("displayName"), 200),
            "description": text(item.get("description")),
            "mode": None if chat else "embedding",
            # Gemini counts the input limit as the context; the output limit is its own figure.
            "context_window": inputs,
            "max_output": positive_int(item.get("outputTokenLimit")) if chat else None,
            "capabilities": sorted({*(["reasoning"] if item.get("thinking") is True else []),
                                    *(["prompt_caching"] if "createCachedContent" in methods else [])}),
        }
        return ScannedModel(api_id, compact(fields), item)


PLUGIN = GeminiPlugin()
