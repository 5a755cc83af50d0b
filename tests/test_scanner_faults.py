"""Bad answers and faults, each against a real HTTP server on 127.0.0.1.

Every failure must: mark the provider failed with a one-line reason (table row and `error:` line),
exit non-zero, keep that provider's previous results, keep the other providers' results, and never
show or store the key.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from scanner_fixtures import ANTHROPIC_PAGES, OPENAI_LIST, make_httpserver, serve_flavour, write_catalog  # noqa: F401
from typer.testing import CliRunner
from werkzeug import Request, Response

from kabot_models.cli import app

KEY = "sk-proj-faulttest-abcdefghijklmnop"
ENV = {"OPENAI_API_KEY": KEY, "TOGETHER_API_KEY": "tog-test-key-0004", "ANTHROPIC_API_KEY": "sk-ant-fault-0001"}


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, list(args), env=ENV if env is None else env)


def listed(provider: str) -> set[str]:
    result = run("list", "--provider", provider, "--json")
    assert result.exit_code == 0, result.output
    return {m["id"] for m in json.loads(result.stdout) if m.get("served")}


def json_response(data: Any, status: int = 200, **headers: str) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/json", headers=headers)


class Switchable:
    """A handler that answers well until told to misbehave."""

    def __init__(self) -> None:
        self.fault: Callable[[Request], Response] | None = None
        self.calls = 0

    def __call__(self, request: Request) -> Response:
        self.calls += 1
        return self.fault(request) if self.fault else json_response(OPENAI_LIST)


@pytest.fixture
def scene(httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Switchable]:
    """openai (switchable) and together (always fine) in a tmp catalog and home, scanned once successfully."""
    monkeypatch.setenv("KABOT_MODELS_HOME", str(tmp_path / "home"))
    openai = Switchable()
    httpserver.expect_request("/openai/v1/models").respond_with_handler(openai)
    together = serve_flavour(httpserver, "together", "/together")
    catalog = write_catalog(tmp_path / "catalog", {"openai": httpserver.url_for("/openai/v1"), "together": together})
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(catalog))
    first = run("scan")
    assert first.exit_code == 0, first.output
    assert "openai/gpt-5-local-only" in listed("openai")
    yield openai


def hundred_megabytes(_request: Request) -> Response:
    def body() -> Iterator[bytes]:
        yield b'{"data": ["'
        chunk = b"x" * (1024 * 1024)
        for _ in range(100):
            yield chunk
        yield b'"]}'

    return Response(body(), content_type="application/json")


def slow(_request: Request) -> Response:
    time.sleep(3)
    return json_response(OPENAI_LIST)


# name, the misbehaving answer, extra CLI args, what the one-line reason must say
FAULTS: list[tuple[str, Callable[[Request], Response], list[str], str]] = [
    ("401", lambda r: json_response({"error": {"message": f"Incorrect API key provided: {KEY}."}}, 401), [],
     "HTTP 401 Unauthorized: the key from OPENAI_API_KEY was rejected: Incorrect API key provided: sk-...mnop."),
    ("403", lambda r: json_response({"error": {"message": "Project does not have access"}}, 403), [], "HTTP 403 Forbidden"),
    ("404", lambda r: Response("<html>not here</html>", 404), [], "HTTP 404 Not Found at http://127.0.0.1"),
    ("429 forever", lambda r: json_response({"error": "slow down"}, 429, **{"Retry-After": "0"}), [], "HTTP 429: slow down (gave up after 4 attempts)"),
    ("500", lambda r: Response("oops", 500, headers={"Retry-After": "0"}), [], "HTTP 500 (gave up after 4 attempts)"),
    ("timeout", slow, ["--timeout", "0.5"], "timed out after 0.5s"),
    ("invalid JSON", lambda r: Response("{not json", content_type="application/json"), [], "response is not valid JSON (it starts '{not json')"),
    ("wrong shape", lambda r: json_response({"models": []}), [], "unexpected response: expected a JSON object with 'data' (models)"),
    ("data not a list", lambda r: json_response({"data": {"id": "x"}}), [], "expected 'data' to be a list of models, got an object"),
    ("bare string", lambda r: json_response("hello"), [], "got a str"),
    ("100 MB body", hundred_megabytes, [], "response is larger than 20 MB; stopped reading"),
    ("nesting bomb", lambda r: Response("[" * 200_000, content_type="application/json"), [], "response is not valid JSON (it starts '[[[["),
    ("markup and escapes in the message", lambda r: json_response({"error": {"message": "[/] \x1b[31mred\x1b[0m [bold]x"}}, 400), [],
     "HTTP 400: [/] [31mred [0m [bold]x"),
]


@pytest.mark.parametrize("name, fault, args, reason", FAULTS, ids=[f[0] for f in FAULTS])
def test_fault_fails_one_provider_and_keeps_everything(scene: Switchable, tmp_path: Path, name: str, fault: Any, args: list[str], reason: str) -> None:
    scene.fault = fault
    result = run("scan", *args)
    assert result.exit_code == 1
    row = next(line for line in result.stdout.splitlines() if line.startswith("openai"))
    assert " failed " in row and reason in row
    assert "error: openai: " in result.stderr and reason in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output and KEY not in result.output
    together_row = next(line for line in result.stdout.splitlines() if line.startswith("together"))
    assert " ok " in together_row
    assert "openai/gpt-5-local-only" in listed("openai")  # the previous results stand
    assert "together/vendor/together-scan-only" in listed("together")
    db = tmp_path / "home" / "models.db"
    for path in (db, db.with_name("models.db-wal")):
        if path.exists():
            assert KEY.encode() not in path.read_bytes()


def test_429_then_success(scene: Switchable) -> None:
    answers = [json_response({"error": "rate limited"}, 429, **{"Retry-After": "1"}), json_response({"data": [{"id": "after-retry"}]})]
    scene.fault = lambda r: answers.pop(0)
    before = scene.calls
    result = run("scan", "--provider", "openai", "--json")
    assert result.exit_code == 0, result.output
    assert scene.calls - before == 2
    assert listed("openai") >= {"openai/after-retry"}


def test_connection_refused(scene: Switchable) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = run("scan", "--provider", "openai", "--base-url", f"http://127.0.0.1:{port}/v1")
    assert result.exit_code == 1
    assert f"error: openai: cannot connect to http://127.0.0.1:{port}/v1" in result.stderr
    assert "openai/gpt-5-local-only" in listed("openai")


def test_redirect_is_not_followed_with_the_key(scene: Switchable) -> None:
    other = HTTPServer(host="127.0.0.1", port=0)
    other.expect_request("/v1/models").respond_with_json(OPENAI_LIST)
    other.start()
    try:
        scene.fault = lambda r: Response("", 302, headers={"Location": other.url_for("/v1/models")})
        result = run("scan", "--provider", "openai")
        assert result.exit_code == 1
        assert "HTTP 302 redirect to '127.0.0.1' not followed" in result.stderr
        assert other.log == []
    finally:
        other.stop()


def test_bad_entries_are_skipped_and_counted(scene: Switchable) -> None:
    scene.fault = lambda r: json_response({"data": [
        {"id": "good-1"}, {"object": "model"}, {"id": "has space"}, {"id": "new\nline"}, {"id": "../etc/passwd"},
        {"id": "a/../b"}, {"id": "tab\there"}, {"id": "x" * 300}, {"id": 42}, "not an object",
        {"id": "good-2", "context_window": -5}, {"id": "good-1"}, {"id": "good-2"},
    ]})
    result = run("scan", "--provider", "openai", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)["providers"][0]
    assert (report["seen"], report["skipped"], report["duplicates"]) == (2, 9, 2)
    assert listed("openai") == {"openai/good-1", "openai/good-2"}
    table = run("scan", "--provider", "openai")
    assert "9 bad entries skipped, 2 duplicates" in table.stdout


def test_key_with_control_characters_is_refused_unsent(scene: Switchable) -> None:
    bad = "sk-abc\r\nX-Evil: 1"
    before = scene.calls
    result = run("scan", "--provider", "openai", env={**ENV, "OPENAI_API_KEY": bad})
    assert result.exit_code == 1
    assert "the key from OPENAI_API_KEY holds spaces or characters a header cannot carry" in result.stderr
    assert "X-Evil" not in result.output
    assert scene.calls == before


@pytest.mark.parametrize("url, message", [
    ("http://user:secret@127.0.0.1:9/v1", "may not carry credentials, a query or a fragment"),
    ("ftp://user:secret@127.0.0.1/v1", "may not carry credentials, a query or a fragment"),
    ("http://127.0.0.1:9/v1?key=secret", "may not carry credentials, a query or a fragment"),
    ("http://127.0.0.1:secret/v1", "invalid base URL: expected http(s)://host[:port][/path]"),
    ("file:///etc/passwd", "invalid base URL 'file:///etc/passwd': expected http(s)://host[:port][/path]"),
])
def test_bad_base_url_is_refused(scene: Switchable, url: str, message: str) -> None:
    result = run("scan", "--provider", "openai", "--base-url", url)
    assert result.exit_code == 1
    assert message in result.stderr and "secret" not in result.output


def test_named_provider_without_key_fails_with_hint(scene: Switchable) -> None:
    result = run("scan", "--provider", "openai", env={})
    assert result.exit_code == 1
    assert "error: openai: no API key: set OPENAI_API_KEY" in result.stderr


@pytest.fixture
def anthropic_scene(httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KABOT_MODELS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(write_catalog(tmp_path / "catalog", {"anthropic": httpserver.url_for("/")})))
    return tmp_path


def test_paging_that_never_ends(httpserver: HTTPServer, anthropic_scene: Path) -> None:
    pages = iter(range(10**6))

    def endless(_request: Request) -> Response:
        n = next(pages)
        return json_response({"data": [{"id": f"claude-{n}"}], "has_more": True, "last_id": f"claude-{n}"})

    httpserver.expect_request("/v1/models").respond_with_handler(endless)
    result = run("scan", "--provider", "anthropic")
    assert result.exit_code == 1
    assert "paging did not end after 100 pages" in result.stderr
    assert not listed("anthropic") & {"anthropic/claude-0"}  # nothing of the failed scan is stored


def test_paging_that_loops(httpserver: HTTPServer, anthropic_scene: Path) -> None:
    httpserver.expect_request("/v1/models").respond_with_json({**ANTHROPIC_PAGES[0], "has_more": True})
    result = run("scan", "--provider", "anthropic")
    assert result.exit_code == 1
    assert "paging loops: page token 'claude-sonnet-4-5' came back" in result.stderr


def test_has_more_without_a_token(httpserver: HTTPServer, anthropic_scene: Path) -> None:
    httpserver.expect_request("/v1/models").respond_with_json({"data": [], "has_more": True})
    result = run("scan", "--provider", "anthropic")
    assert result.exit_code == 1
    assert "has_more is true but last_id is missing" in result.stderr


# --- bad command lines and local files: one line, exit 1, no traceback ----------------------------

BAD_INVOCATIONS = [
    (["scan", "--provider", "opnai"], "error: unknown provider 'opnai'; did you mean 'openai'?"),
    (["scan", "--base-url", "http://127.0.0.1:9/v1"], "error: --base-url needs exactly one --provider"),
    (["scan", "--write", "--dry-run"], "error: --write edits catalog files and --dry-run writes nothing"),
]


@pytest.mark.parametrize("args, message", BAD_INVOCATIONS, ids=[" ".join(a[1:]) for a, _ in BAD_INVOCATIONS])
def test_bad_invocation(scene: Switchable, args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 1
    assert result.stderr.strip() == message or result.stderr.startswith(message)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("text, message", [
    ("providers: [unclosed\n", "invalid YAML"),
    ("- just\n- a list\n", "expected `providers:` mapping each provider id to {api_key: ...}"),
    ("providers: [openai]\n", "expected `providers:` mapping each provider id to {api_key: ...}"),
])
def test_broken_credentials_file(scene: Switchable, tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "home" / "credentials.yaml").write_text(text, encoding="utf-8")
    result = run("scan", env={})
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "credentials.yaml:" in result.stderr and message in result.stderr


def test_corrupt_database(scene: Switchable, tmp_path: Path) -> None:
    db = tmp_path / "home" / "models.db"
    for leftover in (db.with_name("models.db-wal"), db.with_name("models.db-shm")):
        leftover.unlink(missing_ok=True)
    db.write_bytes(b"this is not an sqlite database at all" * 100)
    result = run("scan")  # a scan must write there: it fails
    assert result.exit_code == 1
    assert "not a readable kabot-models database" in str(result.stderr or result.exception)
    with pytest.warns(UserWarning, match="scan results not used: .*models.db: not a readable kabot-models database"):
        result = run("list", "--json")  # reading falls back to the catalog, with a warning
    assert result.exit_code == 0, result.output
    assert "openai/gpt-4o" in {m["id"] for m in json.loads(result.stdout)}
    assert db.read_bytes().startswith(b"this is not an sqlite database")


def test_a_translator_bug_fails_only_its_provider(scene: Switchable, monkeypatch: pytest.MonkeyPatch) -> None:
    from kabot_models.plugins import openai

    def broken(item: dict[str, Any]) -> Any:
        raise KeyError("context")

    monkeypatch.setattr(openai.PLUGIN, "_entry", broken)
    result = run("scan")
    assert result.exit_code == 1
    assert "error: openai: the openai translator could not read this response (KeyError: 'context')" in result.stderr
    assert " ok " in next(line for line in result.stdout.splitlines() if line.startswith("together"))
