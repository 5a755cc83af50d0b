"""The Together flavour: `GET /models` returns a bare JSON array; prices are numbers in USD per 1M."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import BasePlugin, ListRequest, Page, ScannedModel, compact, date_of, items_of, positive_int, price_1m, text, translate_items

#: Together's `type` and the catalog's `mode` (chat is the catalog's default and left unset).
_TYPES = {
    "chat": None,
    "language": "completion",
    "code": "completion",
    "embedding": "embedding",
    "image": "image_generation",
    "rerank": "rerank",
    "moderation": "moderation",
    "audio": "audio_speech",
    "transcribe": "audio_transcription",
    "video": "video_generation",
}


class TogetherPlugin(BasePlugin):
    """Translator for Together AI's model list."""

    flavor = "together"

    def list_request(self, provider: Mapping[str, Any], base_url: str, key: str | None, page_token: str | None) -> ListRequest:
        """`GET /models`, one page."""
        return ListRequest("/models", headers=self.auth_headers(provider, key))

    def translate(self, provider_id: str, payload: Any) -> Page:
        """Map the bare array."""
        entries, skipped = translate_items(items_of(payload, None, "models"), self._entry)
        return Page(entries, None, skipped)

    def _entry(self, item: dict[str, Any]) -> ScannedModel:
        kind = item.get("type")
        fields = {
            "name": text(item.get("display_name"), 200),
            "context_window": positive_int(item.get("context_length")),
            "pricing": _pricing(item.get("pricing")),
            "mode": _TYPES.get(kind) if isinstance(kind, str) else None,
            "release_date": date_of(item.get("created")),
        }
        return ScannedModel(item["id"], compact(fields), item)


def _pricing(value: Any) -> dict[str, float] | None:
    if not isinstance(value, dict):
        return None
    prices = {"input_1m": price_1m(value.get("input")), "output_1m": price_1m(value.get("output"))}
    # Together lists 0/0 for models it only runs on dedicated hardware: that is "no token price", not "free".
    if not any(prices.values()):
        return None
    return {k: v for k, v in prices.items() if v is not None}


PLUGIN = TogetherPlugin()
