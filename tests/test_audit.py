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


MODELS_DEV = ROOT / "tests" / "fixtures" / "models-dev" / "api.json.gz"


def test_audit_against_all_three_datasets_passes_and_agrees_with_genai_prices_at_97_percent():
    # issue 13: every disagreement fixed or acknowledged; genai-prices agrees on >= 97% of shared models
    result = runner.invoke(app, ["audit", "--against", "all", "--models-dev", str(MODELS_DEV), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ok"] and report["unacknowledged"] == 0
    assert set(report["matched"]) == {"litellm", "genai-prices", "models-dev"}
    assert report["matched"]["models-dev"] > 4000 and report["matched"]["genai-prices"] > 1000
    assert report["agreement"]["genai-prices"] >= 0.97
    # agreement counts models with any difference, acknowledged or not
    differing = {d["model"] for d in report["differences"] if d["dataset"] == "genai-prices"}
    assert report["agreement"]["genai-prices"] == round(1 - len(differing) / report["matched"]["genai-prices"], 4)


def test_models_dev_difference_fails_until_acknowledged(catalog_copy):
    path = catalog_copy / "providers" / "anthropic.yaml"
    _set_price(path, "claude-sonnet-4-5", "input_1m: 3,", "input_1m: 3.25,")
    result = runner.invoke(app, ["audit", "--against", "models-dev", "--models-dev", str(MODELS_DEV), "--catalog", str(catalog_copy)])
    assert result.exit_code == 1, result.output
    assert "anthropic/claude-sonnet-4-5  pricing.input_1m  catalog=3.25  models-dev=3  (anthropic:claude-sonnet-4-5)" in result.output
    ack = ("    acknowledged:\n      - {dataset: models-dev, field: pricing.input_1m, reason: test, "
           "source: \"https://platform.claude.com/docs/en/about-claude/pricing\"}\n")
    path.write_text(path.read_text().replace("\n  claude-sonnet-4-5:\n", "\n  claude-sonnet-4-5:\n" + ack, 1))
    result = runner.invoke(app, ["audit", "--against", "models-dev", "--models-dev", str(MODELS_DEV), "--catalog", str(catalog_copy)])
    assert result.exit_code == 0, result.output


def test_models_dev_reads_a_checkout_like_its_api_json(tmp_path):
    # the fixture is scripts/models_dev_api.py's output; a checkout in the same shape audits the same
    import gzip

    from kabot_models.audit import models_dev_figures
    from kabot_models.sync.sources import models_dev

    api = json.loads(gzip.decompress(MODELS_DEV.read_bytes()))
    model = api["anthropic"]["models"]["claude-sonnet-4-5"]
    checkout = tmp_path / "md"
    (checkout / "providers" / "anthropic" / "models").mkdir(parents=True)
    (checkout / "providers" / "anthropic" / "provider.toml").write_text('name = "Anthropic"\n')
    lines = [f"[{k}]\n" + "".join(f"{kk} = {json.dumps(vv)}\n" for kk, vv in v.items() if isinstance(vv, (int, float)))
             for k, v in model.items() if k in ("cost", "limit")]
    (checkout / "providers" / "anthropic" / "models" / "claude-sonnet-4-5.toml").write_text("\n".join(lines))
    offer = next(o for o in models_dev.read(checkout, live=False, today=None).offers)  # type: ignore[arg-type]
    from_api = next(o for o in models_dev.read(MODELS_DEV, live=False, today=None).offers  # type: ignore[arg-type]
                    if o.provider == "anthropic" and o.key == "claude-sonnet-4-5")
    assert models_dev_figures(offer.fields) == models_dev_figures(from_api.fields)
    assert models_dev_figures(offer.fields)["context_window"] == model["limit"]["context"]


def test_models_dev_needs_a_file_one_line_exit_2(tmp_path):
    result = runner.invoke(app, ["audit", "--against", "models-dev"])
    assert result.exit_code == 2 and "--models-dev PATH" in result.output
    bad = tmp_path / "api.json.gz"
    bad.write_bytes(b"\x1f\x8b not gzip")
    result = runner.invoke(app, ["audit", "--against", "models-dev", "--models-dev", str(bad)])
    assert result.exit_code == 2 and "not a models.dev api.json" in result.output
    assert "Traceback" not in result.output


def test_genai_prices_is_compared_only_at_the_provider_sync_links():
    # genai-prices' loose provider match would compare Vertex with the Gemini API, and its fallback
    # would compare Azure's DeepSeek with DeepSeek's own price: neither is a figure for that offering
    from kabot_models.audit import audit
    from kabot_models.catalog import validate_catalog

    catalog, _ = validate_catalog(None)
    report = audit(catalog, "genai-prices")
    keys = {d.model: d.other_key for d in report.differences}
    assert not any(m.startswith("google-vertex/") for m in keys)
    assert not any(m.startswith("azure/") and k.split(":")[1].startswith("deepseek") for m, k in keys.items())


def test_genai_prices_audit_does_not_depend_on_the_hour():
    # DeepSeek's peak-hour rate (genai-prices: 06:00-10:00 UTC on weekdays) is a window in the
    # catalog, not its base price: the audit found 12 "differences" during those hours only
    import datetime as dt

    from kabot_models.audit import audit
    from kabot_models.catalog import validate_catalog

    catalog, _ = validate_catalog(None)
    peak = dt.datetime(2026, 12, 3, 7, 0, tzinfo=dt.timezone.utc)  # a Thursday
    off_peak = peak.replace(hour=12)
    reports = [audit(catalog, "genai-prices", at=at) for at in (peak, off_peak)]
    assert [(d.model, d.field, d.other) for d in reports[0].differences] == \
        [(d.model, d.field, d.other) for d in reports[1].differences]
    assert not any(not d.acknowledged for d in reports[0].differences)
    assert reports[0].matched["genai-prices"] > 1000
    pro = [d for d in reports[0].differences if d.model == "deepseek/deepseek-v4-pro"]
    assert not pro  # the catalog's 0.66 off-peak base is genai-prices' standing price


@pytest.mark.parametrize(("a", "b", "same"), [
    (1_047_576, 1_000_000, True),   # rounded to 2 significant digits
    (32_768, 32_000, True),         # binary thousands written as decimal ones
    (1_048_576, 1_000_000, True),
    (202_800, 202_000, True),       # cut to 4 digits
    (65_536, 65_535, True),         # one less: the last token's index
    (16_384, 16_385, True),
    (5, 6, False),                  # one apart, but not around binary thousands
    (196_608, 204_800, False),      # 192 Ki vs 200 Ki: two different limits
    (200_000, 1_000_000, False),
    (1_500_000, 1_000_000, False),  # 1 significant digit is not enough
    (128_000, 400_000, False),
])
def test_a_rounded_token_limit_states_the_same_figure(a, b, same):
    from kabot_models.figures import same_figure

    assert same_figure("context_window", a, b) is same
    assert same_figure("context_window", b, a) is same


def test_prices_agree_to_precision_but_not_to_rounding():
    from kabot_models.figures import same_figure

    assert same_figure("pricing.cache_write_1m", 0.083333, 0.0833333333)
    assert not same_figure("pricing.input_1m", 1.0, 1.1)
    assert not same_figure("pricing.input_1m", 1_000_000, 1_047_576)  # the limit rule is for limits only


def test_models_dev_file_that_is_a_fifo_or_a_gzip_bomb_is_refused(tmp_path):
    import gzip
    import os

    fifo = tmp_path / "api.json"
    os.mkfifo(fifo)  # reading it would block forever
    result = runner.invoke(app, ["audit", "--against", "models-dev", "--models-dev", str(fifo)])
    assert result.exit_code == 2 and "not a regular file" in result.output, result.output
    bomb = tmp_path / "bomb.json.gz"
    bomb.write_bytes(gzip.compress(b" " * (300 * 2**20)))  # 300 MB of spaces in about 300 KB
    result = runner.invoke(app, ["audit", "--against", "models-dev", "--models-dev", str(bomb)])
    assert result.exit_code == 2 and "unpacks to more than" in result.output, result.output


def test_stats_with_an_unreadable_models_dev_file_is_one_line_exit_2(tmp_path):
    # named on the command line, a bad file is an error, not a silent "not installed"
    for bad, text in ((tmp_path / "list.json", "[1, 2]"), (tmp_path / "broken.json", "{not json")):
        bad.write_text(text)
        result = runner.invoke(app, ["stats", "--json", "--models-dev", str(bad)])
        assert result.exit_code == 2, result.output
        assert "not a models.dev api.json" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["audit", "--against", "models-dev", "--models-dev", str(tmp_path / "list.json")])
    assert result.exit_code == 2 and "a JSON object of providers" in result.output


def test_stats_counts_a_model_past_its_retirement_date_as_retired(monkeypatch, tmp_path):
    # The entry states no status; its retirement date is in the past, so today it is retired and
    # is not among the active chat models whose coverage `stats` reports.
    import copy

    from fixture_catalog import SAMPLE, use_catalog

    files = copy.deepcopy(SAMPLE)
    files["acme"]["models"]["acme-small"]["retirement_date"] = "2020-01-31"
    use_catalog(monkeypatch, tmp_path, files)
    data = json.loads(runner.invoke(app, ["stats", "--json"]).output)
    use_catalog(monkeypatch, tmp_path / "plain", SAMPLE)
    before = json.loads(runner.invoke(app, ["stats", "--json"]).output)
    assert before["active_chat_models"] - data["active_chat_models"] == 1
    assert data["status"]["retired"] == before["status"]["retired"] + 1
    # acme-small had a release date; acme-large keeps its own, so release-date coverage changes
    assert data["coverage_active_chat"]["release_date"] != before["coverage_active_chat"]["release_date"]
