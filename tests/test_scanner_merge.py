"""Scan results merged under the catalog: curated figures win, the scan fills gaps and adds what it alone knows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from scanner_fixtures import write_catalog

from kabot_models.plugins.base import ScannedModel
from kabot_models.loader import load_registry
from kabot_models.store import Store, now


def scanned(db_path: Path, provider: str, entries: dict[str, dict[str, Any]]) -> Path:
    """Store one successful scan of `provider` listing `entries` ({api_id: fields})."""
    with Store(db_path) as db:
        run = db.begin_run()
        db.save_provider(run, provider, "https://example.invalid/v1", now(), 0.1, [ScannedModel(k, v, {}) for k, v in entries.items()])
    return db_path


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    return write_catalog(tmp_path / "catalog", {"openai": "https://api.openai.com/v1", "anthropic": "https://api.anthropic.com"})


def test_catalog_figures_win_and_gaps_are_filled(tmp_path: Path, catalog: Path) -> None:
    db = scanned(tmp_path / "models.db", "openai", {
        "gpt-4o": {"context_window": 131072, "max_output": 4096, "release_date": "2024-05-13", "capabilities": ["vision"], "status": "deprecated"},
    })
    rec = load_registry(catalog, db=db).record("openai/gpt-4o")
    assert rec is not None
    assert (rec["context_window"], rec["max_output"]) == (128000, 16384)  # curated, untouched
    assert rec["field_sources"]["context_window"] == "catalog"
    assert rec["release_date"] == "2024-05-13" and rec["field_sources"]["release_date"] == "scan"
    assert rec["capabilities"] == ["vision"] and rec["field_sources"]["capabilities"] == "scan"
    assert rec["status"] == "deprecated" and rec["field_sources"]["status"] == "scan"  # the catalog left status at its default
    assert rec["served"] is True


def test_served_only_for_scanned_providers(tmp_path: Path, catalog: Path) -> None:
    registry = load_registry(catalog, db=scanned(tmp_path / "models.db", "openai", {"gpt-4o": {}}))
    assert registry.record("openai/gpt-3.5-turbo")["served"] is False
    assert "served" not in registry.record("anthropic/claude-sonnet-4-5")
    assert registry.model("openai/gpt-3.5-turbo").served is False
    assert registry.model("anthropic/claude-sonnet-4-5").served is None


def test_scan_only_model_is_added_with_origin_scan(tmp_path: Path, catalog: Path) -> None:
    db = scanned(tmp_path / "models.db", "openai", {"o9-preview": {"name": "o9 preview", "context_window": 400000, "mode": "responses"}})
    registry = load_registry(catalog, db=db)
    model = registry.model("openai/o9-preview")
    assert (model.origin, model.served, model.name, model.context_window, model.mode) == ("scan", True, "o9 preview", 400000, "responses")
    assert set(model.field_sources.values()) == {"scan"}
    assert registry.lookup("o9-preview") == "openai/o9-preview"


def test_scan_aliases_are_never_merged(tmp_path: Path, catalog: Path) -> None:
    db = scanned(tmp_path / "models.db", "openai", {
        "mistral-ish-2411": {"aliases": ["gpt4o", "mistral-ish-latest", "fresh-alias", "mistral-ish-2411"]},
        "mistral-ish-latest": {},
        "gpt-3.5-turbo": {"aliases": ["turbo"]},  # a catalog model without aliases: the scan does not give it any
    })
    registry = load_registry(catalog, db=db)
    assert registry.lookup("gpt4o") == "openai/gpt-4o"  # a catalog alias stays the catalog's
    assert registry.lookup("mistral-ish-latest") == "openai/mistral-ish-latest"  # another scanned model's own id
    assert "aliases" not in registry.record("openai/mistral-ish-2411")
    assert registry.lookup("fresh-alias") is None and registry.lookup("turbo") is None
    assert "aliases" not in registry.record("openai/gpt-3.5-turbo")
    with Store(db) as store:  # the provider's aliases stay in the database, as the scan's own data
        assert {m["api_id"]: m["fields"].get("aliases") for m in store.latest().models}["mistral-ish-2411"] == [
            "gpt4o", "mistral-ish-latest", "fresh-alias", "mistral-ish-2411"]


def test_unknown_provider_in_the_database_is_ignored(tmp_path: Path, catalog: Path) -> None:
    registry = load_registry(catalog, db=scanned(tmp_path / "models.db", "gone-provider", {"x": {}}))
    assert "gone-provider/x" not in registry
    assert len(registry) == 3


def test_db_false_and_missing_db(tmp_path: Path, catalog: Path) -> None:
    db = scanned(tmp_path / "models.db", "openai", {"only-live": {}})
    assert "openai/only-live" not in load_registry(catalog, db=False)
    assert "openai/only-live" not in load_registry(catalog, db=tmp_path / "absent.db")
    assert not (tmp_path / "absent.db").exists()
    assert "openai/only-live" in load_registry(catalog, db=db)


def test_default_db_is_the_users_and_absent_means_no_sqlite(tmp_path: Path, catalog: Path) -> None:
    home = tmp_path / "home"
    code = ("import sys; from kabot_models.loader import load_registry; r = load_registry(); "
            "print('openai/only-live' in r, 'kabot_models.store' in sys.modules)")  # the catalog snapshot is SQLite too
    env = {**os.environ, "KABOT_MODELS_HOME": str(home), "KABOT_MODELS_CATALOG": str(catalog)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]
    scanned(home / "models.db", "openai", {"only-live": {}})
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True", "True"]


def test_show_prints_scanned_text_literally(tmp_path: Path, catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A provider's model name is data: Rich markup in it is printed as written, never interpreted."""
    from typer.testing import CliRunner

    from kabot_models.cli import app

    monkeypatch.setenv("KABOT_MODELS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(catalog))
    scanned(tmp_path / "home" / "models.db", "openai", {"odd": {"name": "Odd [/] [bold]model"}})
    result = CliRunner().invoke(app, ["show", "openai/odd"])
    assert result.exit_code == 0, result.exception
    assert "name: Odd [/] [bold]model" in result.stdout
