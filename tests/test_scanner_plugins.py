"""Translators: one response shape in, catalog-shaped entries out. Each row is (flavour, item, expected fields)."""

from __future__ import annotations

from typing import Any

import pytest

from kabot_models.errors import ScanError
from kabot_models.plugins import BUILTIN_FLAVORS, plugin_for
from kabot_models.plugins.base import BasePlugin, ListRequest, ProviderPlugin, price_1m
from kabot_models.scanner import clean_fields, valid_id


def one(flavour: str, item: dict[str, Any]) -> dict[str, Any]:
    """Translate a single-item response of `flavour` and return the entry's fields."""
    data = {"data": [item]}
    wrap = {"anthropic": {"data": [item], "has_more": False}, "gemini": {"models": [item]}, "together": [item],
            "ollama": {"models": [item]}}.get(flavour, data)
    page = plugin_for(flavour).translate("p", wrap)
    assert page.skipped == 0 and len(page.entries) == 1
    return page.entries[0].fields


TRANSLATIONS = [
    ("openai", {"id": "gpt-4o", "object": "model", "created": 1715367049, "owned_by": "system"}, {"release_date": "2024-05-10"}),
    ("openai", {"id": "gpt-4o-mini-tts", "created": 1742403959}, {"mode": "audio_speech", "release_date": "2025-03-19"}),
    ("openai", {"id": "whisper-1"}, {"mode": "audio_transcription"}),
    ("openai", {"id": "dall-e-3"}, {"mode": "image_generation"}),
    # what compatible servers commonly add to OpenAI's shape
    ("openai", {"id": "vendor-model", "display_name": "Vendor Model", "context_length": 32768, "max_completion_tokens": 4096},
     {"name": "Vendor Model", "context_window": 32768, "max_output": 4096}),
    ("groq", {"id": "llama-3.3-70b-versatile", "owned_by": "Meta", "context_window": 131072, "max_completion_tokens": 32768},
     {"context_window": 131072, "max_output": 32768}),
    ("groq", {"id": "retired-model", "active": False, "context_window": 8192}, {"context_window": 8192, "status": "deprecated"}),
    ("mistral", {"id": "mistral-large-2411", "name": "mistral-large-2411", "description": "Our top-tier  model.", "max_context_length": 131072,
                "aliases": ["mistral-large-latest"], "deprecation": "2026-05-31T12:00:00Z",
                "capabilities": {"completion_chat": True, "function_calling": True, "vision": False}},
     {"name": "mistral-large-2411", "description": "Our top-tier model.", "context_window": 131072, "aliases": ["mistral-large-latest"],
      "status": "deprecated", "deprecation_date": "2026-05-31", "capabilities": ["tool_use"], "input_modalities": ["text"]}),
    ("mistral", {"id": "codestral-2508", "max_context_length": 256000, "capabilities": {"completion_chat": False, "completion_fim": True}},
     {"context_window": 256000, "mode": "completion"}),
    ("mistral", {"id": "m", "capabilities": "yes", "max_context_length": "lots", "aliases": "x", "deprecation": 7}, {}),
    ("moonshot", {"id": "kimi-k2.5", "context_length": 262144, "supports_image_in": True, "supports_video_in": True, "supports_reasoning": True},
     {"context_window": 262144, "capabilities": ["reasoning", "video_input", "vision"], "input_modalities": ["image", "text", "video"]}),
    ("moonshot", {"id": "moonshot-v1-8k", "context_length": 8192, "supports_image_in": "true"}, {"context_window": 8192}),
    ("deepinfra", {"id": "deepseek-ai/DeepSeek-V3.1", "metadata": {"description": "DeepSeek V3.1", "context_length": 163840, "max_tokens": 163840,
                                                                   "pricing": {"input_tokens": 0.25, "output_tokens": 0.95, "cache_read_tokens": 0.13}}},
     {"description": "DeepSeek V3.1", "context_window": 163840, "max_output": 163840,
      "pricing": {"input_1m": 0.25, "output_1m": 0.95, "cache_read_1m": 0.13}}),
    ("deepinfra", {"id": "BAAI/bge-m3", "metadata": None}, {}),
    ("deepinfra", {"id": "x/y", "metadata": {"context_length": -5, "pricing": {"input_tokens": "free", "output_tokens": [1]}}}, {}),
    ("fireworks", {"id": "accounts/fireworks/models/qwen3-vl", "kind": "HF_BASE_MODEL", "supports_chat": True, "supports_image_input": True,
                   "supports_tools": True, "context_length": 262144},
     {"context_window": 262144, "capabilities": ["tool_use", "vision"], "input_modalities": ["image", "text"]}),
    ("fireworks", {"id": "accounts/fireworks/models/nomic-embed-text-v1p5", "kind": "EMBEDDING_MODEL", "supports_chat": False, "context_length": 8192},
     {"context_window": 8192, "mode": "embedding"}),
    ("anthropic", {"type": "model", "id": "claude-opus-4-1", "display_name": "Claude Opus 4.1", "created_at": "2025-08-05T00:00:00Z"},
     {"name": "Claude Opus 4.1", "release_date": "2025-08-05"}),
    ("anthropic", {"id": "claude-x", "max_input_tokens": 200000, "max_tokens": 64000, "lifecycle": "deprecated",
                   "deprecated_at": "2025-10-01T00:00:00Z", "retires_at": "2026-04-01T00:00:00Z",
                   "capabilities": {"image_input": {"supported": True}, "pdf_input": {"supported": False},
                                    "thinking": {"supported": True, "types": {"enabled": {"supported": True}}},
                                    "server_tools": {"supported": True, "web_search": {"supported": True}, "code_execution": {"supported": False}},
                                    "structured_outputs": {"supported": True}, "batch": {"supported": True}}},
     {"context_window": 200000, "max_output": 64000, "capabilities": ["reasoning", "structured_output", "vision", "web_search"],
      "input_modalities": ["image", "text"], "status": "deprecated", "deprecation_date": "2025-10-01",
      "retirement_date": "2026-04-01"}),
    ("anthropic", {"id": "claude-y", "max_input_tokens": "200k", "max_tokens": True, "lifecycle": 3,
                   "capabilities": {"image_input": True, "thinking": {"supported": "yes"}, "server_tools": []}}, {}),
    ("gemini", {"name": "models/gemini-2.5-flash", "displayName": "Gemini 2.5 Flash", "inputTokenLimit": 1048576, "outputTokenLimit": 65536,
                "supportedGenerationMethods": ["generateContent"], "thinking": True},
     {"name": "Gemini 2.5 Flash", "context_window": 1048576, "max_output": 65536, "capabilities": ["reasoning"]}),
    ("openrouter", {"id": "anthropic/claude-sonnet-4.5", "name": "Anthropic: Claude Sonnet 4.5", "context_length": 1000000,
                    "architecture": {"input_modalities": ["text", "image", "file"], "output_modalities": ["text"]},
                    "pricing": {"prompt": "0.000003", "completion": "0.000015", "input_cache_read": "0.0000003", "input_cache_write": "0.00000375"},
                    "top_provider": {"max_completion_tokens": 64000}, "supported_parameters": ["tools", "reasoning", "structured_outputs"]},
     {"name": "Anthropic: Claude Sonnet 4.5", "context_window": 1000000, "max_output": 64000,
      "pricing": {"input_1m": 3.0, "output_1m": 15.0, "cache_read_1m": 0.3, "cache_write_1m": 3.75},
      "capabilities": ["pdf_input", "prompt_caching", "reasoning", "structured_output", "tool_use", "vision"],
      "input_modalities": ["image", "pdf", "text"], "output_modalities": ["text"]}),
    ("openrouter", {"id": "google/gemini-2.5-flash-image", "architecture": {"input_modalities": ["text", "image"], "output_modalities": ["image", "text"]},
                    "pricing": {"prompt": "0.0000003", "completion": "0.0000025", "image": "0.001238"}},
     {"pricing": {"input_1m": 0.3, "output_1m": 2.5}, "capabilities": ["image_output", "vision"],
      "input_modalities": ["image", "text"], "output_modalities": ["image", "text"]}),
    ("openrouter", {"id": "openrouter/auto", "pricing": {"prompt": "-1", "completion": "-1"}}, {}),
    ("openrouter", {"id": "v/m", "pricing": {"prompt": "0.000001", "completion": "0.000002", "internal_reasoning": "0.000003", "web_search": "0.01"},
                    "supported_parameters": ["web_search_options"], "knowledge_cutoff": "2025-06", "expiration_date": "2026-03-01"},
     {"pricing": {"input_1m": 1.0, "output_1m": 2.0, "reasoning_1m": 3.0}, "capabilities": ["web_search"], "knowledge_cutoff": "2025-06",
      "status": "deprecated", "retirement_date": "2026-03-01"}),
    ("openrouter", {"id": "v/bad", "pricing": [], "architecture": "x", "top_provider": 3, "supported_parameters": "tools",
                    "knowledge_cutoff": 2025, "expiration_date": "soon", "context_length": "big"}, {}),
    ("together", {"id": "meta-llama/Llama-3.3-70B-Instruct-Turbo", "type": "chat", "display_name": "Llama 3.3 70B", "context_length": 131072,
                  "pricing": {"input": 0.88, "output": 0.88, "hourly": 0}},
     {"name": "Llama 3.3 70B", "context_window": 131072, "pricing": {"input_1m": 0.88, "output_1m": 0.88}}),
    ("together", {"id": "dedicated/only", "type": "language", "pricing": {"input": 0, "output": 0}}, {"mode": "completion"}),
    ("together", {"id": "BAAI/bge-base-en-v1.5", "type": "embedding", "pricing": {"input": 0.008, "output": 0}},
     {"mode": "embedding", "pricing": {"input_1m": 0.008, "output_1m": 0.0}}),
    ("ollama", {"name": "llama3.2:latest", "modified_at": "2026-10-01T10:00:00+02:00"}, {"open_weights": True, "release_date": "2026-10-01"}),
    ("gemini", {"name": "models/gemini-embedding-001", "inputTokenLimit": 2048, "outputTokenLimit": 1, "supportedGenerationMethods": ["embedContent"]},
     {"mode": "embedding", "context_window": 2048}),
    ("gemini", {"name": "models/gemini-2.5-pro", "inputTokenLimit": 1048576, "supportedGenerationMethods": ["generateContent", "createCachedContent"]},
     {"context_window": 1048576, "capabilities": ["prompt_caching"]}),
    ("gemini", {"name": "models/g", "inputTokenLimit": -1, "outputTokenLimit": "x", "supportedGenerationMethods": ["generateContent", 5], "thinking": "yes"}, {}),
]


