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
    assert reg.get_providers()["anthropic"] == len(reg.list_models(provider="anthropic"))  # provider -> model count
    assert ModelRegistry(load=False).get_providers() == {}
    assert len(ModelRegistry.empty()) == 0


def test_kabots_constructor_shares_one_registry() -> None:
    """Kabot's registry was a singleton: a model registered through one `ModelRegistry()` is seen by the next."""
    first = ModelRegistry()
    first.register(ModelMetadata(id="ollama/llama3.2", name="Llama 3.2", capabilities=["chat", "tools"]))
    assert ModelRegistry() is first and ModelRegistry(db="/elsewhere.db") is first
    assert ModelRegistry().get_model("llama3.2").capabilities == ["tool_use"]
    assert ModelRegistry(load=False) is not first and ModelRegistry(strict=True) is not first


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
    assert reg.get_providers() == {"openai": 1, "custom": 1}
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
    assert reg.list_models() == [] and reg.get_providers() == {} and reg.get_all_aliases() == {}
    assert reg.resolve("sonnet") == "sonnet"  # unknown now: passed through, as Kabot's registry did
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


@pytest.mark.parametrize("name", ["llama3.9-local", "qwen2.5:7b", "hosted_vllm/my-model", "my-finetune"])
def test_kabots_registry_passes_unknown_names_through(name: str, caplog) -> None:
    """Kabot calls resolve unguarded at start and on every message: an unknown name comes back as it was."""
    with caplog.at_level("WARNING", logger="kabot_models"):
        assert ModelRegistry().resolve(name) == name
    assert any(name in record.getMessage() for record in caplog.records)


def test_strict_resolution_is_one_argument_away() -> None:
    for reg in (ModelRegistry(strict=True), load_registry()):
        with pytest.raises(UnknownModelError) as info:
            reg.resolve("gpt-4oo")
        assert isinstance(info.value, LookupError)
        assert "openai/gpt-4o" in info.value.suggestions
    with pytest.raises(UnknownModelError):
        ModelRegistry().resolve("gpt-4oo", strict=True)


def _kabot_prefixing(model: str) -> str:
    """Kabot's LiteLLMProvider._resolve_model without a gateway (Kabot v0.6.7), over our specs."""
    spec = providers.find_by_model(model)
    if spec and spec.litellm_prefix:
        if spec.name == "dashscope" and model.startswith("qwen-portal/"):
            model = model.split("/", 1)[1]
        if not any(model.startswith(s) for s in spec.skip_prefixes):
            model = f"{spec.litellm_prefix}/{model}"
    return model


@pytest.mark.parametrize(("name", "resolved", "litellm"), [
    ("gemini/gemini-2.5-pro", "gemini/gemini-2.5-pro", "gemini/gemini-2.5-pro"),
    ("google/gemini-2.5-pro", "gemini/gemini-2.5-pro", "gemini/gemini-2.5-pro"),
    ("gemini-2.5-pro", "gemini/gemini-2.5-pro", "gemini/gemini-2.5-pro"),
    ("gemini/gemini-9-not-yet", "gemini/gemini-9-not-yet", "gemini/gemini-9-not-yet"),
    ("zhipu/glm-4.7", "zai/glm-4.7", "zai/glm-4.7"),
    ("glm", "zai/glm-4.7", "zai/glm-4.7"),
    ("kimi", "moonshot/kimi-k2.5", "moonshot/kimi-k2.5"),
])
def test_kabots_spelling_becomes_a_valid_litellm_string(name: str, resolved: str, litellm: str) -> None:
    reg = ModelRegistry()
    assert reg.resolve(name) == resolved
    assert _kabot_prefixing(resolved) == litellm
    assert reg.get_model(resolved) is not None or "not-yet" in resolved


