"""The Anthropic flavour: `GET /v1/models` with `x-api-key` and `anthropic-version`, paged by id.

Each `ModelInfo` carries `max_input_tokens`, `max_tokens`, `lifecycle` (`active`, `deprecated`,
`retired`) with `deprecated_at`/`retires_at`, and a `capabilities` object whose entries are
`{"supported": bool}` (some with sub-entries: `thinking.types`, `effort` levels, `server_tools`,
`context_management` strategies). Documented at https://docs.anthropic.com/en/api/models-list.
What the catalog has no field for (batch, citations, effort levels, thinking types, context
management) stays in the stored raw entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ScanError
from .base import BasePlugin, ListRequest, Page, ScannedModel, compact, date_of, items_of, positive_int, text, translate_items

API_VERSION = "2023-06-01"
PAGE_SIZE = "1000"

#: Paths into `capabilities` and the catalog capability each one's `supported: true` means.
_CAPABILITIES = {
    ("image_input",): "vision",
    ("pdf_input",): "pdf_input",
    ("structured_outputs",): "structured_output",
    ("thinking",): "reasoning",
    ("server_tools", "web_search"): "web_search",
    ("server_tools", "code_execution"): "code_execution",
}


class AnthropicPlugin(BasePlugin):
    """Translator for Anthropic's model list (`{data, has_more, last_id}`, next page via `after_id`)."""

    flavor = "anthropic"

    def api_root(self, base_url: str) -> str:
        """The server root: catalogs write the base URL both with and without `/v1`."""
        return base_url.rstrip("/").removesuffix("/v1")

    def list_request(self, provider: Mapping[str, Any], base_url: str, key: str | None, page_token: str | None) -> ListRequest:
        """`GET /v1/models?limit=1000[&after_id=...]`."""
        headers = {"anthropic-version": API_VERSION}
        if key:
            headers["x-api-key"] = key
        params = {"limit": PAGE_SIZE}
        if page_token:
            params["after_id"] = page_token
        return ListRequest("/v1/models", headers=headers, params=params)

    def translate(self, provider_id: str, payload: Any) -> Page:
        """Map one page; `last_id` is the next page's token while `has_more` is true."""
        entries, skipped = translate_items(items_of(payload, "data", "models"), self._entry)
        next_page = None
        if payload.get("has_more") is True:
            next_page = payload.get("last_id")
            if not isinstance(next_page, str) or not next_page:
                raise ScanError("unexpected response: has_more is true but last_id is missing")
        return Page(entries, next_page, skipped)

    def _entry(self, item: dict[str, Any]) -> ScannedModel:
        caps = sorted({cap for path, cap in _CAPABILITIES.items() if _supported(item.get("capabilities"), path)})
        inputs = {"text"} | ({"image"} if "vision" in caps else set()) | ({"pdf"} if "pdf_input" in caps else set())
        lifecycle = item.get("lifecycle")
        fields = {
            "name": text(item.get("display_name"), 200),
            "release_date": date_of(item.get("created_at")),
            # Anthropic's context window is its input limit: the output is budgeted inside it.
            "context_window": positive_int(item.get("max_input_tokens")),
            "max_output": positive_int(item.get("max_tokens")),
            "capabilities": caps,
            "input_modalities": sorted(inputs) if len(inputs) > 1 else None,
            "status": lifecycle if lifecycle in ("deprecated", "retired") else None,
            "deprecation_date": date_of(item.get("deprecated_at")) if lifecycle in ("deprecated", "retired") else None,
            "retirement_date": date_of(item.get("retires_at")) if lifecycle in ("deprecated", "retired") else None,
        }
        return ScannedModel(item["id"], compact(fields), item)


def _supported(value: Any, path: tuple[str, ...]) -> bool:
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return isinstance(value, dict) and value.get("supported") is True


PLUGIN = AnthropicPlugin()
