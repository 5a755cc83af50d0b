"""`kabot-models changes`: what the catalog's git history and the scan history say changed."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from scanner_fixtures import FLAVOUR_PROVIDERS, write_catalog, write_provider
from typer.testing import CliRunner

from kabot_models.changes import KINDS, changes, model_changes
from kabot_models.cli import app
from kabot_models.store import SCHEMA_VERSION, Store


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, list(args), env=env)


def git(repo: Path, *args: str, when: str = "2026-11-20T10:00:00+00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


BLOCK = {**FLAVOUR_PROVIDERS["openai"], "api": {"flavor": "openai", "base_url": "https://api.openai.com/v1"}}


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """A git checkout whose catalog had two commits: a baseline, then one of each kind of change."""
    repo = tmp_path / "repo"
    catalog = repo / "catalog"
    write_provider(catalog, "openai", BLOCK, {
        "gpt-a": {"name": "A", "pricing": {"input_1m": 1.0, "output_1m": 2.0}},
        "gpt-c": {"name": "C"},
        "gpt-d": {"name": "D"},
    })
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "baseline", when="2026-11-01T10:00:00+00:00")
    write_provider(catalog, "openai", BLOCK, {
        "gpt-a": {"name": "A", "pricing": {"input_1m": 0.5, "output_1m": 2.0, "cache_read_1m": 0.05}},
        "gpt-b": {"name": "B"},
        "gpt-c": {"name": "C", "status": "retired"},
    })
    write_provider(catalog, "anthropic", {**FLAVOUR_PROVIDERS["anthropic"], "api": {"flavor": "anthropic"}}, {"claude-x": {"name": "X"}})
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "November changes", when="2026-11-20T10:00:00+02:00")
    return catalog


def test_catalog_history_gives_every_kind(history: Path) -> None:
    feed = changes(since="2026-11-15", catalog_dir=history, db=False)
    assert feed["notes"] == [] and feed["since"] == "2026-11-15"
    got = [(c["kind"], c["id"], c["time"], c["source"], c["commit"]["subject"]) for c in feed["changes"]]
    when = "2026-11-20T08:00:00Z"  # the commit's time in UTC
    assert got == [
        ("added", "anthropic/claude-x", when, "catalog", "November changes"),
        ("price_changed", "openai/gpt-a", when, "catalog", "November changes"),
        ("added", "openai/gpt-b", when, "catalog", "November changes"),
        ("retired", "openai/gpt-c", when, "catalog", "November changes"),
        ("removed", "openai/gpt-d", when, "catalog", "November changes"),
    ]
    price = feed["changes"][1]
    assert price["prices"] == {"input_1m": {"before": 1.0, "after": 0.5}, "cache_read_1m": {"before": None, "after": 0.05}}
    assert price["summary"] == "openai/gpt-a repriced in the catalog: input_1m 1 -> 0.5, cache_read_1m - -> 0.05"
    assert {c["kind"] for c in feed["changes"]} <= set(KINDS)
    json.dumps(feed)  # plain data, as the site publishes it


def test_since_and_provider_filter(history: Path) -> None:
    everything = changes(catalog_dir=history, db=False)["changes"]
    assert {c["commit"]["subject"] for c in everything} == {"baseline", "November changes"}
    assert [c["id"] for c in changes(since="2026-11-21", catalog_dir=history, db=False)["changes"]] == []
    only = changes(since="2026-11-15", provider="anthropic", catalog_dir=history, db=False)
    assert only["provider"] == "anthropic" and [c["id"] for c in only["changes"]] == ["anthropic/claude-x"]
    with pytest.raises(ValueError, match="expected a date as YYYY-MM-DD"):
        changes(since="last week", catalog_dir=history, db=False)


def test_the_command(history: Path, tmp_path: Path) -> None:
    env = {"KABOT_MODELS_CATALOG": str(history), "KABOT_MODELS_HOME": str(tmp_path / "home")}
    result = run("changes", "--since", "2026-11-15", "--json", env=env)
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["changes"]) == 5
    assert f"note: no scan history: {tmp_path / 'home' / 'models.db'} does not exist (run kabot-models scan)" in result.stderr
    table = run("changes", "--since", "2026-11-15", "-p", "openai", env=env)
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert any("2026-11-20" in ln and "price changed" in ln and "openai/gpt-a" in ln and "input_1m 1 -> 0.5" in ln for ln in lines)
    assert not any("anthropic" in ln for ln in lines)
    bad = run("changes", "--since", "2026-02-30", env=env)
    assert bad.exit_code == 1 and bad.stderr.strip().splitlines()[-1] == "error: --since '2026-02-30': expected a date as YYYY-MM-DD"


def test_no_git_or_no_checkout_is_one_note(history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = write_catalog(tmp_path / "plain", {})
    feed = changes(catalog_dir=outside, db=False)
    assert feed["changes"] == [] and len(feed["notes"]) == 1
    assert feed["notes"][0].startswith("catalog history unavailable: ") and "not in a git checkout" in feed["notes"][0]
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert changes(catalog_dir=history, db=False)["notes"] == ["catalog history unavailable: git is not installed"]


def test_scan_history(tmp_path: Path) -> None:
    """Three scans of a provider: the first is the baseline, the next two's differences are news."""
    from kabot_models.plugins.base import ScannedModel

    db = tmp_path / "models.db"
    scans = [
        {"m1": {"name": "M1", "pricing": {"input_1m": 1.0}}, "m2": {"name": "M2"}},
        {"m1": {"name": "M1", "pricing": {"input_1m": 0.8}}, "m2": {"name": "M2"}, "m3": {"name": "M3"}},
        {"m1": {"name": "M1", "pricing": {"input_1m": 0.8}, "status": "deprecated"}, "m3": {"name": "M3"}},
    ]
    with Store(db) as store:
        for models in scans:
            store.save_provider(store.begin_run(), "openai", "https://api.openai.com/v1", "2026-12-01T00:00:00Z", 0.1,
                                [ScannedModel(k, v) for k, v in models.items()])
    feed = changes(catalog_dir=write_catalog(tmp_path / "plain", {}), db=db)
    got = sorted((c["kind"], c["id"], c["source"]) for c in feed["changes"])
    assert got == [("added", "openai/m3", "scan"), ("deprecated", "openai/m1", "scan"), ("price_changed", "openai/m1", "scan"),
                   ("removed", "openai/m2", "scan")]
    price = next(c for c in feed["changes"] if c["kind"] == "price_changed")
    assert price["prices"] == {"input_1m": {"before": 1.0, "after": 0.8}}
    assert price["summary"] == "openai/m1 repriced in openai's live list: input_1m 1 -> 0.8"
    assert changes(since="2999-01-01", catalog_dir=tmp_path / "plain", db=db)["changes"] == []


