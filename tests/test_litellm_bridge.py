"""The LiteLLM bridge, offline: every Kabot alias routes to a provider LiteLLM can call, real calls reach
the right path with the right model and auth header (a local server stands in for the providers), and
costs follow the catalog's prices (mock_response).

The catalog is tests/fixtures/kabot: the provider blocks of the providers Kabot knows
(tests/fixtures/kabot/providers.tsv) and one model per target of Kabot's aliases (aliases.tsv).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from kabot_models import litellm as bridge
from kabot_models.errors import RoutingError, UnknownModelError
from kabot_models.kabot import ModelRegistry
from kabot_models.loader import load_registry, set_default_registry

FIXTURE = Path(__file__).parent / "fixtures" / "kabot"
MESSAGES = [{"role": "user", "content": "Say hi."}]
KEY_VARS = ("ANTHROPIC_API_KEY", "MOONSHOT_API_KEY", "VENICE_API_KEY", "TOGETHER_API_KEY", "KILOCODE_API_KEY",
            "SYNTHETIC_API_KEY", "KIMI_API_KEY", "WORK_KEY")


@pytest.fixture(autouse=True)
def _fixture_catalog(tmp_path, monkeypatch):
    monkeypatch.setenv("KABOT_MODELS_HOME", str(tmp_path))
    for var in KEY_VARS:
        monkeypatch.delenv(var, raising=False)
    registry = load_registry(FIXTURE)
    registry.use_user_config({})
    set_default_registry(registry)
    yield registry
    set_default_registry(None)


def _aliases() -> dict[str, str]:
    rows = (line.split("\t") for line in (FIXTURE / "aliases.tsv").read_text().splitlines() if line.strip())
    return {alias: target.strip() for alias, target in rows}


ROUTES = {
    # alias: (LiteLLM model string, provider LiteLLM calls, api_base passed)
    "gpt4": ("openai/gpt-4o", "openai", None),  # LiteLLM's default base is the catalog's
    "gpt4o": ("openai/gpt-4o", "openai", None),
    "gpt4m": ("openai/gpt-4o-mini", "openai", None),
    "o1": ("openai/o1-preview", "openai", None),
    "o1m": ("openai/o1-mini", "openai", None),  # bare `o1-mini` is a name LiteLLM no longer places
    "codex": ("openai/gpt-5.1-codex", "openai", None),
    "sonnet": ("anthropic/claude-3-5-sonnet-20241022", "anthropic", None),  # not .../v1 + /v1/messages
    "sonnet-old": ("anthropic/claude-3-5-sonnet-20240620", "anthropic", None),
    "haiku": ("anthropic/claude-3-5-haiku-20241022", "anthropic", None),
    "opus": ("anthropic/claude-3-opus-20240229", "anthropic", None),
    "gemini": ("gemini/gemini-1.5-pro", "gemini", None),
    "flash": ("gemini/gemini-1.5-flash", "gemini", None),
    "gemini31": ("gemini/gemini-3.1-pro", "gemini", None),
    "gemini-3.1-pro": ("gemini/gemini-3.1-pro", "gemini", None),
    "mistral": ("mistral/mistral-large-latest", "mistral", None),
    "kimi": ("moonshot/kimi-k2.5", "moonshot", None),
    "kimi-think": ("moonshot/kimi-k2-thinking", "moonshot", None),
    "kimi-fast": ("moonshot/kimi-k2-turbo-preview", "moonshot", None),
    "minimax": ("minimax/MiniMax-M2.1", "minimax", "https://api.minimax.chat/v1"),  # LiteLLM's default: minimax.io
    "minimax-fast": ("minimax/MiniMax-M2.1-lightning", "minimax", "https://api.minimax.chat/v1"),
    "glm": ("zai/glm-4.7", "zai", None),
    "venice": ("veniceai/llama-3.3-70b", "veniceai", None),  # LiteLLM's own provider for that base URL
    "venice-opus": ("veniceai/claude-opus-45", "veniceai", None),  # not Anthropic's handler
    "together-kimi": ("together_ai/moonshotai/Kimi-K2.5", "together_ai", "https://api.together.xyz/v1"),
    "kilo": ("openai/anthropic/claude-opus-4.6", "openai", "https://api.kilo.ai/api/gateway/"),
    "hf-r1": ("openai/deepseek-ai/DeepSeek-R1", "openai", "https://router.huggingface.co/v1"),
    "qianfan": ("openai/deepseek-v3.2", "openai", "https://qianfan.baidubce.com/v2"),
    "nvidia": ("nvidia_nim/nvidia/llama-3.1-nemotron-70b-instruct", "nvidia_nim", None),
    "opencode": ("openai/claude-opus-4-6", "openai", "https://api.opencode.ai/v1"),
    "xai": ("xai/grok-4.1-mini", "xai", None),
    "cerebras": ("cerebras/zai-glm-4.7", "cerebras", None),
    "xiaomi": ("xiaomi_mimo/mimo-v2-flash", "xiaomi_mimo", None),  # litellm_id; LiteLLM's base is the same server
    "doubao": ("volcengine/doubao-seed-1-8-251228", "volcengine", None),
    "byteplus": ("openai/seed-1-8-251228", "openai", "https://ark.ap-southeast.bytepluses.com/api/v3"),
    "openrouter": ("openrouter/auto", "openrouter", None),
    "or-auto": ("openrouter/auto", "openrouter", None),
    "or-sonnet": ("openrouter/anthropic/claude-sonnet-4-5", "openrouter", None),
    "or-qwen-vl": ("openrouter/qwen/qwen-2.5-vl-72b-instruct:free", "openrouter", None),
    "synthetic": ("anthropic/hf:MiniMaxAI/MiniMax-M2.1", "anthropic", "https://api.synthetic.new/anthropic"),
    "cf-sonnet": ("openai/claude-sonnet-4-5", "openai", "https://gateway.ai.cloudflare.com/v1"),
    "vercel-opus": ("vercel_ai_gateway/anthropic/claude-opus-4.6", "vercel_ai_gateway", None),
}
NEEDS_A_BASE = {"gemini-pro", "kimi-code", "qwen-code"}
"""Aliases whose provider has no base URL in the catalog and none in LiteLLM (Kabot signs in to them)."""
CUSTOM = {"codex-pro"}
"""`openai-codex/` is Kabot's own LiteLLM provider (registered by Kabot), not one LiteLLM ships."""


