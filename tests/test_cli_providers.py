"""`kabot-models providers` and `show PROVIDER`: how to reach each provider, whether its key is set (never the key)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cli_runner import run_cli
from kabot_models.credentials import store_key
from kabot_models.loader import load_registry

SECRET = "sk-test-SECRET-value-1234567890"


@pytest.fixture(scope="module")
def registry() -> Any:
    return load_registry(db=False)


def providers_json(env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    res = run_cli(["providers", "--json"], env=env)
    assert res.exit_code == 0, res.stderr
    assert SECRET not in res.stdout
    return json.loads(res.stdout)


def test_every_provider_with_its_facts_and_counts(registry: Any) -> None:
    rows = {r["id"]: r for r in providers_json({"OPENAI_API_KEY": ""})}
    assert set(rows) == {b["id"] for b in registry.provider_records()}
    openai = rows["openai"]
    assert openai["base_url"] == "https://api.openai.com/v1" and openai["flavor"] == "openai"
    assert openai["key_variables"] == [{"name": "OPENAI_API_KEY", "set": False}] and openai["configured"] is False
    assert openai["docs_url"].startswith("https://") and openai["pricing_url"].startswith("https://")
    by_status: dict[str, int] = {}
    for rec in registry.filter(provider="openai"):
        by_status[rec.get("status", "active")] = by_status.get(rec.get("status", "active"), 0) + 1
    assert {k: v for k, v in openai["models"].items() if v} == by_status
    assert set(openai["models"]) == {"active", "preview", "deprecated", "retired"}


def test_a_set_key_says_set_and_never_shows_its_value() -> None:
    openai = next(r for r in providers_json({"OPENAI_API_KEY": SECRET}) if r["id"] == "openai")
    assert openai["key_variables"] == [{"name": "OPENAI_API_KEY", "set": True}] and openai["configured"] is True
    table = run_cli(["providers"], env={"OPENAI_API_KEY": SECRET}).stdout
    assert SECRET not in table
    assert any(line.startswith("openai ") and "OPENAI_API_KEY (set)" in line and " yes " in line for line in table.splitlines())


def test_a_stored_key_counts_as_configured() -> None:
    store_key("anthropic", SECRET)
    row = next(r for r in providers_json({"ANTHROPIC_API_KEY": ""}) if r["id"] == "anthropic")
    assert row["stored_key"] is True and row["configured"] is True
    shown = run_cli(["show", "anthropic"], env={"ANTHROPIC_API_KEY": ""})
    assert "stored key" in shown.stdout and SECRET not in shown.stdout


def test_show_provider_by_id_or_alias(registry: Any) -> None:
    as_json = json.loads(run_cli(["show", "gemini", "--json"]).stdout)
    assert as_json["id"] == "google" and "gemini" in as_json["aliases"]
    text = run_cli(["show", "openai"]).stdout
    for fact in ("base URL: https://api.openai.com/v1", "API flavour: openai", "key variables: OPENAI_API_KEY",
                 "docs: https://", "pricing: https://", "models: "):
        assert fact in text, fact


def test_show_model_says_how_to_reach_it(registry: Any) -> None:
    res = run_cli(["show", "sonnet", "--json"], env={"ANTHROPIC_API_KEY": SECRET})
    reach = json.loads(res.stdout)["reach"]
    assert reach == {"provider": "anthropic", "base_url": "https://api.anthropic.com/v1", "flavor": "anthropic",
                     "api_id": registry.resolve("sonnet").split("/", 1)[1],
                     "key_variable": {"name": "ANTHROPIC_API_KEY", "set": True},
                     "litellm_model": "anthropic/" + registry.resolve("sonnet").split("/", 1)[1]}
    assert SECRET not in res.stdout
    text = run_cli(["show", "sonnet"]).stdout
    assert "how to reach it" in text and "LiteLLM model: anthropic/" in text


def test_user_config_overrides_base_url_and_key_variable(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    home = os.environ["KABOT_MODELS_HOME"]
    with open(os.path.join(home, "config.yaml"), "w") as fh:
        fh.write("providers:\n  openai:\n    api_base: http://127.0.0.1:9/v1\n    key_env: MY_OPENAI_KEY\n")
    row = next(r for r in providers_json({"MY_OPENAI_KEY": SECRET}) if r["id"] == "openai")
    assert row["base_url"] == "http://127.0.0.1:9/v1"
    assert row["key_variables"] == [{"name": "MY_OPENAI_KEY", "set": True}] and row["configured"] is True
