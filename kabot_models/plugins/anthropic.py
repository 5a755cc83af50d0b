"""The Anthropic flavour: `GET /v1/models` with `x-api-key` and `anthropic-version`, paged by id."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ScanError
from .base import BasePlugin, ListRequest, Page, ScannedModel, compact, date_of, items_of, text, translate_items

API_VERSION = "2023-06-01"
PAGE_SIZE = "1000"


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
        fields = {"name": text(item.get("display_name"), 200), "release_date": date_of(item.get("created_at"))}
        return ScannedModel(item["id"], compact(fields), item)


PLUGIN = AnthropicPlugin()