@pytest.mark.parametrize("flavour, item, expected", TRANSLATIONS, ids=[f"{t[0]}:{t[1].get('id') or t[1].get('name')}" for t in TRANSLATIONS])
def test_translation(flavour: str, item: dict[str, Any], expected: dict[str, Any]) -> None:
    assert one(flavour, item) == expected


def test_gemini_keeps_chat_and_embedding_models_and_strips_the_prefix() -> None:
    page = plugin_for("gemini").translate("google", {"models": [
        {"name": "models/gemini-2.5-pro", "supportedGenerationMethods": ["generateContent"]},
        {"name": "models/embedding-001", "supportedGenerationMethods": ["embedContent"]},
        {"name": "models/aqa", "supportedGenerationMethods": ["generateAnswer"]},
        {"displayName": "no name"},
    ], "nextPageToken": "abc"})
    assert [e.id for e in page.entries] == ["gemini-2.5-pro", "embedding-001"]
    assert (page.next_page, page.skipped) == ("abc", 1)


def test_ollama_detail_request_and_translation() -> None:
    plugin = plugin_for("ollama")
    entry = plugin.translate("ollama", {"models": [{"name": "nomic-embed-text:latest"}]}).entries[0]
    request = plugin.detail_request({"auth": {"header": "bearer"}}, "http://localhost:11434/v1", None, entry)
    assert request == ListRequest("/api/show", method="POST", headers={}, json={"model": "nomic-embed-text:latest"})
    assert plugin.api_root("http://localhost:11434/v1") == "http://localhost:11434"
    detailed = plugin.translate_detail(entry, {"model_info": {"general.architecture": "nomic-bert", "nomic-bert.context_length": 2048},
                                               "capabilities": ["embedding"]})
    assert detailed.fields == {"open_weights": True, "context_window": 2048, "mode": "embedding"}


