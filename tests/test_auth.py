"""`kabot-models auth login|status|logout` against a stand-in provider on 127.0.0.1."""

from __future__ import annotations

import io
import json
import os
import stat
import sys
from pathlib import Path

import pytest

from auth_standin import GOOD_KEY, serve_models
from cli_runner import run_cli
from fixture_catalog import use_catalog
from kabot_models.config import load_config

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def home(monkeypatch, tmp_path) -> Path:
    return use_catalog(monkeypatch, tmp_path)


def login(url: str, *args: str, key: str = GOOD_KEY) -> object:
    return run_cli(["auth", "login", "acme", "--base-url", url, "--no-input", *args], input=key + "\n")


def test_login_from_stdin_stores_key_privately_and_patches_config(home, httpserver) -> None:
    url = serve_models(httpserver)
    res = login(url)
    assert res.exit_code == 0, res.output
    assert GOOD_KEY not in res.output  # never echoed
    assert "(ak-...3a9c)" in res.stderr  # only the masked form
    creds = home / "credentials.yaml"
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    assert json.loads(creds.read_text())["providers"]["acme"]["api_key"] == GOOD_KEY
    config = load_config(home / "config.yaml")
    assert config["default_model"] == "acme/acme-large"
    assert config["providers"]["acme"]["api_base"] == url
    assert GOOD_KEY.encode() not in (home / "models.db").read_bytes()
    assert GOOD_KEY not in (home / "config.yaml").read_text()


def test_credentials_file_is_created_0600_whatever_the_umask(home, httpserver) -> None:
    url = serve_models(httpserver)
    old = os.umask(0)
    try:
        assert login(url).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((home / "credentials.yaml").stat().st_mode) == 0o600


def test_key_env_and_model(home, httpserver, monkeypatch) -> None:
    url = serve_models(httpserver)
    monkeypatch.setenv("MY_ACME_KEY", GOOD_KEY)
    res = run_cli(["auth", "login", "acme-ai", "--base-url", url, "--key-env", "MY_ACME_KEY", "--model", "small", "--no-input"])
    assert res.exit_code == 0, res.output
    assert load_config(home / "config.yaml")["default_model"] == "acme/acme-small"
    # a later login without --model keeps the default the user has
    assert login(url).exit_code == 0
    assert load_config(home / "config.yaml")["default_model"] == "acme/acme-small"


def test_status_and_logout(home, httpserver, monkeypatch) -> None:
    url = serve_models(httpserver)
    assert login(url).exit_code == 0
    res = run_cli(["auth", "status"])
    assert res.exit_code == 0
    assert f"acme: credentials file {home / 'credentials.yaml'} ak-...3a9c, api_base {url}" in res.stdout
    assert GOOD_KEY not in res.stdout
    monkeypatch.setenv("KM_TEST_RELAY_KEY", "rk-env-key-0123456789")
    monkeypatch.setenv("KM_TEST_ACME_KEY", "ak-env-key-5555")
    data = json.loads(run_cli(["auth", "status", "--json"]).stdout)
    rows = {r["provider"]: r for r in data["providers"]}
    assert rows["relay"]["source"] == "env KM_TEST_RELAY_KEY" and rows["relay"]["key"] == "rk-...6789"
    assert rows["acme"]["source"] == "env KM_TEST_ACME_KEY" and "overridden" in rows["acme"]["note"]
    res = run_cli(["auth", "logout", "acme"])
    assert res.exit_code == 0
    assert "removed the stored key for acme" in res.stdout and "note: env KM_TEST_ACME_KEY still holds a key" in res.stdout
    assert "acme" not in json.loads((home / "credentials.yaml").read_text())["providers"]
    assert "no stored key for acme" in run_cli(["auth", "logout", "acme"]).stdout


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["auth", "login", "acmee", "--no-input"], GOOD_KEY, "unknown provider 'acmee'; did you mean 'acme'?"),
        # wrong key, unreachable server, a server that is not the API, bad model: four different one-line errors
        (["auth", "login", "acme", "--no-input", "--base-url", "URL"], "wrong-key-0000000000",
         "acme: HTTP 401 Unauthorized: the key from standard input was rejected: Incorrect API key provided; nothing was stored: check the key"),
        (["auth", "login", "acme", "--no-input", "--base-url", "http://127.0.0.1:9/v1"], GOOD_KEY,
         "acme: cannot connect to http://127.0.0.1:9/v1"),
        (["auth", "login", "acme", "--no-input", "--base-url", "URL/elsewhere"], GOOD_KEY,
         "; nothing was stored: the server answered, but not with a model list"),
        (["auth", "login", "acme", "--no-input", "--base-url", "URL"], "", "no key on standard input"),
        (["auth", "login", "acme", "--no-input", "--key-env", "KM_TEST_UNSET_VAR"], None, "--key-env KM_TEST_UNSET_VAR: the variable is not set"),
        (["auth", "login", "acme", "--no-input", "--base-url", "URL", "--model", "nosuch"], GOOD_KEY,
         "--model 'nosuch' is not a model of acme; nothing was stored; it offers: acme/acme-large, acme/acme-small, acme/acme-experimental"),
        (["auth", "login", "acme", "--no-input", "--base-url", "ftp://example.test/v1"], GOOD_KEY, "acme: invalid base URL 'ftp://example.test/v1'"),
        (["auth", "logout", "nosuch"], None, "unknown provider 'nosuch'"),
    ],
)
def test_bad_input_stores_nothing(home, httpserver, args: list[str], stdin: str | None, message: str) -> None:
    url = serve_models(httpserver)
    args = [a.replace("URL", url) for a in args]
    res = run_cli(args, input=None if stdin is None else stdin + "\n")
    assert res.exit_code == 1, res.output
    errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and message in errors[0], res.stderr
    assert "Traceback" not in res.output
    assert not (home / "credentials.yaml").exists()
    assert not (home / "config.yaml").exists()
    assert not (home / "models.db").exists()
    if stdin:
        assert stdin not in res.output


