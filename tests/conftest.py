"""Suite-wide isolation: no test reads or writes the developer's real config, credentials or database."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parent.parent

# A test that imports LiteLLM before the bridge does must not have it fetch its price map from
# GitHub (three retries against a network CI does not have): its packaged copy, as the bridge sets.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")


@pytest.fixture(scope="session")
def _real_catalog_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real catalog's snapshot, compiled once per session (7,000 models: seconds of CPU each time).

    Built the way any load builds it (`load_registry` into an empty home); each test's fresh home
    links to it, so a test that loads the real catalog reads a current snapshot instead of compiling.
    The snapshot checks itself against the catalog's files on every read, and a write replaces the
    link, never the shared file: a test that edits a catalog or expects a compile still gets one."""
    from kabot_models.loader import load_registry
    from kabot_models.snapshot import cache_path

    home = tmp_path_factory.mktemp("snapshot-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KABOT_MODELS_HOME", str(home))
        mp.delenv("KABOT_MODELS_CATALOG", raising=False)
        load_registry(db=False)
        path = Path(cache_path(ROOT / "catalog"))
    assert path.is_file(), f"loading the real catalog wrote no snapshot at {path}"
    return path


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
                   _real_catalog_snapshot: Path) -> None:
    """Point KABOT_MODELS_HOME at a fresh directory unless a test sets its own; the real catalog's
    snapshot is linked into it (`_real_catalog_snapshot`)."""
    from kabot_models.snapshot import cache_path

    monkeypatch.setenv("KABOT_MODELS_HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.delenv("KABOT_MODELS_CATALOG", raising=False)
    link = Path(cache_path(ROOT / "catalog"))
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(_real_catalog_snapshot)


@pytest.fixture(autouse=True)
def _fresh_kabot_registry():
    """`ModelRegistry()` is one shared instance per process (Kabot's singleton): each test starts without it."""
    from kabot_models.kabot import ModelRegistry

    ModelRegistry.reset_shared()
    yield
    ModelRegistry.reset_shared()
