"""Every catalog file reads as the same data in every common YAML reader, and the writer keeps it so.

PyYAML's pure-Python SafeLoader, libyaml's CSafeLoader, ruamel.yaml and check-jsonschema (which
validates with the committed schema and no project code) must agree on every file under catalog/.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from ruamel.yaml import YAML

from kabot_models.yamlwrite import dump_rt, needs_quotes, yaml_rt

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "catalog" / "providers").glob("*.yaml")) + [ROOT / "catalog" / "sync.yaml"]


def test_every_catalog_file_loads_alike_in_every_reader() -> None:
    assert len(FILES) > 40
    ruamel_safe = YAML(typ="safe", pure=True)
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        pure = yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506 - SafeLoader is the point
        assert yaml.load(text, Loader=yaml.CSafeLoader) == pure, path.name  # noqa: S506
        assert ruamel_safe.load(text) == pure, path.name
        assert plain(yaml_rt().load(text)) == pure, path.name


def plain(node):
    if isinstance(node, dict):
        return {k: plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    return node


def test_check_jsonschema_accepts_every_provider_file() -> None:
    exe = Path(sys.executable).parent / "check-jsonschema"
    if not exe.exists():
        pytest.skip("check-jsonschema is not installed (dev extra)")
    files = [str(p) for p in FILES if p.parent.name == "providers"]
    proc = subprocess.run([str(exe), "--schemafile", str(ROOT / "schemas" / "provider.schema.json"), *files],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]


@pytest.mark.parametrize(("text", "quoted"), [
    ("https://prices.azure.com/api/retail/prices?$filter=x", True),  # `?` in a flow mapping stops PyYAML's pure scanner
    ("https://docs.x.ai/docs/models", False),
    ("1.110.2", False),
    ("1.10", True),     # would read as a float
    ("2026-11-26", True),  # would read as a date
    ("yes", True),
    ("note: with colon", True),
    ("a, b", True),
    ("LiteLLM's 0.3", False),
    ("-leading dash", True),
    ("`code`", True),
    ("mistral:codestral-2508", False),
])
def test_writer_quotes_what_needs_quotes(text: str, quoted: bool) -> None:
    assert needs_quotes(text) is quoted


def test_written_strings_read_back_alike(tmp_path: Path) -> None:
    doc = yaml_rt().load("provider:\n  name: X\nmodels:\n  m: {name: M}\n")
    tricky = ["https://a.test/p?x=1&y=2", "1.10", "2026-11-26", "yes", "a: b", "x #y", "[x]", "{y}", "'q'", '"d"', "@at", "%pct"]
    doc["models"]["m"]["notes"] = tricky
    text = dump_rt(doc)
    for loader in (yaml.SafeLoader, yaml.CSafeLoader):
        assert yaml.load(text, Loader=loader)["models"]["m"]["notes"] == tricky  # noqa: S506
