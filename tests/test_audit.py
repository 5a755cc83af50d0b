"""`kabot-models audit` and `stats`: the real catalog passes, a wrong figure fails until acknowledged."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kabot_models.cli import app

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def test_audit_against_litellm_passes_on_the_catalog():
    result = runner.invoke(app, ["audit", "--against", "litellm"])
    assert result.exit_code == 0, result.output
    assert "0 not acknowledged" in result.output


def test_audit_via_python_m():
    proc = subprocess.run([sys.executable, "-m", "kabot_models.cli", "audit", "--json"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["ok"] and report["matched"]["litellm"] > 500


@pytest.fixture()
def catalog_copy(tmp_path):
    shutil.copytree(ROOT / "catalog", tmp_path / "catalog")
    return tmp_path / "catalog"


def _set_price(path: Path, api_id: str, old: str, new: str) -> None:
    """Replace the first `old` after the model's key with `new`."""
    head, key, body = path.read_text().partition(f"\n  {api_id}:\n")
    assert key and old in body
    path.write_text(head + key + body.replace(old, new, 1))


def test_audit_reports_a_wrong_price_and_accepts_it_when_acknowledged(catalog_copy):
    path = catalog_copy / "providers" / "anthropic.yaml"
    _set_price(path, "claude-sonnet-5-5", "input_1m: 2,", "input_1m: 2.75,")
    result = runner.invoke(app, ["audit", "--catalog", str(catalog_copy)])
    assert result.exit_code == 1, result.output
    assert "anthropic/claude-sonnet-5-5  pricing.input_1m  catalog=2.75  litellm=2" in result.output

    ack = ("    acknowledged:\n      - {dataset: litellm, field: pricing.input_1m, reason: test, "
           "source: \"https://platform.claude.com/docs/en/about-claude/pricing\"}\n")
    text = path.read_text().replace("\n  claude-sonnet-5-5:\n", "\n  claude-sonnet-5-5:\n" + ack, 1)
    path.write_text(text)
    result = runner.invoke(app, ["audit", "--catalog", str(catalog_copy)])
    assert result.exit_code == 0, result.output
    assert "acknowledged  anthropic/claude-sonnet-5-5  pricing.input_1m" in result.output


def test_acknowledgement_for_another_dataset_does_not_count(catalog_copy):
    path = catalog_copy / "providers" / "anthropic.yaml"
    _set_price(path, "claude-sonnet-5-5", "input_1m: 2,", "input_1m: 2.75,")
    ack = ("    acknowledged:\n      - {dataset: genai-prices, field: pricing.input_1m, reason: test, "
           "source: \"https://platform.claude.com/docs/en/about-claude/pricing\"}\n")
    path.write_text(path.read_text().replace("\n  claude-sonnet-5-5:\n", "\n  claude-sonnet-5-5:\n" + ack, 1))
    assert runner.invoke(app, ["audit", "--catalog", str(catalog_copy)]).exit_code == 1


def test_missing_dataset_is_one_line_exit_2(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "litellm" else real(name, *a))
    result = runner.invoke(app, ["audit"])
    assert result.exit_code == 2
    assert "LiteLLM is not installed" in result.output


def test_stats_json():
    result = runner.invoke(app, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["providers"] >= 35 and data["chat_with_price_and_context"] >= 500
    assert set(data["status"]) <= {"active", "preview", "deprecated", "retired"}


def test_litellm_figures_read_a_tiered_pricing_table():
    # LiteLLM prices Qwen/Doubao entries only through `tiered_pricing`: the tier from 0 is the base price
    from kabot_models.audit import litellm_figures

    info = {"max_input_tokens": 258048, "tiered_pricing": [
        {"range": [32000.0, 128000.0], "input_cost_per_token": 2.4e-06, "output_cost_per_token": 1.2e-05},
        {"range": [0, 32000.0], "input_cost_per_token": 1.2e-06, "output_cost_per_token": 6e-06, "cache_read_input_token_cost": 1.2e-07},
    ]}
    assert litellm_figures(info) == {"pricing.input_1m": 1.2, "pricing.output_1m": 6, "pricing.cache_read_1m": 0.12,
                                     "context_window": 258048}