def test_db_takes_kabots_store() -> None:
    """Kabot passes its SQLite store (`get_scanned_models()` rows) as `db=`, or sets `_db` itself."""
    class Store:
        def get_scanned_models(self) -> list[dict]:
            return [
                {"id": "scanned/model", "name": "Scanned", "provider": "scanned", "context_window": 8192, "max_output": None,
                 "pricing_input": 1.0, "pricing_output": 2.0, "capabilities": ["vision", "tools"], "is_premium": 0},
                {"id": "scanned/unpriced", "name": "U", "provider": "scanned", "context_window": None, "max_output": None,
                 "pricing_input": None, "pricing_output": None, "capabilities": None, "is_premium": 0},
                {"id": "scanned/bad", "name": "B", "provider": "scanned", "context_window": "lots"},  # skipped, not fatal
            ]

    reg = ModelRegistry(db=Store())
    model = reg.get_model("scanned/model")
    assert (model.pricing.input_1m, model.pricing.output_1m, model.capabilities) == (1.0, 2.0, ["vision", "tool_use"])
    assert reg.get_model("scanned/unpriced").pricing.input_1m is None
    assert reg.get_model("scanned/bad") is None
    reg.clear()
    reg._db = Store()  # what Kabot's own test does
    assert reg.load_scanned_models() == 2 and reg.get_model("scanned/model") is not None


def test_load_plugins_exists() -> None:
    reg = ModelRegistry()
    assert reg.load_plugins() >= 0
    assert reg.get_model("gpt-4o") is not None


def test_formatted_values_do_not_crash_kabots_commands() -> None:
    """`kabot models info` formats `{context_window:,}` and `${pricing.input_1m}`."""
    reg = ModelRegistry()
    reg.register(ModelMetadata(id="acme/unknown-window", name="U"))
    for model in reg.list_models():
        text = f"{model.context_window:,} ${model.pricing.input_1m}/${model.pricing.output_1m}"
        assert "$0.0/" not in text or model.pricing.input_1m == 0
    assert reg.get_model("acme/unknown-window").context_window == 0  # Kabot's `models list` shows 0 as "Unknown"


def test_ambiguous_name_raises_when_strict() -> None:
    with pytest.raises(AmbiguousModelError):
        ModelRegistry(strict=True).resolve("qwen-3-32b")
    assert ModelRegistry().resolve("qwen-3-32b") == "qwen-3-32b"


def test_load_registry_still_works() -> None:
    reg = load_registry()
    assert reg.resolve("gpt4") == "openai/gpt-4o"


PROVIDER_BY_MODEL = [
    ("claude-sonnet-4-5", "anthropic"),
    ("claude-3-5-sonnet-20241022", "anthropic"),
    ("anthropic/claude-opus-4-6", "anthropic"),
    ("gpt-4o", "openai"),
    ("gpt4o", "openai"),
    ("chatgpt-4o-latest", "openai"),  # a substring, as Kabot matched
    ("openai-codex/gpt-5.3-codex", "openai-codex"),  # Kabot's order puts openai-codex before openai
    ("kimi-k2.5", "moonshot"),
    ("moonshot/kimi-k2.5", "moonshot"),
    ("glm-4.7", "zhipu"),
    ("zhipu/glm-4", "zhipu"),
    ("zai/glm-4.7", "zhipu"),
    ("gemini/gemini-2.5-pro", "gemini"),
    ("google/gemini-1.5-pro", "gemini"),
    ("gemini-2.5-pro", "gemini"),
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
    ({"provider_name": "openai", "api_base": "https://openrouter.ai/api/v1"}, "openrouter"),
    ({"api_key": "sk-or-v1-abc", "api_base": "https://api.together.xyz/v1"}, "openrouter"),  # first in Kabot's order
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
    assert (spec.display_name, spec.label, spec.env_key) == ("Moonshot AI", "Moonshot AI", "MOONSHOT_API_KEY")
    assert (spec.litellm_prefix, spec.skip_prefixes) == ("moonshot", ("moonshot/", "openrouter/"))
    assert spec.default_api_base == "https://api.moonshot.ai/v1"
    assert spec.keywords == ("moonshot", "kimi")
    assert spec.env_extras == (("MOONSHOT_API_BASE", "{api_base}"),)
    assert spec.model_overrides == (("kimi-k2.5", {"temperature": 1.0}),)
    assert not spec.is_gateway and not spec.is_local and not spec.strip_model_prefix
    assert providers.find_by_name("kimi") is spec  # a catalog alias
    assert providers.find_by_name("nope") is None
    gemini = providers.find_by_name("gemini")
    assert (gemini.name, gemini.provider_id) == ("gemini", "google")
    assert providers.find_by_name("google") is gemini  # the catalog id still finds it
    zhipu = providers.find_by_name("zai")
    assert (zhipu.name, zhipu.env_extras) == ("zhipu", (("ZHIPUAI_API_KEY", "{api_key}"),))
    router = providers.find_by_name("openrouter")
    assert (router.is_gateway, router.detect_by_key_prefix, router.detect_by_base_keyword) == (True, "sk-or-", "openrouter")
    assert providers.find_by_name("opencode").strip_model_prefix is True
    assert providers.find_by_name("ollama").is_local is True


def test_providers_in_kabots_order() -> None:
    names = [p.name for p in providers.PROVIDERS]
    assert sorted(p.provider_id for p in providers.PROVIDERS) == sorted(ModelRegistry().get_providers())
    # The fixture's providers Kabot orders, in Kabot's order; then the one Kabot does not know (azure).
    assert names == ["openrouter", "anthropic", "openai-codex", "openai", "gemini", "zhipu", "moonshot", "together",
                     "venice", "cerebras", "opencode", "ollama", "groq", "azure"]


def test_spec_needs_no_litellm() -> None:
    """Building the specs and matching a model read the provider blocks only (Kabot imports this at start)."""
    import subprocess
    import sys

    code = ("import sys; from kabot_models.providers import PROVIDERS, find_by_model; "
            "assert find_by_model('claude-sonnet-4-5').name == 'anthropic' and len(PROVIDERS) > 1; "
            "print(sorted(m for m in ('litellm', 'pydantic', 'yaml', 'httpx') if m in sys.modules))")
    subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)  # builds the snapshot once
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


