"""Keys never cross: under Kabot's own rule for picking a configured key, every catalog model gets the
key of its own provider or of a gateway the user configured, never another first party's.

Kabot's rule (Kabot v0.6.7, kabot/config/schema.py `Config._match_provider`), restated:

1. The model name is lower-cased (`gpt-5.3-codex...` and `openai/gpt-5.3-codex...` are first read
   as `openai-codex/...`).
2. A name with a `prefix/`: the prefix, through Kabot's table of prefix aliases (`KABOT_PREFIX_ALIASES`),
   names a spec of `PROVIDERS`; when the config section `providers.<spec.name>` (`-` as `_`) holds
   a key, that key is used.
3. Else `PROVIDERS` is walked in order: the first spec whose section holds a key and one of whose
   keywords is a substring of the name.
4. Else the first spec, in `PROVIDERS` order, whose section holds a key.

Kabot's sections are the fields of its `ProvidersConfig` (`KABOT_SECTIONS`). The test applies the
rule to our `PROVIDERS` for every catalog model, spelled as its full id and, where Kabot's name for
the provider differs, in Kabot's spelling (`gemini/...`, `zhipu/...`), with its own section
configured together with each other section in turn, and with every section configured at once.
It must land on the model's own section or on a configured gateway.

A bare api id (`glm-4.7`) of a model a standard provider serves, when it resolves to that model,
reaches a section through keywords alone (rule 3). When Kabot's keywords point it at its own
provider it is checked like the full id. A bare name whose words name another company (Mistral's
`zai-glm-5`) is left out: Kabot sends both the key and the call to that company (docs/kabot.md).
A bare name with no keyword at all (`o3`, `codestral-latest`) falls to rule 4, which hands the
first configured key: it is checked with every key configured, where Kabot's order must put a
gateway first; with only some keys configured rule 4 may pick any of them, whatever the data says
(docs/kabot.md). Providers Kabot has no section for cannot hold a key in Kabot at all; they
are named in `NO_KABOT_SECTION` (and in docs/kabot.md) so a new one is a decision, not an accident.
"""

from __future__ import annotations

import pytest

from kabot_models.providers import ProviderIndex, ProviderSpec
from kabot_models.loader import load_registry

KABOT_SECTIONS = frozenset(
    "anthropic openai openai_codex mistral openrouter kilocode together venice huggingface qianfan nvidia xai "
    "cerebras opencode xiaomi volcengine byteplus synthetic cloudflare_ai_gateway vercel_ai_gateway deepseek "
    "groq zhipu dashscope vllm gemini moonshot minimax aihubmix letta".split()
)
"""The fields of Kabot's `ProvidersConfig` (Kabot v0.6.7, kabot/config/schema.py)."""

KABOT_PREFIX_ALIASES = {
    "google": "gemini", "google-gemini-cli": "gemini", "qwen-portal": "dashscope", "zai": "zhipu",
    "z-ai": "zhipu", "x-ai": "xai", "minimax-portal": "minimax", "volcengine-plan": "volcengine",
    "byteplus-plan": "byteplus",
}
"""The prefix aliases `_match_provider` applies before looking for a spec (Kabot v0.6.7)."""

NO_KABOT_SECTION = frozenset(
    "amazon-bedrock azure cohere deepinfra fireworks google-vertex kimi-coding lmstudio nebius novita ollama "
    "perplexity".split()
)
"""Catalog providers Kabot's config has no section for: Kabot cannot hold their keys (docs/kabot.md)."""


def section(name: str) -> str:
    return name.replace("-", "_")


def kabot_spelling(model: str) -> str:
    """Rule 1: the name as Kabot matches it (Kabot sends GPT-5.3 Codex to its Codex provider on purpose)."""
    lowered = model.lower()
    if lowered.startswith("gpt-5.3-codex"):
        return f"openai-codex/{lowered}"
    if lowered.startswith("openai/gpt-5.3-codex"):
        return lowered.replace("openai/", "openai-codex/", 1)
    return lowered


def kabot_match(specs: tuple[ProviderSpec, ...], model: str, configured: frozenset[str]) -> str | None:
    """The spec name whose key Kabot uses for `model` with keys in the `configured` sections (the rule above)."""
    lowered = kabot_spelling(model)
    has_key = [s for s in specs if section(s.name) in KABOT_SECTIONS and section(s.name) in configured]
    if "/" in lowered:
        prefix = lowered.split("/", 1)[0]
        wanted = KABOT_PREFIX_ALIASES.get(prefix, prefix)
        named = next((s for s in specs if s.name == wanted), None)
        if named is not None and named in has_key:
            return named.name
    for spec in has_key:
        if any(kw in lowered for kw in spec.keywords):
            return spec.name
    return has_key[0].name if has_key else None


