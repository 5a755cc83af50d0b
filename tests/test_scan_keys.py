"""Keys: a public list endpoint is scanned without one; a key given goes only to its provider's host.

Two stand-in servers on 127.0.0.1 (different ports, so different origins) play two providers; each
request they receive is checked for whose key it carried.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from scanner_fixtures import FLAVOUR_PROVIDERS, serve_flavour, write_catalog
from typer.testing import CliRunner

from kabot_models.catalog import default_catalog_dir
from kabot_models.cli import app
from kabot_models.loader import load_registry
from kabot_models.scanner import plan_scan

OPENROUTER_KEY = "sk-or-v1-isolation-test-0001"
OPENAI_KEY = "sk-openai-isolation-test-0002"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("KABOT_MODELS_HOME", str(home))
    for name in ("OPENROUTER_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def second_server() -> Any:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    server.stop()


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, list(args), env=env)


def auth_headers(server: HTTPServer) -> list[str]:
    """The Authorization (or x-api-key) header of every request `server` received ("" when none)."""
    return [req.headers.get("Authorization") or req.headers.get("x-api-key") or "" for req, _ in server.log]


def test_the_real_catalogs_openrouter_needs_no_key_to_scan() -> None:
    registry = load_registry(default_catalog_dir(), db=False)
    [target] = plan_scan(registry, ["openrouter"], env={}, credentials={}, config={})
    assert target.problem is None and target.key is None
    assert "openrouter" in [t.id for t in plan_scan(registry, env={}, credentials={}, config={})]  # a default scan takes it too
    [named] = plan_scan(registry, ["openai"], env={}, credentials={}, config={})
    assert named.problem and "no API key" in named.problem  # a provider whose list needs a key still says so


def test_openrouter_scans_without_a_key(httpserver: HTTPServer, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert FLAVOUR_PROVIDERS["openrouter"]["auth"].get("required", True)  # the catalog says chat needs a key; listing does not
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(write_catalog(tmp_path / "catalog", {"openrouter": serve_flavour(httpserver, "openrouter")})))
    result = run("scan", "-p", "openrouter", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["providers"][0]["seen"] == 4
    assert auth_headers(httpserver) == [""]


def test_a_key_goes_only_to_its_own_host(httpserver: HTTPServer, second_server: HTTPServer, tmp_path: Path, home: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    openrouter = serve_flavour(httpserver, "openrouter")
    openai = serve_flavour(second_server, "openai")
    assert openrouter.split("/")[2] != openai.split("/")[2]  # two origins: the same host, another port
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(write_catalog(tmp_path / "catalog", {"openrouter": openrouter, "openai": openai})))
    result = run("scan", "-p", "openrouter", "-p", "openai", "--details", "--json",
                 env={"OPENROUTER_API_KEY": OPENROUTER_KEY, "OPENAI_API_KEY": OPENAI_KEY})
    assert result.exit_code == 0, result.output
    assert [p["status"] for p in json.loads(result.stdout)["providers"]] == ["ok", "ok"]
    # the list and every per-model endpoints request went to OpenRouter's host, with OpenRouter's key only
    assert len(httpserver.log) == 1 + 4
    assert set(auth_headers(httpserver)) == {f"Bearer {OPENROUTER_KEY}"}
    assert auth_headers(second_server) == [f"Bearer {OPENAI_KEY}"]
    everything = "".join(str(req.headers) + req.url for req, _ in [*httpserver.log, *second_server.log])
    assert OPENAI_KEY not in "".join(str(req.headers) for req, _ in httpserver.log)
    assert OPENROUTER_KEY not in "".join(str(req.headers) for req, _ in second_server.log)
    assert OPENROUTER_KEY in everything  # the check above is not vacuous


def test_openrouter_endpoints_only_when_asked(httpserver: HTTPServer, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(write_catalog(tmp_path / "catalog", {"openrouter": serve_flavour(httpserver, "openrouter")})))

    def reasoner() -> dict[str, Any]:
        models = {m["id"]: m for m in json.loads(run("list", "--provider", "openrouter", "--json").stdout)}
        return models["openrouter/vendor/reasoner-scan-only"]

    assert run("scan", "-p", "openrouter").exit_code == 0
    assert len(httpserver.log) == 1  # the list only
    before = reasoner()
    assert before.get("max_output") is None  # the list's top provider gives none
    assert before["capabilities"] == ["json_mode", "prompt_caching", "reasoning", "tool_use", "vision"]
    assert before["pricing"] == {"input_1m": 1.0, "output_1m": 5.0, "cache_read_1m": 0.1, "cache_write_1m": 1.25, "reasoning_1m": 5.0}
    assert before["knowledge_cutoff"] == "2026-06"

    assert run("scan", "-p", "openrouter", "--details").exit_code == 0
    assert len(httpserver.log) == 1 + 1 + 4
    after = reasoner()
    assert after["max_output"] == 64000  # the largest any host serves
    assert after["capabilities"] == ["json_mode", "prompt_caching", "reasoning", "structured_output", "tool_use", "vision"]


def test_a_failed_endpoints_request_keeps_the_listed_model(httpserver: HTTPServer, tmp_path: Path, home: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Details asked for on top of the list are optional: a model whose endpoints page fails keeps what the list said."""
    httpserver.expect_request("/api/v1/models/vendor/reasoner-scan-only/endpoints").respond_with_json({"error": {"message": "gone"}}, status=404)
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(write_catalog(tmp_path / "catalog", {"openrouter": serve_flavour(httpserver, "openrouter")})))
    result = run("scan", "-p", "openrouter", "--details", "--json")
    assert result.exit_code == 0, result.output
    [report] = json.loads(result.stdout)["providers"]
    assert report["status"] == "ok" and report["seen"] == 4 and report["details_failed"] == 1
    table = run("scan", "-p", "openrouter", "--details")
    assert "1 detail requests failed" in table.stdout


def test_a_default_scan_skips_a_public_list_it_cannot_reach(tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Nobody set OpenRouter up: its public list is tried, and an unreachable server (here a port
    # nothing listens on; offline, its real host) is skipped, never a failed scan.
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(write_catalog(tmp_path / "catalog", {"openrouter": "http://127.0.0.1:9/api/v1"})))
    result = run("scan", "--json")
    assert result.exit_code == 0, result.output
    [row] = [p for p in json.loads(result.stdout)["providers"] if p["provider"] == "openrouter"]
    assert row["status"] == "skipped" and "cannot connect" in row["reason"]
    named = run("scan", "-p", "openrouter")  # asked for by name, the same failure is an error
    assert named.exit_code == 1 and "cannot connect" in named.output
