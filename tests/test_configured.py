"""One meaning of "configured" (kabot_models.configured) for resolve, list and auth status."""

from __future__ import annotations

import json
import re
import socket

import pytest

from cli_runner import run_cli
from fixture_catalog import SAMPLE, use_catalog
from kabot_models.configured import LastCheck, provider_configured

FIRST = {"id": "acme", "kind": "first-party", "auth": {"env": ["ACME_KEY"]}}
GATEWAY = {"id": "relay", "kind": "gateway", "auth": {"env": ["RELAY_KEY", "ACME_KEY"]}}
LOCAL = {"id": "llamas", "kind": "local", "auth": {"env": ["LLAMAS_KEY"], "required": False}, "api": {"base_url": "http://127.0.0.1:9"}}

# (block, keyword arguments, configured?, a piece of the reason)
CASES = [
    (FIRST, {"env": {"ACME_KEY": "k"}}, True, "env ACME_KEY"),
    (FIRST, {"env": {}}, False, "no key: set ACME_KEY, or run `kabot-models auth login acme`"),
    (FIRST, {"env": {}, "stored": {"acme": {"api_key": "k"}}}, True, "credentials file"),
    (FIRST, {"env": {"MINE": "k"}, "settings": {"key_env": "MINE"}}, True, "env MINE"),
    (FIRST, {"env": {"ACME_KEY": "k"}, "settings": {"key_env": "MINE"}}, False, "set MINE"),  # key_env replaces auth.env
    # a gateway reading the first party's variable is not configured by it ...
    (GATEWAY, {"env": {"ACME_KEY": "k"}, "borrowed": {"ACME_KEY"}}, False, "no key: set RELAY_KEY"),
    (GATEWAY, {"env": {"RELAY_KEY": "k", "ACME_KEY": "k"}, "borrowed": {"ACME_KEY"}}, True, "env RELAY_KEY"),
    # ... unless the user says so
    (GATEWAY, {"env": {"ACME_KEY": "k"}, "borrowed": {"ACME_KEY"}, "settings": {"key_env": "ACME_KEY"}}, True, "env ACME_KEY"),
    # the last check counts: a refused key is not a way in
    (FIRST, {"env": {"ACME_KEY": "k"}, "last_check": LastCheck(False, "2026-12-01T10:00:00Z", "HTTP 401 Unauthorized")}, False,
     "its last check failed (2026-12-01T10:00:00Z): HTTP 401 Unauthorized; `kabot-models scan -p acme` checks again"),
    (FIRST, {"env": {"ACME_KEY": "k"}, "last_check": LastCheck(True, "2026-12-01T10:00:00Z")}, True, "env ACME_KEY"),
    # a local server counts only when it answers
    (LOCAL, {"env": {}}, False, "its server at http://127.0.0.1:9 has not been checked"),
    (LOCAL, {"env": {}, "server_answers": False}, False, "no server answers at http://127.0.0.1:9"),
    (LOCAL, {"env": {}, "server_answers": True}, True, "its server answers"),
    (LOCAL, {"env": {}, "last_check": LastCheck(True, "2026-12-01T10:00:00Z")}, True, "answered (2026-12-01T10:00:00Z)"),
    (LOCAL, {"env": {}, "settings": {"api_base": "http://10.0.0.5:11434"}}, False, "http://10.0.0.5:11434"),
]


@pytest.mark.parametrize(("block", "kwargs", "ok", "reason"), CASES)
def test_provider_configured(block, kwargs, ok, reason) -> None:
    kwargs = {"stored": {}, **kwargs}
    answer = provider_configured(block, **kwargs)
    assert answer.ok is ok and bool(answer) is ok
    assert reason in answer.reason


LOCAL_CATALOG = {
    **SAMPLE,
    "llamas": {
        "provider": {"name": "Llama Host", "kind": "local", "api": {"base_url": "http://127.0.0.1:9", "flavor": "ollama"},
                     "auth": {"env": ["KM_TEST_LLAMAS_KEY"], "required": False}},
        "models": {"llama3": {"name": "Llama 3", "context_window": 8192}, "qwen3": {"name": "Qwen3", "context_window": 32768}},
    },
}


