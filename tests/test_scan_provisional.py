"""A model that appears in a scan today can be called today: it resolves, LiteLLM gets its string,
and `list`, `show` and `--json` mark it provisional with when the scan saw it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from scanner_fixtures import serve_flavour, write_catalog
from typer.testing import CliRunner

from kabot_models.cli import app
from kabot_models.loader import load_registry


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, list(args), env=env)


@pytest.fixture
def scanned(httpserver: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Anthropic's stand-in scanned into a fresh home; returns the scan database."""
    home = tmp_path / "home"
    monkeypatch.setenv("KABOT_MODELS_HOME", str(home))
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-provisional-0001")
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(write_catalog(tmp_path / "catalog", {"anthropic": serve_flavour(httpserver, "anthropic")})))
    before = run("resolve", "claude-scan-only-1")
    assert before.exit_code == 1  # unknown until the scan
    result = run("scan", "-p", "anthropic")
    assert result.exit_code == 0, result.output
    return home / "models.db"


def test_callable_right_after_the_scan(scanned: Path) -> None:
    registry = load_registry(db=scanned)
    assert registry.resolve("claude-scan-only-1") == "anthropic/claude-scan-only-1"  # its short id: no one else's name
    assert registry.resolve("anthropic/claude-scan-only-1") == "anthropic/claude-scan-only-1"
    assert registry.resolve("sonnet") == "anthropic/claude-sonnet-4-5"  # the catalog's names keep their meaning
    model = registry.get("claude-scan-only-1")
    assert model is not None and model.provisional and model.origin == "scan"
    assert model.context_window == 200000 and model.max_output == 64000
    assert model.scanned is not None and model.scanned.first_seen.endswith("Z")
    catalog_model = registry.get("sonnet")
    assert catalog_model is not None and not catalog_model.provisional and catalog_model.scanned is None

    from kabot_models import litellm as bridge

    route = bridge.route("claude-scan-only-1", registry=registry)
    assert route.model == "anthropic/claude-scan-only-1"
    response = bridge.completion("claude-scan-only-1", [{"role": "user", "content": "hi"}], registry=registry, mock_response="hello")
    assert response.choices[0].message.content == "hello"


def test_marked_provisional_in_list_show_and_json(scanned: Path) -> None:
    listing = {m["id"]: m for m in json.loads(run("list", "--provider", "anthropic", "--json").stdout)}
    new = listing["anthropic/claude-scan-only-1"]
    assert new["provisional"] is True and new["origin"] == "scan" and set(new["field_sources"].values()) == {"scan"}
    assert set(new["scanned"]) == {"first_seen", "last_seen"}
    assert listing["anthropic/claude-sonnet-4-5"].get("provisional") in (None, False)

    table = run("list", "--provider", "anthropic").stdout
    row = next(line for line in table.splitlines() if "claude-scan-only-1" in line)
    assert "provisional" in row

    shown = json.loads(run("show", "claude-scan-only-1", "--json").stdout)
    assert shown["provisional"] is True and shown["scanned"] == new["scanned"]
    text = run("show", "claude-scan-only-1").stdout
    assert "provisional: True" in text and "context_window: 200,000 tokens  (scan)" in text and "scanned.first_seen: " in text, text


def test_sync_scan_write_proposes_it_for_review(scanned: Path, tmp_path: Path) -> None:
    from kabot_models.catalog import validate_catalog

    import shutil

    catalog = tmp_path / "catalog"
    shutil.copy(Path(__file__).parent.parent / "catalog" / "sync.yaml", catalog / "sync.yaml")  # the catalog's source preferences
    result = run("sync", "scan", str(scanned), "-p", "anthropic", "--write", "--catalog", str(catalog))
    assert result.exit_code == 0, result.output
    text = (catalog / "providers" / "anthropic.yaml").read_text(encoding="utf-8")
    entry = text[text.index("  claude-scan-only-1:"):]
    assert "\n    review: scan\n" in entry and "method: scan" in entry and "context_window: 200000" in entry
    compiled, issues = validate_catalog(catalog)
    assert issues == [] and compiled is not None
    record = load_registry(catalog, db=False).record("anthropic/claude-scan-only-1")
    assert record["review"] == "scan" and not record.get("provisional")
