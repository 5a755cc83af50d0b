"""The Ollama flavour: `GET /api/tags` lists local models, `POST /api/show` tells each one's limits.

`/api/show` gives `model_info["<general.architecture>.context_length"]` and `capabilities`
(`completion`, `tools`, `vision`, `thinking`, `embedding`, ...). Ollama names a model without a tag
`<name>:latest`, and answers to both spellings; the catalog keys it without the tag, so the
translator lists `llama3.2:latest` as `llama3.2` (other tags are kept: `qwen3:8b`). Documented at
https://github.com/ollama/ollama/blob/main/docs/api.md
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ScanError
from .base import BasePlugin, ListRequest, Page, ScannedModel, compact, date_of, items_of, obj, positive_int, seq, translate_items

#: `/api/show` capabilities and the catalog's.
_CAPABILITIES = {"tools": "tool_use", "vision": "vision", "thinking": "reasoning"}


class OllamaPlugin(BasePlugin):
    """Translator for a local Ollama server."""

    flavor = "ollama"

    def api_root(self, base_url: str) -> str:
        """The server root: a base URL may name Ollama's OpenAI-compatible `/v1`, the native API sits beside it."""
        return base_url.rstrip("/").removesuffix("/v1")

    def list_request(self, provider: Mapping[str, Any], base_url: str, key: str | None, page_token: str | None) -> ListRequest:
        """`GET /api/tags`."""
        return ListRequest("/api/tags", headers=self.auth_headers(provider, key))

    def translate(self, provider_id: str, payload: Any) -> Page:
        """Map `{"models": [...]}`; local weights are open by definition."""
        entries, skipped = translate_items(items_of(payload, "models", "models"), self._entry, id_key="name")
        return Page(entries, None, skipped)

    def _entry(self, item: dict[str, Any]) -> ScannedModel:
        return ScannedModel(item["name"].removesuffix(":latest"), compact({"open_weights": True, "release_date": date_of(item.get("modified_at"))}), item)

    def detail_request(self, provider: Mapping[str, Any], base_url: str, key: str | None, entry: ScannedModel) -> ListRequest:
        """`POST /api/show {"model": id}` for the context length and capabilities."""
        return ListRequest("/api/show", method="POST", headers=self.auth_headers(provider, key), json={"model": _name(entry)})

    def translate_detail(self, entry: ScannedModel, payload: Any) -> ScannedModel:
        """Read `model_info["<arch>.context_length"]` and `capabilities`."""
        if not isinstance(payload, dict):
            raise ScanError(f"unexpected /api/show response for {entry.id!r}: expected a JSON object")
        info = obj(payload.get("model_info"))
        arch = info.get("general.architecture")
        context = positive_int(info.get(f"{arch}.context_length")) if isinstance(arch, str) else None
        caps = seq(payload.get("capabilities"))
        capabilities = sorted({_CAPABILITIES[c] for c in caps if isinstance(c, str) and c in _CAPABILITIES})
        fields = {
            **entry.fields,
            "context_window": context,
            "capabilities": capabilities,
            "input_modalities": ["text", "image"] if "vision" in capabilities else None,
            "mode": "embedding" if "embedding" in caps and "completion" not in caps else None,
        }
        raw = {"tags": entry.raw, "show": {"capabilities": caps, "model_info": {k: v for k, v in info.items() if k.endswith(".context_length") or k == "general.architecture"}}}
        return ScannedModel(entry.id, compact(fields), raw)


def _name(entry: ScannedModel) -> str:
    """The name as the server listed it (with `:latest`), which `/api/show` knows for certain."""
    raw = entry.raw.get("tags", entry.raw) if isinstance(entry.raw, dict) else None
    name = raw.get("name") if isinstance(raw, dict) else None
    return name if isinstance(name, str) else entry.id


PLUGIN = OllamaPlugin()
