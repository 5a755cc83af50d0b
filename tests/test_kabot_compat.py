"""Kabot's model layer, called the way Kabot calls it: kabot_models must be a drop-in replacement.

The packaged catalog is swapped for the fixture one (tests must not depend on the real data), which
is all the setup Kabot itself would not do.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kabot_models.catalog
from kabot_models import AmbiguousModelError, ModelMetadata, ModelPricing, ModelRegistry, UnknownModelError, load_registry
from kabot_models import providers
from kabot_models.loader import set_default_registry

FIXTURE = Path(__file__).parent / "fixtures" / "resolver"


@pytest.fixture(autouse=True)
def _fixture_catalog(tmp_path, monkeypatch):
    monkeypatch.setenv("KABOT_MODELS_HOME", str(tmp_path))
    monkeypatch.setattr(kabot_models.catalog, "default_catalog_dir", lambda: FIXTURE)
    monkeypatch.setattr(kabot_models.catalog, "packaged_catalog_dir", lambda: str(FIXTURE))  # the loading path
    set_default_registry(None)
    yield
    set_default_registry(None)


def gpt4o() -> ModelMetadata:
    return ModelMetadata(
        id="openai/gpt-4o", name="GPT-4o", provider="openai", context_window=128000,
        pricing=ModelPricing(input_1m=5.0, output_1m=15.0), capabilities=["vision"],
    )


def test_zero_arg_registry_comes_loaded() -> None:
    reg = ModelRegistry()
    assert reg.get_model("anthropic/claude-sonnet-4-5") is not None
    assert "anthropic" in reg.get_providers()
    assert ModelRegistry(load=False).get_providers() == []
    assert len(ModelRegistry.empty()) == 0


def test_db_argument_is_kept() -> None:
    reg = ModelRegistry(db="/tmp/somewhere/models.db")
    assert reg.db == "/tmp/somewhere/models.db"
    assert reg.get_model("gpt-4o") is not None


def test_register_and_get_model() -> None:
    reg = ModelRegistry()
    reg.register(gpt4o())
    model = reg.get_model("gpt-4o")
    assert model is not None
    assert model.short_id == "gpt-4o"
    assert model.id == "openai/gpt-4o"
    assert model.pricing.input_1m == 5.0  # the registered entry replaced the catalog's
    assert model.max_output is None
    assert model.is_premium is False
    assert model.description is None
    assert reg.get_model("openai/gpt-4o") is model
    assert reg.get_model("nothing-like-this") is None


def test_register_into_an_empty_registry() -> None:
    reg = ModelRegistry(load=False)
    reg.register(gpt4o())
    reg.register(ModelMetadata(id="custom/my-model", name="Mine", context_window=8000))
    assert [m.id for m in reg.list_models()] == ["openai/gpt-4o", "custom/my-model"]
    assert [m.id for m in reg.list_models(provider="custom")] == ["custom/my-model"]
    assert reg.get_providers() == ["openai", "custom"]
    assert reg.get_model("my-model").provider == "custom"


def test_list_models_by_provider_and_capability() -> None:
    reg = ModelRegistry()
    ids = [m.id for m in reg.list_models(provider="anthropic")]
    assert "anthropic/claude-sonnet-4-5" in ids and all(i.startswith("anthropic/") for i in ids)
    assert [m.id for m in reg.list_models(provider="gemini")] == [m.id for m in reg.list_models(provider="google")]
    assert {m.id for m in reg.list_models(capability="reasoning")} >= {"anthropic/claude-sonnet-4-5"}


def test_clear() -> None:
    reg = ModelRegistry()
    reg.clear()
    assert reg.list_models() == [] and reg.get_providers() == [] and reg.get_all_aliases() == {}
    with pytest.raises(UnknownModelError):
        reg.resolve("sonnet")
    reg.load_catalog()
    assert reg.resolve("sonnet") == "anthropic/claude-sonnet-4-5"


def test_load_catalog_from_a_directory() -> None:
    reg = ModelRegistry(load=False)
    assert reg.load_catalog(FIXTURE) == len(reg)
    assert reg.resolve("kimi") == "moonshot/kimi-k2.5"


def test_load_scanned_models_is_callable() -> None:
    reg = ModelRegistry()
    before = len(reg)
    assert reg.load_scanned_models() >= 0
    assert len(reg) >= before


def test_aliases() -> None:
    reg = ModelRegistry()
    reg.register(gpt4o())
    reg.register_alias("mygpt", "openai/gpt-4o")
    reg.register_alias("cheap", "gpt4m")  # an alias of an alias
    assert reg.resolve_alias("mygpt") == "openai/gpt-4o"
    assert reg.resolve_alias("sonnet") == "anthropic/claude-sonnet-4-5"
    assert reg.resolve_alias("nope") is None
    aliases = reg.get_all_aliases()
    assert aliases["mygpt"] == "openai/gpt-4o" and aliases["sonnet"] == "anthropic/claude-sonnet-4-5"
    assert reg.resolve("mygpt") == "openai/gpt-4o"
    assert reg.resolve("cheap") == "openai/gpt-4o-mini"


def test_resolve_with_user_aliases() -> None:
    reg = ModelRegistry()
    assert reg.resolve("sonnet", user_aliases={"sonnet": "openai/gpt-4o"}) == "openai/gpt-4o"
    assert reg.resolve("gpt4", user_aliases={}) == "openai/gpt-4o"
    assert reg.resolve("openai/gpt-4o") == "openai/gpt-4o"
    assert reg.resolve("openai/not-yet-catalogued") == "openai/not-yet-catalogued"


def test_unknown_bare_name_raises_instead_of_echoing() -> None:
    """The one deliberate change from Kabot's registry (docs/models/python-api.md)."""
    reg = ModelRegistry()
    with pytest.raises(UnknownModelError) as info:
        reg.resolve("gpt-4oo")
    assert isinstance(info.value, LookupError)
    assert "openai/gpt-4o" in info.value.suggestions