@pytest.fixture(scope="module")
def catalog() -> tuple[ProviderIndex, list[tuple[str, str, bool]]]:
    """The packaged catalog's specs and every (name a user writes, catalog provider it means, whether
    a keyword or prefix points at it, so that it is checked with each pair of keys too)."""
    registry = load_registry(db=False)
    index = ProviderIndex(registry)
    names: list[tuple[str, str, bool]] = []
    for full_id in registry.ids():
        pid, api_id = full_id.split("/", 1)
        spec = index.find_by_name(pid)
        names.append((full_id, pid, True))
        if spec.name != pid:
            names.append((f"{spec.name}/{api_id}", pid, True))
        if not (spec.is_gateway or spec.is_local) and "/" not in api_id and registry.lookup(api_id) == full_id:
            pointed_at = index.find_by_model(api_id)
            if pointed_at in (spec, None):  # else its words name another company, which gets key and call alike
                names.append((api_id, pid, pointed_at is spec))
    return index, names


def lacking_sections(specs: tuple[ProviderSpec, ...]) -> set[str]:
    """Catalog providers whose Kabot name is not a section of Kabot's config."""
    return {s.provider_id for s in specs if section(KABOT_PREFIX_ALIASES.get(s.provider_id) or s.name) not in KABOT_SECTIONS}


def crossings(specs: tuple[ProviderSpec, ...], names: list[tuple[str, str, bool]]) -> list[str]:
    """Every (name, configured sections) where Kabot's rule hands the key of a first party that is not the name's provider."""
    by_id = {s.provider_id: s for s in specs}
    gateways = {s.name for s in specs if s.is_gateway or s.is_local}
    everything = frozenset(KABOT_SECTIONS)
    lacking = lacking_sections(specs)
    out = []
    for name, pid, pointed in names:
        if pid in lacking:
            continue
        if kabot_spelling(name).startswith("openai-codex/"):
            pid = "openai-codex"
        own = KABOT_PREFIX_ALIASES.get(pid) or by_id[pid].name
        pairs = [frozenset({section(own), other}) for other in KABOT_SECTIONS] if pointed else []
        for configured in [everything, *pairs]:
            got = kabot_match(specs, name, configured)
            if got != own and got not in gateways:
                out.append(f"{name} with {sorted(configured) if configured != everything else 'every key'}: {got}'s key")
    return out


def test_no_key_crosses_to_another_first_party(catalog) -> None:
    index, names = catalog
    found = crossings(index.specs, names)
    assert not found, f"{len(found)} crossings, e.g. {found[:10]}"


def test_the_sections_kabot_lacks_are_the_documented_ones(catalog) -> None:
    index, _ = catalog
    lacking = lacking_sections(index.specs)
    # The hand-curated providers Kabot cannot hold keys for are the documented ones; every other
    # provider without a section is one a dataset import (models.dev) added, so a provider someone
    # wrote by hand is never skipped by accident.
    assert NO_KABOT_SECTION <= lacking
    registry = load_registry(db=False)
    added = sorted(pid for pid in lacking - NO_KABOT_SECTION
                   if "models_dev" not in ((registry.provider_record(pid) or {}).get("datasets") or {}))
    assert not added, f"providers without a Kabot section that no dataset import added: {added}"


def test_the_check_fails_when_a_spec_is_renamed_or_reordered(catalog) -> None:
    """The rule depends on Kabot's names and order; this proves the test above would catch a change."""
    index, names = catalog
    specs = index.specs
    renamed = tuple(s._replace(name=s.provider_id) for s in specs)  # `google`, `zai` instead of gemini, zhipu
    assert any(n.startswith(("google/", "zai/", "glm-", "gemini-")) for n in crossings(renamed, names))
    first_party_first = (next(s for s in specs if s.name == "anthropic"), *(s for s in specs if s.name != "anthropic"))
    assert any(n.startswith("o3") for n in crossings(first_party_first, names))  # Kabot's fallback: gateways first


ISSUE_CASE = frozenset({"gemini", "zhipu", "anthropic", "openrouter"})


@pytest.mark.parametrize(("model", "own"), [
    ("google/gemini-1.5-pro", "gemini"), ("gemini-2.0-flash", "gemini"), ("gemini/gemini-2.5-pro", "gemini"),
    ("zai/glm-4.7", "zhipu"), ("glm-4.7", "zhipu"), ("claude-sonnet-4-5", "anthropic"),
    ("openrouter/anthropic/claude-sonnet-4-5", "openrouter"),
])
def test_gemini_zhipu_anthropic_and_openrouter_keys(catalog, model: str, own: str) -> None:
    """The case that went wrong before: each of these got the Anthropic key."""
    index, _ = catalog
    assert kabot_match(index.specs, model, ISSUE_CASE) == own
