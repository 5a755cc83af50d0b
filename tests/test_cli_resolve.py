"""`kabot-models resolve` and `kabot-models alias ...`, driven through the real command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kabot_models.cli import app

FIXTURE = Path(__file__).parent / "fixtures" / "resolver"
CAT = ["--catalog", str(FIXTURE)]
KM = Path(sys.executable).parent / "kabot-models"


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("KABOT_MODELS_HOME", str(tmp_path))
    for var in ("CEREBRAS_API_KEY", "VENICE_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.mark.parametrize(
    ("name", "out"),
    [
        ("gpt4", "openai/gpt-4o"),
        ("gpt-4o", "openai/gpt-4o"),
        ("kimi-k2.5", "moonshot/kimi-k2.5"),
        ("sonnet", "anthropic/claude-sonnet-4-5"),
        ("gemini/gemini-2.5-pro", "google/gemini-2.5-pro"),
        ("openai/gpt-9", "openai/gpt-9"),
    ],
)
def test_resolve_prints_the_full_id(home: Path, name: str, out: str) -> None:
    result = run("resolve", name, *CAT)
    assert result.exit_code == 0, result.output
    assert result.stdout == out + "\n"


def test_resolve_json(home: Path) -> None:
    result = run("resolve", "claude-3-5-sonnet", "--json", *CAT)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["query"] == "claude-3-5-sonnet"
    assert data["id"] == "anthropic/claude-3-5-sonnet-20241022"
    assert data["rule"] == "forgiving: dated snapshot"
    assert data["candidates"] == ["anthropic/claude-3-5-sonnet-20240620", "anthropic/claude-3-5-sonnet-20241022"]
    assert "use anthropic/claude-sonnet-4-5 instead" in data["warning"]
    assert "warning: " in result.stderr


def test_resolve_explain(home: Path) -> None:
    result = run("resolve", "llama-3.3-70b", "--explain", *CAT)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "groq/llama-3.3-70b",
        "rule: short name",
        "  short name: llama-3.3-70b -> groq/llama-3.3-70b",
        "candidates: cerebras/llama-3.3-70b, groq/llama-3.3-70b",
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("gpt-4oo", "error: unknown model 'gpt-4oo'; did you mean openai/gpt-4o"),
        ("qwen-3-32b", "error: 'qwen-3-32b' is ambiguous: cerebras/qwen-3-32b, venice/qwen-3-32b"),
        ("nosuch/model", "error: unknown model 'nosuch/model': no provider is called 'nosuch'"),
        ("openai/", "error: 'openai/' names the provider 'openai' but no model"),
        (" ", "error: model name is empty"),
        ("y" * 10_000, "characters long; the limit is 512"),
        ("gpt\x1b4", "control character"),
    ],
)
def test_resolve_errors_are_one_line(home: Path, name: str, message: str) -> None:
    result = run("resolve", name, *CAT)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_resolve_json_error(home: Path) -> None:
    result = run("resolve", "gpt-4oo", "--json", *CAT)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["id"] is None and data["suggestions"][0] == "openai/gpt-4o"


def test_resolve_with_a_broken_config(home: Path) -> None:
    (home / "config.yaml").write_text("aliases:\n  fast: [1, 2]\n")
    result = run("resolve", "gpt4", *CAT)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {home}/config.yaml:2:9: aliases.fast: Input should be a valid string"


def test_alias_lifecycle(home: Path) -> None:
    result = run("alias", "add", "fast", "gpt4m", *CAT)
    assert result.exit_code == 0, result.output
    assert result.stdout == "fast -> openai/gpt-4o-mini\n"
    assert run("resolve", "fast", *CAT).stdout == "openai/gpt-4o-mini\n"

    result = run("alias", "add", "fast", "opus", *CAT)
    assert result.exit_code == 1
    assert "already points at 'openai/gpt-4o-mini'; use --force" in result.stderr
    assert run("resolve", "fast", *CAT).stdout == "openai/gpt-4o-mini\n"  # unchanged

    assert run("alias", "add", "fast", "gpt4m", *CAT).exit_code == 0  # same target again: fine
    result = run("alias", "add", "fast", "opus", "--force", *CAT)
    assert result.exit_code == 0 and result.stdout == "fast -> anthropic/claude-opus-4-6\n"

    result = run("alias", "add", "sonnet", "opus", *CAT)  # a user alias over a catalog alias
    assert "hides the catalog's sonnet -> anthropic/claude-sonnet-4-5" in result.stdout
    assert run("resolve", "sonnet", *CAT).stdout == "anthropic/claude-opus-4-6\n"

    rows = json.loads(run("alias", "list", "--json", *CAT).stdout)
    assert {"alias": "fast", "target": "anthropic/claude-opus-4-6", "source": "user", "hidden": False} in rows
    assert {"alias": "sonnet", "target": "anthropic/claude-sonnet-4-5", "source": "catalog", "hidden": True} in rows
    assert {"alias": "gpt4", "target": "openai/gpt-4o", "source": "catalog", "hidden": False} in rows

    table = run("alias", "list", *CAT).stdout
    assert "fast" in table and "user" in table and "hidden by yours" in table

    assert run("alias", "remove", "fast").stdout == "removed fast\n"
    assert run("resolve", "fast", *CAT).exit_code == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "Fast", "gpt4"], "invalid alias name 'Fast'"),
        (["add", "my/alias", "gpt4"], "invalid alias name 'my/alias'"),
        (["add", "-x", "gpt4"], ""),  # looks like an option: typer refuses it
        (["add", "a" * 100, "gpt4"], "invalid alias name"),
        (["add", "fast", "no-such-model"], "unknown model 'no-such-model'"),
        (["add", "fast", "qwen-3-32b"], "is ambiguous"),
        (["add", "fast", ""], "model name is empty"),
        (["remove", "sonnet"], "'sonnet' is not one of your aliases"),
    ],
)
def test_alias_refusals(home: Path, args: list[str], message: str) -> None:
    result = run("alias", *args, *(CAT if args[0] == "add" else []))
    assert result.exit_code != 0
    assert message in result.stderr
    assert not (home / "config.yaml").exists()  # nothing written


def test_end_to_end_subprocess(home: Path) -> None:
    env = {"KABOT_MODELS_HOME": str(home), "PATH": "/usr/bin:/bin"}
    added = subprocess.run([str(KM), "alias", "add", "work", "kimi", *CAT], capture_output=True, text=True, env=env)
    assert added.returncode == 0, added.stderr
    out = subprocess.run([str(KM), "resolve", "work", "--json", *CAT], capture_output=True, text=True, env=env)
    assert out.returncode == 0
    assert json.loads(out.stdout)["id"] == "moonshot/kimi-k2.5"
    bad = subprocess.run([str(KM), "resolve", "wrok", *CAT], capture_output=True, text=True, env=env)
    assert bad.returncode == 1
    assert bad.stderr.startswith("error: unknown model 'wrok'") and "Traceback" not in bad.stderr