def test_ambiguous_name_raises() -> None:
    with pytest.raises(AmbiguousModelError):
        ModelRegistry().resolve("qwen-3-32b")


def test_load_registry_still_works() -> None:
    reg = load_registry()
    assert reg.resolve("gpt4") == "openai/gpt-4o"


PROVIDER_BY_MODEL = [
    ("claude-sonnet-4-5", "anthropic"),
    ("claude-3-5-sonnet-20241022", "anthropic"),
    ("anthropic/claude-opus-4-6", "anthropic"),
    ("gpt-4o", "openai"),
    ("gpt4o", "openai"),
    ("openai-codex/gpt-5.3-codex", "openai-codex"),
    ("kimi-k2.5", "moonshot"),
    ("moonshot/kimi-k2.5", "moonshot"),
    ("glm-4.7", "zai"),
    ("zhipu/glm-4", "zai"),
    ("gemini/gemini-2.5-pro", "google"),
    ("gemini-2.5-pro", "google"),
    ("groq/llama-3.3-70b", "groq"),
    ("openrouter/anthropic/claude-sonnet-4-5", "anthropic"),  # gateways are found by find_gateway
    ("some-unknown-model", None),
]


@pytest.mark.parametrize(("model", "expected"), PROVIDER_BY_MODEL)
def test_find_by_model(model: str, expected: str | None) -> None:
    spec = providers.find_by_model(model)
    assert (spec.name if spec else None) == expected


GATEWAYS = [
    ({"provider_name": "openrouter"}, "openrouter"),
    ({"provider_name": "ollama"}, "ollama"),
    ({"provider_name": "openai"}, None),  # a standard provider is not a gateway
    ({"api_key": "sk-or-v1-abc"}, "openrouter"),
    ({"api_key": "sk-proj-abc"}, None),  # openai's key prefix, not a gateway's
    ({"api_base": "https://openrouter.ai/api/v1"}, "openrouter"),
    ({"api_base": "https://api.together.xyz/v1"}, "together"),
    ({"api_base": "https://api.venice.ai/api/v1"}, "venice"),
    ({"api_base": "https://example.com/v1"}, None),
    ({}, None),
]


@pytest.mark.parametrize(("kwargs", "expected"), GATEWAYS)
def test_find_gateway(kwargs: dict, expected: str | None) -> None:
    spec = providers.find_gateway(**kwargs)
    assert (spec.name if spec else None) == expected


