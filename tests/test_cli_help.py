"""Help a person can read, and usage errors as one line: the conventions every command shares."""

from __future__ import annotations

import re

import pytest

from cli_runner import run_cli


def _commands() -> list[list[str]]:
    import typer

    from kabot_models.cli import app

    group = typer.main.get_group(app)
    out: list[list[str]] = [[]]
    for name, cmd in group.commands.items():
        sub = getattr(cmd, "commands", None)
        out += [[name, s] for s in sub] if sub else [[name]]
        if sub:
            out.append([name])
    return out


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c) or "kabot-models")
def test_help_shows_readable_value_names(command: list[str]) -> None:
    res = run_cli([*command, "--help"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert not re.search(r"<(bool|str|int|float|path|list\[[a-z]+\]|int range|float range)>", res.stdout), res.stdout
    assert "scanner." not in res.stdout and "DEFAULT_" not in res.stdout  # no Python names in help text


def test_scan_help_states_the_real_default_concurrency() -> None:
    from kabot_models.scanner import DEFAULT_CONCURRENCY

    assert f"(default: {DEFAULT_CONCURRENCY})" in run_cli(["scan", "--help"], env={"COLUMNS": "200"}).stdout


@pytest.mark.parametrize(("args", "message"), [
    (["lst"], "error: No such command 'lst'"),
    (["list", "--bogus"], "error: No such option: --bogus (see `kabot-models list --help`)"),
    (["resolve"], "error: Missing argument 'name'"),
    (["cost", "gpt-4o", "--input"], "error: Option '--input' requires an argument"),
    (["auth", "login"], "error: Missing argument 'provider'"),
])
def test_a_usage_error_is_one_line_with_exit_2(args: list[str], message: str) -> None:
    res = run_cli(args)
    assert res.exit_code == 2
    assert res.stdout == ""
    assert res.stderr.count("\n") == 1 and res.stderr.startswith(message), res.stderr


def test_a_bare_group_prints_its_help() -> None:
    for args in ([], ["auth"], ["alias"]):
        res = run_cli(args)
        assert res.exit_code == 0 and "Usage: kabot-models" in res.stdout
