"""The security review's findings on `kabot-models scan`, each fed its bad input against a real server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sqlite3
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from scanner_fixtures import OPENAI_LIST, write_catalog, write_provider
from typer.testing import CliRunner

from kabot_models.cli import app
from kabot_models.errors import StoreError
from kabot_models.paths import config_path
from kabot_models.plugins.base import ScannedModel
from kabot_models.loader import load_registry
from kabot_models.scanner import KeyMask, Limits, Target, clean_fields, run_scan, scan_all, valid_id
from kabot_models.store import Store, now

KEY = "sk-proj-securitytest-0123456789abcdef"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty KABOT_MODELS_HOME and no provider keys from the outer environment."""
    home = tmp_path / "home"
    monkeypatch.setenv("KABOT_MODELS_HOME", str(home))
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "DEEPSEEK_API_KEY", "OPENROUTER_API_KEY", "MY_DS_KEY"):
        monkeypatch.delenv(name, raising=False)
    return home


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, list(args), env=env)


def db_bytes(home: Path) -> bytes:
    """Everything SQLite wrote: the database and its write-ahead log."""
    return b"".join(p.read_bytes() for p in (home / "models.db", home / "models.db-wal") if p.exists())


def provider_scans(home: Path) -> list[dict[str, Any]]:
    with Store(home / "models.db") as store:
        return store.provider_scans()


# --- 1. a provider's list cannot take over names ------------------------------------------------

LOCAL = {"name": "LM Studio", "kind": "local", "api": {"flavor": "openai"}, "auth": {"required": False}}
# flavor none: a default scan must not reach for the internet
GATEWAY = {"name": "OpenRouter", "kind": "gateway", "api": {"flavor": "none", "base_url": "https://openrouter.ai/api/v1"},
           "auth": {"env": ["OPENROUTER_API_KEY"], "required": False}}
ANTHROPIC = {"name": "Anthropic", "api": {"flavor": "anthropic", "base_url": "https://api.anthropic.com"}, "auth": {"env": ["ANTHROPIC_API_KEY"]}}


@pytest.fixture
def takeover_catalog(tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    """openai, anthropic (with dated snapshots), a gateway carrying copies, and a key-less local server on `httpserver`."""
    root = write_catalog(tmp_path / "catalog", {})
    write_provider(root, "anthropic", ANTHROPIC, {
        "claude-3-5-sonnet-20240620": {"name": "Claude 3.5 Sonnet (June)", "aliases": ["sonnet"]},
        "claude-3-5-sonnet-20241022": {"name": "Claude 3.5 Sonnet (October)"},
    })
    write_provider(root, "openrouter", {**GATEWAY, "aliases": ["or"]}, {
        "anthropic/claude-gw-only": {"name": "Claude only on the gateway"},
    })
    write_provider(root, "lmstudio", {**LOCAL, "api": {**LOCAL["api"], "base_url": httpserver.url_for("/v1")}})
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(root))
    return root


#: Names the catalog gives, by every rule (alias, short id, full id, forgiving case and dates, pass-through).
CATALOG_NAMES = ["gpt-4o", "gpt4o", "sonnet", "GPT_4o", "claude-3-5-sonnet", "Claude-3.5-Sonnet-20241022",
                 "anthropic/claude-gw-only", "openai/gpt-9-unlisted", "gpt-3.5-turbo"]


def test_scanned_aliases_and_ids_never_take_over_a_name(httpserver: HTTPServer, home: Path, takeover_catalog: Path) -> None:
    before = {n: load_registry(takeover_catalog, db=False).resolve(n) for n in CATALOG_NAMES}
    assert before["anthropic/claude-gw-only"] == "openrouter/anthropic/claude-gw-only"
    httpserver.expect_request("/v1/models").respond_with_json({"data": [
        {"id": "evil", "aliases": ["gpt-4o", "gpt4o", "sonnet", "claude-3-5-sonnet", "brand-new-name"]},
        {"id": "gpt-4o"},                          # a catalog short id
        {"id": "gpt_4o"},                          # a forgiving spelling of one
        {"id": "claude-3-5-sonnet-20991231"},      # a "newer" dated snapshot
        {"id": "openai/gpt-9-unlisted"},           # another provider's pass-through name
        {"id": "own-model"},                       # a name nobody uses: fine to take
    ]})
    result = run("scan")  # the local server needs no key, so a default scan asks it
    assert result.exit_code == 0, result.output
    registry = load_registry(takeover_catalog)
    assert {n: registry.resolve(n) for n in CATALOG_NAMES} == before
    for name in CATALOG_NAMES:
        assert run("resolve", name).stdout.strip() == before[name]
    assert "aliases" not in registry.record("lmstudio/evil")
    assert registry.lookup("brand-new-name") is None  # a provider's alias is no name at all
    # The scan-only models are all there, each by its full id; a name nobody used is theirs too.
    assert {f"lmstudio/{i}" for i in ("evil", "gpt-4o", "gpt_4o", "claude-3-5-sonnet-20991231", "openai/gpt-9-unlisted")} <= set(registry.ids())
    assert registry.resolve("lmstudio/gpt-4o") == "lmstudio/gpt-4o"
    assert registry.resolve("own-model") == registry.resolve("evil").replace("evil", "own-model") == "lmstudio/own-model"