def test_find_by_name_and_spec_fields() -> None:
    spec = providers.find_by_name("moonshot")
    assert spec is not None
    # LiteLLM's `moonshot` provider defaults to the catalog's server, so no base URL is passed on.
    assert (spec.display_name, spec.env_key, spec.default_api_base) == ("Moonshot AI", "MOONSHOT_API_KEY", "")
    assert (spec.litellm_prefix, spec.skip_prefixes) == ("moonshot", ("moonshot/", "openrouter/"))
    assert spec.keywords == ("moonshot", "kimi")
    assert not spec.is_gateway and not spec.is_local and not spec.strip_model_prefix
    assert providers.find_by_name("kimi") is spec  # a provider alias
    assert providers.find_by_name("openai_codex").name == "openai-codex"  # Kabot's config keys use `_`
    assert providers.find_by_name("nope") is None
    router = providers.find_by_name("openrouter")
    assert (router.is_gateway, router.detect_by_key_prefix, router.detect_by_base_keyword) == (True, "sk-or-", "openrouter")
    assert providers.find_by_name("opencode").strip_model_prefix is True
    assert providers.find_by_name("ollama").is_local is True


def test_providers_list() -> None:
    names = [p.name for p in providers.PROVIDERS]
    assert sorted(names) == sorted(ModelRegistry().get_providers())
    assert names.index("groq") < names.index("openai") < names.index("openrouter")  # by priority


KABOT = Path(__file__).parent / "fixtures" / "kabot"
"""Kabot's own provider table (providers.tsv) and a catalog of those providers' blocks as the catalog has them."""
DELIBERATE = {("xai", "is_gateway"), ("letta", "is_gateway")}
"""Where the catalog knows better: xAI serves only its own models (first-party); Letta is local
(`is_local`, which `find_gateway` answers as Kabot's gateway flag did)."""


def _kabot_rows() -> list[dict[str, str]]:
    head, *rows = (KABOT / "providers.tsv").read_text().splitlines()
    return [dict(zip(head.split("\t"), row.split("\t"))) for row in rows]


@pytest.fixture()
def kabot_index() -> providers.ProviderIndex:
    return providers.ProviderIndex(load_registry(KABOT))


@pytest.mark.parametrize("row", _kabot_rows(), ids=lambda row: row["name"])
def test_every_kabot_provider_row(row: dict[str, str], kabot_index: providers.ProviderIndex) -> None:
    from kabot_models.litellm import _server, litellm_default_base

    spec = kabot_index.find_by_name(row["name"])  # `gemini` and `zhipu` are aliases of google and zai
    assert spec is not None and row["name"] in spec.names
    for name in ("display_name", "env_key", "keywords", "is_local", "strip_model_prefix", "detect_by_key_prefix",
                 "detect_by_base_keyword", "is_gateway"):
        ours = getattr(spec, name)
        theirs = row[name] == "yes" if isinstance(ours, bool) else tuple(row[name].split()) if isinstance(ours, tuple) else row[name]
        assert ours == theirs or (spec.name, name) in DELIBERATE, name
    # Routing: Kabot's prefix where it had one; else the LiteLLM provider the bridge derives.
    assert spec.litellm_prefix == (row["litellm_prefix"] or spec.litellm_prefix)
    assert set(spec.skip_prefixes) - set(row["skip_prefixes"].split()) <= {f"{spec.litellm_prefix}/"}
    # Kabot passes default_api_base to LiteLLM: "" wherever Kabot had "", else Kabot's URL, or "" when
    # LiteLLM's own default for the prefix is that same server.
    if not row["default_api_base"]:
        assert spec.default_api_base == ""
    elif spec.default_api_base != row["default_api_base"]:
        assert spec.default_api_base == ""
        assert _server(litellm_default_base(spec.litellm_prefix)) == _server(row["default_api_base"])


def test_kabot_names_reach_the_catalog_ids(kabot_index: providers.ProviderIndex) -> None:
    assert kabot_index.find_by_name("gemini").name == "google"
    assert kabot_index.find_by_name("zhipu").name == "zai"
    assert {spec.name for spec in kabot_index.specs} >= {"google", "zai"}


def test_xai_is_first_party_everywhere(kabot_index: providers.ProviderIndex) -> None:
    """Kabot called xAI a gateway; the catalog says first-party. Every lookup agrees with the catalog."""
    assert kabot_index.find_gateway(provider_name="xai") is None
    assert kabot_index.find_gateway(api_base="https://api.x.ai/v1") is None
    spec = kabot_index.find_by_model("xai/grok-4.1-mini")
    assert (spec.name, spec.litellm_prefix, spec.default_api_base) == ("xai", "xai", "")
    assert kabot_index.find_gateway(provider_name="letta").name == "letta"  # local: found as before
    assert kabot_index.find_gateway(api_base="https://letta.example.net/v1").name == "letta"
