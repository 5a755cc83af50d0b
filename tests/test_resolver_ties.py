"""Short names several entries share, and copies of one model: which entry a name means.

One table; each row is a small catalog, the environment, the name, and the full id (or the error).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

from fixture_catalog import write_catalog
from kabot_models.errors import AmbiguousModelError
from kabot_models.loader import load_registry


def provider(kind: str, env: str, keywords: list[str] | None = None, **models: dict[str, Any]) -> dict[str, Any]:
    return {
        "provider": {"name": kind.title(), "kind": kind, "auth": {"env": [env]}, "keywords": keywords or []},
        "models": {api_id: {"name": api_id, **entry} for api_id, entry in models.items()},
    }


# Kabot's shapes: aihubmix (a gateway reading OPENAI_API_KEY), first parties with keywords, a cloud.
CATALOG = {
    "openai": provider("first-party", "KM_OPENAI", ["openai", "gpt"], **{"o1-mini": {}, "gpt-x": {}}),
    "deepseek": provider("first-party", "KM_DEEPSEEK", ["deepseek"], **{"deepseek-v4-pro": {}}),
    "dashscope": provider("first-party", "KM_DASHSCOPE", ["qwen"], **{"deepseek-v4-pro": {}, "glm-5.1": {}}),
    "zai": provider("first-party", "KM_ZAI", ["glm", "zhipu"], **{"glm-5.1": {}}),
    "aihubmix": provider("gateway", "KM_OPENAI", [], **{"deepseek-v4-pro": {}, "gpt-x": {}}),
    "azure": provider("cloud", "KM_AZURE", [], **{"o1-mini": {}}),
    "anthropic": provider("first-party", "KM_ANTHROPIC", ["claude"], **{"claude-opus-4-6": {}}),
    "vercel": provider("gateway", "KM_VERCEL", [], **{
        "claude-opus-4.6": {"base": "anthropic/claude-opus-4-6"},
        "anthropic/claude-opus-4.6": {"base": "anthropic/claude-opus-4-6"},
    }),
    "relay": provider("gateway", "KM_RELAY", [], **{"anthropic/claude-opus-4.6": {"base": "anthropic/claude-opus-4-6"}}),
    "xai": {**provider("first-party", "KM_XAI", ["grok"], **{"grok-4.7": {}}), "provider": {"name": "xAI", "aliases": ["x-ai"]}},
    "openrouter": provider("gateway", "KM_OPENROUTER", [], **{"x-ai/grok-4.7": {}}),
    # A cloud's copy (no `base`) retired while the first party still serves the model; a first party's
    # model retired by its date while a cloud still lists its own entry.
    "google": provider("first-party", "KM_GOOGLE", ["gemini"], **{"gemini-9-flash": {}, "gemini-8-pro": {"retirement_date": "2026-01-31"}}),
    "vertex": provider("cloud", "KM_VERTEX", [], **{"gemini-9-flash": {"status": "retired"}, "gemini-8-pro": {}}),
}

TIES = [
    # (name, environment, expected full id or error text)
    ("claude-opus-4.6", {}, "anthropic/claude-opus-4-6"),  # one owner, a copy: the model it offers
    ("anthropic/claude-opus-4.6", {}, "anthropic/claude-opus-4-6"),  # two gateways' copies of one model
    ("x-ai/grok-4.7", {}, "xai/grok-4.7"),  # a provider alias beats a gateway's short id
    ("deepseek-v4-pro", {}, "deepseek/deepseek-v4-pro"),  # first parties, then the one whose keyword matches
    ("glm-5.1", {}, "zai/glm-5.1"),
    ("o1-mini", {}, "openai/o1-mini"),  # first party over a cloud's copy
    ("deepseek-v4-pro", {"KM_OPENAI": "sk-x"}, "deepseek/deepseek-v4-pro"),  # OpenAI's key does not configure aihubmix
    ("deepseek-v4-pro", {"KM_DASHSCOPE": "sk-x"}, "dashscope/deepseek-v4-pro"),  # a configured provider wins
    ("gpt-x", {"KM_OPENAI": "sk-x"}, "openai/gpt-x"),
    ("glm-5.1", {"KM_DASHSCOPE": "k", "KM_ZAI": "k"}, "zai/glm-5.1"),  # both configured: keywords decide
    ("gemini-9-flash", {"KM_VERTEX": "k"}, "google/gemini-9-flash"),  # a retired copy loses, configured or not
    ("gemini-9-flash", {}, "google/gemini-9-flash"),
    ("gemini-8-pro", {}, "google/gemini-8-pro"),  # the first party's own model, retired: it answers, with its warning
    ("gemini-8-pro", {"KM_VERTEX": "k"}, "vertex/gemini-8-pro"),  # a configured provider still serves it
]


@pytest.fixture(scope="module")
def catalog_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_catalog(tmp_path_factory.mktemp("ties"), CATALOG)


@pytest.mark.parametrize(("name", "env", "expected"), TIES)
def test_ties(catalog_dir: Path, monkeypatch: pytest.MonkeyPatch, name: str, env: dict[str, str], expected: str) -> None:
    for var in {"KM_OPENAI", "KM_DEEPSEEK", "KM_DASHSCOPE", "KM_ZAI", "KM_AZURE", "KM_ANTHROPIC", "KM_VERCEL", "KM_RELAY", "KM_XAI",
                "KM_OPENROUTER", "KM_GOOGLE", "KM_VERTEX"}:
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    registry = load_registry(catalog_dir, db=False)
    registry.use_user_config({})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert registry.resolve(name) == expected
        assert registry.explain(name).id == expected
        assert registry.resolve(name) == expected  # the fast path, once the slow one has run


def test_still_ambiguous_names_list_every_owner(tmp_path: Path) -> None:
    twins = {p: provider("first-party", f"KM_{p.upper()}", [], **{"same-1": {}}) for p in ("alpha", "beta")}
    registry = load_registry(write_catalog(tmp_path, twins), db=False)
    registry.use_user_config({})
    with pytest.raises(AmbiguousModelError, match="alpha/same-1, beta/same-1"):
        registry.resolve("same-1")


def test_a_scan_does_not_change_what_a_catalog_name_means(tmp_path: Path) -> None:
    """A model only a scan found loses ties to catalog entries (merge_scanned's promise)."""
    registry = load_registry(write_catalog(tmp_path, CATALOG), db=False)
    registry.use_user_config({})
    registry.add_model({"id": "dashscope/grok-4.7", "provider": "dashscope", "name": "grok-4.7", "origin": "scan",
                        "status": "active", "mode": "chat"})
    assert registry.resolve("grok-4.7") == "xai/grok-4.7"