@pytest.mark.parametrize("base, header, expected", [
    ("https://api.anthropic.com", "x-api-key", {"anthropic-version": "2023-06-01", "x-api-key": "k"}),
    ("https://api.anthropic.com/v1", "x-api-key", {"anthropic-version": "2023-06-01", "x-api-key": "k"}),
])
def test_anthropic_request(base: str, header: str, expected: dict[str, str]) -> None:
    plugin = plugin_for("anthropic")
    first = plugin.list_request({"auth": {"header": header}}, base, "k", None)
    assert (plugin.api_root(base) + first.path, dict(first.headers), dict(first.params)) == ("https://api.anthropic.com/v1/models", expected, {"limit": "1000"})
    assert plugin.list_request({}, base, "k", "claude-x").params == {"limit": "1000", "after_id": "claude-x"}


@pytest.mark.parametrize("header, expected", [("bearer", {"Authorization": "Bearer k"}), ("api-key", {"api-key": "k"}), ("none", {})])
def test_openai_compatible_auth_header(header: str, expected: dict[str, str]) -> None:
    assert dict(plugin_for("openai").list_request({"auth": {"header": header}}, "https://x/v1", "k", None).headers) == expected


@pytest.mark.parametrize("flavour", BUILTIN_FLAVORS)
def test_every_builtin_follows_the_protocol(flavour: str) -> None:
    plugin = plugin_for(flavour)
    assert isinstance(plugin, ProviderPlugin) and isinstance(plugin, BasePlugin) and plugin.flavor == flavour
    assert plugin.list_request({}, "https://example.com/v1", None, None).path.startswith("/")


