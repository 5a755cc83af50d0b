"""Resolution rules, one row per case, on a fixture catalog shaped like the real one (tests/fixtures/resolver)."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from kabot_models.errors import AmbiguousModelError, ResolutionError, UnknownModelError
from kabot_models.kabot import ModelRegistry
from kabot_models.loader import load_registry
from kabot_models.names import MAX_NAME_LENGTH
from kabot_models.resolver import ModelStatusWarning, normalise, undated

FIXTURE = Path(__file__).parent / "fixtures" / "resolver"
PROVIDER_KEYS = ("GROQ_API_KEY", "CEREBRAS_API_KEY", "VENICE_API_KEY")


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """No user config and no provider keys leak in from the machine running the tests."""
    monkeypatch.setenv("KABOT_MODELS_HOME", str(tmp_path))
    for var in PROVIDER_KEYS:
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="module")
def catalog() -> ModelRegistry:
    return load_registry(FIXTURE)


@pytest.fixture
def registry(catalog: ModelRegistry) -> ModelRegistry:
    catalog.use_user_config({})
    return catalog


RESOLVES = [
    # (name, full id, rule)
    ("gpt4", "openai/gpt-4o", "catalog alias"),
    ("gpt-4o", "openai/gpt-4o", "short name"),  # azure's copy is based on it: the base wins
    ("kimi-k2.5", "moonshot/kimi-k2.5", "short name"),
    ("kimi", "moonshot/kimi-k2.5", "catalog alias"),
    ("sonnet", "anthropic/claude-sonnet-4-5", "catalog alias"),
    ("claude-opus-4-6", "anthropic/claude-opus-4-6", "short name"),  # opencode's copy is based on it
    ("openai/gpt-4o", "openai/gpt-4o", "full id"),
    ("anthropic/claude-sonnet-4-5", "anthropic/claude-sonnet-4-5", "full id"),  # not openrouter's short id
    ("moonshotai/Kimi-K2.5", "moonshot/kimi-k2.5", "short name"),  # Together's copy answers with the model it offers
    ("together/moonshotai/Kimi-K2.5", "together/moonshotai/Kimi-K2.5", "full id"),
    ("deepseek/deepseek-r1", "openrouter/deepseek/deepseek-r1", "short name"),
    ("llama-3.3-70b", "groq/llama-3.3-70b", "short name"),  # groq has the lower priority
    ("gemini/gemini-2.5-pro", "google/gemini-2.5-pro", "provider alias"),
    ("kimi/kimi-k2.5", "moonshot/kimi-k2.5", "provider alias"),
    ("or/deepseek/deepseek-r1", "openrouter/deepseek/deepseek-r1", "provider alias"),
    ("GPT-4O", "openai/gpt-4o", "forgiving: case/punctuation"),
    ("kimi_k2_5", "moonshot/kimi-k2.5", "forgiving: case/punctuation"),
    ("Sonnet", "anthropic/claude-sonnet-4-5", "forgiving: case/punctuation"),
    ("Anthropic/Claude-Sonnet-4.5", "anthropic/claude-sonnet-4-5", "forgiving: case/punctuation"),
    ("Gemini/Gemini-2.5-Pro", "google/gemini-2.5-pro", "forgiving: case/punctuation"),
    ("claude-3-5-sonnet", "anthropic/claude-3-5-sonnet-20241022", "forgiving: dated snapshot"),
    ("Claude-3.5-Sonnet", "anthropic/claude-3-5-sonnet-20241022", "forgiving: dated snapshot"),
    ("anthropic/claude-3-5-sonnet", "anthropic/claude-3-5-sonnet-20241022", "forgiving: dated snapshot"),
    ("gpt-4o-2024-08-06", "openai/gpt-4o-2024-08-06", "short name"),
    ("openai/gpt-4", "openai/gpt-4-0613", "forgiving: dated snapshot"),
    # -MMDD has no year: release dates order 0125 (2024) after 1106 (2023)
    ("gpt-3.5-turbo", "openai/gpt-3.5-turbo-0125", "forgiving: dated snapshot"),
    ("openai/gpt-9-turbo", "openai/gpt-9-turbo", "pass-through"),
    ("gemini/gemini-9-ultra", "google/gemini-9-ultra", "pass-through"),
    ("OpenAI/o9", "openai/o9", "pass-through"),
    ("openrouter/meta/llama-5", "openrouter/meta/llama-5", "pass-through"),
    ("  gpt4  ", "openai/gpt-4o", "catalog alias"),
]


@pytest.mark.parametrize(("name", "expected", "rule"), RESOLVES)
def test_resolves(registry: ModelRegistry, name: str, expected: str, rule: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelStatusWarning)
        assert registry.resolve(name) == expected
        res = registry.explain(name)
        assert registry.resolve(name) == expected  # again, now that every index exists: the fast paths
    assert (res.id, res.rule) == (expected, rule)
    assert res.uncatalogued == (rule == "pass-through")


FAILS = [
    # (name, error class, text in the message)
    ("qwen-3-32b", AmbiguousModelError, "cerebras/qwen-3-32b, venice/qwen-3-32b"),
    ("gpt-4oo", UnknownModelError, "did you mean openai/gpt-4o"),
    ("sonet", UnknownModelError, "did you mean sonnet"),
    ("", UnknownModelError, "model name is empty"),
    ("   \t ", UnknownModelError, "model name is empty"),
    ("x" * 10_000, UnknownModelError, f"10,000 characters long; the limit is {MAX_NAME_LENGTH}"),
    ("gpt\x004o", UnknownModelError, "control character"),
    ("son\x1bnet", UnknownModelError, "control character"),
    ("openai/", UnknownModelError, "names the provider 'openai' but no model"),
    ("gemini/  ", UnknownModelError, "names the provider 'google' but no model"),
    ("nosuchprovider/gpt-4o", UnknownModelError, "no provider is called 'nosuchprovider'"),
    ("/gpt-4o", UnknownModelError, "no provider is called ''"),
    (None, UnknownModelError, "must be a string"),
    # pass-through carries only what a catalog id could be: it reaches LiteLLM and URLs
    ("openai/../x", UnknownModelError, "is not a model id"),
    ("openai//x", UnknownModelError, "is not a model id"),
    ("openai/gpt 4o", UnknownModelError, "is not a model id"),
    ("openai/x;rm -rf", UnknownModelError, "is not a model id"),
    ("openai/\u202egpt", UnknownModelError, "is not a model id"),
]


@pytest.mark.parametrize(("name", "error", "text"), FAILS)
def test_fails(registry: ModelRegistry, name: str, error: type, text: str) -> None:
    with pytest.raises(error) as info:
        registry.resolve(name)  # type: ignore[arg-type]
    assert text in str(info.value)
    assert isinstance(info.value, ResolutionError) and isinstance(info.value, LookupError)
    assert "\n" not in str(info.value)


def test_unknown_names_three_closest(registry: ModelRegistry) -> None:
    with pytest.raises(UnknownModelError) as info:
        registry.resolve("claude-sonet-4-5")
    assert info.value.suggestions[0] == "anthropic/claude-sonnet-4-5"
    assert len(info.value.suggestions) == 3


def test_ambiguous_lists_candidates(registry: ModelRegistry) -> None:
    for ask in (registry.resolve, registry.get):  # get() raises the same, never returns None
        with pytest.raises(AmbiguousModelError) as info:
            ask("qwen-3-32b")
        assert info.value.candidates == ["cerebras/qwen-3-32b", "venice/qwen-3-32b"]


@pytest.mark.parametrize(
    ("name", "env", "expected"),
    [
        ("qwen-3-32b", "CEREBRAS_API_KEY", "cerebras/qwen-3-32b"),  # configured provider breaks the tie
        ("qwen-3-32b", "VENICE_API_KEY", "venice/qwen-3-32b"),
        ("llama-3.3-70b", "CEREBRAS_API_KEY", "cerebras/llama-3.3-70b"),  # configured beats priority
    ],
)
def test_configured_provider_breaks_ties(registry, monkeypatch, name, env, expected) -> None:
    monkeypatch.setenv(env, "test-key")
    res = registry.explain(name)
    assert (res.id, res.rule) == (expected, "short name")
    assert len(res.candidates) == 2


def test_configured_means_a_key_the_user_has(catalog: ModelRegistry, monkeypatch) -> None:
    """A `providers:` entry alone is not a key; the variable its `key_env` names, when set, is."""
    catalog.use_user_config({"aliases": {}, "providers": {"venice": {}}})
    with pytest.raises(AmbiguousModelError):
        catalog.resolve("qwen-3-32b")
    catalog.use_user_config({"aliases": {}, "providers": {"venice": {"key_env": "MY_VENICE_KEY"}}})
    with pytest.raises(AmbiguousModelError):
        catalog.resolve("qwen-3-32b")  # named, but not set
    monkeypatch.setenv("MY_VENICE_KEY", "vk-0123456789abcdef")
    assert catalog.resolve("qwen-3-32b") == "venice/qwen-3-32b"


USER_ALIASES = [
    # (argument aliases, config aliases, name, expected id)
    ({"sonnet": "opus"}, {}, "sonnet", "anthropic/claude-opus-4-6"),  # user alias beats catalog alias
    ({}, {"sonnet": "anthropic/claude-opus-4-6"}, "sonnet", "anthropic/claude-opus-4-6"),
    ({"sonnet": "gpt4"}, {"sonnet": "opus"}, "sonnet", "openai/gpt-4o"),  # the argument beats the config
    ({}, {"fast": "quick", "quick": "gpt4m"}, "fast", "openai/gpt-4o-mini"),  # a chain
    ({"gpt-4o": "openai/gpt-4o-mini"}, {}, "gpt-4o", "openai/gpt-4o-mini"),  # over a short id
    ({"mine": "openai/gpt-99"}, {}, "mine", "openai/gpt-99"),  # to an uncatalogued model
    ({}, {"sonnet": "anthropic/claude-opus-4-6"}, "Sonnet", "anthropic/claude-opus-4-6"),  # spelled forgivingly: still the user's
    ({"my_model": "gpt4"}, {}, "My-Model", "openai/gpt-4o"),
]


@pytest.mark.parametrize(("given", "configured", "name", "expected"), USER_ALIASES)
def test_user_aliases(catalog: ModelRegistry, given, configured, name, expected) -> None:
    catalog.use_user_config({"aliases": configured, "providers": {}})
    assert catalog.resolve(name, user_aliases=given) == expected
    assert catalog.explain(name, user_aliases=given).rule == "user alias"


@pytest.mark.parametrize(
    ("aliases", "name", "text"),
    [
        ({"a": "b", "b": "a"}, "a", "user alias cycle: a -> b -> a"),
        ({"a": "a"}, "a", "user alias cycle: a -> a"),
        ({"a": "b", "b": "c", "c": "b"}, "a", "user alias cycle: b -> c -> b"),
        ({"fast": "nothing-like-this"}, "fast", "user alias 'fast' points at 'nothing-like-this', which is not a model"),
        ({"fast": ""}, "fast", "model name is empty"),
    ],
)
def test_bad_user_aliases(catalog: ModelRegistry, aliases, name, text) -> None:
    catalog.use_user_config({"aliases": aliases, "providers": {}})
    with pytest.raises(UnknownModelError) as info:
        catalog.resolve(name)
    assert text in str(info.value)
    if "cycle" in text:  # said once, not wrapped in "user alias ... points at ..." per step
        assert "points at" not in str(info.value)


@pytest.mark.parametrize(
    ("name", "warning"),
    [
        ("claude-3-5-sonnet-20241022", "is deprecated (deprecated 2025-10-22); use anthropic/claude-sonnet-4-5 instead"),
        ("sonnet-old", "is retired; use anthropic/claude-sonnet-4-5 instead"),
        ("claude-3-opus-20240229", "is retired; the catalog names no successor"),
        ("gpt-4", "is deprecated (deprecated 2026-06-30); use openai/gpt-4o instead"),
    ],
)
def test_deprecated_and_retired_warn(registry: ModelRegistry, name: str, warning: str) -> None:
    assert warning in (registry.explain(name).warning or "")
    with pytest.warns(ModelStatusWarning, match="use|successor"):
        registry.resolve(name)


def test_active_model_has_no_warning(registry: ModelRegistry) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert registry.resolve("sonnet") == "anthropic/claude-sonnet-4-5"
    assert registry.explain("sonnet").warning is None


def test_explain_names_every_step(catalog: ModelRegistry) -> None:
    catalog.use_user_config({"aliases": {"fast": "gpt4m"}, "providers": {}})
    res = catalog.explain("fast")
    assert res.steps == ["user alias: fast -> gpt4m", "catalog alias: gpt4m -> openai/gpt-4o-mini"]
    assert res.as_dict()["id"] == "openai/gpt-4o-mini"


def test_registry_changes_reach_the_forgiving_indices(tmp_path) -> None:
    reg = load_registry(FIXTURE)
    reg.use_user_config({})
    with pytest.raises(UnknownModelError):
        reg.resolve("Brand-New_Model")
    reg.add_model({"id": "openai/brand-new.model", "provider": "openai", "name": "New", "status": "active"})
    assert reg.resolve("Brand-New_Model") == "openai/brand-new.model"


@pytest.mark.parametrize(
    ("api_id", "expected"),
    [
        ("claude-3-5-sonnet-20241022", ("claude-3-5-sonnet", "20241022")),
        ("gpt-4o-2024-08-06", ("gpt-4o", "20240806")),
        ("claude-3-5-sonnet@20240620", ("claude-3-5-sonnet", "20240620")),
        ("gpt-4-0613", ("gpt-4", "00000613")),
        ("gpt-4o", None),
        ("mistral-large-2411", None),  # YYMM, not a month and day
        ("llama-3-8192", None),
        ("gpt-4-0613-preview", None),
    ],
)
def test_dated_snapshot_patterns(api_id: str, expected) -> None:
    assert undated(api_id) == expected


@pytest.mark.parametrize(("name", "expected"), [("Kimi_K2.5", "kimi-k2-5"), ("GPT-4o", "gpt-4o"), ("a.b_c-d", "a-b-c-d")])
def test_normalise(name: str, expected: str) -> None:
    assert normalise(name) == expected


def test_resolve_imports_nothing_heavy(tmp_path: Path) -> None:
    """Resolving (hits, misses and errors) pulls in none of the heavy modules once the registry is built."""
    code = f"""
