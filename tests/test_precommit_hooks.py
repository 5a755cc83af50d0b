"""`.pre-commit-hooks.yaml`: each hook's command line, as pre-commit would build it, passes good
YAML and fails bad YAML with file:line:col (pre-commit itself is not needed to check that)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from cli_runner import run_cli

ROOT = Path(__file__).resolve().parent.parent
HOOKS = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}

PLUGIN_OK = "provider:\n  name: Acme AI\n  api: {base_url: 'https://api.acme.test/v1'}\nmodels:\n  acme-one:\n    name: Acme One\n    context_window: 32000\n"
PLUGIN_CLASH = "provider:\n  name: Acme AI\nmodels:\n  acme-one:\n    name: Acme One\n    aliases: [sonnet]\n"
PLUGIN_BAD = "provider:\n  name: Acme AI\nmodels:\n  acme-one:\n    name: Acme One\n    context_window: lots\n"


def run_hook(hook: dict[str, Any], files: list[Path]) -> Any:
    """Run the hook's entry as pre-commit would: entry, then args, then the matched file names."""
    argv = shlex.split(hook["entry"])
    assert argv[0] == "kabot-models"
    matched = [str(f) for f in files if re.search(hook["files"], f.as_posix())]
    assert hook.get("pass_filenames", True) is False or matched, f"{hook['id']} matches none of {files}"
    names = matched if hook.get("pass_filenames", True) else []
    return run_cli([*argv[1:], *hook.get("args", []), *names])


def test_every_hook_runs_the_validate_command() -> None:
    assert set(HOOKS) == {"kabot-models-validate", "kabot-models-validate-catalog", "kabot-models-config"}
    for hook in HOOKS.values():
        assert hook["language"] == "python" and shlex.split(hook["entry"])[:2] == ["kabot-models", "validate"]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (PLUGIN_OK, None),
        (PLUGIN_CLASH, r"acme\.yaml:6:\d+: models\.acme-one\.aliases\[0\]: alias 'sonnet' is already used"),  # clashes with the packaged catalog
        (PLUGIN_BAD, r"acme\.yaml:6:\d+: models\.acme-one\.context_window: 'lots' is not of type 'integer'"),
    ],
)
def test_provider_files_hook(tmp_path: Path, text: str, error: str | None) -> None:
    path = tmp_path / "providers" / "acme.yaml"
    path.parent.mkdir()
    path.write_text(text)
    res = run_hook(HOOKS["kabot-models-validate"], [path, tmp_path / "README.md"])
    assert (res.exit_code == 0) is (error is None), res.stdout + res.stderr
    if error:
        assert re.search(error, res.stdout), res.stdout


def test_catalog_hook_checks_the_directory_named_in_args(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "catalog" / "providers").mkdir(parents=True)
    (tmp_path / "catalog" / "providers" / "acme.yaml").write_text(PLUGIN_OK)
    monkeypatch.chdir(tmp_path)
    res = run_hook(HOOKS["kabot-models-validate-catalog"], [Path("catalog/providers/acme.yaml")])
    assert res.exit_code == 0 and "catalog valid: 1 providers, 1 models" in res.stdout
    (tmp_path / "catalog" / "providers" / "acme.yaml").write_text(PLUGIN_BAD.replace("aliases: [sonnet]", "aliases: [a]"))
    res = run_hook(HOOKS["kabot-models-validate-catalog"], [Path("catalog/providers/acme.yaml")])
    assert res.exit_code == 1 and "context_window" in res.stdout


def test_config_hook(tmp_path: Path) -> None:
    good, bad = tmp_path / "good" / "config.yaml", tmp_path / "bad" / "config.yaml"
    good.parent.mkdir()
    bad.parent.mkdir()
    good.write_text("default_model: sonnet\naliases:\n  fast: gpt-4o-mini\n")
    bad.write_text("default_model: sonnet\ncolour: blue\n")
    assert run_hook(HOOKS["kabot-models-config"], [good]).exit_code == 0
    res = run_hook(HOOKS["kabot-models-config"], [good, bad])
    assert res.exit_code == 1
    assert re.match(rf"{re.escape(str(bad))}:2:1: .*colour", res.stdout), res.stdout
