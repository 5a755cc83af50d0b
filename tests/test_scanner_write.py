"""`scan --diff` (live lists against the catalog) and `scan --write` (proposed entries in the provider's YAML)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from scanner_fixtures import make_httpserver  # noqa: F401
from typer.testing import CliRunner

from kabot_models.catalog import validate_catalog
from kabot_models.cli import app
from kabot_models.loader import load_registry

OPENAI_YAML = """\
# yaml-language-server: $schema=../../schemas/provider.schema.json
# OpenAI: curated by hand; keep the flagship first.
provider:
  name: OpenAI
  api: {base_url: "BASE", flavor: openai}
  auth: {env: [OPENAI_API_KEY]}
models:
  # the flagship
  gpt-4o:
    name: GPT-4o
    context_window: 128000  # from the model page
    max_output: 16384
    pricing: {input_1m: 2.5, output_1m: 10.0}
    aliases: [gpt4o]
  gpt-3.5-turbo:
    name: GPT-3.5 Turbo
    context_window: 16385
"""

LIVE = {"data": [
    {"id": "gpt-4o", "created": 1715367049, "context_window": 131072, "max_completion_tokens": 16384},
    {"id": "gpt-5-local-only", "created": 1764115200, "context_window": 400000, "max_completion_tokens": 128000},
    {"id": "text-embedding-3-small", "created": 1705948997},
]}


@pytest.fixture
def catalog(httpserver: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "catalog"
    (root / "providers").mkdir(parents=True)
    (root / "providers" / "openai.yaml").write_text(OPENAI_YAML.replace("BASE", httpserver.url_for("/v1")), encoding="utf-8")
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(root))
    monkeypatch.setenv("KABOT_MODELS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-write-test-0001")
    return root


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_diff_reports_new_gone_and_differing(httpserver: Any, catalog: Path) -> None:
    httpserver.expect_request("/v1/models").respond_with_json(LIVE)
    result = run("scan", "--diff", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["diff"] == [{
        "provider": "openai",
        "new": ["gpt-5-local-only", "text-embedding-3-small"],
        "gone": ["gpt-3.5-turbo"],
        "differs": [{"id": "openai/gpt-4o", "field": "context_window", "catalog": 128000, "live": 131072}],
    }]
    text = run("scan", "--diff").stdout
    assert "openai: 2 served but not in the catalog, 1 in the catalog but not served, 1 differing figure(s)" in text
    header = text.splitlines()[0].split("  ")
    assert "new since last scan" in [h.strip() for h in header]  # not a bare "new" next to the diff's count
    assert "\u2501" not in text and "\u2502" not in text  # piped: plain columns, no box drawing
    assert "  ~ openai/gpt-4o context_window: catalog 128000, live 131072" in text
    assert "  - openai/gpt-3.5-turbo  (in the catalog, not served)" in text


def test_diff_compares_prices_exactly(httpserver: Any, catalog: Path, tmp_path: Path) -> None:
    """OpenRouter's per-token strings become the catalog's per-1M figures without float noise: 2.5 equals 2.5."""
    from scanner_fixtures import FLAVOUR_PROVIDERS, write_provider

    block = {**FLAVOUR_PROVIDERS["openrouter"], "api": {"flavor": "openrouter", "base_url": httpserver.url_for("/api/v1")}}
    write_provider(catalog, "openrouter", block, {"openai/gpt-4o": {"name": "GPT-4o", "pricing": {"input_1m": 2.5, "output_1m": 12.0}}})
    httpserver.expect_request("/api/v1/models").respond_with_json({"data": [
        {"id": "openai/gpt-4o", "pricing": {"prompt": "0.0000025", "completion": "0.00001"}}]})
    result = run("scan", "--provider", "openrouter", "--diff", "--json")
    assert json.loads(result.stdout)["diff"][0]["differs"] == [
        {"id": "openrouter/openai/gpt-4o", "field": "pricing.output_1m", "catalog": 12.0, "live": 10.0}]


def test_write_adds_reviewable_entries_and_keeps_the_file(httpserver: Any, catalog: Path) -> None:
    httpserver.expect_request("/v1/models").respond_with_json(LIVE)
    path = catalog / "providers" / "openai.yaml"
    before = path.read_text(encoding="utf-8")
    result = run("scan", "--write")
    assert result.exit_code == 0, result.output
    assert f"openai: wrote 2 scanned model(s) into {path} for review" in result.stdout
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)  # comments, order, flow style and quoting untouched
    today = dt.date.today().isoformat()
    added = after[len(before):]
    assert added.count(f"# scanned {today}, review") == 2
    assert "&id" not in added and "*id" not in added  # no YAML anchors for values that merely repeat
    assert "  gpt-5-local-only:\n    name: gpt-5-local-only\n    context_window: 400000\n    max_output: 128000\n    release_date: 2025-11-26\n" in added
    assert "  text-embedding-3-small:\n    name: text-embedding-3-small\n    mode: embedding\n" in added
    assert added.count("\n    review: scan\n") == 2
    compiled, issues = validate_catalog(catalog)
    assert issues == [] and compiled is not None
    proposed = load_registry(catalog, db=False).record("openai/gpt-5-local-only")
    assert proposed["field_sources"]["context_window"] == "catalog" and proposed["review"] == "scan"
    again = run("scan", "--diff", "--json")
    assert json.loads(again.stdout)["diff"][0]["new"] == []


def test_write_that_would_not_validate_changes_nothing(httpserver: Any, catalog: Path) -> None:
    """A live model named like a catalog alias would hide it; the file is restored and the reason given."""
    httpserver.expect_request("/v1/models").respond_with_json({"data": [{"id": "gpt-4o"}, {"id": "gpt4o"}]})
    path = catalog / "providers" / "openai.yaml"
    before = path.read_bytes()
    result = run("scan", "--write")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: the proposed entries do not validate, nothing written: ")
    assert "alias 'gpt4o'" in result.stderr
    assert path.read_bytes() == before
    assert not list(path.parent.glob("*.tmp"))
