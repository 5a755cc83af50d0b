"""`kabot-models sync`: the merge rules, each translator on a fixture cut from real data, and the
contributor's walkthrough on a temporary copy of the real catalog with the installed LiteLLM and
genai-prices (docs/models/sync.md)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from cli_runner import run_cli
from kabot_models.catalog import validate_catalog
from kabot_models.sync.merge import Change, EntryMerger, Preferences
from kabot_models.sync.runner import make_node, plan_sync, read_dataset
from kabot_models.sync.sources import Dataset, Offer

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "sync"
TODAY = "2026-12-01"


# -- the rules, one row each -------------------------------------------------------------------------
PREFS = Preferences(default=("scan", "litellm", "genai-prices"), fields={"release_date": ("models-dev", "litellm")},
                    fill_only=frozenset({"name"}))
IMPORT_LL = {"method": "import", "source": "litellm", "version": "1", "date": "2026-11-26"}
IMPORT_GP = {"method": "import", "source": "genai-prices", "version": "0.2", "date": "2026-11-26"}
VERIFIED = {"method": "verified", "url": "https://x.test/pricing", "date": "2026-11-30"}

RULES = [
    # (case, entry, incoming dataset, field, value, expected action, expected value afterwards)
    ("missing figure is added", {"provenance": IMPORT_LL}, "genai-prices", "context_window", 1000, "set", 1000),
    ("same value changes nothing", {"context_window": 1000, "provenance": IMPORT_LL}, "genai-prices", "context_window", 1000, None, 1000),
    ("verified is never overwritten", {"pricing": {"input_1m": 2}, "provenance": {**IMPORT_LL, "fields": {"pricing.input_1m": VERIFIED}}},
     "litellm", "pricing.input_1m", 3, "kept", 2),
    ("acknowledged difference stays", {"context_window": 256000, "provenance": IMPORT_LL,
                                       "acknowledged": [{"dataset": "litellm", "field": "context_window"}]},
     "litellm", "context_window", 128000, "kept", 256000),
    ("no provenance is a hand edit", {"context_window": 5}, "litellm", "context_window", 6, "kept", 5),
    ("same source updates its own figure", {"context_window": 5, "provenance": IMPORT_LL}, "litellm", "context_window", 6, "updated", 6),
    ("preferred source replaces", {"context_window": 5, "provenance": IMPORT_GP}, "litellm", "context_window", 6, "updated", 6),
    ("less preferred source is reported", {"context_window": 5, "provenance": IMPORT_LL}, "genai-prices", "context_window", 6, "kept", 5),
    ("per-field preference", {"release_date": "2026-01-01", "provenance": IMPORT_LL}, "models-dev", "release_date", "2026-01-02", "updated", "2026-01-02"),
    ("fill-only field is not replaced", {"name": "GPT-5 mini", "provenance": IMPORT_LL}, "litellm", "name", "Gpt 5 Mini", "kept", "GPT-5 mini"),
]


@pytest.mark.parametrize(("case", "entry", "source", "path", "value", "action", "after"), RULES, ids=[r[0] for r in RULES])
def test_merge_rules(case, entry, source, path, value, action, after) -> None:
    entry = json.loads(json.dumps(entry))
    record = {"method": "import", "source": source, "version": "9", "date": TODAY}
    merger = EntryMerger("p", "m", entry, record, PREFS, source, make_node)
    merger.merge(path, value)
    assert [c.action for c in merger.changes] == ([action] if action else [])
    got = entry
    for part in path.split("."):
        got = got.get(part) if isinstance(got, dict) else None
    assert got == after
    if action in ("set", "updated"):
        from kabot_models.provenance import record_for

        assert record_for(entry["provenance"], path)["source"] == source
    if action == "kept":
        assert merger.changes[0].old == after and merger.changes[0].new == value


def test_a_change_reports_both_values() -> None:
    change = Change("p", "m", "pricing.input_1m", "kept", 2, 3, "verified")
    assert change.as_dict() == {"provider": "p", "model": "m", "field": "pricing.input_1m", "action": "kept",
                                "catalog": 2, "source": 3, "reason": "verified"}
    assert not change.drift


# -- translators on fixtures cut from real data ------------------------------------------------------
def test_models_dev_api_json_fixture() -> None:
    data = read_dataset("models-dev", FIXTURES / "models-dev-api.json", live=False, today=dt.date(2026, 12, 1))
    by_key = {(o.provider, o.key): o for o in data.offers}
    k26 = by_key[("moonshotai", "kimi-k2.6")].fields
    assert k26["release_date"] == dt.date(2026, 4, 21) and k26["knowledge_cutoff"] == "2025-01" and k26["open_weights"] is True
    assert k26["pricing"] == {"input_1m": 0.95, "output_1m": 4, "cache_read_1m": 0.16}
    assert k26["context_window"] == 262144 and k26["input_modalities"] == ["text", "image", "video"]
    assert {"reasoning", "tool_use", "vision", "video_input"} <= set(k26["capabilities"])
    assert data.providers["moonshotai"].base_url == "https://api.moonshot.ai/v1"


def test_models_dev_checkout_resolves_base_model(tmp_path: Path) -> None:
    root = tmp_path / "md"
    (root / "models" / "lab").mkdir(parents=True)
    (root / "providers" / "cloud" / "models" / "lab").mkdir(parents=True)
    (root / "models" / "lab" / "big.toml").write_text('name = "Big"\nrelease_date = "2026-03-05"\nknowledge = "2025-08"\n'
                                                      'open_weights = false\n[limit]\ncontext = 1_050_000\ninput = 922_000\noutput = 128_000\n')
    (root / "providers" / "cloud" / "provider.toml").write_text('name = "Cloud"\nenv = ["CLOUD_KEY"]\nnpm = "@ai-sdk/openai-compatible"\n'
                                                               'api = "https://api.cloud.test/v1"\ndoc = "https://cloud.test/docs"\n')
    (root / "providers" / "cloud" / "models" / "lab" / "big.toml").write_text(
        'base_model = "lab/big"\nbase_model_omit = ["limit.input"]\n[cost]\ninput = 2.75\noutput = 16.5\n[limit]\ncontext = 272_000\noutput = 128_000\n')
    data = read_dataset("models-dev", root, live=False, today=dt.date(2026, 12, 1))
    [offer] = data.offers
    assert offer.key == "lab/big" and offer.fields["name"] == "Big" and offer.fields["release_date"] == dt.date(2026, 3, 5)
    assert offer.fields["context_window"] == 272000 and "max_input" not in offer.fields
    assert data.providers["cloud"].env == ["CLOUD_KEY"] and data.providers["cloud"].flavor == "openai"


def test_openrouter_saved_response() -> None:
    data = read_dataset("openrouter", FIXTURES / "openrouter-models.json", live=False, today=dt.date(2026, 12, 1))
    by_key = {o.key: o.fields for o in data.offers}
    assert by_key["moonshotai/kimi-k2.5"]["pricing"] == {"input_1m": 0.532, "output_1m": 3.325, "cache_read_1m": 0.209}
    assert by_key["meta-llama/llama-3.3-70b-instruct:free"]["pricing"] == {"input_1m": 0, "output_1m": 0, "free": True}
    assert "pricing" not in by_key["openrouter/auto"]  # a negative price means "varies"


def test_openrouter_live_reads_a_real_http_server(httpserver) -> None:
    httpserver.expect_request("/api/v1/models").respond_with_data((FIXTURES / "openrouter-models.json").read_bytes())
    data = read_dataset("openrouter", None, live=True, today=dt.date(2026, 12, 1), url=httpserver.url_for("/api/v1/models"))
    assert len(data.offers) == 3 and data.version == "api 2026-12-01"


def test_scan_database_is_a_source(tmp_path: Path) -> None:
    from kabot_models.plugins.base import ScannedModel
    from kabot_models.store import Store

    db = tmp_path / "models.db"
    with Store(db) as store:
        run = store.begin_run()
        store.save_provider(run, "acme", "https://api.acme.test/v1", "2026-11-30T10:00:00Z", 0.1,
                            [ScannedModel("acme-new", {"name": "Acme New", "context_window": 4096}, "{}")])
    data = read_dataset("scan", db, live=False, today=dt.date(2026, 12, 1))
    [offer] = data.offers
    assert (offer.provider, offer.key, offer.fields["context_window"]) == ("acme", "acme-new", 4096)


@pytest.mark.parametrize(("source", "path", "message"), [
    ("models-dev", None, "models-dev needs a path"),
    ("openrouter", "missing.json", "no such file"),
    ("models-dev", "bad.json", "not a models.dev api.json"),
])
def test_bad_input_is_one_line(tmp_path: Path, source: str, path: str | None, message: str) -> None:
    (tmp_path / "bad.json").write_text("[1, 2")
    args = ["sync", source] + ([str(tmp_path / path)] if path else []) + ["--catalog", str(ROOT / "catalog")]
    result = run_cli(args)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and message in result.stderr and "Traceback" not in result.output


def test_unlisted_only_when_the_source_speaks_for_the_provider(tmp_path: Path) -> None:
    cat = tmp_path / "cat"
    (cat / "providers").mkdir(parents=True)
    shutil.copy(ROOT / "catalog" / "sync.yaml", cat / "sync.yaml")
    block = "provider:\n  name: P\n  datasets:\n    litellm: {{id: p, key_prefix: p/{complete}}}\nmodels:\n"
    model = "  {id}:\n    name: {id}\n    context_window: 10\n    provenance: {{method: import, source: litellm, version: '1', date: 2026-11-26}}\n"
    (cat / "providers" / "p.yaml").write_text(block.format(complete=", complete: true") + model.format(id="gone") + model.format(id="kept"))
    (cat / "providers" / "q.yaml").write_text(block.replace("p/", "q/").replace("id: p", "id: q").format(complete="") + model.format(id="gone"))
    offers = [Offer("p", "p/kept", {"context_window": 10}), Offer("q", "q/other", {"context_window": 20})]
    plan = plan_sync(cat, Dataset("litellm", "2", offers), today=dt.date(2026, 12, 1))
    assert [(c.provider, c.model, c.action) for c in plan.drift] == [("p", "gone", "unlisted"), ("q", "other", "added")]
    plan.write()
    text = (cat / "providers" / "p.yaml").read_text()
    assert "unlisted: {litellm: 2026-12-01}" in text and "  gone:" in text  # marked, never deleted
    assert plan_sync(cat, Dataset("litellm", "2", offers), today=dt.date(2026, 12, 2)).drift == []


def test_an_id_spelled_in_another_case_merges_into_its_entry(tmp_path: Path) -> None:
    # genai-prices spells Z.ai's `glm-4.6` as `GLM-4.6`: one model, one entry, never a second beside it.
    cat = tmp_path / "cat"
    (cat / "providers").mkdir(parents=True)
    shutil.copy(ROOT / "catalog" / "sync.yaml", cat / "sync.yaml")
    (cat / "providers" / "p.yaml").write_text(
        "provider:\n  name: P\n  datasets:\n    genai_prices: {id: p, complete: true}\nmodels:\n"
        "  glm-4.6:\n    name: GLM-4.6\n    context_window: 10\n"
        "    provenance: {method: import, source: genai-prices, version: '1', date: 2026-11-26}\n")
    offers = [Offer("p", "GLM-4.6", {"context_window": 20})]
    plan = plan_sync(cat, Dataset("genai-prices", "2", offers), today=dt.date(2026, 12, 1))
    assert [(c.model, c.field, c.action) for c in plan.drift] == [("glm-4.6", "context_window", "updated")]
    plan.write()
    text = (cat / "providers" / "p.yaml").read_text()
    assert "GLM-4.6:" not in text and "unlisted" not in text and "context_window: 20" in text


def test_a_write_that_does_not_validate_is_rolled_back(tmp_path: Path) -> None:
    cat = tmp_path / "cat"
    (cat / "providers").mkdir(parents=True)
    shutil.copy(ROOT / "catalog" / "sync.yaml", cat / "sync.yaml")
    original = ("provider:\n  name: P\n  datasets:\n    litellm: {id: p}\nmodels:\n"
                "  m:\n    name: M\n    max_output: 100\n    provenance: {method: import, source: litellm, version: '1', date: 2026-11-26}\n")
    (cat / "providers" / "p.yaml").write_text(original)
    plan = plan_sync(cat, Dataset("litellm", "2", [Offer("p", "n", {"name": "N", "capabilities": ["telepathy"]})]), today=dt.date(2026, 12, 1))
    from kabot_models.sync.runner import SyncError

    with pytest.raises(SyncError, match="does not validate, nothing written"):
        plan.write()
    assert (cat / "providers" / "p.yaml").read_text() == original


# -- the walkthrough of issue 12's "done when", on a copy of the real catalog -------------------------
NEW_PROVIDER = """# yaml-language-server: $schema=../../schemas/provider.schema.json
# A provider added by hand: this comment must survive every sync.
provider:
  name: Hand Made AI
  kind: first-party
  api: {base_url: "https://api.handmade.test/v1", flavor: openai}
  auth: {env: [HANDMADE_API_KEY]}
