"""Third-party plugins: a real package (tests/fixtures/plugin_pkg) pip-installed into a temporary
directory and found through its `kabot_models.plugins` entry points."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli_runner import run_cli
from fixture_catalog import use_catalog
from kabot_models.plugins import loader

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "plugin_pkg"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def plugin_site(tmp_path_factory) -> Path:
    """A directory holding the installed fixture plugin (package + dist-info with entry points)."""
    src = tmp_path_factory.mktemp("plugin_src") / "plugin_pkg"
    shutil.copytree(FIXTURE, src)  # build in a copy: pip leaves build/ and *.egg-info behind
    target = tmp_path_factory.mktemp("plugin_site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", "-t", str(target), str(src)],
        check=True, capture_output=True,
    )
    assert list(target.glob("kabot_models_widgetco-*.dist-info/entry_points.txt"))
    return target


@pytest.fixture
def installed(plugin_site, monkeypatch):
    """The plugin importable in this process; plugin discovery re-run before and after."""
    monkeypatch.syspath_prepend(str(plugin_site))
    loader.plugins(refresh=True)
    yield plugin_site
    monkeypatch.undo()
    for name in [m for m in sys.modules if m.startswith("kabot_widgetco")]:
        del sys.modules[name]
    loader.plugins(refresh=True)


def test_no_plugins_means_no_importlib_metadata(tmp_path) -> None:
    code = "import sys; from kabot_models.plugins.loader import plugins; assert not plugins().plugins; print('importlib.metadata' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": ""}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "False"


def test_discovery_reports_broken_plugin_by_name(installed) -> None:
    found = loader.plugins()
    names = [p.name for p in found.plugins]
    assert "widgetco" in names and "badyaml" in names
    widget = next(p for p in found.plugins if p.name == "widgetco")
    assert widget.dist == "kabot-models-widgetco 0.1.0" and widget.providers == ("widgetco",)
    assert found.for_provider("widgetco") is widget.plugin
    assert [(p.name, p.error) for p in found.problems] == [("broken", "RuntimeError: licence server unreachable")]


def test_plugin_yaml_is_validated_like_the_catalog(installed, tmp_path, monkeypatch) -> None:
    use_catalog(monkeypatch, tmp_path)
    compiled, found = loader.compile_with_plugins()
    assert "widgetco/widget-large" in compiled.models and "acme/acme-large" in compiled.models
    assert not any(k.startswith("gizmo/") for k in compiled.models)
    bad = next(p for p in found.problems if p.name == "badyaml")
    assert "gizmo.yaml:7:5: models.gizmo-1.contxt_window: unknown field 'contxt_window'; did you mean 'context_window'?" in bad.error


def test_cli_sees_plugin_provider_models_and_aliases(installed, tmp_path, monkeypatch) -> None:
    use_catalog(monkeypatch, tmp_path)
    res = run_cli(["list", "--provider", "widgets", "--json"])  # the plugin's provider alias works too
    assert res.exit_code == 0, res.output
    rows = {r["id"]: r for r in json.loads(res.stdout)}
    assert set(rows) == {"widgetco/widget-large", "widgetco/widget-mini"}
    assert rows["widgetco/widget-large"]["aliases"] == ["wlarge"]
    assert "warning: plugin 'broken' not loaded: RuntimeError: licence server unreachable" in res.stderr
    assert "warning: plugin 'badyaml' not loaded: catalog:" in res.stderr
    res = run_cli(["show", "wmini"])
    assert res.exit_code == 0 and "widgetco/widget-mini" in res.stdout
    res = run_cli(["cost", "wlarge", "--input", "1M"])
    assert res.exit_code == 0 and "$2" in res.stdout
    res = run_cli(["plugins"])
    assert "widgetco: from kabot-models-widgetco 0.1.0; login hooks for widgetco; 1 catalog file(s), 2 model(s)" in res.stdout
    assert "broken: NOT LOADED: RuntimeError: licence server unreachable" in res.stdout


def test_plugin_found_by_a_fresh_process(plugin_site, tmp_path) -> None:
    from fixture_catalog import write_catalog

    env = {**os.environ, "PYTHONPATH": str(plugin_site), "KABOT_MODELS_CATALOG": str(write_catalog(tmp_path / "cat")),
           "KABOT_MODELS_HOME": str(tmp_path / "home")}
    res = subprocess.run([str(ROOT / ".venv/bin/kabot-models"), "list", "--provider", "widgetco", "--json"],
                         capture_output=True, text=True, env=env)
    assert res.returncode == 0, res.stderr
    assert [m["id"] for m in json.loads(res.stdout)] == ["widgetco/widget-large", "widgetco/widget-mini"]
    assert "plugin 'broken' not loaded" in res.stderr and "Traceback" not in res.stderr