def test_a_version_1_database_gets_its_history_backfilled(tmp_path: Path) -> None:
    """Migration 1 -> 2: models first seen after the provider's first scan were added; gone ones were removed."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    from kabot_models.store import MIGRATIONS

    conn.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    conn.executescript("""
        INSERT INTO scan_runs (id, started_at) VALUES (1, '2026-11-01T00:00:00Z');
        INSERT INTO provider_scans (id, run_id, provider, base_url, status, started_at, seconds) VALUES (1, 1, 'openai', '', 'ok', '2026-11-01T00:00:00Z', 0);
        INSERT INTO scanned_models VALUES ('openai', 'old', '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', 1, NULL, '{"name": "Old"}', NULL);
        INSERT INTO scanned_models VALUES ('openai', 'new', '2026-11-02T00:00:00Z', '2026-11-02T00:00:00Z', 1, NULL, '{"name": "New"}', NULL);
        INSERT INTO scanned_models VALUES ('openai', 'gone', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', 1, '2026-11-02T00:00:00Z', '{}', NULL);
    """)
    conn.close()
    with Store(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        history = [(h["kind"], h["api_id"], h["at"]) for h in store.history()]
    assert history == [("added", "new", "2026-11-02T00:00:00Z"), ("removed", "gone", "2026-11-02T00:00:00Z")]


@pytest.mark.parametrize("before, after, expected", [
    ({"a": {}}, {"a": {}}, []),
    ({}, {"a": {"name": "A"}}, [("a", "added", {"name": "A"})]),
    ({"a": "junk"}, {"a": {"deprecation_date": "2026-01-01"}}, [("a", "deprecated", {"name": None, "status": "deprecated"})]),
    ({"a": {"status": "deprecated"}}, {"a": {"status": "retired"}}, [("a", "retired", {"name": None, "status": "retired"})]),
    ({"a": {"pricing": {"input_1m": "1"}}}, {"a": {"pricing": {"input_1m": True}}}, []),  # not numbers on either side: no news
    ({"a": {"pricing": [1]}}, {"a": {"pricing": {"output_1m": 3}}}, [("a", "price_changed", {"name": None, "prices": {"output_1m": {"before": None, "after": 3}}})]),
])
def test_model_changes(before: dict, after: dict, expected: list) -> None:
    assert model_changes(before, after) == expected
