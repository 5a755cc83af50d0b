"""The stacking rules of docs/models/pricing.md on small records, and the issue's done-when checks on the real catalog."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from cli_runner import run_cli
from kabot_models.cost import cost
from kabot_models.errors import PricingError

ROCKET = {
    "id": "acme/rocket",
    "pricing": {
        "input_1m": 2, "output_1m": 10, "cache_read_1m": 0.2, "cache_write_1m": 2.5, "cache_write_1h_1m": 4,
        "web_search_1k": 10, "per_request": 0.01, "per_image": 0.04,
        "since": "2026-06-01",
        "tiers": [{"above_input_tokens": 100_000, "input_1m": 4, "output_1m": 15}],
        "batch": {"multiplier": 0.5},
        "service_tiers": {
            "turbo": {"multiplier": 2},
            "flex": {"input_1m": 1, "output_1m": 5, "web_search_1k": 5, "tiers": [{"above_input_tokens": 100_000, "input_1m": 2, "output_1m": 7.5}]},
        },
        "regions": {"us": {"multiplier": 1.1}, "eu": {"multiplier": 1.2, "service_tiers": ["standard", "batch"]}},
        "history": [{"input_1m": 3, "output_1m": 12}],
        "scheduled": [{"since": "2027-01-01", "until": "2027-07-01", "input_1m": 2.5, "output_1m": 11}],
    },
}
NIGHT = {
    "id": "acme/night",
    "pricing": {
        "input_1m": 1, "output_1m": 2, "since": "2026-01-01",
        "tiers": [{"above_input_tokens": 500_000, "input_1m": 2, "output_1m": 4}],
        "service_tiers": {"flex": {"multiplier": 0.5}},
        # a window past midnight, Sunday night into Monday morning in Tokyo
        "windows": [{"name": "night", "start": "22:00", "end": "06:00", "timezone": "Asia/Tokyo", "days": ["sun"], "input_1m": 0.5, "output_1m": 1}],
    },
}
MILLION = {"input_tokens": 100_000, "output_tokens": 1_000_000}  # at, not above, ROCKET's 100K threshold

CASES = [
    # (record, kwargs, total by hand)
    (ROCKET, {**MILLION, "at": "2026-12-01"}, "10.2"),                                  # 0.2 + 10
    (ROCKET, {**MILLION, "at": "2026-05-31"}, "12.3"),                                  # history[0], undated: 0.3 + 12
    (ROCKET, {**MILLION, "at": "2027-03-01"}, "11.25"),                                 # scheduled: 0.25 + 11
    (ROCKET, {**MILLION, "at": "2026-12-01", "tier": "turbo"}, "20.4"),                 # x2: 0.4 + 20
    (ROCKET, {"input_tokens": 200_000, "output_tokens": 1_000_000, "at": "2026-12-01", "tier": "turbo"}, "31.6"),  # long context x2: 200k x 8 + 1M x 30
    (ROCKET, {**MILLION, "at": "2026-12-01", "batch": True}, "5.1"),                    # x0.5: 0.1 + 5
    (ROCKET, {"input_tokens": 200_000, "output_tokens": 1_000_000, "at": "2026-12-01", "tier": "flex"}, "7.9"),  # flex's own tier: 200k x 2 + 1M x 7.5
    (ROCKET, {**MILLION, "at": "2026-12-01", "region": "us"}, "11.22"),                # x1.1: 0.22 + 11
    (ROCKET, {**MILLION, "at": "2026-12-01", "region": "eu", "batch": True}, "6.12"),  # x0.5 x1.2: 0.12 + 6
    (ROCKET, {**MILLION, "at": "2026-12-01", "region": "global"}, "10.2"),
    (ROCKET, {**MILLION, "at": "2026-12-01", "tier": "Default"}, "10.2"),               # standard names, any case
    (ROCKET, {"cache_write_1h_tokens": 1_000_000, "at": "2026-12-01", "tier": "turbo", "region": "us"}, "8.8"),  # 4 x 2 x 1.1
    (ROCKET, {"web_searches": 3, "requests": 2, "images": 5, "at": "2026-12-01", "tier": "turbo", "region": "us"}, "0.25"),  # fees untouched: 0.03 + 0.02 + 0.2
    (ROCKET, {"web_searches": 2, "at": "2026-12-01", "tier": "flex"}, "0.01"),           # the flex tier's own search price: 2 x 5 / 1000
    (ROCKET, {"reasoning_tokens": 1_000_000, "input_tokens": 200_000, "at": "2026-12-01"}, "15.8"),  # reasoning follows the tier's output: 0.8 + 15
    (NIGHT, {**MILLION, "at": "2026-12-06T13:30:00Z"}, "1.05"),                          # Sunday 22:30 Tokyo: 0.05 + 1
    (NIGHT, {**MILLION, "at": "2026-12-06T20:59:00Z"}, "1.05"),                          # Monday 05:59 Tokyo, still the Sunday window
    (NIGHT, {**MILLION, "at": "2026-12-06T21:00:00Z"}, "2.1"),                           # Monday 06:00 Tokyo: the end is exclusive: 0.1 + 2
    (NIGHT, {**MILLION, "at": dt.datetime(2026, 12, 7, 22, 30)}, "2.1"),                 # naive datetime is UTC: Tuesday 07:30 Tokyo
]


@pytest.mark.parametrize(("record", "kwargs", "total"), CASES)
def test_rules(record: dict, kwargs: dict, total: str) -> None:
    assert cost(record, **kwargs).total == Decimal(total)


@pytest.mark.parametrize(
    ("record", "kwargs", "message"),
    [
        (ROCKET, {"input_tokens": 1, "at": "2027-07-01"}, "ended on 2027-07-01"),
        (ROCKET, {"input_tokens": 1, "tier": "priority"}, "offers no 'priority' service tier (pricing.service_tiers; offered: batch, flex, turbo)"),
        (ROCKET, {"input_tokens": 1, "tier": "flex", "batch": True}, "one service tier per call"),
        (ROCKET, {"input_tokens": 1, "region": "eu", "tier": "flex"}, "region 'eu' is not offered with the flex tier"),
        (ROCKET, {"input_tokens": 1, "region": "apac"}, "records no price for region 'apac' (pricing.regions; recorded: eu, us)"),
        (ROCKET, {"cache_read_tokens": 1, "tier": "flex"}, "no cache_read price (pricing.service_tiers.flex.cache_read_1m)"),
        (ROCKET, {"input_tokens": 1, "at": "2026-02-30"}, "is not a date"),
        (ROCKET, {"input_tokens": 1, "tier": 3}, "must be names"),
        (NIGHT, {"input_tokens": 1, "at": "2026-12-06"}, "give a time"),
        (NIGHT, {"input_tokens": 1, "at": "2026-12-06T13:30Z", "tier": "flex"}, "do not combine with the flex tier"),
        (NIGHT, {"input_tokens": 600_000, "at": "2026-12-06T13:30Z"}, "record no long-context tiers"),
        (NIGHT, {"cache_read_tokens": 1, "at": "2026-12-06T13:30Z"}, "no cache_read price (pricing.windows[0].cache_read_1m)"),
        (NIGHT, {"requests": -1}, "must not be negative"),
    ],
)
def test_combinations_not_recorded_are_errors(record: dict, kwargs: dict, message: str) -> None:
    with pytest.raises(PricingError) as info:
        cost(record, **kwargs)
    assert message in str(info.value)


def test_breakdown_names_what_applied() -> None:
    b = cost(ROCKET, input_tokens=200_000, web_searches=1, tier="turbo", region="us", at="2026-12-01T10:00:00+02:00")
    assert (b.service_tier, b.tier, b.region, b.batch) == ("turbo", 100_000, "us", False)
    assert b.at == dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.timezone.utc)
    assert [(l.component, l.count, l.price, l.per) for l in b.lines] == [("input", 200_000, Decimal("8.8"), 1_000_000), ("web_searches", 1, Decimal("10"), 1000)]
    data = b.as_dict()
    assert data["total"] == "1.77" and data["service_tier"] == "turbo" and data["at"] == "2026-12-01T08:00:00+00:00"
    assert cost(NIGHT, input_tokens=1, at="2026-12-06T13:30Z").window == "night"


# -- the done-when checks, on the real catalog -------------------------------------------------


@pytest.mark.parametrize(("at", "total"), [("2026-12-01", "24"), ("2026-11-30", "12")])
def test_gemini_4_argon_price_change(at: str, total: str) -> None:
    res = run_cli(["cost", "google/gemini-4-argon", "--input", "1000000", "--output", "1000000", "--at", at, "--json"])
    assert res.exit_code == 0, res.stderr
    assert Decimal(json.loads(res.output)["total"]) == Decimal(total)


def test_deepseek_peak_and_off_peak_differ_as_deepseek_bills_them() -> None:
    def total(at: str) -> Decimal:
        res = run_cli(["cost", "deepseek-v4-pro", "--input", "1M", "--output", "1M", "--at", at, "--json"])
        assert res.exit_code == 0, res.stderr
        return Decimal(json.loads(res.output)["total"])

    peak = total("2026-12-01T10:30+08:00")       # Tuesday, 09:00-12:00 Beijing time
    afternoon = total("2026-12-01T17:59+08:00")  # Tuesday, 14:00-18:00 Beijing time
    off_peak = total("2026-12-01T20:00+08:00")
    weekend = total("2026-12-05T10:30+08:00")    # Saturday: off-peak all day
    assert peak == afternoon == 2 * off_peak == 2 * weekend  # peak is twice the off-peak rate
    assert off_peak == Decimal("2.64")


def _litellm_map() -> dict:
    import importlib.util

    spec = importlib.util.find_spec("litellm")  # the map file only: importing litellm is slow and tries the network
    assert spec is not None and spec.origin
    return json.loads((Path(spec.origin).parent / "model_prices_and_context_window_backup.json").read_text())


def test_flex_and_priority_cost_what_litellms_map_says() -> None:
    """Every service tier imported from LiteLLM prices a call as LiteLLM's `*_flex` / `*_priority` keys do."""
    import importlib.metadata

    from kabot_models import load_registry

    lite = _litellm_map()
    version = importlib.metadata.version("litellm")
    checked = 0
    for record in load_registry().records():
        pricing = record.get("pricing") or {}
        for name, tier in (pricing.get("service_tiers") or {}).items():
            source = tier.get("source") or {}
            if source.get("source") != "litellm" or name not in ("flex", "priority"):
                continue
            if source.get("version") != version:
                pytest.skip(f"installed LiteLLM {version} is not the {source.get('version')} the catalog imported")
            entry = lite[source["note"].split("`")[1]]
            # 1,000 tokens of each component LiteLLM prices for the tier: below every long-context threshold
            fields = {"input_tokens": "input_cost_per_token", "output_tokens": "output_cost_per_token", "cache_read_tokens": "cache_read_input_token_cost"}
            counts = {arg: 1000 for arg, key in fields.items() if f"{key}_{name}" in entry}
            expected = sum(Decimal(repr(entry[f"{fields[arg]}_{name}"])) * 1000 for arg in counts)
            got = cost(record, tier=name, **counts).total
            assert got == expected, (record["id"], name)
            checked += 1
    assert checked >= 100
