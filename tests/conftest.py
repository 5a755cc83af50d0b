"""Suite-wide isolation: no test reads or writes the developer's real config, credentials or database."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point KABOT_MODELS_HOME at a fresh directory unless a test sets its own."""
    monkeypatch.setenv("KABOT_MODELS_HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.delenv("KABOT_MODELS_CATALOG", raising=False)


@pytest.fixture(autouse=True)
def _fresh_kabot_registry():
    """`ModelRegistry()` is one shared instance per process (Kabot's singleton): each test starts without it."""
    from kabot_models.kabot import ModelRegistry

    ModelRegistry.reset_shared()
    yield
    ModelRegistry.reset_shared()
