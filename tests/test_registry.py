"""ModelRegistry over the fixture catalog: lookups by every kind of name, filters, ModelMetadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from kabot_models.loader import load_registry

FIXTURE = Path(__file__).parent / "fixtures" / "catalog"


@pytest.fixture(scope="module")
def registry():
    return load_registry(FIXTURE)


LOOKUPS = [
    # (name, full id or None)
    ("openai/gpt-4o", "openai/gpt-4o"),  # full id
    ("gpt-4o", "openai/gpt-4o"),  # short id
    ("gpt4", "openai/gpt-4o"),  # catalog alias
    ("sonnet", "anthropic/claude-sonnet-5-5"),
    ("gemini/gemini-3.1-pro", "google/gemini-3.1-pro"),  # provider-id alias
    ("kimi/kimi-k2.5", "moonshot/kimi-k2.5"),
    ("kimi-k2.5", "moonshot/kimi-k2.5"),  # unique short id, though a gateway offers moonshotai/kimi-k2.5
    ("openrouter/moonshotai/kimi-k2.5", "openrouter/moonshotai/kimi-k2.5"),  # api id holding a slash
    ("meta-llama/llama-3.3-70b-instruct:free", "openrouter/meta-llama/llama-3.3-70b-instruct:free"),
    ("gpt-9", None),
    ("nobody/gpt-4o", None),
]


@pytest.mark.parametrize(("name", "expected"), LOOKUPS)
def test_lookup(registry, name: str, expected: str | None) -> None:
    assert registry.lookup(name) == expected


def test_get_builds_model_metadata(registry) -> None:
    model = registry.get("gpt4")
    assert model.id == "openai/gpt-4o" and model.short_id == "gpt-4o" and model.provider == "openai"
    assert model.pricing.input_1m == 2.5 and model.pricing.history[0].input_1m == 5.0
    assert model.max_output == 16384 and model.is_premium is False
    assert registry.get("gpt4") is model  # built once


def test_get_takes_any_name_and_says_why_it_cannot_answer(registry) -> None:
    from kabot_models.errors import UnknownModelError

    assert registry.get("GPT-4o").id == "openai/gpt-4o"  # a forgiving spelling, as resolve() takes it
    with pytest.raises(UnknownModelError, match="unknown model 'gpt-4oo'; did you mean") as info:
        registry.get("gpt-4oo")
    assert info.value.suggestions
    with pytest.raises(UnknownModelError, match="stands for openai/gpt-99, which is in neither the catalog nor the last scan"):
        registry.get("openai/gpt-99")  # resolve() passes it through; get() has no model to give
    assert registry.get_model("gpt-4oo") is None and registry.lookup("gpt-4oo") is None  # Kabot's None stays
    assert registry.record("gpt4") is None  # record() takes full ids only


def test_provider_lookup_by_alias(registry) -> None:
    assert registry.provider("gemini").id == "google"
    assert registry.provider("nope") is None


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({"provider": "kimi"}, {"moonshot/kimi-k2.5"}),
        ({"capability": "pdf_input"}, {"anthropic/claude-sonnet-5-5", "google/gemini-3.1-pro"}),
        ({"capability": ["pdf_input", "audio_input"]}, {"google/gemini-3.1-pro"}),
        ({"status": "retired"}, {"anthropic/claude-3-5-sonnet-20241022"}),
        ({"status": ["deprecated", "retired"]}, {"openai/gpt-4o", "moonshot/kimi-k2.5", "anthropic/claude-3-5-sonnet-20241022"}),
        ({"max_input_price": 0.5}, {"openrouter/moonshotai/kimi-k2.5", "openrouter/meta-llama/llama-3.3-70b-instruct:free"}),
        ({"provider": "openrouter", "max_output_price": 0}, {"openrouter/meta-llama/llama-3.3-70b-instruct:free"}),
    ],
)
def test_filter(registry, criteria: dict, expected: set[str]) -> None:
    assert {r["id"] for r in registry.filter(**criteria)} == expected