def test_a_scan_only_model_whose_full_id_names_a_catalog_model_is_left_out(tmp_path: Path, home: Path, takeover_catalog: Path) -> None:
    with Store(tmp_path / "scan.db") as store:
        store.save_provider(store.begin_run(), "anthropic", "https://api.anthropic.com", now(), 0.1,
                            [ScannedModel("claude-gw-only", {}, {}), ScannedModel("claude-fresh", {}, {})])
    registry = load_registry(takeover_catalog, db=tmp_path / "scan.db")
    assert registry.resolve("anthropic/claude-gw-only") == "openrouter/anthropic/claude-gw-only"
    assert registry.record("anthropic/claude-gw-only") is None
    assert registry.resolve("claude-fresh") == "anthropic/claude-fresh"


# --- 2. a secret in --base-url is neither stored nor printed --------------------------------------

@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/v1?api_key=SECRET-IN-QUERY-123",
    "http://user:SECRET-PASSWORD-123@127.0.0.1:9/v1",
    "http://127.0.0.1:9/v1#SECRET-FRAGMENT-123",
    "user:SECRET-NO-SCHEME-123@127.0.0.1/v1",
])
def test_secret_in_base_url_is_not_stored_or_printed(tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(write_catalog(tmp_path / "catalog", {})))
    result = run("scan", "-p", "openai", "--base-url", url, "--json", env={"OPENAI_API_KEY": KEY})
    assert result.exit_code == 1
    report = json.loads(result.stdout)["providers"][0]
    assert report["status"] == "failed" and report["base_url"] == ""
    assert "SECRET" not in result.output
    assert b"SECRET" not in db_bytes(home)
    assert provider_scans(home)[0]["base_url"] == ""


# --- 3. the user config's api_base and key_env --------------------------------------------------

