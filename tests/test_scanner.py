"""`kabot-models scan` end to end: a local server per API flavour, the real CLI, the real SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from scanner_fixtures import FLAVOUR_PROVIDERS, make_httpserver, serve_flavour, write_catalog, write_provider  # noqa: F401
from typer.testing import CliRunner

from kabot_models.cli import app

REPO = Path(__file__).resolve().parent.parent
KM = Path(sys.executable).parent / "kabot-models"
KEYS = {"OPENAI_API_KEY": "sk-openai-test-key-0001", "ANTHROPIC_API_KEY": "sk-ant-test-key-0002",
        "GEMINI_API_KEY": "gem-test-key-0003", "TOGETHER_API_KEY": "tog-test-key-0004", "GROQ_API_KEY": "gsk-test-key-0005",
        "MISTRAL_API_KEY": "mis-test-key-0006", "DEEPINFRA_API_KEY": "di-test-key-0007", "FIREWORKS_API_KEY": "fw-test-key-0008",
        "MOONSHOT_API_KEY": "ms-test-key-0009"}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty KABOT_MODELS_HOME and no provider keys from the outer environment."""
    home = tmp_path / "home"
    monkeypatch.setenv("KABOT_MODELS_HOME", str(home))
    for name in [*KEYS, "OPENROUTER_API_KEY"]:
        monkeypatch.delenv(name, raising=False)
    return home


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    """Invoke the CLI in-process."""
    return CliRunner().invoke(app, list(args), env=env)


def listed(provider: str) -> dict[str, dict[str, Any]]:
    """`kabot-models list --provider P --status all --json`, keyed by full id (the scan's deprecated
    and past-deprecation models included: what is checked here is the merge, not list's default filter)."""
    result = run("list", "--provider", provider, "--status", "all", "--json")
    assert result.exit_code == 0, result.output
    return {m["id"]: m for m in json.loads(result.stdout)}


