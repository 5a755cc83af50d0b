"""A plain `kabot-models resolve NAME` runs without Typer and prints what the Typer command prints."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kabot_models.catalog
from kabot_models.cli import _resolve_fast, app, main
from kabot_models.loader import load_registry

FIXTURE = Path(__file__).parent / "fixtures" / "resolver"


@pytest.fixture
def fixture_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The resolver's fixture catalog as the packaged one; an empty home."""
    monkeypatch.setenv("KABOT_MODELS_HOME", str(tmp_path))
    monkeypatch.setattr(kabot_models.catalog, "packaged_catalog_dir", lambda: str(FIXTURE))


@pytest.mark.parametrize("name", ["gpt4", "sonnet", "gemini/gemini-2.5-pro", "claude-3-5-sonnet", "openai/gpt-9"])
def test_fast_path_prints_what_the_typer_command_prints(fixture_catalog: None, capsys: pytest.CaptureFixture[str], name: str) -> None:
    assert _resolve_fast(["resolve", name])
    fast = capsys.readouterr()
    typer_run = CliRunner().invoke(app, ["resolve", name, "--catalog", str(FIXTURE)])
    assert typer_run.exit_code == 0
    assert (fast.out, fast.err) == (typer_run.stdout, typer_run.stderr)


def test_fast_path_error_is_the_typer_commands_error(fixture_catalog: None, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["kabot-models", "resolve", "no-such-model"])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 1
    fast = capsys.readouterr()
    typer_run = CliRunner().invoke(app, ["resolve", "no-such-model", "--catalog", str(FIXTURE)])
    assert typer_run.exit_code == 1
    assert fast.out == "" and fast.err == typer_run.stderr
    assert fast.err.startswith("error: ") and fast.err.count("\n") == 1


@pytest.mark.parametrize("args", [["resolve", "gpt4", "--json"], ["resolve", "--help"], ["resolve"], ["show", "gpt4"],
                                  ["resolve", "a", "b"], []])
def test_anything_but_the_plain_form_goes_to_typer(fixture_catalog: None, capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    assert not _resolve_fast(args)
    assert capsys.readouterr() == ("", "")


PROBE = """
import sys
from kabot_models.cli import main
sys.argv = ["kabot-models", "resolve", sys.argv[1]]
try:
    main()
finally:
    heavy = sorted({m.split(".")[0] for m in sys.modules} & {"typer", "click", "rich", "pydantic", "yaml", "httpx", "litellm"})
    print("heavy:", ",".join(heavy), file=sys.stderr)
"""


def test_console_script_resolves_without_typer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KABOT_MODELS_HOME", str(tmp_path))
    aliases = load_registry().aliases()  # whatever the packaged catalog holds: these tests do not depend on it
    if not aliases:
        pytest.skip("the packaged catalog has no alias to resolve")
    alias, target = next(iter(aliases.items()))
    env = {"KABOT_MODELS_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    load = subprocess.run([sys.executable, "-c", "from kabot_models.loader import load_registry; load_registry()"],
                          env=env, check=True)  # first run: the snapshot cache is written
    assert load.returncode == 0
    result = subprocess.run([sys.executable, "-c", PROBE, alias], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == target + "\n"
    assert result.stderr.splitlines()[-1] == "heavy: "
    shown = subprocess.run([sys.executable, "-m", "kabot_models.cli", "resolve", alias, "--json"], env=env,
                           capture_output=True, text=True)
    assert shown.returncode == 0 and json.loads(shown.stdout)["id"] == target  # the Typer path still works