models:
  hand-1:
    name: Hand One   # named by a person
    context_window: 32768
    pricing: {input_1m: 1, output_1m: 2}
    provenance: {method: verified, url: "https://handmade.test/pricing", date: 2026-12-01}
"""
HAND_MODEL = """  kimi-hand-made:
    # added by hand to an existing file
    name: Kimi Hand Made
    context_window: 131072
    provenance: {method: verified, url: "https://platform.kimi.ai/docs/pricing/chat", date: 2026-12-01}
"""


def test_contributor_walkthrough_survives_sync(tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("genai_prices")
    cat = tmp_path / "catalog"
    shutil.copytree(ROOT / "catalog", cat)
    (cat / "providers" / "handmade.yaml").write_text(NEW_PROVIDER)
    moonshot = cat / "providers" / "moonshot.yaml"
    text = moonshot.read_text()
    old = ("    pricing: {input_1m: 3, output_1m: 15, cache_read_1m: 0.3, cache_write_1m: 3, cache_write_1h_1m: 6}\n"
           "    capabilities: [vision, tool_use, reasoning, structured_output, prompt_caching, video_input]\n"
           "    aliases: [kimi]\n"
           "    provenance: {method: import, source: litellm, version: 1.110.2, date: 2026-11-26, key: moonshot/kimi-k3, url: https://platform.kimi.ai/docs/pricing/chat-k3}\n")
    assert old in text
    new = old.replace("input_1m: 3,", "input_1m: 2.5,").replace(
        "    provenance: {method: import, source: litellm, version: 1.110.2, date: 2026-11-26, key: moonshot/kimi-k3, url: https://platform.kimi.ai/docs/pricing/chat-k3}\n",
        "    provenance:\n      method: import\n      source: litellm\n      version: 1.110.2\n      date: 2026-11-26\n      key: moonshot/kimi-k3\n"
        "      url: https://platform.kimi.ai/docs/pricing/chat-k3\n      fields:\n        pricing.input_1m: {method: verified, url: \"https://platform.kimi.ai/docs/pricing/chat-k3\", date: 2026-12-01}\n")
    moonshot.write_text(text.replace(old, new) + HAND_MODEL)
    compiled, issues = validate_catalog(cat)
    assert compiled is not None, issues[:3]

    reports = {}
    for source in ("litellm", "genai-prices"):
        result = run_cli(["sync", source, "--write", "--json", "--date", TODAY, "--catalog", str(cat)])
        assert result.exit_code == 0, result.output
        reports[source] = json.loads(result.stdout)
    after = {p.name: p.read_bytes() for p in (cat / "providers").glob("*.yaml")}

    hand = (cat / "providers" / "handmade.yaml").read_text()
    assert hand == NEW_PROVIDER  # comment, new provider and its model untouched
    text = moonshot.read_text()
    assert "  kimi-hand-made:\n    # added by hand to an existing file\n    name: Kimi Hand Made\n" in text
    assert "input_1m: 2.5," in text
    kept = [c for c in reports["litellm"]["changes"] if (c["model"], c["field"]) == ("kimi-k3", "pricing.input_1m")]
    assert kept == [{"provider": "moonshot", "model": "kimi-k3", "field": "pricing.input_1m", "action": "kept", "catalog": 2.5,
                     "source": 3, "reason": "verified on https://platform.kimi.ai/docs/pricing/chat-k3 (2026-12-01)"}]

    for source in ("litellm", "genai-prices"):  # the same syncs again change nothing
        result = run_cli(["sync", source, "--check", "--json", "--date", TODAY, "--catalog", str(cat)])
        assert result.exit_code == 0, [c for c in json.loads(result.stdout)["changes"] if c["action"] != "kept"][:5]
    assert {p.name: p.read_bytes() for p in (cat / "providers").glob("*.yaml")} == after

    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(cat))
    monkeypatch.setenv("KABOT_MODELS_HOME", str(tmp_path / "home"))
    for name in ("moonshot/kimi-k3", "moonshot/kimi-hand-made", "handmade/hand-1"):
        result = run_cli(["show", name, "--json"])
        assert result.exit_code == 0, result.output
        shown = json.loads(result.stdout)
        figures = [k for k in ("name", "context_window", "max_output", "capabilities") if shown.get(k)]
        figures += [f"pricing.{k}" for k in (shown.get("pricing") or {})]
        assert set(figures) <= set(shown["provenance"]), (name, figures, list(shown["provenance"]))
        assert all(r["method"] in ("import", "verified", "scan") for r in shown["provenance"].values())
    k3 = json.loads(run_cli(["show", "moonshot/kimi-k3", "--json"]).stdout)["provenance"]
    assert k3["pricing.input_1m"] == {"method": "verified", "url": "https://platform.kimi.ai/docs/pricing/chat-k3", "date": TODAY}
    assert k3["pricing.output_1m"] == {"method": "import", "source": "litellm", "version": "1.110.2", "date": "2026-11-26", "key": "moonshot/kimi-k3",
                                       "url": "https://platform.kimi.ai/docs/pricing/chat-k3"}


def test_price_periods_merge_as_one() -> None:
    # genai-prices 0.2.3 dates DeepSeek V4 Pro's current price 2026-08-17; a catalog that splits the
    # week after it off (a period from 2026-08-17, current from 2026-08-23) keeps its periods whole.
    history = [{"input_1m": 0.435}, {"since": "2026-08-17", "input_1m": 0.66}]
    entry = {"pricing": {"input_1m": 0.66, "since": "2026-08-23", "history": history},
             "provenance": {**IMPORT_GP, "fields": {"pricing.history": VERIFIED}}}
    record = {"method": "import", "source": "genai-prices", "version": "9", "date": TODAY}
    merger = EntryMerger("p", "m", entry, record, PREFS, "genai-prices", make_node)
    merger.merge_periods({"pricing.since": "2026-08-17", "pricing.history": [{"input_1m": 0.435}]})
    assert [(c.field, c.action) for c in merger.changes] == [("pricing.since", "kept"), ("pricing.history", "kept")]
    assert "verified" in merger.changes[0].reason and entry["pricing"]["since"] == "2026-08-23"
    assert entry["pricing"]["history"] == history

    entry = {"pricing": {"input_1m": 0.66, "since": "2026-08-23", "history": [{"input_1m": 0.435}]}, "provenance": IMPORT_GP}
    merger = EntryMerger("p", "m", entry, record, PREFS, "genai-prices", make_node)
    merger.merge_periods({"pricing.since": "2026-08-17", "pricing.history": [{"input_1m": 0.4, "source": record}]})
    assert [(c.field, c.action) for c in merger.changes] == [("pricing.since", "updated"), ("pricing.history", "updated")]
    assert entry["pricing"]["since"] == "2026-08-17" and entry["pricing"]["history"][0]["input_1m"] == 0.4
    merger = EntryMerger("p", "m", entry, {**record, "date": "2027-01-05"}, PREFS, "genai-prices", make_node)
    merger.merge_periods({"pricing.since": "2026-08-17", "pricing.history": [{"input_1m": 0.4, "source": {**record, "date": "2027-01-05"}}]})
    assert merger.changes == []  # the same prices on a later day: the period's source record is not a difference


def test_find_base_reads_every_id_shape() -> None:
    from types import SimpleNamespace

    from kabot_models.sync.runner import _vendor_index, find_base

    def doc(kind: str, models: list[str], **block: object) -> SimpleNamespace:
        return SimpleNamespace(doc={"provider": {"kind": kind, **block}, "models": {m: {"name": m} for m in models}})

    files = {
        "anthropic": doc("first-party", ["claude-opus-4-20250514", "claude-sonnet-4-5"], keywords=["claude"]),
        "moonshot": doc("first-party", ["kimi-k2.5"], keywords=["kimi"], datasets={"vendor": ["moonshotai"]}),
        "deepseek": doc("first-party", ["deepseek-v3.2"], keywords=["deepseek"]),
        "dashscope": doc("first-party", ["deepseek-v3.2", "deepseek-r1-0528", "qwen3-max", "kimi-k2.6"], keywords=["qwen"]),
        "host": doc("gateway", ["claude-sonnet-4-5"]),
        "plain": doc("first-party", ["gemma-4"]),
    }
    vendors = _vendor_index(files)
    assert find_base(files, vendors, "moonshotai/Kimi-K2.5") == "moonshot/kimi-k2.5"  # vendor/model
    assert find_base(files, vendors, "claude-sonnet-4-5") == "anthropic/claude-sonnet-4-5"  # flat, one first party
    assert find_base(files, vendors, "deepseek-v3.2") == "deepseek/deepseek-v3.2"  # flat, two: the keyword's
    assert find_base(files, vendors, "us.anthropic.claude-opus-4-20250514-v1:0") == "anthropic/claude-opus-4-20250514"  # Bedrock
    assert find_base(files, vendors, "anthropic.claude-sonnet-4-5") == "anthropic/claude-sonnet-4-5"
    assert find_base(files, vendors, "gpt-9") is None  # nobody makes it
    # after a vendor part nobody claims, the model part must start with its maker's keyword
    assert find_base(files, vendors, "TEE/claude-sonnet-4-5") == "anthropic/claude-sonnet-4-5"
    assert find_base(files, vendors, "acme/gemma-4") is None  # no keyword names gemma's maker
    assert find_base(files, vendors, "gemma-4") == "plain/gemma-4"  # flat: the one first party that has it
    # a keyword that starts the id names the maker: a first party that only hosts the model is not it
    assert find_base(files, vendors, "deepseek-r1-0528") is None
    assert find_base(files, vendors, "qwen3-max") == "dashscope/qwen3-max"
    # Fireworks' accounts/<owner>/models/<id>, with `p` for a version's point
    assert find_base(files, vendors, "accounts/fireworks/models/kimi-k2p5") == "moonshot/kimi-k2.5"
    assert find_base(files, vendors, "accounts/fireworks/models/kimi-k2p6") is None  # kimi names Moonshot; Alibaba only hosts it


def test_sync_date_takes_a_date() -> None:
    res = run_cli(["sync", "litellm", "--check", "--date", "2026-13-01"])
    assert res.exit_code == 1 and res.stderr == "error: --date takes a date as YYYY-MM-DD, not '2026-13-01'\n"


def test_a_zero_cache_price_inside_a_long_context_tier_is_left_out() -> None:
    # models.dev writes 0 for "no separate cache price" inside tiers too (zenmux's x-ai/grok-4.3)
    from kabot_models.sync.runner import Link, _normalise

    fields = {"pricing": {"input_1m": 1.25, "output_1m": 2.5, "cache_write_1m": 0,
                          "tiers": [{"above_input_tokens": 200000, "input_1m": 2.5, "cache_read_1m": 0.4, "cache_write_1m": 0}]}}
    out = _normalise(fields, Link({"id": "x"}), 1_000_000)
    assert out["pricing"] == {"input_1m": 1.25, "output_1m": 2.5,
                              "tiers": [{"above_input_tokens": 200000, "input_1m": 2.5, "cache_read_1m": 0.4}]}


def test_a_new_provider_that_hosts_other_makers_models_is_a_gateway() -> None:
    # issue 13: 33 providers the models.dev import had filed as first parties hosted others' models
    from types import SimpleNamespace

    from kabot_models.sync.runner import _vendor_index, guess_kind

    def doc(models: list[str], **block: object) -> SimpleNamespace:
        return SimpleNamespace(doc={"provider": {"kind": "first-party", **block}, "models": {m: {"name": m} for m in models}})

    files = {"anthropic": doc(["claude-sonnet-4-5", "claude-opus-4-8"], keywords=["claude"]),
             "openai": doc(["gpt-5.5", "gpt-5.5-mini"], keywords=["gpt"])}
    vendors = _vendor_index(files)
    assert guess_kind(files, vendors, ["acme/a", "acme/b", "c"]) == "gateway"  # vendor/model ids
    assert guess_kind(files, vendors, ["claude-sonnet-4-5", "gpt-5.5", "gpt-5.5-mini", "own-1"]) == "gateway"
    assert guess_kind(files, vendors, ["own-1", "own-2", "claude-sonnet-4-5"]) == "first-party"  # one of theirs
    # a first party's regional twin: all of one maker's models is that maker, not a host
    assert guess_kind(files, vendors, ["gpt-5.5", "gpt-5.5-mini", "gpt-5.5-nano"]) == "first-party"
