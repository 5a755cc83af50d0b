"""`kabot-models export`: LiteLLM's model_cost (round-tripped through the real LiteLLM, offline),
models.dev's api.json, everything as JSON, the list table as CSV; and how --out writes."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from cli_runner import run_cli
from kabot_models.cost import cost
from kabot_models.export import export_litellm
from kabot_models.litellm import litellm_model
from kabot_models.loader import load_registry


@pytest.fixture(scope="module")
def registry() -> Any:
    return load_registry(db=False)


@pytest.fixture(autouse=True)
def _litellm_map_restored() -> Any:
    """The tests here load whole exports into LiteLLM's process-wide price map; later tests (the
    bridge's) must find it as LiteLLM ships it."""
    import litellm

    saved = copy.deepcopy(litellm.model_cost)
    yield
    litellm.model_cost.clear()
    litellm.model_cost.update(saved)


def export(*args: str) -> Any:
    res = run_cli(["export", *args])
    assert res.exit_code == 0, res.stderr
    return res.stdout


def _calls(pricing: dict[str, Any]) -> list[tuple[int, int]]:
    """(input, output) token counts to price: a small call, and one just above each tier's threshold."""
    return [(1234, 567)] + [(t["above_input_tokens"] + 1000, 777) for t in pricing.get("tiers") or ()]


def _litellm_ignores(litellm: Any, key: str, entry: dict[str, Any], tokens_in: int, pricing: dict[str, Any]) -> str | None:
    """Why LiteLLM, by design, prices this call otherwise than any price map could say, or None."""
    row = litellm.model_cost.get(key) or {}
    if pricing.get("windows"):
        return "the catalog's time-of-day prices (pricing.windows), which the export does not map to LiteLLM's off_peak_pricing yet"
    if row.get("off_peak_pricing"):
        return "LiteLLM's own off-peak discount windows (the catalog records no off-peak prices)"
    above = [t for t in pricing.get("tiers") or () if tokens_in > t["above_input_tokens"]]
    if above and entry["litellm_provider"] == "perplexity":
        return "LiteLLM's perplexity calculator reads no long-context tiers (Perplexity reports the cost itself)"
    return None


def test_litellm_export_round_trips_every_priced_model(registry: Any) -> None:
    import litellm

    exported = json.loads(export("--format", "litellm"))
    priced = [r for r in registry.records() if (r.get("pricing") or {}).get("input_1m") is not None
              and (r.get("pricing") or {}).get("output_1m") is not None]
    assert {e["catalog_id"] for e in exported.values()} <= {r["id"] for r in priced}
    # Every priced model is in the map under its own string, shares its string with a model
    # charging alike, or its string is one the export reports leaving out.
    shared: list[str] = []
    assert export_litellm(registry, shared=shared) == exported
    by_string = {litellm_model(r["id"], registry.provider_record(r["provider"]), r): r for r in priced}
    left_out = {model for model in by_string if model not in exported}
    assert left_out == set(shared) - set(exported)
    assert len(exported) + len(left_out) >= len(by_string) and len(exported) > 0.7 * len(priced)
    litellm.register_model(exported)  # the file as a LiteLLM user would load it, order included
    checked, mismatched, excused = 0, [], []
    for key, entry in exported.items():
        rec = registry.record(entry["catalog_id"])
        for tokens_in, tokens_out in _calls(rec["pricing"]):
            ours = cost(rec, input_tokens=tokens_in, output_tokens=tokens_out).total
            prompt, completion = litellm.cost_per_token(model=key, prompt_tokens=tokens_in, completion_tokens=tokens_out)
            theirs = Decimal(repr(prompt)) + Decimal(repr(completion))
            checked += 1
            if abs(theirs - ours) > Decimal("1e-12") * max(Decimal(1), ours):
                reason = _litellm_ignores(litellm, key, entry, tokens_in, rec["pricing"])
                (excused if reason else mismatched).append((key, tokens_in, str(ours), str(theirs), reason))
    assert not mismatched, mismatched[:10]
    assert checked > len(exported) and len(excused) < 0.02 * checked, excused


def test_completion_cost_of_a_mocked_call_is_the_catalogs(registry: Any) -> None:
    import litellm

    exported = json.loads(export("--format", "litellm", "--provider", "anthropic"))
    litellm.register_model(exported)
    key = next(k for k, e in exported.items() if e["catalog_id"] == registry.resolve("sonnet"))
    response = litellm.completion(model=key, messages=[{"role": "user", "content": "hi"}], mock_response="hello there")
    usage = response.usage
    ours = cost(registry.record(exported[key]["catalog_id"]), input_tokens=usage.prompt_tokens, output_tokens=usage.completion_tokens).total
    assert Decimal(repr(litellm.completion_cost(completion_response=response))) == pytest.approx(ours, rel=Decimal("1e-12"))


def test_litellm_entries_carry_limits_mode_flags_and_tiers(registry: Any) -> None:
    exported = json.loads(export("--format", "litellm"))
    tiered = next(e for e in exported.values() if any("_above_" in k for k in e))
    rec = registry.record(tiered["catalog_id"])
    tier = rec["pricing"]["tiers"][0]
    threshold = tier["above_input_tokens"]
    name = f"{threshold // 1000}k" if threshold % 1000 == 0 else str(threshold)
    assert tiered[f"input_cost_per_token_above_{name}_tokens"] == pytest.approx(tier["input_1m"] / 1e6)
    for entry in exported.values():
        rec = registry.record(entry["catalog_id"])
        assert entry["mode"] == rec.get("mode", "chat") and entry["litellm_provider"]
        assert entry.get("max_input_tokens") == rec.get("context_window")
        assert entry.get("max_output_tokens") == rec.get("max_output")
        assert ("supports_vision" in entry) == ("vision" in (rec.get("capabilities") or ()))
        assert ("supports_function_calling" in entry) == ("tool_use" in (rec.get("capabilities") or ()))


