"""Helpers for the scanner tests: tiny catalogs in tmp dirs and payloads in each API flavour's shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

#: One provider block per flavour; `base_url` is filled with the local server's URL by `write_catalog`.
FLAVOUR_PROVIDERS: dict[str, dict[str, Any]] = {
    "openai": {"name": "OpenAI", "api": {"flavor": "openai"}, "auth": {"env": ["OPENAI_API_KEY"]}},
    "anthropic": {"name": "Anthropic", "api": {"flavor": "anthropic"}, "auth": {"env": ["ANTHROPIC_API_KEY"], "header": "x-api-key"}},
    "google": {"name": "Google", "aliases": ["gemini"], "api": {"flavor": "gemini"}, "auth": {"env": ["GEMINI_API_KEY"], "header": "x-goog-api-key"}},
    "openrouter": {"name": "OpenRouter", "kind": "gateway", "api": {"flavor": "openrouter"}, "auth": {"env": ["OPENROUTER_API_KEY"], "required": False}},
    "together": {"name": "Together AI", "kind": "cloud", "api": {"flavor": "together"}, "auth": {"env": ["TOGETHER_API_KEY"]}},
    "ollama": {"name": "Ollama", "kind": "local", "api": {"flavor": "ollama"}, "auth": {"required": False}},
}

#: A curated catalog model per provider, so merging has something to keep.
CATALOG_MODELS: dict[str, dict[str, Any]] = {
    "openai": {"gpt-4o": {"name": "GPT-4o", "context_window": 128000, "max_output": 16384,
                          "pricing": {"input_1m": 2.5, "output_1m": 10.0}, "aliases": ["gpt4o"]},
               "gpt-3.5-turbo": {"name": "GPT-3.5 Turbo", "context_window": 16385}},
    "anthropic": {"claude-sonnet-4-5": {"name": "Claude Sonnet 4.5", "context_window": 200000, "aliases": ["sonnet"]}},
    "google": {"gemini-2.5-pro": {"name": "Gemini 2.5 Pro", "context_window": 1048576}},
    "openrouter": {"openai/gpt-4o": {"name": "GPT-4o (OpenRouter)", "base": "openai/gpt-4o"}},
    "together": {"moonshotai/Kimi-K2.5": {"name": "Kimi K2.5", "context_window": 262144}},
    "ollama": {"llama3.2:latest": {"name": "Llama 3.2"}},
}

HEADER = "# yaml-language-server: $schema=../../schemas/provider.schema.json\n"


def write_provider(root: Path, pid: str, block: dict[str, Any], models: dict[str, Any] | None = None, comment: str = "") -> Path:
    """Write `root/providers/<pid>.yaml` with `block` and `models`; returns the file's path."""
    providers_dir = root / "providers"
    providers_dir.mkdir(parents=True, exist_ok=True)
    path = providers_dir / f"{pid}.yaml"
    body = yaml.safe_dump({"provider": block, "models": models or {}}, sort_keys=False)
    path.write_text(HEADER + comment + body, encoding="utf-8")
    return path


def write_catalog(root: Path, base_urls: dict[str, str], models: dict[str, dict[str, Any]] | None = None) -> Path:
    """Write a catalog holding the providers in `base_urls` (and openai, which openrouter's entries are based on)."""
    models = CATALOG_MODELS if models is None else models
    for pid in {*base_urls, "openai"}:
        block = json.loads(json.dumps(FLAVOUR_PROVIDERS[pid]))
        block["api"]["base_url"] = base_urls.get(pid, "https://api.openai.com/v1")
        write_provider(root, pid, block, models.get(pid, {}))
    return root


# --- responses in each flavour's shape (field names as the providers' docs give them) -------------

OPENAI_LIST = {"object": "list", "data": [
    {"id": "gpt-4o", "object": "model", "created": 1715367049, "owned_by": "system"},
    {"id": "gpt-5-local-only", "object": "model", "created": 1764115200, "owned_by": "system"},
    {"id": "text-embedding-3-small", "object": "model", "created": 1705948997, "owned_by": "system"},
]}

ANTHROPIC_PAGES = [
    {"data": [{"type": "model", "id": "claude-sonnet-4-5", "display_name": "Claude Sonnet 4.5", "created_at": "2025-09-29T00:00:00Z"}],
     "has_more": True, "first_id": "claude-sonnet-4-5", "last_id": "claude-sonnet-4-5"},
    {"data": [{"type": "model", "id": "claude-scan-only-1", "display_name": "Claude Scan Only", "created_at": "2026-11-01T00:00:00Z"}],
     "has_more": False, "first_id": "claude-scan-only-1", "last_id": "claude-scan-only-1"},
]

GEMINI_PAGES = [
    {"models": [{"name": "models/gemini-2.5-pro", "displayName": "Gemini 2.5 Pro", "inputTokenLimit": 1048576, "outputTokenLimit": 65536,
                 "supportedGenerationMethods": ["generateContent", "countTokens"], "thinking": True},
                {"name": "models/text-embedding-004", "displayName": "Text Embedding 004", "inputTokenLimit": 2048,
                 "supportedGenerationMethods": ["embedContent"]}],
     "nextPageToken": "page-2"},
    {"models": [{"name": "models/gemini-scan-only", "displayName": "Gemini Scan Only", "inputTokenLimit": 32768, "outputTokenLimit": 8192,
                 "supportedGenerationMethods": ["generateContent"]}]},
]

