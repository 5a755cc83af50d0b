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
from kabot_models.plugins import third_party

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
    third_party.plugins(refresh=True)
    yield plugin_site
    monkeypatch.undo()
    for name in [m for m in sys.modules if m.startswith("kabot_widgetco")]:
        del sys.modules[name]
    third_party.plugins(refresh=True)


def test_no_plugins_means_no_importlib_metadata(tmp_path) -> None:
    code = "import sys; from kabot_models.plugins.third_party import plugins; assert not plugins().plugins; print('importlib.metadata' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": ""}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "False"


def test_discovery_reports_broken_plugin_by_name(installed) -> None:
    found = third_party.plugins()
    names = [p.name for p in found.plugins]
    assert "widgetco" in names and "badyaml" in names
    widget = next(p for p in found.plugins if p.name == "widgetco")
    assert widget.dist == "kabot-models-widgetco 0.1.0" and widget.providers == ("widgetco",)
    assert found.for_provider("widgetco") is widget.plugin
    assert [(p.name, p.error) for p in found.problems] == [("broken", "RuntimeError: licence server unreachable")]


def test_plugin_yaml_is_validated_like_the_catalog(installed, tmp_path, monkeypatch) -> None:
    use_catalog(monkeypatch, tmp_path)
    compiled, found = third_party.compile_with_plugins()
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
    assert "widgetco: from kabot-models-widgetco 0.1.0; login hooks for widgetco; lists their models; 1 catalog file(s), 2 model(s)" in res.stdout
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


WIDGET_KEY = "wc-plugin-test-key-000111"


def widget_api(httpserver) -> str:
    """A stand-in WidgetCo API: `GET /v1/widgets` in its own shape, answering only WIDGET_KEY."""
    from werkzeug.wrappers import Response

    def handler(request):
        if request.headers.get("Authorization") != f"Bearer {WIDGET_KEY}":
            return Response('{"error": "bad key"}', 401, content_type="application/json")
        body = {"widgets": [{"model": "widget-large", "title": "Widget Large"}, {"model": "widget-mini"},
                            {"model": "widget-ultra-pro", "title": "Widget Ultra Pro"}]}
        return Response(json.dumps(body), 200, content_type="application/json")

    httpserver.expect_request("/v1/widgets").respond_with_handler(handler)
    return httpserver.url_for("/v1")


def test_login_through_a_plugin_translator_and_its_aliases(installed, tmp_path, monkeypatch, httpserver) -> None:
    home = use_catalog(monkeypatch, tmp_path)
    (home / "config.yaml").write_text("# mine\naliases:\n  widget-mini: acme/acme-small  # keep this\n", encoding="utf-8")
    url = widget_api(httpserver)
    res = run_cli(["auth", "login", "widgetco", "--base-url", url, "--no-input"], input=WIDGET_KEY + "\n")
    assert res.exit_code == 0, res.output
    assert "key for widgetco verified (3 models listed)" in res.stderr
    from kabot_models.config import load_config

    config = load_config(home / "config.yaml")
    assert config["default_model"] == "widgetco/widget-large"  # first of the plugin's recommendations
    # the plugin's alias is added; the user's own `widget-mini` is kept, not overwritten
    assert config["aliases"] == {"widget-mini": "acme/acme-small", "widget": "widgetco/widget-large"}
    assert "kept your alias widget-mini -> acme/acme-small (suggested: widgetco/widget-mini)" in res.stdout
    assert "# keep this" in (home / "config.yaml").read_text(encoding="utf-8")
    # the live-only model the plugin's translator listed is now in `list`, as scan-only
    rows = {r["id"]: r for r in json.loads(run_cli(["list", "--provider", "widgetco", "--json"]).stdout)}
    assert rows["widgetco/widget-ultra-pro"]["origin"] == "scan" and rows["widgetco/widget-ultra-pro"]["name"] == "Widget Ultra Pro"
    assert rows["widgetco/widget-large"]["default"] is True and rows["widgetco/widget-large"]["user_aliases"] == ["widget"]
    # --model may name a model only the live API has (the plugin recommends it)
    res = run_cli(["auth", "login", "widgetco", "--base-url", url, "--no-input", "--model", "widget-ultra-pro"], input=WIDGET_KEY + "\n")
    assert res.exit_code == 0, res.output
    assert load_config(home / "config.yaml")["default_model"] == "widgetco/widget-ultra-pro"