KABOT = Path(__file__).parent / "fixtures" / "kabot"
"""Kabot's own provider table (providers.tsv, cut from Kabot v0.6.7's kabot/providers/registry.py)."""
CATALOG_KNOWS_BETTER = {("xai", "is_gateway"), ("letta", "is_gateway"), ("xai", "keywords")}
"""Where the catalog differs on purpose: xAI serves only its own models (first-party; it keeps Kabot's
keywords and adds `xai` and `grok`); Letta is local (`is_local`, which `find_gateway` answers as
Kabot's gateway flag did)."""


def _kabot_rows() -> list[dict[str, str]]:
    head, *rows = (KABOT / "providers.tsv").read_text().splitlines()
    return [dict(zip(head.split("\t"), row.split("\t"))) for row in rows]


@pytest.fixture(scope="module")
def real_index() -> providers.ProviderIndex:
    """The packaged catalog's providers: Kabot's table must hold for the data Kabot will run on."""
    return providers.ProviderIndex(load_registry(db=False))


@pytest.mark.parametrize("row", _kabot_rows(), ids=lambda row: row["name"])
def test_every_kabot_provider_row(row: dict[str, str], real_index: providers.ProviderIndex) -> None:
    spec = real_index.find_by_name(row["name"])
    assert spec is not None and spec.name == row["name"]
    for name in ("display_name", "env_key", "keywords", "is_local", "strip_model_prefix", "detect_by_key_prefix",
                 "detect_by_base_keyword", "is_gateway", "litellm_prefix", "skip_prefixes"):
        ours = getattr(spec, name)
        theirs = row[name] == "yes" if isinstance(ours, bool) else tuple(row[name].split()) if isinstance(ours, tuple) else row[name]
        if (spec.name, name) == ("xai", "keywords"):
            assert set(theirs) <= set(ours)
        else:
            assert ours == theirs or (spec.name, name) in CATALOG_KNOWS_BETTER, name
    # Kabot reads default_api_base for gateways (the base when the user sets none) and for the
    # `{api_base}` of env_extras: there it must be Kabot's URL. A standard provider without such an
    # env var may carry the catalog's URL where Kabot had none; Kabot never reads it.
    reads_base = spec.is_gateway or any("{api_base}" in value for _, value in spec.env_extras)
    if reads_base or row["default_api_base"]:
        assert spec.default_api_base == row["default_api_base"]
    assert [s.name for s in real_index.specs].index(row["name"]) == _kabot_rows().index(row)  # Kabot's order


