"""Reading the usage block of a raw provider response into the counts `kabot_models.cost` prices.

Understood shapes (each from the provider's API reference):

- OpenAI Chat Completions, OpenRouter and any OpenAI-compatible server: `usage.prompt_tokens`
  (cached and audio tokens included, split out here), `usage.completion_tokens` (reasoning and
  audio tokens included, split out here), `prompt_tokens_details.cached_tokens` /
  `cache_write_tokens` (DeepSeek: `prompt_cache_hit_tokens`), `completion_tokens_details.reasoning_tokens`,
  top-level `service_tier`;
  OpenRouter's `usage.server_tool_use.web_search_requests`.
- OpenAI Responses: `usage.input_tokens` / `output_tokens` with `input_tokens_details.cached_tokens`
  and `output_tokens_details.reasoning_tokens`; web searches are the `web_search_call` items of `output`.
- Anthropic Messages: `usage.input_tokens` (cache excluded), `cache_read_input_tokens`,
  `cache_creation_input_tokens` split by `cache_creation.ephemeral_5m_input_tokens` /
  `ephemeral_1h_input_tokens`, `server_tool_use.web_search_requests`, `service_tier`, `speed`,
  `inference_geo`.
- Gemini generateContent: `usageMetadata.promptTokenCount` (cached included, split out here),
  `cachedContentTokenCount`, `candidatesTokenCount`, `thoughtsTokenCount` (not included in the
  candidates count), `toolUsePromptTokenCount`, the model in `modelVersion`, web searches from
  `groundingMetadata.webSearchQueries`.

The body is untrusted: it is size-bounded, must be a JSON object, and every count must be a
whole number in range; anything else is one `PricingError` line saying what is wrong and where.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .errors import PricingError

MAX_BODY_BYTES = 8 * 1024 * 1024
"""Largest response body read: a non-streamed completion is far smaller."""
MAX_COUNT = 1_000_000_000_000
"""Largest count accepted for any usage figure."""


@dataclass(frozen=True)
class Usage:
    """What one response says was used, in the cost module's counting convention (each token counted once)."""

    api: str
    """The response shape recognised: `openai-chat`, `openai-responses`, `anthropic`, `gemini`."""
    model: str
    """The model the response names."""
    provider: str | None = None
    """The provider the shape implies (`openrouter` for an OpenRouter body), None when any could have sent it."""
    input_tokens: int = 0
    output_tokens: int = 0
    reasoning_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    cache_write_1h_tokens: int = 0
    input_audio_tokens: int = 0
    output_audio_tokens: int = 0
    web_searches: int = 0
    service_tier: str | None = None
    """The service tier the response says served the call (`flex`, `priority`, `batch`, `fast` for Anthropic's `speed: fast`)."""
    region: str | None = None
    """Where inference ran, when the response says (Anthropic's `inference_geo`)."""

    def counts(self) -> dict[str, int]:
        """Keyword arguments for `kabot_models.cost.cost`."""
        names = ("input_tokens", "output_tokens", "reasoning_tokens", "cache_read_tokens", "cache_write_tokens",
                 "cache_write_1h_tokens", "input_audio_tokens", "output_audio_tokens", "web_searches")
        return {n: getattr(self, n) for n in names}