def test_scan_uses_the_config_api_base_and_key_env(tmp_path: Path, home: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog_host = HTTPServer(host="127.0.0.1", port=0)  # stands for the catalog's host: it must hear nothing
    catalog_host.expect_request("/v1/models").respond_with_json(OPENAI_LIST)
    catalog_host.start()
    try:
        root = write_catalog(tmp_path / "catalog", {})
        write_provider(root, "deepseek", {"name": "DeepSeek", "api": {"flavor": "openai", "base_url": catalog_host.url_for("/v1")},
                                          "auth": {"env": ["DEEPSEEK_API_KEY"]}})
        monkeypatch.setenv("KABOT_MODELS_CATALOG", str(root))
        httpserver.expect_request("/proxy/v1/models", headers={"Authorization": f"Bearer {KEY}"}).respond_with_json({"data": [{"id": "ds-proxied"}]})
        config_path().parent.mkdir(parents=True, exist_ok=True)
        config_path().write_text(f"providers:\n  deepseek:\n    api_base: {httpserver.url_for('/proxy/v1')}\n    key_env: MY_DS_KEY\n")
        env = {"MY_DS_KEY": KEY, "DEEPSEEK_API_KEY": "sk-the-catalog-variable-is-not-used"}

        result = run("scan", "-p", "deepseek", "--json", env=env)
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["providers"][0]["base_url"] == httpserver.url_for("/proxy/v1")
        assert "deepseek/ds-proxied" in load_registry(root)
        default = run("scan", "--json", env=env)  # a default scan finds it configured through key_env
        assert [p["provider"] for p in json.loads(default.stdout)["providers"]] == ["deepseek"]
        assert catalog_host.log == []

        wins = run("scan", "-p", "deepseek", "--base-url", catalog_host.url_for("/v1"), env=env)  # --base-url still wins
        assert wins.exit_code == 0, wins.output
        assert len(catalog_host.log) == 1
    finally:
        catalog_host.stop()


# --- 4. how many models one provider may list ---------------------------------------------------

def local_target(url: str, flavor: str = "openai") -> Target:
    return Target({"id": "lmstudio", "kind": "local", "api": {"flavor": flavor, "base_url": url}, "auth": {"required": False}}, url)


def test_too_many_models_fails_and_stores_nothing(tmp_path: Path, httpserver: HTTPServer) -> None:
    db = tmp_path / "models.db"
    httpserver.expect_ordered_request("/v1/models").respond_with_json({"data": [{"id": "kept-from-before"}]})
    httpserver.expect_ordered_request("/v1/models").respond_with_json({"data": [{"id": f"m-{i}"} for i in range(6)]})
    limits = Limits(max_models=5)
    assert run_scan([local_target(httpserver.url_for("/v1"))], db, limits=limits)[0].status == "ok"
    [result] = run_scan([local_target(httpserver.url_for("/v1"))], db, limits=limits)
    assert result.status == "failed"
    assert result.reason == "lists more than 5 models (the limit per provider, scanner.Limits.max_models); nothing stored"
    with Store(db) as store:
        assert [m["api_id"] for m in store.latest().models] == ["kept-from-before"]
    assert Limits().max_models == 20_000


def test_ollama_detail_requests_are_bounded_by_max_models(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/tags").respond_with_json({"models": [{"name": f"m{i}:latest"} for i in range(6)]})
    httpserver.expect_request("/api/show", method="POST").respond_with_json({"model_info": {}})
    [result] = asyncio.run(scan_all([local_target(httpserver.url_for("/"), "ollama")], limits=Limits(max_models=5)))
    assert result.status == "failed" and "more than 5 models" in (result.reason or "")
    assert [r.path for r, _ in httpserver.log] == ["/api/tags"]  # no detail request was sent


# --- 5. pieces of the key are masked too --------------------------------------------------------

@pytest.fixture
def keyed(tmp_path: Path, home: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> HTTPServer:
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(write_catalog(tmp_path / "catalog", {"openai": httpserver.url_for("/v1")})))
    return httpserver


def assert_no_piece_of_key(text: str | bytes) -> None:
    data = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    pieces = [KEY[i:i + 8] for i in range(len(KEY) - 7)]
    assert not [p for p in pieces if p in data]


def test_a_401_echoing_most_of_the_key_is_masked(keyed: HTTPServer, home: Path) -> None:
    keyed.expect_request("/v1/models").respond_with_json({"error": {"message": f"Incorrect API key provided: {KEY[:-1]}"}}, status=401)
    result = run("scan", "-p", "openai", env={"OPENAI_API_KEY": KEY})
    assert result.exit_code == 1
    assert "error: openai: HTTP 401 Unauthorized: the key from OPENAI_API_KEY was rejected: Incorrect API key provided: ****" in result.stderr
    assert_no_piece_of_key(result.output)
    assert_no_piece_of_key(provider_scans(home)[0]["reason"])
    assert_no_piece_of_key(db_bytes(home))


def test_a_key_served_back_as_model_data_is_masked(keyed: HTTPServer, home: Path) -> None:
    keyed.expect_request("/v1/models").respond_with_json({"data": [
        {"id": "echo", "name": KEY, "description": f"key {KEY[3:20]} tail", "owned_by": KEY[:-2], "aliases": [KEY.lower()[:12]]},
        {"id": f"model-{KEY[8:20]}"},  # an id holding a piece of the key is skipped: an id cannot be masked
    ]})
    result = run("scan", "-p", "openai", "--json", env={"OPENAI_API_KEY": KEY})
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["providers"][0]["skipped"] == 1
    assert_no_piece_of_key(db_bytes(home))
    with sqlite3.connect(home / "models.db") as conn:
        fields, raw = conn.execute("SELECT fields, raw FROM scanned_models WHERE api_id = 'echo'").fetchone()
    assert json.loads(fields)["name"] == "sk-...cdef" and json.loads(fields)["description"] == "key **** tail"
    assert json.loads(raw)["owned_by"] == "****"
    shown = run("show", "openai/echo", env={"OPENAI_API_KEY": KEY})
    assert shown.exit_code == 0, shown.output
    assert_no_piece_of_key(shown.output)


def test_key_mask_spans() -> None:
    mask = KeyMask("abcdefghijklmnop")
    assert mask.text("x abcdefghijklmnop y") == "x ...mnop y"
    assert mask.text("x abcdefghijklmno y bcdefghi z") == "x **** y **** z"
    assert mask.text("abcdefg and hijklmn") == "abcdefg and hijklmn"  # 7-character pieces are not the key's
    assert mask.value({"a": ["zzabcdefghzz", 3], "bcdefghij": None}) == {"a": ["zz****zz", 3], "****": None}


# --- 6. a deadline per provider -----------------------------------------------------------------

def test_retry_after_cannot_hold_a_provider_past_its_deadline(keyed: HTTPServer, home: Path) -> None:
    keyed.expect_request("/v1/models").respond_with_json({"error": "busy"}, status=429, headers={"Retry-After": "99999"})
    result = run("scan", "-p", "openai", "--timeout", "0.2", env={"OPENAI_API_KEY": KEY})
    assert result.exit_code == 1
    assert "error: openai: the scan took longer than 2s (10 x --timeout) and was stopped" in result.stderr
    assert Limits(timeout=7).provider_deadline == 70 and Limits(deadline=5).provider_deadline == 5


# --- 7. a trailing newline is no part of a valid id ---------------------------------------------

def test_trailing_newline_ids_aliases_and_keys_are_refused(keyed: HTTPServer, home: Path) -> None:
    assert not valid_id("trail\n", 256) and valid_id("trail", 256)
    assert clean_fields({"aliases": ["ok-alias", "bad\n"]}) == ({"aliases": ["ok-alias"]}, 1)
    keyed.expect_request("/v1/models").respond_with_json({"data": [{"id": "trail\n"}, {"id": "fine"}]})
    result = run("scan", "-p", "openai", "--json", env={"OPENAI_API_KEY": KEY})
    report = json.loads(result.stdout)["providers"][0]
    assert (report["seen"], report["skipped"]) == (1, 1)
    target = Target({"id": "openai", "api": {"flavor": "openai"}}, keyed.url_for("/v1"), KEY + "\n", "OPENAI_API_KEY")
    [failed] = asyncio.run(scan_all([target]))
    assert failed.reason == "the key from OPENAI_API_KEY holds spaces or characters a header cannot carry"


# --- 8. a damaged default database does not stop resolution --------------------------------------

@pytest.fixture
def damaged_default_db(tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(write_catalog(tmp_path / "catalog", {})))
    home.mkdir(parents=True, exist_ok=True)
    db = home / "models.db"
    db.write_bytes(b"\x00this is not a database" * 500)
    yield db


def test_damaged_default_database_warns_and_uses_the_catalog(damaged_default_db: Path) -> None:
    with pytest.warns(UserWarning, match=re.escape(f"scan results not used: {damaged_default_db}: not a readable kabot-models database")):
        registry = load_registry()
    assert registry.resolve("gpt-4o") == "openai/gpt-4o"
    assert damaged_default_db.read_bytes().startswith(b"\x00this is not")  # left as it was, for the user to look at


def test_damaged_database_named_explicitly_still_raises(damaged_default_db: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(StoreError, match="not a readable kabot-models database"):
            load_registry(db=damaged_default_db)


def test_damaged_fields_in_the_default_database_warn_too(damaged_default_db: Path) -> None:
    damaged_default_db.unlink()
    with Store(damaged_default_db) as store:
        store.save_provider(store.begin_run(), "openai", "https://api.openai.com/v1", now(), 0.1, [ScannedModel("x", {}, {})])
        store.conn.execute("UPDATE scanned_models SET fields = 'not json'")
    with pytest.warns(UserWarning, match="stored model fields are not valid JSON objects"):
        assert load_registry().resolve("gpt-4o") == "openai/gpt-4o"


def test_damaged_default_database_through_the_installed_command(damaged_default_db: Path, home: Path) -> None:
    km = Path(sys.executable).parent / "kabot-models"
    done = subprocess.run([str(km), "resolve", "gpt-4o"], capture_output=True, text=True, timeout=60, env={**os.environ})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "openai/gpt-4o"
    assert done.stderr.splitlines()[0] == (f"warning: scan results not used: {damaged_default_db}: not a readable kabot-models database"
                                          " (file is not a database); move it aside and scan again")