def test_the_table_covers_every_kabot_alias() -> None:
    assert set(ROUTES) | NEEDS_A_BASE | CUSTOM == set(_aliases())


@pytest.mark.parametrize("alias", sorted(ROUTES))
def test_every_alias_routes_to_a_provider_litellm_can_call(alias: str) -> None:
    model, provider, api_base = ROUTES[alias]
    route = bridge.route(alias)
    assert route.id == _aliases()[alias]
    assert (route.model, route.api_base) == (model, api_base)
    sent, called, _, _ = bridge._litellm().get_llm_provider(route.model, api_base=route.api_base)
    assert called == provider
    api_id = route.id.split("/", 1)[1]
    if alias != "xiaomi":  # its litellm_id spells the model as LiteLLM's map does
        assert sent == api_id  # the api id's own slashes reach the provider: `moonshotai/Kimi-K2.5`


def test_the_custom_codex_provider_is_passed_as_the_catalog_names_it() -> None:
    route = bridge.route("codex-pro")
    assert (route.model, route.api_base) == ("openai-codex/gpt-5.3-codex", None)


@pytest.mark.parametrize("alias", sorted(NEEDS_A_BASE))
def test_a_provider_without_a_base_url_needs_one_from_the_config(alias: str, _fixture_catalog: ModelRegistry) -> None:
    pid = _aliases()[alias].split("/", 1)[0]
    with pytest.raises(RoutingError, match=f"providers.{pid}.api_base"):
        bridge.route(alias)
    _fixture_catalog.use_user_config({"providers": {pid: {"api_base": "https://proxy.example/v1"}}})
    route = bridge.route(alias)
    assert route.api_base == "https://proxy.example/v1"
    assert bridge._litellm().get_llm_provider(route.model, api_base=route.api_base)[1] in {"openai", "anthropic"}


def test_skip_prefixes_and_own_prefixes(_fixture_catalog: ModelRegistry) -> None:
    reg = _fixture_catalog
    reg.add_model({"id": "moonshot/moonshot/kimi-legacy", "provider": "moonshot", "name": "Legacy", "status": "active"})
    assert bridge.route("moonshot/moonshot/kimi-legacy").model == "moonshot/kimi-legacy"  # a skip prefix: unchanged
    # OpenRouter names its router `openrouter/auto`; LiteLLM drops one `openrouter/`, so the string needs two.
    reg.add_model({"id": "openrouter/openrouter/auto", "provider": "openrouter", "name": "Auto", "status": "active"})
    route = bridge.route("openrouter/openrouter/auto")
    assert route.model == "openrouter/openrouter/auto"
    assert bridge._litellm().get_llm_provider(route.model)[:2] == ("openrouter/auto", "openrouter")


