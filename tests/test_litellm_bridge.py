"""The LiteLLM bridge, offline: routing rules, and costs that follow the catalog's prices (mock_response)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from kabot_models import litellm as bridge
from kabot_models.errors import UnknownModelError
from kabot_models.registry import ModelRegistry, load_registry, set_default_registry

FIXTURE = Path(__file__).parent / "fixtures" / "resolver"
MESSAGES = [{"role": "user", "content": "Say hi."}]


@pytest.fixture(autouse=True)
def _fixture_catalog(tmp_path, monkeypatch):
    monkeypatch.setenv("KABOT_MODELS_HOME", str(tmp_path))
    for var in ("ANTHROPIC_API_KEY", "MOONSHOT_API_KEY", "WORK_KEY"):
        monkeypatch.delenv(var, raising=False)
    registry = load_registry(FIXTURE)
    registry.use_user_config({})
    set_default_registry(registry)
    yield registry
    set_default_registry(None)


ROUTES = [
    # (name, LiteLLM model string, api_base, key env var)
    ("sonnet", "claude-sonnet-4-5", "https://api.anthropic.com/v1", "ANTHROPIC_API_KEY"),  # no prefix: LiteLLM knows claude-*
    ("kimi", "moonshot/kimi-k2.5", "https://api.moonshot.ai/v1", "MOONSHOT_API_KEY"),  # prefix added
    ("gemini/gemini-2.5-pro", "gemini/gemini-2.5-pro", "https://generativelanguage.googleapis.com/v1beta", "GEMINI_API_KEY"),
    ("together/moonshotai/Kimi-K2.5", "together_ai/moonshotai/Kimi-K2.5", "https://api.together.xyz/v1", "TOGETHER_API_KEY"),
    ("opencode/claude-opus-4-6", "claude-opus-4-6", "https://api.opencode.ai/v1", "OPENCODE_API_KEY"),  # strip_model_prefix
    ("or/anthropic/claude-sonnet-4-5", "openrouter/anthropic/claude-sonnet-4-5", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY"),
    ("llama3.2", "ollama/llama3.2", "http://localhost:11434", "OLLAMA_API_KEY"),
    ("openai/gpt-9", "gpt-9", "https://api.openai.com/v1", "OPENAI_API_KEY"),  # uncatalogued passes through
    ("azure/gpt-4o", "azure/gpt-4o", None, "AZURE_API_KEY"),
]


@pytest.mark.parametrize(("name", "model", "api_base", "env"), ROUTES)
def test_route(name: str, model: str, api_base: str | None, env: str) -> None:
    route = bridge.route(name)
    assert (route.model, route.api_base, route.api_key_env) == (model, api_base, env)


def test_route_skip_prefixes_and_litellm_id(_fixture_catalog: ModelRegistry) -> None:
    reg = _fixture_catalog
    reg.add_model({"id": "moonshot/moonshot/kimi-legacy", "provider": "moonshot", "name": "Legacy", "status": "active"})
    assert bridge.route("moonshot/moonshot/kimi-legacy").model == "moonshot/kimi-legacy"  # already prefixed: unchanged
    reg.add_model({"id": "google/gemini-exp", "provider": "google", "name": "Exp", "status": "active",
                   "litellm_id": "vertex_ai/gemini-exp-0827"})
    assert bridge.route("google/gemini-exp").model == "vertex_ai/gemini-exp-0827"


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


def _catalog_cost(registry: ModelRegistry, full_id: str, usage) -> Decimal:
    price = registry.record(full_id)["pricing"]
    return (Decimal(str(price["input_1m"])) * usage.prompt_tokens
            + Decimal(str(price["output_1m"])) * usage.completion_tokens) / 1_000_000


def test_completion_costs_what_the_catalog_says(_fixture_catalog: ModelRegistry) -> None:
    litellm = bridge._litellm()
    # The fixture's sonnet price (7/33) is not LiteLLM's own (3/15): the cost proves register_prices worked.
    own = litellm.model_cost["claude-sonnet-4-5"]
    assert (own["input_cost_per_token"], own["output_cost_per_token"]) != (7e-6, 33e-6)
    response = bridge.completion(model="sonnet", messages=MESSAGES, mock_response="hi")
    assert response.choices[0].message.content == "hi"
    usage = response.usage
    assert usage.prompt_tokens > 0 and usage.completion_tokens > 0
    expected = _catalog_cost(_fixture_catalog, "anthropic/claude-sonnet-4-5", usage)
    assert Decimal(str(litellm.completion_cost(response))) == pytest.approx(expected, rel=Decimal("1e-9"))


def test_acompletion_costs_what_the_catalog_says(_fixture_catalog: ModelRegistry) -> None:
    litellm = bridge._litellm()
    response = asyncio.run(bridge.acompletion("kimi", MESSAGES, mock_response="hello there"))
    expected = _catalog_cost(_fixture_catalog, "moonshot/kimi-k2.5", response.usage)
    assert Decimal(str(litellm.completion_cost(response))) == pytest.approx(expected, rel=Decimal("1e-9"))


@pytest.mark.filterwarnings("ignore::kabot_models.resolver.ModelStatusWarning")
def test_register_prices_entries(_fixture_catalog: ModelRegistry) -> None:
    litellm = bridge._litellm()
    count = bridge.register_prices()
    priced = {bridge.route(r["id"]).model for r in _fixture_catalog.records() if (r.get("pricing") or {}).get("output_1m") is not None}
    assert count == len(priced)
    assert litellm.model_cost["claude-sonnet-4-5"]["input_cost_per_token"] == pytest.approx(7e-6)
    # opencode strips its prefix, so its copy shares anthropic's string: the original's price stays
    assert litellm.model_cost["claude-opus-4-6"]["output_cost_per_token"] == pytest.approx(75e-6)
    entry = litellm.model_cost["together_ai/moonshotai/Kimi-K2.5"]
    assert entry["input_cost_per_token"] == pytest.approx(1.0e-6)
    assert entry["output_cost_per_token"] == pytest.approx(3.0e-6)
    assert entry["max_input_tokens"] == 262144  # inherited from its base


def test_model_cost_entry_tiers_and_unknown_prices() -> None:
    provider = {"id": "anthropic", "litellm": {}}
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