def _parse(body: Any) -> dict[str, Any]:
    if isinstance(body, (bytes, bytearray, str)):
        size = len(body) if not isinstance(body, str) else len(body.encode("utf-8", "surrogatepass"))
        if size > MAX_BODY_BYTES:
            raise PricingError(f"response body is {size:,} bytes, more than the {MAX_BODY_BYTES:,} read")
        try:
            body = json.loads(body)
        except (ValueError, RecursionError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            raise PricingError(f"response body is not JSON: {reason}") from None
    if not isinstance(body, dict):
        raise PricingError(f"response body is a JSON {type(body).__name__}, not an object with a usage block")
    return body


def _count(block: dict[str, Any], key: str, where: str) -> int:
    value = block.get(key)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise PricingError(f"response {where}.{key} is {value!r}, not a whole number")
    if not 0 <= value <= MAX_COUNT:
        raise PricingError(f"response {where}.{key} is {value}, out of range")
    return value


def _block(parent: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = parent.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise PricingError(f"response {where}.{key} is a {type(value).__name__}, not an object")
    return value


def _text(parent: dict[str, Any], key: str, where: str) -> str | None:
    value = parent.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value or len(value) > 200:
        raise PricingError(f"response {where}.{key} is not a short text")
    return value


def _model(body: dict[str, Any], key: str) -> str:
    model = _text(body, key, "body")
    if model is None:
        raise PricingError(f"response has no `{key}`, so the model it came from is not known")
    return model.removeprefix("models/")


def _minus(total: int, part: int, what: str) -> int:
    if part > total:
        raise PricingError(f"response counts {part:,} {what}, more than the {total:,} they are part of")
    return total - part


def _items(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise PricingError(f"response {where} is a {type(value).__name__}, not a list")
    return value


def _openai_chat(body: dict[str, Any], usage: dict[str, Any]) -> Usage:
    prompt = _count(usage, "prompt_tokens", "usage")
    completion = _count(usage, "completion_tokens", "usage")
    pd = _block(usage, "prompt_tokens_details", "usage")
    cd = _block(usage, "completion_tokens_details", "usage")
    cached = _count(pd, "cached_tokens", "usage.prompt_tokens_details")
    if "cached_tokens" not in pd:  # DeepSeek reports cache hits as prompt_cache_hit_tokens
        cached = _count(usage, "prompt_cache_hit_tokens", "usage")
    written = _count(pd, "cache_write_tokens", "usage.prompt_tokens_details")
    audio_in = _count(pd, "audio_tokens", "usage.prompt_tokens_details")
    reasoning = _count(cd, "reasoning_tokens", "usage.completion_tokens_details")
    audio_out = _count(cd, "audio_tokens", "usage.completion_tokens_details")
    tools = _block(usage, "server_tool_use", "usage")
    openrouter = isinstance(body.get("provider"), str) and str(body.get("id", "")).startswith("gen-")
    return Usage(
        api="openai-chat",
        model=_model(body, "model"),
        provider="openrouter" if openrouter else None,
        input_tokens=_minus(prompt, cached + written + audio_in, "cached, cache-write and audio prompt tokens"),
        output_tokens=_minus(completion, reasoning + audio_out, "reasoning and audio completion tokens"),
        reasoning_tokens=reasoning,
        cache_read_tokens=cached,
        cache_write_tokens=written,
        input_audio_tokens=audio_in,
        output_audio_tokens=audio_out,
        web_searches=_count(tools, "web_search_requests", "usage.server_tool_use"),
        service_tier=_text(body, "service_tier", "body"),
    )


def _openai_responses(body: dict[str, Any], usage: dict[str, Any]) -> Usage:
    total_in = _count(usage, "input_tokens", "usage")
    total_out = _count(usage, "output_tokens", "usage")
    cached = _count(_block(usage, "input_tokens_details", "usage"), "cached_tokens", "usage.input_tokens_details")
    reasoning = _count(_block(usage, "output_tokens_details", "usage"), "reasoning_tokens", "usage.output_tokens_details")
    searches = sum(1 for item in _items(body.get("output"), "output") if isinstance(item, dict) and item.get("type") == "web_search_call")
    return Usage(
        api="openai-responses",
        model=_model(body, "model"),
        input_tokens=_minus(total_in, cached, "cached input tokens"),
        output_tokens=_minus(total_out, reasoning, "reasoning output tokens"),
        reasoning_tokens=reasoning,
        cache_read_tokens=cached,
        web_searches=searches,
        service_tier=_text(body, "service_tier", "body"),
    )


def _anthropic(body: dict[str, Any], usage: dict[str, Any]) -> Usage:
    created = _count(usage, "cache_creation_input_tokens", "usage")
    split = _block(usage, "cache_creation", "usage")
    five = _count(split, "ephemeral_5m_input_tokens", "usage.cache_creation")
    hour = _count(split, "ephemeral_1h_input_tokens", "usage.cache_creation")
    if split and five + hour != created:
        raise PricingError(f"response usage.cache_creation splits {five + hour:,} tokens, but cache_creation_input_tokens is {created:,}")
    if not split:
        five = created  # without the split, every write is the default (5-minute) cache
    tier = _text(usage, "service_tier", "usage")
    speed = _text(usage, "speed", "usage")
    if speed == "fast":
        if tier not in (None, "standard"):
            raise PricingError(f"response says speed fast and service tier {tier}; the two do not combine")
        tier = "fast"
    return Usage(
        api="anthropic",
        model=_model(body, "model"),
        input_tokens=_count(usage, "input_tokens", "usage"),
        output_tokens=_count(usage, "output_tokens", "usage"),
        cache_read_tokens=_count(usage, "cache_read_input_tokens", "usage"),
        cache_write_tokens=five,
        cache_write_1h_tokens=hour,
        web_searches=_count(_block(usage, "server_tool_use", "usage"), "web_search_requests", "usage.server_tool_use"),
        service_tier=tier,
        region=_text(usage, "inference_geo", "usage"),
    )


def _gemini(body: dict[str, Any], usage: dict[str, Any]) -> Usage:
    where = "usageMetadata"
    prompt = _count(usage, "promptTokenCount", where) + _count(usage, "toolUsePromptTokenCount", where)
    cached = _count(usage, "cachedContentTokenCount", where)
    audio_in = 0
    for i, detail in enumerate(_items(usage.get("promptTokensDetails"), f"{where}.promptTokensDetails")):
        if not isinstance(detail, dict):
            raise PricingError(f"response {where}.promptTokensDetails[{i}] is not an object")
        if detail.get("modality") == "AUDIO":
            audio_in += _count(detail, "tokenCount", f"{where}.promptTokensDetails[{i}]")
    searches = 0
    for i, cand in enumerate(_items(body.get("candidates"), "candidates")):
        if isinstance(cand, dict):
            grounding = _block(cand, "groundingMetadata", f"candidates[{i}]")
            searches += len(_items(grounding.get("webSearchQueries"), f"candidates[{i}].groundingMetadata.webSearchQueries"))
    return Usage(
        api="gemini",
        model=_model(body, "modelVersion"),
        input_tokens=_minus(prompt, cached + audio_in, "cached and audio prompt tokens"),
        output_tokens=_count(usage, "candidatesTokenCount", where),
        reasoning_tokens=_count(usage, "thoughtsTokenCount", where),
        cache_read_tokens=cached,
        input_audio_tokens=audio_in,
        web_searches=searches,
    )


def read_usage(body: Any) -> Usage:
    """The usage a raw response (bytes, text or parsed JSON) reports; a `PricingError` for a body it cannot read."""
    data = _parse(body)
    if isinstance(data.get("usageMetadata"), dict):
        return _gemini(data, data["usageMetadata"])
    usage = data.get("usage")
    if usage is None:
        raise PricingError("response has no usage block (`usage` or `usageMetadata`); streamed responses carry it in the last event")
    if not isinstance(usage, dict):
        raise PricingError(f"response usage is a {type(usage).__name__}, not an object")
    if data.get("type") == "message" or "cache_creation_input_tokens" in usage or "cache_read_input_tokens" in usage:
        return _anthropic(data, usage)
    if data.get("object") == "response" or ("input_tokens" in usage and "prompt_tokens" not in usage):
        return _openai_responses(data, usage)
    if "prompt_tokens" in usage or "completion_tokens" in usage:
        return _openai_chat(data, usage)
    raise PricingError("response usage block has none of the fields of a known API (prompt_tokens, input_tokens, promptTokenCount)")