def test_user_config_beats_catalog_base_url(_fixture_catalog: ModelRegistry, monkeypatch) -> None:
    _fixture_catalog.use_user_config({"aliases": {}, "providers": {
        "moonshot": {"api_base": "https://proxy.example/v1", "key_env": "WORK_KEY", "headers": {"X-Team": "a"}}}})
    route = bridge.route("kimi")
    assert (route.api_base, route.api_key_env, route.extra_headers) == ("https://proxy.example/v1", "WORK_KEY", {"X-Team": "a"})
    monkeypatch.setenv("WORK_KEY", "secret")
    assert route.kwargs() == {"model": "moonshot/kimi-k2.5", "api_base": "https://proxy.example/v1",
                              "api_key": "secret", "extra_headers": {"X-Team": "a"}}


def test_route_of_an_unknown_name_raises() -> None:
    with pytest.raises(UnknownModelError):
        bridge.route("gpt-4oo")


OPENAI_REPLY = {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "m",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6}}
ANTHROPIC_REPLY = {"id": "msg_1", "type": "message", "role": "assistant", "model": "m", "stop_reason": "end_turn",
                   "content": [{"type": "text", "text": "hi"}], "usage": {"input_tokens": 5, "output_tokens": 1}}
CAPTURES = [
    # (alias, provider, key variable, base path configured, path LiteLLM posts to, model in the body, auth header)
    ("venice", "venice", "VENICE_API_KEY", "/api/v1", "/api/v1/chat/completions", "llama-3.3-70b", "authorization"),
    ("together-kimi", "together", "TOGETHER_API_KEY", "/v1", "/v1/chat/completions", "moonshotai/Kimi-K2.5", "authorization"),
    ("kilo", "kilocode", "KILOCODE_API_KEY", "/api/gateway", "/api/gateway/chat/completions", "anthropic/claude-opus-4.6", "authorization"),
    ("synthetic", "synthetic", "SYNTHETIC_API_KEY", "/anthropic", "/anthropic/v1/messages", "hf:MiniMaxAI/MiniMax-M2.1", "x-api-key"),
    ("sonnet", "anthropic", "ANTHROPIC_API_KEY", "", "/v1/messages", "claude-3-5-sonnet-20241022", "x-api-key"),
]


@pytest.mark.parametrize(("alias", "pid", "key_var", "base_path", "path", "sent_model", "auth"), CAPTURES)
def test_a_call_reaches_the_provider_path_with_its_model_and_key(
    alias, pid, key_var, base_path, path, sent_model, auth, httpserver, monkeypatch, _fixture_catalog
) -> None:
    reply = ANTHROPIC_REPLY if path.endswith("/messages") else OPENAI_REPLY
    httpserver.expect_request(path, method="POST").respond_with_json(reply)
    _fixture_catalog.use_user_config({"providers": {pid: {"api_base": httpserver.url_for(base_path)}}})
    monkeypatch.setenv(key_var, "dummy-key-123")
    response = bridge._litellm().completion(messages=MESSAGES, **bridge.route(alias).kwargs())
    assert response.choices[0].message.content == "hi"
    (request, _), = httpserver.log
    assert request.path == path
    assert request.get_json()["model"] == sent_model
    assert request.headers[auth] in {"dummy-key-123", "Bearer dummy-key-123"}


def _catalog_cost(registry: ModelRegistry, full_id: str, usage) -> Decimal:
    price = registry.record(full_id)["pricing"]
    return (Decimal(str(price["input_1m"])) * usage.prompt_tokens
            + Decimal(str(price["output_1m"])) * usage.completion_tokens) / 1_000_000


def test_completion_costs_what_the_catalog_says(_fixture_catalog: ModelRegistry) -> None:
    litellm = bridge._litellm()
    # The fixture's sonnet price (7/33) is not in LiteLLM's bundled map: the cost proves register_prices worked.
    bundled = json.loads((Path(litellm.__file__).parent / "model_prices_and_context_window_backup.json").read_text())
    assert all(bundled.get(key, {}).get("input_cost_per_token") != 7e-6
               for key in ("claude-3-5-sonnet-20241022", "anthropic/claude-3-5-sonnet-20241022"))
    response = bridge.completion(model="sonnet", messages=MESSAGES, mock_response="hi")
    assert response.choices[0].message.content == "hi"
    usage = response.usage
    assert usage.prompt_tokens > 0 and usage.completion_tokens > 0
    expected = _catalog_cost(_fixture_catalog, "anthropic/claude-3-5-sonnet-20241022", usage)
    assert Decimal(str(litellm.completion_cost(response))) == pytest.approx(expected, rel=Decimal("1e-9"))
    assert Decimal(str(response._hidden_params["response_cost"])) == pytest.approx(expected, rel=Decimal("1e-9"))


