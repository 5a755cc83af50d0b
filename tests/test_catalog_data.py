"""The catalog's data: Kabot's ids and aliases are all there, and the coverage targets hold."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kabot_models.catalog import validate_catalog

ROOT = Path(__file__).resolve().parent.parent
KABOT = ROOT.parent / "shared" / "kabot"
DRAFT = ROOT / "scripts" / "draft_from_litellm.py"


@pytest.fixture(scope="module")
def catalog():
    compiled, issues = validate_catalog(ROOT / "catalog")
    assert compiled is not None, "\n".join(map(str, issues[:20]))
    return compiled


def _kabot_file(name: str) -> Path:
    path = KABOT / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (Kabot's shared files sit next to the checkout)")
    return path


def test_every_kabot_id_is_catalogued(catalog):
    ids = [line.strip() for line in _kabot_file("catalog-ids.txt").read_text().splitlines() if line.strip()]
    missing = [i for i in ids if i not in catalog.models]
    assert not missing, f"{len(missing)} Kabot ids missing, e.g. {missing[:5]}"


def test_every_kabot_alias_resolves(catalog):
    rows = [line.split("\t") for line in _kabot_file("aliases.tsv").read_text().splitlines() if line.strip()]
    aliases = {a for rec in catalog.models.values() for a in rec.get("aliases", [])}
    short_ids = {full.split("/", 1)[1] for full in catalog.models}
    # an alias equal to a model's api id is dropped on purpose (docs/models/aliases.md): the short name resolves
    missing = [alias for alias, _target in rows if alias not in aliases and alias not in short_ids]
    assert not missing, f"aliases missing: {missing}"


def test_provider_count(catalog):
    assert len(catalog.providers) >= 35


def test_priced_chat_models_with_context(catalog):
    own = [
        r for r in catalog.models.values()
        if r["mode"] == "chat"
        and (r.get("pricing") or {}).get("input_1m") is not None
        and r.get("context_window") is not None
        and r["field_sources"].get("pricing") == "catalog"  # priced from data, not inherited from a base
    ]
    assert len(own) >= 500


@pytest.mark.parametrize(
    "provider, aliases",
    [("google", ["gemini"]), ("zai", ["zhipu"]), ("moonshot", ["kimi", "moonshotai"]), ("dashscope", ["qwen"]), ("xai", ["x-ai"])],
)
def test_renamed_providers_keep_kabot_names(catalog, provider, aliases):
    assert set(aliases) <= set(catalog.providers[provider]["aliases"])


def test_draft_script_unknown_provider_is_one_line_error():
    proc = subprocess.run([sys.executable, str(DRAFT), "no-such-provider"], capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1
    assert "Traceback" not in proc.stderr


def test_draft_script_bad_provider_id_is_one_line_error():
    proc = subprocess.run([sys.executable, str(DRAFT), "Not An Id"], capture_output=True, text=True)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1


def test_draft_script_output_validates(tmp_path):
    shutil.copytree(ROOT / "catalog", tmp_path / "catalog")
    providers = tmp_path / "catalog" / "providers"
    # refresh an existing file in place, and draft a provider the catalog does not have
    for args in (["moonshot", "--out", str(providers / "moonshot.yaml")],
                 ["nscale", "--litellm-provider", "nscale", "--out", str(providers / "nscale.yaml")]):
        proc = subprocess.run([sys.executable, str(DRAFT), *args], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
    text = (providers / "nscale.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=") and "# DRAFT: review against" in text
    compiled, issues = validate_catalog(tmp_path / "catalog")
    assert compiled is not None, "\n".join(map(str, issues[:10]))