REAL_BY_MODEL = [
    ("qwen-portal/coder-model", "dashscope"),  # Kabot strips `qwen-portal/` for DashScope's spec
    ("google/gemini-1.5-pro", "gemini"),
    ("gemini/gemini-2.0-flash", "gemini"),
    ("zai/glm-4.7", "zhipu"),
    ("minimax/MiniMax-M2.1", "minimax"),
    ("deepseek-chat", "deepseek"),
    ("together/moonshotai/Kimi-K2.5", "moonshot"),  # without the gateway, Kabot's keyword rule
    ("mistral-large-latest", "mistral"),
    ("groq/llama-3.3-70b-versatile", "groq"),
]


@pytest.mark.parametrize(("model", "expected"), REAL_BY_MODEL)
def test_find_by_model_on_the_catalog(model: str, expected: str, real_index: providers.ProviderIndex) -> None:
    spec = real_index.find_by_model(model)
    assert (spec.name if spec else None) == expected


def test_no_spec_says_empty_env_key(real_index: providers.ProviderIndex) -> None:
    """Kabot does `os.environ.setdefault(spec.env_key, key)`: "" raises, None says "no key"."""
    assert all(spec.env_key is None or spec.env_key for spec in real_index.specs)
    assert real_index.find_by_name("qwen-portal").env_key is None
    assert real_index.find_by_name("google-gemini-cli").env_key is None


def test_xai_is_first_party_everywhere(real_index: providers.ProviderIndex) -> None:
    """Kabot called xAI a gateway; the catalog says first-party. Every lookup agrees with the catalog."""
    assert real_index.find_gateway(provider_name="xai") is None
    assert real_index.find_gateway(api_base="https://api.x.ai/v1") is None
    spec = real_index.find_by_model("xai/grok-4.1-mini")
    assert (spec.name, spec.litellm_prefix, spec.default_api_base) == ("xai", "", "https://api.x.ai/v1")
    assert real_index.find_gateway(provider_name="letta").name == "letta"  # local: found as before
    assert real_index.find_gateway(api_base="https://letta.example.net/v1").name == "letta"


def test_kabots_capability_words_map_onto_the_vocabulary() -> None:
    """Kabot's catalog.py, ollama plugin and wizard build models with their own words."""
    model = ModelMetadata(id="ollama/qwen2.5-coder", name="Q", capabilities=["chat", "tools", "json", "vision", "coding",
                                                                            "fast", "long-context", "reasoning", "tools"])
    assert model.capabilities == ["tool_use", "json_mode", "vision", "reasoning"]


def test_the_catalog_yaml_stays_strict(tmp_path) -> None:
    from kabot_models.catalog import validate_catalog

    (tmp_path / "providers").mkdir()
    (tmp_path / "providers" / "acme.yaml").write_text(
        "provider: {name: Acme}\nmodels:\n  m1: {name: M1, capabilities: [tools]}\n")
    compiled, issues = validate_catalog(tmp_path)
    assert compiled is None and any("tools" in str(issue) for issue in issues)


def test_unknown_prices_are_none_not_zero() -> None:
    model = ModelMetadata(id="acme/m1", name="M1", pricing=None)
    assert model.pricing is not None and model.pricing.input_1m is None and model.pricing.output_1m is None
    assert f"${model.pricing.input_1m}/${model.pricing.output_1m}" == "$None/$None"  # what Kabot's `models list` prints


@pytest.mark.parametrize(("second", "message"), [
    ("kabot: {name: gemini}", "Kabot name 'gemini' is already used by 'acme'"),
    ("kabot: {name: acme}", "Kabot name 'acme' is the id of another provider"),
    ("kabot: {order: 3}", "Kabot order 3 is already 'acme'"),
])
def test_kabot_names_and_orders_mean_one_provider(tmp_path, second: str, message: str) -> None:
    from kabot_models.catalog import validate_catalog

    (tmp_path / "providers").mkdir()
    (tmp_path / "providers" / "acme.yaml").write_text("provider:\n  name: Acme\n  kabot: {name: gemini, order: 3}\nmodels: {}\n")
    (tmp_path / "providers" / "beta.yaml").write_text(f"provider:\n  name: Beta\n  {second}\nmodels: {{}}\n")
    compiled, issues = validate_catalog(tmp_path)
    assert compiled is None and any(message in str(issue) for issue in issues), [str(i) for i in issues]