import sys, os
os.environ["KABOT_MODELS_HOME"] = {str(tmp_path / "no-home")!r}  # loading writes a snapshot cache there
from kabot_models import load_registry
reg = load_registry({str(FIXTURE)!r})
heavy = ("pydantic", "yaml", "jsonschema", "httpx", "rich", "typer", "litellm", "ruamel")
before = {{m for m in sys.modules if m.split(".")[0] in heavy}}
for n in ("sonnet", "gpt-4o", "Claude-3.5-Sonnet", "openai/gpt-9", "gemini/gemini-2.5-pro"):
    reg.resolve(n)
for bad in ("gpt-4oo", "qwen-3-32b", ""):
    try:
        reg.resolve(bad)
    except LookupError:
        pass
after = {{m for m in sys.modules if m.split(".")[0] in heavy}}
print(sorted(after - before))
"""
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_import_is_cheap() -> None:
    code = "import sys, kabot_models; print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'yaml', 'kabot_models.'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_suggestions_match_difflib_over_every_name() -> None:
    """The trigram index only narrows what difflib ranks: on the packaged catalog its first
    suggestion is the one difflib finds over every name, for one-letter typos of real names."""
    import difflib
    import random

    reg = load_registry(db=False)
    reg.use_user_config({})
    names = sorted({n for full_id in reg.ids() for n in (full_id, full_id.split("/", 1)[1])} | set(reg.aliases()))
    lowered = {n.lower(): n for n in names}
    rng = random.Random(11)
    agree = 0
    typos = []
    for name in rng.sample(names, 60):
        i = rng.randrange(len(name))
        typos.append(name[:i] + name[i + 1:] if rng.random() < 0.5 else name[:i] + "x" + name[i:])
    for typo in typos:
        try:
            reg.resolve(typo)
            agree += 1  # a forgiving form: nothing to suggest
            continue
        except UnknownModelError as exc:
            ours = exc.suggestions
        best = difflib.get_close_matches(typo.lower(), list(lowered), n=1, cutoff=0.5)
        expected = reg.lookup(lowered[best[0]]) or lowered[best[0]] if best else None
        if best and lowered[best[0]] in reg.aliases():
            expected = lowered[best[0]]
        agree += (ours[:1] == [expected]) if expected else (ours == [])
    assert agree >= 57, f"only {agree} of 60 typos got difflib's own first suggestion"