WRONG_SHAPES = [(flavour, payload) for flavour in BUILTIN_FLAVORS for payload in ([], "text", 42, None, {"unexpected": True})
                if not (flavour == "together" and payload == [])]


@pytest.mark.parametrize("flavour, payload", WRONG_SHAPES, ids=[f"{f}:{p!r}" for f, p in WRONG_SHAPES])
def test_wrong_shape_is_a_scan_error(flavour: str, payload: Any) -> None:
    with pytest.raises(ScanError, match="^unexpected response: "):
        plugin_for(flavour).translate("p", payload)


def test_unknown_flavour() -> None:
    with pytest.raises(ScanError, match="no plugin for API flavor 'graphql'"):
        plugin_for("graphql")


@pytest.mark.parametrize("value, per_token, expected", [
    ("0.000003", True, 3.0), ("0.0000025", True, 2.5), ("0.00000015", True, 0.15), ("0.0000003", True, 0.3),
    ("0", True, 0.0), ("-1", True, None), ("abc", True, None), (None, True, None), ("NaN", True, None), (True, False, None),
    (0.88, False, 0.88), ("1.25", False, 1.25), ("1e999999", True, None), ("Infinity", False, None),
])
def test_price_1m_is_exact(value: Any, per_token: bool, expected: float | None) -> None:
    assert price_1m(value, per_token=per_token) == expected


@pytest.mark.parametrize("api_id, ok", [
    ("gpt-4o", True), ("moonshotai/Kimi-K2.5", True), ("meta-llama/llama-3.3-70b-instruct:free", True), ("llama3.2:latest", True),
    ("has space", False), ("new\nline", False), ("tab\t", False), ("../etc/passwd", False), ("a/../b", False), ("a/..", False),
    ("a//b", False), ("./a", False), ("", False), ("x" * 257, False), ("-leading-dash", False), ("nul\x00", False), ("é", False),
])
def test_valid_id(api_id: str, ok: bool) -> None:
    assert valid_id(api_id, 256) is ok