def test_broken_credentials_file_is_reported_and_kept(home, httpserver) -> None:
    url = serve_models(httpserver)
    broken = "providers:\n  openai: {api_key: sk-keep-me-0000\n"
    (home / "credentials.yaml").write_text(broken)
    res = login(url)
    assert res.exit_code == 1
    assert res.stderr.startswith("error: ") and "credentials.yaml:" in res.stderr and "invalid YAML" in res.stderr
    assert "sk-keep-me" not in res.output
    assert (home / "credentials.yaml").read_text() == broken  # not overwritten: the other key is not lost
    for args in (["auth", "status"], ["list"]):
        res = run_cli(args)
        assert res.exit_code == 1 and "credentials.yaml:" in res.stderr and "sk-keep-me" not in res.output


def test_broken_config_stops_login_before_anything_is_stored(home, httpserver) -> None:
    url = serve_models(httpserver)
    (home / "config.yaml").write_text("aliases: [not, a, mapping]\n")
    res = login(url)
    assert res.exit_code == 1 and "config.yaml:1:" in res.stderr
    assert not (home / "credentials.yaml").exists()


# -- the interactive login, driven through a pseudo-terminal ------------------------------------


def test_interactive_login_hidden_key_and_picker(tmp_path, httpserver) -> None:
    pexpect = pytest.importorskip("pexpect")
    from fixture_catalog import write_catalog

    url = serve_models(httpserver)
    home = tmp_path / "home"
    env = {**os.environ, "KABOT_MODELS_CATALOG": str(write_catalog(tmp_path / "catalog")), "KABOT_MODELS_HOME": str(home),
           "TERM": "xterm", "COLUMNS": "100", "LINES": "30"}
    for var in ("KM_TEST_ACME_KEY", "NO_COLOR"):
        env.pop(var, None)
    transcript = io.StringIO()
    child = pexpect.spawn(str(ROOT / ".venv/bin/kabot-models"), ["auth", "login", "acme", "--base-url", url],
                          env=env, encoding="utf-8", timeout=30, dimensions=(30, 100))
    child.logfile_read = transcript
    child.expect_exact("API key for Acme AI (input hidden): ")
    child.sendline(GOOD_KEY)
    child.expect_exact("Pick the default model (acme):")
    child.expect_exact("acme/acme-experimental")  # the whole list is drawn: recommended first, then the live ones
    child.send("\x1b[B")  # down arrow: from acme-large to acme-small
    child.send("\r")
    child.expect(pexpect.EOF)
    child.close()
    out = transcript.getvalue()
    assert child.exitstatus == 0, out
    assert GOOD_KEY not in out  # the prompt did not echo the key, and nothing printed it
    assert "default model: acme/acme-small" in out
    assert load_config(home / "config.yaml")["default_model"] == "acme/acme-small"
    assert stat.S_IMODE((home / "credentials.yaml").stat().st_mode) == 0o600