OPENROUTER_LIST = {"data": [
    {"id": "openai/gpt-4o", "name": "OpenAI: GPT-4o", "created": 1715367049, "context_length": 128000,
     "architecture": {"input_modalities": ["text", "image", "file"], "output_modalities": ["text"]},
     "pricing": {"prompt": "0.0000025", "completion": "0.00001", "input_cache_read": "0.00000125"},
     "top_provider": {"context_length": 128000, "max_completion_tokens": 16384},
     "supported_parameters": ["tools", "tool_choice", "response_format", "structured_outputs"]},
    {"id": "vendor/scan-only:free", "name": "Vendor: Scan Only (free)", "created": 1764115200, "context_length": 65536,
     "architecture": {"input_modalities": ["text"], "output_modalities": ["text"]},
     "pricing": {"prompt": "0", "completion": "0"}, "top_provider": {"max_completion_tokens": 8192},
     "supported_parameters": ["reasoning", "include_reasoning"]},
    {"id": "openrouter/auto", "name": "Auto Router", "context_length": 2000000,
     "pricing": {"prompt": "-1", "completion": "-1"}, "architecture": {"input_modalities": ["text", "image"]}},
]}

TOGETHER_LIST = [
    {"id": "moonshotai/Kimi-K2.5", "object": "model", "created": 1769000000, "type": "chat", "display_name": "Kimi K2.5",
     "context_length": 262144, "pricing": {"input": 0.5, "output": 2.8, "hourly": 0, "base": 0, "finetune": 0}},
    {"id": "vendor/together-scan-only", "object": "model", "created": 1764115200, "type": "chat", "display_name": "Together Scan Only",
     "context_length": 131072, "pricing": {"input": 0.88, "output": 0.88}},
    {"id": "BAAI/bge-large-en-v1.5", "object": "model", "type": "embedding", "context_length": 512, "pricing": {"input": 0.02, "output": 0}},
]

OLLAMA_TAGS = {"models": [
    {"name": "llama3.2:latest", "model": "llama3.2:latest", "modified_at": "2026-10-01T10:00:00.000000+02:00", "size": 2019393189},
    {"name": "qwen3:8b", "model": "qwen3:8b", "modified_at": "2026-11-20T09:00:00Z", "size": 5225388164},
]}

OLLAMA_SHOW = {
    "llama3.2:latest": {"model_info": {"general.architecture": "llama", "llama.context_length": 131072}, "capabilities": ["completion", "tools"]},
    "qwen3:8b": {"model_info": {"general.architecture": "qwen3", "qwen3.context_length": 40960}, "capabilities": ["completion", "tools", "thinking"]},
}


def serve_flavour(httpserver: Any, flavour: str, prefix: str = "") -> str:
    """Make `httpserver` answer like a provider of `flavour` under `prefix`; returns the base URL to configure."""
    from werkzeug import Request, Response

    root = httpserver.url_for(prefix).rstrip("/")
    if flavour == "openai":
        httpserver.expect_request(f"{prefix}/v1/models").respond_with_json(OPENAI_LIST)
        return root + "/v1"
    if flavour == "anthropic":
        httpserver.expect_request(f"{prefix}/v1/models", headers={"anthropic-version": "2023-06-01"},
                                  query_string={"limit": "1000", "after_id": "claude-sonnet-4-5"}).respond_with_json(ANTHROPIC_PAGES[1])
        httpserver.expect_request(f"{prefix}/v1/models", query_string={"limit": "1000"}).respond_with_json(ANTHROPIC_PAGES[0])
        return root
    if flavour == "gemini":
        httpserver.expect_request(f"{prefix}/v1beta/models", query_string={"pageSize": "1000", "pageToken": "page-2"}).respond_with_json(GEMINI_PAGES[1])
        httpserver.expect_request(f"{prefix}/v1beta/models", query_string={"pageSize": "1000"}).respond_with_json(GEMINI_PAGES[0])
        return root + "/v1beta"
    if flavour == "openrouter":
        httpserver.expect_request(f"{prefix}/api/v1/models").respond_with_json(OPENROUTER_LIST)
        return root + "/api/v1"
    if flavour == "together":
        httpserver.expect_request(f"{prefix}/v1/models").respond_with_json(TOGETHER_LIST)
        return root + "/v1"
    if flavour == "ollama":
        def show(request: Request) -> Response:
            name = request.get_json()["model"]
            return Response(json.dumps(OLLAMA_SHOW[name]), content_type="application/json")

        httpserver.expect_request(f"{prefix}/api/tags").respond_with_json(OLLAMA_TAGS)
        httpserver.expect_request(f"{prefix}/api/show", method="POST").respond_with_handler(show)
        return root
    raise ValueError(flavour)


@pytest.fixture(scope="session")
def make_httpserver() -> Any:
    """pytest-httpserver's server on 127.0.0.1, threaded so concurrent requests are answered concurrently.

    Import it into a test module to replace the plugin's single-threaded one there.
    """
    from pytest_httpserver import HTTPServer

    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()
