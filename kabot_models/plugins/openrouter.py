"""The OpenRouter flavour: a public `GET /models` whose prices are strings in USD per token, and,
with `scan --details`, `GET /models/{author}/{slug}/endpoints` for the hosts behind each model.

List fields read: `name`, `description`, `created`, `context_length`, `architecture`
(`input_modalities`, `output_modalities`), `pricing` (`prompt`, `completion`, `input_cache_read`,
`input_cache_write`, `internal_reasoning`; `web_search` is a per-request price the catalog has no
field for), `top_provider.max_completion_tokens`, `supported_parameters`, `knowledge_cutoff` and
`expiration_date`. Documented at https://openrouter.ai/docs/api/api-reference/models/get-models and
https://openrouter.ai/docs/api/api-reference/endpoints/list-endpoints
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from ..errors import ScanError
from .base import ListRequest, ScannedModel, compact, date_of, obj, positive_int, price_1m, seq, text
from .openai import OpenAIPlugin

#: OpenRouter's price keys (USD per token) and the catalog's (USD per 1M tokens).
_PRICES = {
    "prompt": "input_1m",
    "completion": "output_1m",
    "input_cache_read": "cache_read_1m",
    "input_cache_write": "cache_write_1m",
    "internal_reasoning": "reasoning_1m",
}
#: `supported_parameters` values and the capability each one shows.
_PARAMETERS = {"tools": "tool_use", "reasoning": "reasoning", "structured_outputs": "structured_output",
               "response_format": "json_mode", "web_search_options": "web_search"}
#: OpenRouter modality names and the catalog's (`file` inputs are documents: PDFs).
_MODALITIES = {"text": "text", "image": "image", "audio": "audio", "video": "video", "file": "pdf"}
#: Input modalities and the capability each one shows.
_INPUT_CAPABILITIES = {"image": "vision", "pdf": "pdf_input", "audio": "audio_input", "video": "video_input"}


class OpenRouterPlugin(OpenAIPlugin):
    """Translator for OpenRouter's model list: the OpenAI shape (`GET /models`, `{"data": [...]}`,
    one page), public (a key is sent only when one is configured), with richer entries."""

    flavor = "openrouter"
    list_needs_key = False
    details_on_request = True

    def _entry(self, item: dict[str, Any]) -> ScannedModel:
        arch = obj(item.get("architecture"))
        inputs = _modalities(arch.get("input_modalities"))
        outputs = _modalities(arch.get("output_modalities"))
        capabilities = _parameters(item.get("supported_parameters"))
        capabilities |= {cap for m, cap in _INPUT_CAPABILITIES.items() if m in inputs}
        if "image" in outputs:
            capabilities.add("image_output")
        pricing = _pricing(item.get("pricing"), item["id"])
        if pricing and ("cache_read_1m" in pricing or "cache_write_1m" in pricing):
            capabilities.add("prompt_caching")
        top = obj(item.get("top_provider"))
        expires = date_of(item.get("expiration_date"))
        fields = {
            "name": text(item.get("name"), 200),
            "description": text(item.get("description")),
            "context_window": positive_int(item.get("context_length")),
            "max_output": positive_int(top.get("max_completion_tokens")),
            "pricing": pricing,
            "capabilities": sorted(capabilities),
            "input_modalities": inputs,
            "output_modalities": outputs,
            "release_date": date_of(item.get("created")),
            "knowledge_cutoff": text(item.get("knowledge_cutoff"), 10),
            # OpenRouter stops serving the model that day: the catalog's retirement date.
            "status": "deprecated" if expires else None,
            "retirement_date": expires,
        }
        return ScannedModel(item["id"], compact(fields), item)

    def detail_request(self, provider: Mapping[str, Any], base_url: str, key: str | None, entry: ScannedModel) -> ListRequest | None:
        """`GET /models/{author}/{slug}/endpoints` (ids of another shape have no endpoints page)."""
        parts = entry.id.split("/")
        if len(parts) != 2:
            return None
        return ListRequest(f"/models/{quote(parts[0], safe='')}/{quote(parts[1], safe=':')}/endpoints", headers=self.auth_headers(provider, key))

    def translate_detail(self, entry: ScannedModel, payload: Any) -> ScannedModel:
        """Fold the hosts in: capabilities any host supports, prompt caching when a host caches,
        the largest max output when the list gave none; each host's figures are kept in the raw entry."""
        data = payload.get("data") if isinstance(payload, dict) else None
        endpoints = data.get("endpoints") if isinstance(data, dict) else None
        if not isinstance(endpoints, list):
            raise ScanError(f"unexpected endpoints response for {entry.id!r}: expected data.endpoints to be a list")
        hosts = [obj(e) for e in endpoints]
        fields = dict(entry.fields)
        caps = set(fields.get("capabilities") or ())
        for host in hosts:
            caps |= _parameters(host.get("supported_parameters"))
            if host.get("supports_implicit_caching") is True:
                caps.add("prompt_caching")
        outputs = [n for h in hosts if (n := positive_int(h.get("max_completion_tokens")))]
        if "max_output" not in fields and outputs:
            fields["max_output"] = max(outputs)
        fields["capabilities"] = sorted(caps)
        summary = [{k: h.get(k) for k in ("provider_name", "tag", "context_length", "max_completion_tokens", "quantization", "pricing", "status")} for h in hosts]
        return ScannedModel(entry.id, compact(fields), {"model": entry.raw, "endpoints": summary})


def _parameters(value: Any) -> set[str]:
    params = seq(value)
    return {cap for p, cap in _PARAMETERS.items() if p in params}


def _modalities(value: Any) -> list[str]:
    return sorted({_MODALITIES[m] for m in seq(value) if isinstance(m, str) and m in _MODALITIES})


def _pricing(value: Any, api_id: str) -> dict[str, Any] | None:
    value = obj(value)
    # A negative price (the `openrouter/auto` router says -1) means "varies": price_1m drops it.
    prices = {ours: price_1m(value.get(theirs), per_token=True) for theirs, ours in _PRICES.items()}
    prices = {k: v for k, v in prices.items() if v is not None}
    if prices.get("reasoning_1m") == 0:
        del prices["reasoning_1m"]  # "0" here means "billed as output", not "free"
    if api_id.endswith(":free") and prices.get("input_1m") == 0 and prices.get("output_1m") == 0:
        prices["free"] = True
    return prices or None


PLUGIN = OpenRouterPlugin()