@pytest.mark.parametrize("name", ["aihubmix/glm-5.3", "xiaomi", "vercel-opus", "together-kimi"])
def test_gateway_costs_are_found_under_litellms_provider(name: str, _fixture_catalog: ModelRegistry) -> None:
    """A catalog price registered under the catalog's prefix (`openai`, `xiaomi`) instead of LiteLLM's
    provider for the string (`openai`, `xiaomi_mimo`, `vercel_ai_gateway`) made completion_cost raise."""
    response = bridge.completion(name, MESSAGES, mock_response="hello there")
    expected = _catalog_cost(_fixture_catalog, bridge.route(name).id, response.usage)
    assert Decimal(str(bridge._litellm().completion_cost(response))) == pytest.approx(expected, rel=Decimal("1e-9"))


def test_acompletion_costs_what_the_catalog_says(_fixture_catalog: ModelRegistry) -> None:
    litellm = bridge._litellm()
    response = asyncio.run(bridge.acompletion("kimi", MESSAGES, mock_response="hello there"))
    expected = _catalog_cost(_fixture_catalog, "moonshot/kimi-k2.5", response.usage)
    assert Decimal(str(litellm.completion_cost(response))) == pytest.approx(expected, rel=Decimal("1e-9"))


def test_a_model_the_catalog_does_not_price_costs_none(_fixture_catalog: ModelRegistry) -> None:
    # opencode's copy of Claude Opus has no price of its own: Anthropic's must not be charged for it.
    assert _fixture_catalog.record("opencode/claude-opus-4-6").get("pricing") is None
    bridge.register_prices()
    assert "openai/claude-opus-4-6" not in bridge._litellm().model_cost
    response = bridge.completion("opencode", MESSAGES, mock_response="hi")
    assert response._hidden_params["response_cost"] is None
    priced = asyncio.run(bridge.acompletion("kimi", MESSAGES, mock_response="hi"))
    assert priced._hidden_params["response_cost"] > 0


@pytest.mark.filterwarnings("ignore::kabot_models.resolver.ModelStatusWarning")
def test_register_prices_entries(_fixture_catalog: ModelRegistry) -> None:
    litellm = bridge._litellm()
    count = bridge.register_prices()
    priced = {bridge.litellm_model(r["id"], _fixture_catalog.provider_record(r["provider"]), r)
              for r in _fixture_catalog.records() if (r.get("pricing") or {}).get("output_1m") is not None}
    assert count == len(priced)
    entry = litellm.model_cost["anthropic/claude-3-5-sonnet-20241022"]
    assert entry["input_cost_per_token"] == pytest.approx(7e-6)
    assert entry["cache_creation_input_token_cost"] == pytest.approx(8.75e-6)
    assert entry["cache_creation_input_token_cost_above_1hr"] == pytest.approx(14e-6)
    assert entry["litellm_provider"] == "anthropic"
    assert litellm.model_cost["xiaomi_mimo/mimo-v2-flash"]["litellm_provider"] == "xiaomi_mimo"
    assert litellm.model_cost["openai/glm-5.3"]["litellm_provider"] == "openai"
    together = litellm.model_cost["together_ai/moonshotai/Kimi-K2.5"]
    assert (together["input_cost_per_token"], together["litellm_provider"]) == (pytest.approx(1.0e-6), "together_ai")


def test_model_cost_entry_tiers_and_unknown_prices() -> None:
    provider = {"id": "anthropic", "api": {"base_url": "https://api.anthropic.com/v1", "flavor": "anthropic"}}
    record = {"id": "anthropic/x", "provider": "anthropic", "mode": "chat", "pricing": {
        "input_1m": 3, "output_1m": 15, "tiers": [{"above_input_tokens": 200000, "input_1m": 6, "output_1m": 22.5}],
        "batch": {"input_1m": 1.5, "output_1m": 7.5}}}
    entry = bridge.model_cost_entry(record, provider)
    assert entry["input_cost_per_token_above_200k_tokens"] == pytest.approx(6e-6)
    assert entry["output_cost_per_token_above_200k_tokens"] == pytest.approx(22.5e-6)
    assert entry["input_cost_per_token_batches"] == pytest.approx(1.5e-6)
    assert "cache_read_input_token_cost" not in entry  # unknown stays unknown, never 0
    assert bridge.model_cost_entry({"id": "a/b", "provider": "a", "pricing": {"input_1m": 1}}, provider) is None


def test_importing_the_bridge_does_not_import_litellm() -> None:
    code = "import sys, kabot_models.litellm; print('litellm' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_litellm_uses_its_local_price_map() -> None:
    bridge._litellm()
    assert os.environ.get("LITELLM_LOCAL_MODEL_COST_MAP") == "True"
