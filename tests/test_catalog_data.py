"""The catalog's data: Kabot's ids and aliases are all there, and the coverage targets hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from kabot_models.catalog import validate_catalog

ROOT = Path(__file__).resolve().parent.parent
KABOT = ROOT.parent / "shared" / "kabot"


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
    # Ids are one model whatever their case (the catalog keeps one entry per case-folded id, under the
    # provider's spelling: Kabot's `MiniMax-M2.5-Lightning` is MiniMax's `MiniMax-M2.5-lightning`).
    folded = {full_id.lower() for full_id in catalog.models}
    missing = [i for i in ids if i.lower() not in folded]
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


def _price_sets(pricing):
    """The base prices, each tier and the batch prices of one `pricing` mapping."""
    yield pricing
    yield from pricing.get("tiers") or []
    if pricing.get("batch"):
        yield pricing["batch"]


def test_no_zero_cache_price_on_a_paid_model(catalog):
    # LiteLLM writes 0 for "no separate cache price"; in the catalog 0 means free, so cost would undercharge
    bad = [(full, field) for full, r in catalog.models.items() if r.get("pricing") and not r["pricing"].get("free")
           for prices in _price_sets(r["pricing"]) for field in ("cache_read_1m", "cache_write_1m")
           if prices.get(field) == 0]
    assert not bad, f"{len(bad)} zero cache prices on paid models, e.g. {bad[:5]}"


def test_litellm_tiered_pricing_entries_are_priced(catalog):
    # LiteLLM entries priced only through `tiered_pricing` (Qwen, Doubao) once came out unpriced
    from kabot_models.audit import litellm_key_for, load_litellm_map

    lmap = load_litellm_map()
    checked, bad = 0, []
    for full, r in catalog.models.items():
        key = litellm_key_for(r, catalog.providers[r["provider"]], lmap)
        if key is None or not lmap[key].get("tiered_pricing") or r["field_sources"].get("pricing") != "catalog":
            continue
        checked += 1
        pricing = r.get("pricing") or {}
        if pricing.get("input_1m") is None or (len(lmap[key]["tiered_pricing"]) > 1 and not pricing.get("tiers")):
            bad.append(full)
    assert checked >= 19
    assert not bad, f"tiered LiteLLM entries without prices or tiers: {bad}"


def test_tier_thresholds_are_below_the_context_window(catalog):
    # a tier at or above the context window never applies (gpt-5.6-cyber's 272k tier with a 272k window)
    bad = [(full, t["above_input_tokens"], r["context_window"]) for full, r in catalog.models.items()
           if r.get("context_window") for t in (r.get("pricing") or {}).get("tiers") or []
           if t["above_input_tokens"] >= r["context_window"]]
    assert not bad, f"unreachable tiers: {bad[:5]}"


def test_successors_and_recommendations_are_not_retired(catalog):
    retired = {full for full, r in catalog.models.items() if r.get("status") == "retired"}
    # a retired successor is fine only at the end of its chain (it names no successor of its own)
    bad = [full for full, r in catalog.models.items()
           if r.get("successor") in retired and catalog.models[r["successor"]].get("successor")]
    assert not bad, f"successors that are retired and have successors themselves: {bad}"
    recommended = [f"{pid}/{mid}" for pid, p in catalog.providers.items() for mid in p.get("recommended") or []]
    assert not [full for full in recommended if full in retired]


def test_names_follow_the_catalog_style(catalog):
    import re

    def off_style(name: str) -> bool:
        if re.search(r"^GPT \d|^O\d|:free$|(?<![\w.:-])\d+(\.\d+)?b(?![\w-])", name):
            return True  # "GPT 5.6", "O3 Pro", "Llama 3.3 70b:free"
        bare = re.sub(r"( \([^)]*\))+$", "", name)  # without "(2025-04-16)" / "(free)"
        return bare == bare.lower() and " " in bare  # genai-prices' "gpt 4o mini"

    bad = [(full, r["name"]) for full, r in catalog.models.items()
           if r.get("name") and r["field_sources"].get("name") == "catalog" and off_style(r["name"])]
    assert not bad, f"{len(bad)} names off style, e.g. {bad[:5]}"


@pytest.mark.parametrize("model, path, expected", [
    # A1: LiteLLM tiered_pricing (range start -> above_input_tokens)
    ("dashscope/qwen3-max", "pricing", {"input_1m": 1.2, "output_1m": 6, "tiers": [
        {"above_input_tokens": 32000, "input_1m": 2.4, "output_1m": 12}, {"above_input_tokens": 128000, "input_1m": 3, "output_1m": 15}]}),
    ("dashscope/qwen3.7-plus", "pricing", {"input_1m": 0.4, "output_1m": 1.6, "cache_read_1m": 0.08, "tiers": [
        {"above_input_tokens": 256000, "input_1m": 1.2, "output_1m": 4.8, "cache_read_1m": 0.24}]}),
    ("volcengine/doubao-seed-2-0-pro-260215", "pricing.input_1m", 0.46),
    # A3: LiteLLM's cache_creation_input_token_cost 0 is no surcharge, not free
    ("deepseek/deepseek-v4-pro", "pricing.cache_write_1m", None),
    ("zai/glm-5.3", "pricing.cache_write_1m", None),
    # A2: genai-prices tiers kept for dated prices, with their cache-write prices
    ("openrouter/google/gemini-3.1-pro-preview", "pricing.tiers", [
        {"above_input_tokens": 200000, "input_1m": 4, "output_1m": 18, "cache_read_1m": 0.4}]),
    ("openrouter/openai/gpt-5.6-sol", "pricing.tiers", [
        {"above_input_tokens": 272000, "input_1m": 8, "output_1m": 30, "cache_read_1m": 0.8, "cache_write_1m": 10}]),
    ("openrouter/anthropic/claude-sonnet-4.5", "pricing.tiers", [
        {"above_input_tokens": 200000, "input_1m": 6, "output_1m": 22.5, "cache_read_1m": 0.6, "cache_write_1m": 7.5}]),
    # A5: xAI's long-context boundary is inclusive (>= 200k)
    ("xai/grok-4.7", "pricing.tiers.0.above_input_tokens", 199999),
    # B1: a retired successor is followed to the first model still served
    ("openai/gpt-5-chat", "successor", "openai/gpt-5.6-sol"),
    # aliases moved off unpriced ids
    ("openrouter/qwen/qwen2.5-vl-72b-instruct:free", "aliases", ["or-qwen-vl"]),
    ("openrouter/anthropic/claude-sonnet-5.5", "aliases", ["or-sonnet"]),
    ("together/moonshotai/Kimi-K3", "aliases", ["together-kimi"]),
])
def test_catalog_figures(catalog, model, path, expected):
    value = catalog.models[model]
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list) else (value or {}).get(part)
    if isinstance(expected, dict):
        value = {k: value.get(k) for k in expected}
    assert value == expected


def _family_rows() -> list[tuple[str, str]]:
    """(alias, target) of docs/models/aliases.md's "Family names" table."""
    text = (ROOT / "docs" / "models" / "aliases.md").read_text(encoding="utf-8")
    section = text.split("## Family names", 1)[1]
    rows = [line.split("|")[1:3] for line in section.splitlines() if line.startswith("| ") and not line.startswith("| alias")]
    return [(alias.strip(), target.strip()) for alias, target in rows]


def test_family_names_point_at_a_live_first_party_model(catalog):
    from kabot_models.loader import new_registry

    registry = new_registry()
    registry.load_compiled(catalog)
    rows = _family_rows()
    assert {"claude", "gpt", "gemini-pro", "deepseek", "r1", "qwen", "llama", "mistral"} <= {a for a, _ in rows}
    for alias, target in rows:
        assert registry.resolve(alias) == target, alias  # the doc says where each points, and it does
        assert registry.status_of(target) == "active", alias
        block = registry.provider_record(target.split("/", 1)[0])
        assert block.get("kind") not in ("gateway", "cloud", "local"), f"{alias}: {target} is not at the first party"