# provider id, flavour, a model only the server knows, the fields it must have after the scan,
# a catalog model the server also lists, and the fields the merge must give it.
FLAVOUR_CASES = [
    ("openai", "openai", "openai/gpt-5-local-only", {"release_date": "2025-11-26", "name": "gpt-5-local-only"},
     "openai/gpt-4o", {"context_window": 128000, "release_date": "2024-05-10"}),
    ("anthropic", "anthropic", "anthropic/claude-scan-only-1",
     {"name": "Claude Scan Only", "release_date": "2026-11-01", "context_window": 200000, "max_output": 64000,
      "capabilities": ["reasoning", "structured_output", "vision"], "input_modalities": ["image", "text"]},
     "anthropic/claude-sonnet-4-5",
     {"context_window": 200000, "max_output": 64000, "release_date": "2025-09-29",
      "capabilities": ["code_execution", "pdf_input", "reasoning", "structured_output", "vision", "web_search"]}),
    ("google", "gemini", "google/gemini-scan-only", {"name": "Gemini Scan Only", "context_window": 32768, "max_output": 8192},
     "google/gemini-2.5-pro", {"context_window": 1048576, "max_output": 65536, "capabilities": ["prompt_caching", "reasoning"]}),
    ("openrouter", "openrouter", "openrouter/vendor/scan-only:free",
     {"context_window": 65536, "max_output": 8192, "pricing": {"input_1m": 0.0, "output_1m": 0.0, "free": True}, "capabilities": ["reasoning"],
      "status": "deprecated", "retirement_date": "2026-12-31"},
     "openrouter/openai/gpt-4o",
     {"pricing": {"input_1m": 2.5, "output_1m": 10.0, "cache_read_1m": 1.25}, "knowledge_cutoff": "2023-10-01",
      "capabilities": ["json_mode", "pdf_input", "prompt_caching", "structured_output", "tool_use", "vision", "web_search"]}),
    ("together", "together", "together/vendor/together-scan-only",
     {"name": "Together Scan Only", "context_window": 131072, "pricing": {"input_1m": 0.88, "output_1m": 0.88}},
     "together/moonshotai/Kimi-K2.5", {"context_window": 262144, "pricing": {"input_1m": 0.5, "output_1m": 2.8}}),
    ("ollama", "ollama", "ollama/qwen3:8b", {"context_window": 40960, "capabilities": ["reasoning", "tool_use"], "open_weights": True},
     "ollama/llama3.2", {"name": "Llama 3.2", "context_window": 131072, "capabilities": ["tool_use"]}),
    ("groq", "groq", "groq/vendor/groq-scan-only", {"context_window": 32768, "max_output": 8192, "release_date": "2025-11-26"},
     "groq/openai/gpt-oss-120b", {"context_window": 131072, "max_output": 65536}),
    ("mistral", "mistral", "mistral/mistral-scan-only-2512",
     {"context_window": 262144, "capabilities": ["tool_use", "vision"], "input_modalities": ["image", "text"], "description": "A scanned model."},
     "mistral/mistral-large-2411", {"context_window": 131072, "capabilities": ["tool_use"], "deprecation_date": "2026-05-31"}),
    ("deepinfra", "deepinfra", "deepinfra/vendor/deepinfra-scan-only",
     {"context_window": 163840, "max_output": 32768, "pricing": {"input_1m": 0.25, "output_1m": 0.95, "cache_read_1m": 0.13}},
     "deepinfra/meta-llama/Llama-3.3-70B-Instruct", {"context_window": 131072, "max_output": 131072, "pricing": {"input_1m": 0.23, "output_1m": 0.4}}),
    ("fireworks", "fireworks", "fireworks/accounts/fireworks/models/fireworks-scan-only",
     {"context_window": 262144, "capabilities": ["tool_use", "vision"], "input_modalities": ["image", "text"]},
     "fireworks/accounts/fireworks/models/llama-v3p3-70b-instruct", {"context_window": 131072, "capabilities": ["tool_use"]}),
    ("moonshot", "moonshot", "moonshot/moonshot-v1-8k", {"context_window": 8192},
     "moonshot/kimi-k2.5", {"context_window": 262144, "capabilities": ["reasoning", "video_input", "vision"], "input_modalities": ["image", "text", "video"]}),
]


@pytest.mark.parametrize("pid, flavour, scan_only, scan_fields, curated, merged", FLAVOUR_CASES, ids=[c[1] for c in FLAVOUR_CASES])
def test_each_flavour_lands_in_list(httpserver: Any, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch,
                                    pid: str, flavour: str, scan_only: str, scan_fields: dict, curated: str, merged: dict) -> None:
    base = serve_flavour(httpserver, flavour)
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(write_catalog(tmp_path / "catalog", {pid: base})))

    result = run("scan", "--provider", pid, env=KEYS)
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith(pid))
    assert " ok " in row
    assert (home / "models.db").is_file()

    models = listed(pid)
    only = models[scan_only]
    assert only["origin"] == "scan" and only["served"] is True
    assert set(only["field_sources"].values()) == {"scan"}
    assert {k: only[k] for k in scan_fields} == scan_fields
    kept = models[curated]
    assert kept["served"] is True and kept.get("origin") in (None, "catalog")
    assert {k: kept[k] for k in merged} == merged
    catalog_fields = {k for k, v in kept["field_sources"].items() if v != "scan"}
    assert {k for k in merged if kept["field_sources"].get(k) == "scan"}.isdisjoint(catalog_fields)