def _ids(*args: str) -> list[str]:
    res = run_cli(["list", "--json", *args])
    assert res.exit_code == 0, res.output
    return [m["id"] for m in json.loads(res.stdout)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_local_provider_is_configured_only_when_its_server_answers(monkeypatch, tmp_path, httpserver) -> None:
    home = use_catalog(monkeypatch, tmp_path, LOCAL_CATALOG)
    # nothing listens at the catalog's base URL: none of its models is configured
    (home / "config.yaml").write_text(json.dumps({"providers": {"llamas": {"api_base": f"http://127.0.0.1:{_free_port()}"}}}))
    assert _ids("--configured") == []
    status = run_cli(["auth", "status"]).stdout
    assert "; not configured: no server answers at http://127.0.0.1:" in status

    # a server answers: its models are configured; after a scan, only the ones it serves (`:latest` is the bare id)
    httpserver.expect_request("/api/tags").respond_with_json({"models": [{"name": "llama3:latest"}]})
    httpserver.expect_request("/api/show").respond_with_json({})
    (home / "config.yaml").write_text(json.dumps({"providers": {"llamas": {"api_base": httpserver.url_for("")}}}))
    assert _ids("--configured") == ["llamas/llama3", "llamas/qwen3"]
    assert re.search(r"llamas: no key, api_base \S+; configured", run_cli(["auth", "status"]).stdout)
    scan = run_cli(["scan", "-p", "llamas"])
    assert scan.exit_code == 0, scan.output
    assert _ids("--configured") == ["llamas/llama3"]  # qwen3 is not served; llama3:latest is llama3, not a scan-only copy
    assert "llamas/llama3:latest" not in _ids("--status", "all")


def test_a_refused_key_makes_the_provider_unconfigured_until_a_check_succeeds(monkeypatch, tmp_path, httpserver) -> None:
    home = use_catalog(monkeypatch, tmp_path)
    monkeypatch.setenv("KM_TEST_ACME_KEY", "ak-wrong-0123456789")
    (home / "config.yaml").write_text(json.dumps({"providers": {"acme": {"api_base": httpserver.url_for("/v1")}}}))
    assert _ids("--configured", "--provider", "acme") == ["acme/acme-large", "acme/acme-small"]
    httpserver.expect_request("/v1/models").respond_with_json({"error": {"message": "bad key"}}, status=401)
    assert run_cli(["scan", "-p", "acme"]).exit_code == 1
    assert _ids("--configured", "--provider", "acme") == []
    status = run_cli(["auth", "status"]).stdout
    assert "acme: env KM_TEST_ACME_KEY" in status and "not configured: its last check failed" in status and "HTTP 401" in status


def test_a_gateway_borrowing_a_first_party_key_is_not_configured_anywhere(monkeypatch, tmp_path) -> None:
    files = {**SAMPLE, "relay": {**SAMPLE["relay"], "provider": {**SAMPLE["relay"]["provider"],
                                                                   "auth": {"env": ["KM_TEST_RELAY_KEY", "KM_TEST_ACME_KEY"]}}}}
    use_catalog(monkeypatch, tmp_path, files)
    monkeypatch.setenv("KM_TEST_ACME_KEY", "ak-0123456789abcdef")
    assert _ids("--configured") == ["acme/acme-large", "acme/acme-small"]  # list: not the relay's
    status = run_cli(["auth", "status"]).stdout
    assert "relay: env KM_TEST_ACME_KEY ak-...cdef; not configured: no key: set KM_TEST_RELAY_KEY" in status
    assert "acme: env KM_TEST_ACME_KEY ak-...cdef; configured" in status


def test_a_default_scan_uses_the_same_rule_and_the_gateways_own_key(monkeypatch, tmp_path) -> None:
    from kabot_models.loader import load_registry
    from kabot_models.scanner import plan_scan

    files = {**SAMPLE, "relay": {**SAMPLE["relay"], "provider": {**SAMPLE["relay"]["provider"],
                                                                   "auth": {"env": ["KM_TEST_ACME_KEY", "KM_TEST_RELAY_KEY"]}}}}
    use_catalog(monkeypatch, tmp_path, files)
    registry = load_registry(db=False)
    env = {"KM_TEST_ACME_KEY": "ak-first-party-0123"}
    assert [t.id for t in plan_scan(registry, env=env, credentials={}, config={})] == ["acme"]  # not the relay
    env["KM_TEST_RELAY_KEY"] = "rk-relay-own-0123"
    targets = {t.id: t for t in plan_scan(registry, env=env, credentials={}, config={})}
    assert targets["relay"].key == "rk-relay-own-0123" and targets["relay"].key_source == "KM_TEST_RELAY_KEY"
