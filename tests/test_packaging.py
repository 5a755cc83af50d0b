"""The wheel carries a compiled snapshot: an installed user reads it and never parses YAML.

Builds the wheel offline (`--no-build-isolation`, the dev venv's setuptools) and installs it into a
throwaway venv that borrows the dev venv's dependencies (scripts/wheel_venv.py), then runs the
installed command from outside the checkout.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kabot_models.catalog import compile_catalog
from kabot_models.cli.catalog_cmds import model_json
from kabot_models.lifecycle import current_status
from kabot_models.snapshot import PACKAGED_SNAPSHOT

REPO = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("wheel_venv", REPO / "scripts" / "wheel_venv.py")
assert spec is not None and spec.loader is not None
wheel_venv = importlib.util.module_from_spec(spec)
spec.loader.exec_module(wheel_venv)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The interpreter of a venv with the freshly built wheel installed."""
    if importlib.util.find_spec("setuptools") is None:
        pytest.skip("setuptools is not installed in this environment; `make dev` installs it")
    dest = tmp_path_factory.mktemp("wheel-venv")
    try:
        return Path(wheel_venv.make_wheel_venv(str(dest)))
    except subprocess.CalledProcessError as exc:
        pytest.fail(f"building or installing the wheel failed: {exc}")


def run(python: Path, args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    env = {"KABOT_MODELS_HOME": str(home), "PATH": f"{python.parent}:/usr/bin:/bin", "NO_COLOR": "1"}
    return subprocess.run(args, cwd="/", env=env, capture_output=True, text=True, timeout=120)


def test_wheel_carries_a_current_snapshot(installed: Path, tmp_path: Path) -> None:
    probe = (
        "import json, sys, kabot_models.catalog as s\n"
        "from kabot_models.loader import load_registry\n"
        "r = load_registry()\n"
        "print(json.dumps({'dir': str(s.packaged_catalog_dir()), 'file': s.__file__, 'lazy': type(r._models).__name__,"
        " 'yaml': 'yaml' in sys.modules, 'pydantic': 'pydantic' in sys.modules, 'hash': r.source_hash}))"
    )
    home = tmp_path / "home"
    result = run(installed, [str(installed), "-c", probe], home)
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert not info["file"].startswith(str(REPO))  # the installed package, not the checkout
    assert os.path.exists(os.path.join(info["dir"], PACKAGED_SNAPSHOT))
    assert info["lazy"] == "SnapshotRecords" and not info["yaml"] and not info["pydantic"]
    assert info["hash"] == compile_catalog(REPO / "catalog").source_hash
    assert not home.exists()  # no cache written: the packaged snapshot was current


def test_installed_cli_lists_and_shows_the_catalog(installed: Path, tmp_path: Path) -> None:
    compiled = compile_catalog(REPO / "catalog")
    home = tmp_path / "home"
    listed = run(installed, [str(installed.parent / "kabot-models"), "list", "--status", "all", "--json"], home)
    assert listed.returncode == 0, listed.stderr
    printed = json.loads(listed.stdout)
    # The status printed is today's, from the lifecycle dates (a model past its retirement date is retired).
    expected = [json.loads(json.dumps(model_json({**r, "status": current_status(r)}))) for r in compiled.models.values()]
    assert [p["id"] for p in printed] == [e["id"] for e in expected]
    # Every field of every record, as the YAML compiles it (the command may add fields of its own).
    assert [{k: p.get(k) for k in e} for p, e in zip(printed, expected)] == expected

    first = next(iter(compiled.models))
    shown = run(installed, [str(installed.parent / "kabot-models"), "show", first, "--json"], home)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["id"] == first
    assert not home.exists()


def test_installed_cli_reports_an_unknown_model_in_one_line(installed: Path, tmp_path: Path) -> None:
    result = run(installed, [str(installed.parent / "kabot-models"), "show", "no-such-model-anywhere"], tmp_path / "home")
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