def test_openai_through_the_real_command(httpserver: Any, tmp_path: Path) -> None:
    """The issue's acceptance check, as a user types it: scan, then list shows what only the server knew."""
    base = serve_flavour(httpserver, "openai")
    env = {**os.environ, "KABOT_MODELS_HOME": str(tmp_path / "home"), "OPENAI_API_KEY": "x",
           "KABOT_MODELS_CATALOG": str(write_catalog(tmp_path / "catalog", {"openai": "https://api.openai.com/v1"}))}
    scan = subprocess.run([str(KM), "scan", "--provider", "openai", "--base-url", base], env=env, capture_output=True, text=True, timeout=60)
    assert scan.returncode == 0, scan.stderr
    assert scan.stderr == ""  # no progress display when stderr is not a terminal
    listing = subprocess.run([str(KM), "list", "--provider", "openai", "--json"], env=env, capture_output=True, text=True, timeout=60)
    assert listing.returncode == 0, listing.stderr
    models = {m["id"]: m for m in json.loads(listing.stdout)}
    assert models["openai/gpt-5-local-only"]["origin"] == "scan"
    assert models["openai/text-embedding-3-small"]["mode"] == "embedding"
    assert models["openai/gpt-4o"]["served"] is True
    assert models["openai/gpt-3.5-turbo"]["served"] is False


def test_rescan_counts_new_gone_changed(httpserver: Any, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lists = [
        {"data": [{"id": "a", "created": 1700000000}, {"id": "b"}, {"id": "c"}]},
        {"data": [{"id": "a", "created": 1710000000}, {"id": "b"}, {"id": "d"}]},
    ]
    state = {"n": 0}

    def handler(_request: Any) -> Any:
        from werkzeug import Response

        return Response(json.dumps(lists[min(state["n"], 1)]), content_type="application/json")

    httpserver.expect_request("/v1/models").respond_with_handler(handler)
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(write_catalog(tmp_path / "catalog", {"openai": httpserver.url_for("/v1")}, models={})))
    first = run("scan", "--json", env=KEYS)
    assert json.loads(first.stdout)["providers"][0]["new"] == 3
    state["n"] = 1
    second = json.loads(run("scan", "--json", env=KEYS).stdout)["providers"][0]
    assert (second["seen"], second["new"], second["gone"], second["changed"]) == (3, 1, 1, 1)
    assert set(listed("openai")) == {"openai/a", "openai/b", "openai/d"}


def test_dry_run_writes_nothing(httpserver: Any, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = serve_flavour(httpserver, "openai")
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(write_catalog(tmp_path / "catalog", {"openai": base})))
    result = run("scan", "--dry-run", "--json", env=KEYS)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["providers"][0]["new"] == 3
    assert not (home / "models.db").exists()
    assert "openai/gpt-5-local-only" not in listed("openai")


def test_default_scans_only_configured_providers(httpserver: Any, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A provider with its key set, one that needs none, and one with a stored key are scanned; one without is not."""
    urls = {"openai": serve_flavour(httpserver, "openai", "/o"), "openrouter": serve_flavour(httpserver, "openrouter", "/r"),
            "together": serve_flavour(httpserver, "together", "/t"), "anthropic": serve_flavour(httpserver, "anthropic", "/a")}
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(write_catalog(tmp_path / "catalog", urls)))
    home.mkdir(parents=True)
    (home / "credentials.yaml").write_text("providers:\n  together:\n    api_key: tog-stored-key-0005\n", encoding="utf-8")
    result = run("scan", "--json", env={"OPENAI_API_KEY": "x"})
    assert result.exit_code == 0, result.output
    assert sorted(p["provider"] for p in json.loads(result.stdout)["providers"]) == ["openai", "openrouter", "together"]
    together = [r for r, _ in httpserver.log if r.path == "/t/v1/models"]
    assert together[0].headers["Authorization"] == "Bearer tog-stored-key-0005"


def test_provider_alias_and_key_header(httpserver: Any, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--provider gemini` means google; the key travels in x-goog-api-key, not in the URL."""
    base = serve_flavour(httpserver, "gemini")
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(write_catalog(tmp_path / "catalog", {"google": base})))
    assert run("scan", "--provider", "gemini", env=KEYS).exit_code == 0
    request = httpserver.log[0][0]
    assert request.headers["x-goog-api-key"] == KEYS["GEMINI_API_KEY"]
    assert KEYS["GEMINI_API_KEY"] not in request.url


