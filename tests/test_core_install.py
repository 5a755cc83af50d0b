"""`pip install kabot-models` without extras: every core command works, and LiteLLM is not there.

The venv holds the freshly built wheel and only the distributions its own requirements need
(scripts/wheel_venv.py --core-only links them from the dev environment, offline); `import litellm`
fails there, so nothing below can lean on it by accident.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from scanner_fixtures import serve_flavour

REPO = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("wheel_venv", REPO / "scripts" / "wheel_venv.py")
assert spec is not None and spec.loader is not None
wheel_venv = importlib.util.module_from_spec(spec)
spec.loader.exec_module(wheel_venv)

HINT = "pip install 'kabot-models[litellm]'"


@pytest.fixture(scope="module")
def core(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The interpreter of a venv with the wheel and its core dependencies only."""
    if importlib.util.find_spec("setuptools") is None:
        pytest.skip("setuptools is not installed in this environment; `make dev` installs it")
    dest = tmp_path_factory.mktemp("core-venv")
    try:
        return Path(wheel_venv.make_wheel_venv(str(dest), core_only=True))
    except subprocess.CalledProcessError as exc:
        pytest.fail(f"building or installing the wheel failed: {exc}")


def run(python: Path, args: list[str], home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {"KABOT_MODELS_HOME": str(home), "PATH": f"{python.parent}:/usr/bin:/bin", "NO_COLOR": "1", **env}
    return subprocess.run(args, cwd="/", env=full_env, capture_output=True, text=True, timeout=300)


def km(core: Path, *args: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return run(core, [str(core.parent / "kabot-models"), *args], home, **env)


def test_litellm_is_not_importable_and_the_core_does_not_need_it(core: Path, tmp_path: Path) -> None:
    probe = ("import importlib.util, json, sys, kabot_models\n"
             "from kabot_models import load_registry\n"
             "r = load_registry(); rid = r.resolve('sonnet'); m = r.get('sonnet')\n"
             "print(json.dumps({'litellm': importlib.util.find_spec('litellm') is not None, 'loaded': 'litellm' in sys.modules,"
             " 'id': rid, 'price': m.pricing.input_1m}))")
    res = run(core, [str(core), "-c", probe], tmp_path / "home")
    assert res.returncode == 0, res.stderr
    info = json.loads(res.stdout)
    assert info["litellm"] is False and info["loaded"] is False
    assert info["id"].startswith("anthropic/") and info["price"] > 0


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (["validate"], "catalog valid:"),
        (["list", "--provider", "anthropic"], "anthropic/"),
        (["list", "--json"], '"id": "'),
        (["resolve", "sonnet"], "anthropic/"),
        (["resolve", "gpt4", "--explain"], "openai/gpt-4o"),
        (["show", "sonnet"], "how to reach it"),
        (["show", "openai"], "https://api.openai.com/v1"),
        (["providers"], "anthropic"),
        (["cost", "sonnet", "--input", "1000", "--output", "100"], "$"),
        (["export", "--format", "json", "--provider", "openai"], '"catalog_id": "openai"'),
        (["export", "--format", "models-dev", "--provider", "openai"], '"npm"'),
        (["export", "--format", "csv", "--provider", "openai"], "catalog_id,name"),
        (["plugins"], "no plugins installed"),
    ],
)
def test_core_command_works_without_litellm(core: Path, tmp_path: Path, args: list[str], expect: str) -> None:
    res = km(core, *args, home=tmp_path / "home")
    assert res.returncode == 0, res.stderr
    assert expect in res.stdout, res.stdout[:500]
    assert "Traceback" not in res.stderr


def test_show_says_the_litellm_string_needs_the_extra(core: Path, tmp_path: Path) -> None:
    res = km(core, "show", "sonnet", "--json", home=tmp_path / "home")
    assert res.returncode == 0, res.stderr
    reach = json.loads(res.stdout)["reach"]
    assert reach["litellm_model"] is None and reach["base_url"] == "https://api.anthropic.com/v1"
    assert HINT in km(core, "show", "sonnet", home=tmp_path / "home").stdout


def test_scan_works_without_litellm(core: Path, tmp_path: Path, httpserver: Any) -> None:
    base = serve_flavour(httpserver, "openai")
    res = km(core, "scan", "--provider", "openai", "--base-url", base, "--json", home=tmp_path / "home", OPENAI_API_KEY="sk-test-key-0000")
    assert res.returncode == 0, res.stderr
    [provider] = json.loads(res.stdout)["providers"]
    assert provider["status"] == "ok" and provider["seen"] > 0
    assert (tmp_path / "home" / "models.db").is_file()


def test_site_builds_without_litellm(core: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    res = km(core, "site", "--out", str(out), home=tmp_path / "home")
    assert res.returncode == 0, res.stderr
    assert (out / "index.html").is_file() and (out / "api" / "catalog.json").is_file()
    from kabot_models.loader import load_registry
    from kabot_models.site import model_page

    page = (out / model_page(load_registry(db=False).resolve("sonnet"))).read_text()
    assert "built without LiteLLM" in page and "https://api.anthropic.com/v1" in page


def test_the_bridge_fails_with_one_line_naming_the_extra(core: Path, tmp_path: Path) -> None:
    res = km(core, "export", "--format", "litellm", home=tmp_path / "home")
    assert res.returncode == 1
    assert res.stderr.strip().splitlines() == [f"error: the LiteLLM bridge needs LiteLLM, which is not installed: {HINT}"]
    probe = ("from kabot_models.litellm import route\n"
             "try:\n    route('sonnet')\nexcept ImportError as exc:\n    print(type(exc).__name__, exc)")
    out = run(core, [str(core), "-c", probe], tmp_path / "home")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ExtraMissing ") and HINT in out.stdout


def test_core_requirements_are_what_the_core_imports() -> None:
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    core = {Requirement(r).name for r in project["dependencies"]}
    assert core == {"pyyaml", "jsonschema", "pydantic", "typer", "rich", "httpx", "platformdirs", "ruamel.yaml"}
    [bridge] = [Requirement(r) for r in project["optional-dependencies"]["litellm"]]
    assert bridge.name == "litellm"
    # The floor is the release the data was audited against; the compromised releases are excluded.
    assert not bridge.specifier.contains("1.110.1") and bridge.specifier.contains("1.110.2")
    assert not bridge.specifier.contains("1.82.7") and not bridge.specifier.contains("1.82.8")
    assert "!=1.82.7" in str(bridge.specifier) and "!=1.82.8" in str(bridge.specifier)
    assert any(Requirement(r).name == "kabot-models" and "litellm" in Requirement(r).extras
               for r in project["optional-dependencies"]["dev"])
