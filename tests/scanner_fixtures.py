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
    "openrouter": {"name": "OpenRouter", "kind": "gateway", "api": {"flavor": "openrouter"}, "auth": {"env": ["OPENROUTER_API_KEY"]}},
    "together": {"name": "Together AI", "kind": "cloud", "api": {"flavor": "together"}, "auth": {"env": ["TOGETHER_API_KEY"]}},
    "ollama": {"name": "Ollama", "kind": "local", "api": {"flavor": "ollama"}, "auth": {"required": False}},
    "groq": {"name": "Groq", "kind": "cloud", "api": {"flavor": "groq"}, "auth": {"env": ["GROQ_API_KEY"]}},
    "mistral": {"name": "Mistral", "api": {"flavor": "mistral"}, "auth": {"env": ["MISTRAL_API_KEY"]}},
    "deepinfra": {"name": "DeepInfra", "kind": "cloud", "api": {"flavor": "deepinfra"}, "auth": {"env": ["DEEPINFRA_API_KEY"]}},
    "fireworks": {"name": "Fireworks", "kind": "cloud", "api": {"flavor": "fireworks"}, "auth": {"env": ["FIREWORKS_API_KEY"]}},
    "moonshot": {"name": "Moonshot AI", "api": {"flavor": "moonshot"}, "auth": {"env": ["MOONSHOT_API_KEY"]}},
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
    "ollama": {"llama3.2": {"name": "Llama 3.2"}},
    "groq": {"openai/gpt-oss-120b": {"name": "GPT OSS 120B"}},
    "mistral": {"mistral-large-2411": {"name": "Mistral Large 24.11", "aliases": ["mistral-large-latest"]}},
    "deepinfra": {"meta-llama/Llama-3.3-70B-Instruct": {"name": "Llama 3.3 70B Instruct"}},
    "fireworks": {"accounts/fireworks/models/llama-v3p3-70b-instruct": {"name": "Llama 3.3 70B Instruct"}},
    "moonshot": {"kimi-k2.5": {"name": "Kimi K2.5"}},
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


# --- responses in each flavour's shape: committed files, see fixtures/scan/README.md for their sources ---

FIXTURES = Path(__file__).parent / "fixtures" / "scan"


def response(name: str) -> Any:
    """The decoded fixture `fixtures/scan/<name>.json`."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


OPENAI_LIST = response("openai")
ANTHROPIC_PAGES = [response("anthropic-page1"), response("anthropic-page2")]
GEMINI_PAGES = [response("gemini-page1"), response("gemini-page2")]
OPENROUTER_LIST = response("openrouter")
OPENROUTER_ENDPOINTS = response("openrouter-endpoints")
TOGETHER_LIST = response("together")
OLLAMA_TAGS = response("ollama-tags")
OLLAMA_SHOW = response("ollama-show")
#: OpenAI-compatible flavours: (fixture, path of the list under the server root, base URL suffix).
COMPATIBLE = {"groq": ("/openai/v1/models", "/openai/v1"), "mistral": ("/v1/models", "/v1"), "deepinfra": ("/v1/openai/models", "/v1/openai"),
              "fireworks": ("/inference/v1/models", "/inference/v1"), "moonshot": ("/v1/models", "/v1")}


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
        httpserver.expect_request(f"{prefix}/api/v1/models/vendor/reasoner-scan-only/endpoints").respond_with_json(OPENROUTER_ENDPOINTS)
        httpserver.expect_request(f"{prefix}/api/v1/models/vendor/scan-only:free/endpoints").respond_with_json({"data": {"id": "vendor/scan-only:free", "endpoints": []}})
        httpserver.expect_request(f"{prefix}/api/v1/models/openai/gpt-4o/endpoints").respond_with_json({"data": {"id": "openai/gpt-4o", "endpoints": []}})
        httpserver.expect_request(f"{prefix}/api/v1/models/openrouter/auto/endpoints").respond_with_json({"data": {"id": "openrouter/auto", "endpoints": []}})
        return root + "/api/v1"
    if flavour in COMPATIBLE:
        path, suffix = COMPATIBLE[flavour]
        httpserver.expect_request(prefix + path).respond_with_json(response(flavour))
        return root + suffix
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
