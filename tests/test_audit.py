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