@pytest.mark.parametrize("fields, kept, dropped", [
    ({"context_window": 1000, "max_output": 100}, {"context_window": 1000, "max_output": 100}, 0),
    ({"context_window": 1000, "max_output": 5000}, {"context_window": 1000}, 1),
    ({"context_window": -1, "name": "ok"}, {"name": "ok"}, 1),
    ({"capabilities": ["vision", "telepathy"], "mode": "chat"}, {"mode": "chat"}, 1),
    ({"mode": "hologram", "release_date": "2025-13-45"}, {}, 2),
    ({"pricing": {"input_1m": -3}}, {}, 1),
    ({"aliases": ["good-one", "Bad Alias"]}, {"aliases": ["good-one"]}, 1),
    ({"base": "openai/gpt-4o", "unknown_key": 1}, {}, 0),
])
def test_clean_fields(fields: dict[str, Any], kept: dict[str, Any], dropped: int) -> None:
    assert clean_fields(dict(fields)) == (kept, dropped)


#: Each committed fixture (tests/fixtures/scan/) and the flavour whose translator reads it.
FIXTURE_FLAVOURS = {"openai": "openai", "anthropic-page1": "anthropic", "anthropic-page2": "anthropic", "gemini-page1": "gemini",
                    "gemini-page2": "gemini", "openrouter": "openrouter", "together": "together", "ollama-tags": "ollama",
                    "groq": "groq", "mistral": "mistral", "deepinfra": "deepinfra", "fireworks": "fireworks", "moonshot": "moonshot"}


def test_every_fixture_is_documented_and_translates_whole() -> None:
    from scanner_fixtures import FIXTURES, response

    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    files = sorted(p.stem for p in FIXTURES.glob("*.json"))
    assert set(files) == {*FIXTURE_FLAVOURS, "openrouter-endpoints", "ollama-show"}
    for stem in files:
        assert f"`{stem}.json`" in readme, f"{stem}.json has no source line in fixtures/scan/README.md"
    for stem, flavour in FIXTURE_FLAVOURS.items():
        payload = response(stem)
        page = plugin_for(flavour).translate("p", payload)
        listed = payload if isinstance(payload, list) else payload.get("data") or payload.get("models")
        dropped = {"gemini-page1": 1}.get(stem, 0)  # Gemini's AQA model: neither chat nor embedding
        assert page.skipped == 0 and len(page.entries) == len(listed) - dropped, stem
        for entry in page.entries:
            assert clean_fields(dict(entry.fields))[1] == 0, (stem, entry.id)  # every mapped value fits the schema


@pytest.mark.parametrize("flavour, item, misread", [
    ("openrouter", {"id": "v/bad", "pricing": [], "architecture": "x", "top_provider": 3, "supported_parameters": "tools",
                    "knowledge_cutoff": 2025, "expiration_date": "soon", "context_length": "big", "name": 7}, 8),
    ("anthropic", {"id": "c", "max_input_tokens": "200k", "max_tokens": True, "display_name": ["x"], "created_at": 12}, 4),
    ("deepinfra", {"id": "d", "metadata": {"context_length": -5, "pricing": {"input_tokens": "free", "output_tokens": [1]}}}, 3),
    ("mistral", {"id": "m", "capabilities": "yes", "max_context_length": "lots", "aliases": "x"}, 3),
    ("openai", {"id": "fine", "created": 1715367049, "name": "Fine"}, 0),
])
def test_wrong_types_are_left_out_and_counted(flavour: str, item: dict[str, Any], misread: int) -> None:
    data = {"data": [item]}
    payload = {"anthropic": {"data": [item], "has_more": False}}.get(flavour, data)
    [entry] = plugin_for(flavour).translate("p", payload).entries
    assert entry.misread == misread