def test_twenty_slow_providers_run_concurrently(httpserver: Any, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Twenty providers that each answer after 1 s finish together, not one after another."""
    from werkzeug import Response

    def slow(_request: Any) -> Any:
        time.sleep(1)
        return Response(json.dumps({"data": [{"id": "m"}]}), content_type="application/json")

    catalog = tmp_path / "catalog"
    for i in range(20):
        httpserver.expect_request(f"/p{i}/v1/models").respond_with_handler(slow)
        block = {**FLAVOUR_PROVIDERS["openrouter"], "name": f"P{i}", "api": {"flavor": "openai", "base_url": httpserver.url_for(f"/p{i}/v1")},
                 "auth": {"required": False}}
        write_provider(catalog, f"p{i:02d}", block)
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(catalog))
    started = time.monotonic()
    result = run("scan", "--concurrency", "20", "--json")
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.output
    assert [p["status"] for p in json.loads(result.stdout)["providers"]] == ["ok"] * 20
    assert elapsed < 10, f"20 providers of 1 s each took {elapsed:.1f} s"



def test_progress_shows_on_a_terminal(httpserver: Any, tmp_path: Path) -> None:
    """On a terminal, a progress line names what is being scanned; the table follows."""
    import pexpect
    from werkzeug import Response

    def slow(_request: Any) -> Any:
        time.sleep(1.5)
        return Response(json.dumps({"data": [{"id": "m"}]}), content_type="application/json")

    httpserver.expect_request("/v1/models").respond_with_handler(slow)
    env = {**os.environ, "KABOT_MODELS_HOME": str(tmp_path / "home"), "OPENAI_API_KEY": "x", "TERM": "xterm",
           "KABOT_MODELS_CATALOG": str(write_catalog(tmp_path / "catalog", {"openai": httpserver.url_for("/v1")}))}
    child = pexpect.spawn(str(KM), ["scan"], env=env, encoding="utf-8", timeout=30, dimensions=(24, 120))
    child.expect("scanning")
    child.expect("openai")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_local_server_not_running_is_skipped_unless_named(httpserver: Any, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    urls = {"openai": serve_flavour(httpserver, "openai"), "ollama": f"http://127.0.0.1:{closed_port()}"}
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(write_catalog(tmp_path / "catalog", urls)))
    default = run("scan", env=KEYS)
    assert default.exit_code == 0, default.output
    row = next(line for line in default.stdout.splitlines() if line.startswith("ollama"))
    assert " skipped " in row and "cannot connect to http://127.0.0.1:" in row
    assert default.stderr == ""
    named = run("scan", "--provider", "ollama", env=KEYS)
    assert named.exit_code == 1
    assert "error: ollama: cannot connect to" in named.stderr


def test_a_gateway_reusing_a_first_party_key_variable_needs_naming(httpserver: Any, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """aihubmix reads OPENAI_API_KEY: a default scan must not hand OpenAI's key to a third party."""
    catalog = write_catalog(tmp_path / "catalog", {"openai": serve_flavour(httpserver, "openai", "/o")})
    gateway = {"name": "Hub", "kind": "gateway", "api": {"flavor": "openai", "base_url": serve_flavour(httpserver, "openai", "/hub")},
               "auth": {"env": ["OPENAI_API_KEY"]}}
    write_provider(catalog, "hub", gateway)
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(catalog))
    default = run("scan", "--json", env=KEYS)
    assert [p["provider"] for p in json.loads(default.stdout)["providers"]] == ["openai"]
    assert not [r for r, _ in httpserver.log if r.path.startswith("/hub/")]
    named = run("scan", "--provider", "hub", "--json", env=KEYS)
    assert named.exit_code == 0 and json.loads(named.stdout)["providers"][0]["status"] == "ok"