def test_a_wrong_key_at_the_prompt_gets_a_second_try(tmp_path, httpserver) -> None:
    pexpect = pytest.importorskip("pexpect")
    from fixture_catalog import write_catalog

    url = serve_models(httpserver)
    home = tmp_path / "home"
    env = {**os.environ, "KABOT_MODELS_CATALOG": str(write_catalog(tmp_path / "catalog")), "KABOT_MODELS_HOME": str(home),
           "TERM": "xterm", "NO_COLOR": "1"}
    env.pop("KM_TEST_ACME_KEY", None)
    transcript = io.StringIO()
    child = pexpect.spawn(str(ROOT / ".venv/bin/kabot-models"), ["auth", "login", "acme", "--base-url", url, "--model", "acme-small"],
                          env=env, encoding="utf-8", timeout=30, dimensions=(30, 200))
    child.logfile_read = transcript
    child.expect_exact("API key for Acme AI (input hidden): ")
    child.sendline("ak-mistyped-0000000000")
    child.expect_exact("the key from the prompt was rejected")
    child.expect_exact("Paste it again for Acme AI (input hidden): ")
    assert not (home / "credentials.yaml").exists()  # nothing kept from the first try
    child.sendline(GOOD_KEY)
    child.expect(pexpect.EOF)
    child.close()
    out = transcript.getvalue()
    assert child.exitstatus == 0, out
    assert "default model: acme/acme-small" in out and GOOD_KEY not in out and "ak-mistyped" not in out
    assert json.loads((home / "credentials.yaml").read_text())["providers"]["acme"]["api_key"] == GOOD_KEY

    # a second wrong key ends the login, storing nothing
    (home / "credentials.yaml").unlink()
    child = pexpect.spawn(str(ROOT / ".venv/bin/kabot-models"), ["auth", "login", "acme", "--base-url", url],
                          env=env, encoding="utf-8", timeout=30, dimensions=(30, 200))
    for attempt in ("API key for Acme AI (input hidden): ", "Paste it again for Acme AI (input hidden): "):
        child.expect_exact(attempt)
        child.sendline("ak-mistyped-0000000000")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1 and not (home / "credentials.yaml").exists()


def test_a_key_saved_by_login_makes_the_provider_win_short_name_ties(tmp_path, monkeypatch, httpserver) -> None:
    url = serve_models(httpserver)
    twin = lambda name: {"provider": {"name": name, "api": {"base_url": url}, "auth": {"env": [f"KM_TEST_{name.upper()}_KEY"]}},
                         "models": {"shared-1": {"name": "Shared 1"}}}
    home = use_catalog(monkeypatch, tmp_path, {"alpha": twin("alpha"), "beta": twin("beta")})
    res = run_cli(["resolve", "shared-1"])
    assert res.exit_code == 1 and "ambiguous" in res.stderr
    assert run_cli(["auth", "login", "beta", "--no-input"], input=GOOD_KEY + "\n").exit_code == 0
    assert not load_config(home / "config.yaml")["providers"]  # configured by the stored key alone
    res = run_cli(["resolve", "shared-1"])
    assert res.exit_code == 0 and res.stdout.strip() == "beta/shared-1"


def test_leaving_the_picker_keeps_the_key_and_the_config(tmp_path, httpserver) -> None:
    pexpect = pytest.importorskip("pexpect")
    from fixture_catalog import write_catalog

    url = serve_models(httpserver)
    home = tmp_path / "home"
    env = {**os.environ, "KABOT_MODELS_CATALOG": str(write_catalog(tmp_path / "catalog")), "KABOT_MODELS_HOME": str(home), "TERM": "xterm"}
    env.pop("KM_TEST_ACME_KEY", None)
    child = pexpect.spawn(str(ROOT / ".venv/bin/kabot-models"), ["auth", "login", "acme", "--base-url", url],
                          env=env, encoding="utf-8", timeout=30, dimensions=(30, 100))
    child.expect_exact("(input hidden): ")
    child.sendline(GOOD_KEY)
    child.expect_exact("Pick the default model (acme):")
    child.send("q")
    child.expect_exact("no model picked; the default model is unchanged")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "default_model" not in load_config(home / "config.yaml")
    assert json.loads((home / "credentials.yaml").read_text())["providers"]["acme"]["api_key"] == GOOD_KEY