def test_models_dev_export_has_api_json_shape(registry: Any) -> None:
    data = json.loads(export("--format", "models-dev"))
    assert set(data) == {b["id"] for b in registry.provider_records()}
    anthropic = data["anthropic"]
    assert anthropic["npm"] == "@ai-sdk/anthropic" and anthropic["env"] == ["ANTHROPIC_API_KEY"]
    assert anthropic["catalog_id"] == "anthropic" and anthropic["doc"].startswith("https://")
    sonnet_id = registry.resolve("sonnet")
    model = anthropic["models"][sonnet_id.split("/", 1)[1]]
    rec = registry.record(sonnet_id)
    assert model["catalog_id"] == sonnet_id and model["name"] == rec["name"]
    assert model["cost"]["input"] == rec["pricing"]["input_1m"] and model["cost"]["output"] == rec["pricing"]["output_1m"]
    assert model["limit"]["context"] == rec["context_window"] and model["limit"]["output"] == rec["max_output"]
    assert model["reasoning"] is ("reasoning" in rec["capabilities"]) and model["tool_call"] is True
    assert "last_updated" not in model  # not a catalog fact: left out, never made up
    total = sum(len(p["models"]) for p in data.values())
    assert total == len(registry)
    for provider in data.values():
        for api_id, entry in provider["models"].items():
            assert entry["id"] == api_id and entry["catalog_id"] == f"{provider['id']}/{api_id}"
            for tier in entry.get("cost", {}).get("tiers", ()):
                assert tier["tier"]["type"] == "context" and tier["tier"]["size"] > 0


def test_models_dev_tiers_and_status(registry: Any) -> None:
    data = json.loads(export("--format", "models-dev", "--provider", "openrouter"))
    assert list(data) == ["openrouter"]
    tiered = next(m for m in data["openrouter"]["models"].values() if m.get("cost", {}).get("tiers"))
    rec = registry.record(tiered["catalog_id"])
    assert tiered["cost"]["tiers"][0] == {"tier": {"type": "context", "size": rec["pricing"]["tiers"][0]["above_input_tokens"]},
                                          **{k.removesuffix("_1m"): v for k, v in rec["pricing"]["tiers"][0].items() if k != "above_input_tokens"}}
    statuses = {m.get("status") for p in json.loads(export("--format", "models-dev")).values() for m in p["models"].values()}
    assert statuses <= {None, "beta", "deprecated"}


def test_json_export_is_everything_with_provenance(registry: Any) -> None:
    data = json.loads(export("--format", "json"))
    assert data["source_hash"] == registry.source_hash
    assert len(data["models"]) == len(registry)
    sonnet = data["models"][registry.resolve("sonnet")]
    assert sonnet["catalog_id"] == registry.resolve("sonnet")
    assert sonnet["provenance"]["method"] in {"import", "verified", "scan"}
    assert sonnet["provenance"]["url"].startswith("https://") and sonnet["field_sources"]["pricing"] == "catalog"
    assert data["providers"]["openai"]["catalog_id"] == "openai"
    assert data["providers"]["openai"]["api"]["base_url"] == "https://api.openai.com/v1"
    assert sum(data["providers"]["openai"]["models"].values()) == len(registry.filter(provider="openai"))


def test_csv_export_is_the_list_table() -> None:
    exported = export("--format", "csv", "--provider", "anthropic")
    listed = run_cli(["list", "--csv", "--status", "all", "--provider", "anthropic"]).stdout  # export carries every status
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0][0] == "catalog_id" and rows[0][1:] == next(csv.reader(io.StringIO(listed)))[1:]
    assert exported.splitlines()[1:] == listed.splitlines()[1:]


def test_out_writes_atomically_and_replaces_a_regular_file(tmp_path: Path) -> None:
    target = tmp_path / "models.json"
    target.write_text("old")
    res = run_cli(["export", "--format", "models-dev", "--provider", "openai", "--out", str(target)])
    assert res.exit_code == 0, res.stderr
    assert json.loads(target.read_text())["openai"]["catalog_id"] == "openai"
    assert [p.name for p in tmp_path.iterdir()] == ["models.json"]  # no temporary file left


@pytest.mark.parametrize("kind", ["symlink", "directory", "fifo", "missing-dir"])
def test_out_refuses_what_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "out.json"
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    if kind == "symlink":
        target.symlink_to(victim)
    elif kind == "directory":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target = tmp_path / "no-such-dir" / "out.json"
    res = run_cli(["export", "--format", "json", "--provider", "openai", "--out", str(target)])
    assert res.exit_code == 1
    assert res.stderr.startswith("error: ") and str(target) in res.stderr and "Traceback" not in res.stderr
    assert victim.read_text() == "keep me"


def test_unknown_provider_and_format_are_one_line_errors() -> None:
    res = run_cli(["export", "--format", "json", "--provider", "opena"])
    assert res.exit_code == 1 and res.stderr.strip() == "error: unknown provider 'opena'; did you mean 'openai'?"
    res = run_cli(["export", "--format", "yaml"])
    assert res.exit_code != 0 and "Traceback" not in res.stderr
