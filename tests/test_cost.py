"""kabot_models.cost (exact prices, tiers, batch, history) and the `cost` command."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from cli_runner import run_cli
from fixture_catalog import SAMPLE, use_catalog
from kabot_models.cost import cost, to_decimal
from kabot_models.errors import PricingError

LARGE = {"id": "acme/acme-large", **SAMPLE["acme"]["models"]["acme-large"]}
SMALL = {"id": "acme/acme-small", **SAMPLE["acme"]["models"]["acme-small"]}


# (model, keyword arguments, expected total in USD as written by hand)
CASES = [
    (SMALL, {"input_tokens": 1_000_000}, "0.1"),
    (SMALL, {"input_tokens": 3, "output_tokens": 3}, "0.0000015"),  # 0.3e-6 + 1.2e-6: exact, no float drift
    (SMALL, {"input_tokens": 10, "output_tokens": 0}, "0.000001"),
    (LARGE, {"input_tokens": 200_000, "output_tokens": 1_000}, "0.615"),  # at the threshold: base prices
    (LARGE, {"input_tokens": 200_001, "output_tokens": 1_000}, "1.222506"),  # above: the whole request at the tier
    (LARGE, {"input_tokens": 150_000, "cache_read_tokens": 50_001}, "0.9150003"),  # cache counts toward the prompt; the tier lacks cache_read, so base
    (LARGE, {"input_tokens": 1_000, "cache_write_tokens": 1_000}, "0.00675"),
    (LARGE, {"input_tokens": 100_000, "output_tokens": 1_000_000, "batch": True}, "7.65"),
    (LARGE, {"input_tokens": 100_000, "at": "2026-06-01"}, "0.3"),  # first day of the current price
    (LARGE, {"input_tokens": 100_000, "at": "2026-05-31"}, "0.4"),  # last day of the old one
    (LARGE, {"input_tokens": 100_000, "at": "2026-03-01"}, "0.4"),
]


@pytest.mark.parametrize(("model", "kwargs", "total"), CASES)
def test_cost_table(model: dict, kwargs: dict, total: str) -> None:
    assert cost(model, **kwargs).total == Decimal(total)


def test_breakdown_lines_and_tier() -> None:
    b = cost(LARGE, input_tokens=300_000, output_tokens=2_000)
    assert b.tier == 200_000
    assert [(l.component, l.count, l.price, l.cost) for l in b.lines] == [
        ("input", 300_000, Decimal("6.0"), Decimal("1.8")),
        ("output", 2_000, Decimal("22.5"), Decimal("0.045")),
    ]
    assert b.as_dict()["total"] == "1.845"
    assert b.prices_since is not None and b.prices_since.isoformat() == "2026-06-01"


def test_decimal_comes_from_repr_not_binary_value() -> None:
    assert to_decimal(0.1) == Decimal("0.1")
    # float arithmetic would give 0.30000000000000004 here
    assert cost({"id": "x/y", "pricing": {"input_1m": 0.1, "output_1m": 0.2}}, input_tokens=1_000_000, output_tokens=1_000_000).total == Decimal("0.3")


def test_accepts_model_metadata() -> None:
    from kabot_models.schema import ModelMetadata

    meta = ModelMetadata.model_validate(LARGE)
    assert cost(meta, input_tokens=100_000, output_tokens=1_000_000).total == Decimal("15.3")
    assert cost(meta, input_tokens=100_000, at="2026-04-01").total == Decimal("0.4")


def test_free_model_costs_zero() -> None:
    free = {"id": "relay/free-thing", **SAMPLE["relay"]["models"]["free-thing"]}
    assert cost(free, input_tokens=5_000, output_tokens=5_000).total == 0


@pytest.mark.parametrize(
    ("model", "kwargs", "message"),
    [
        (SMALL, {"input_tokens": -1}, "must not be negative"),
        (SMALL, {"output_tokens": 1.5}, "whole number"),
        (SMALL, {"input_tokens": True}, "whole number"),
        (SMALL, {"cache_read_tokens": 10}, "no cache_read price (pricing.cache_read_1m)"),
        (SMALL, {"input_tokens": 10, "batch": True}, "no batch prices"),
        (LARGE, {"input_tokens": 10, "cache_read_tokens": 10, "batch": True}, "no cache_read price (pricing.batch.cache_read_1m)"),
        (LARGE, {"input_tokens": 300_000, "batch": True}, "the batch tier records no long-context prices (pricing.batch.tiers)"),
        (LARGE, {"input_tokens": 10, "at": "2026-02-28"}, "earliest recorded price starts 2026-03-01"),
        (LARGE, {"input_tokens": 300_000, "at": "2026-04-01"}, "pricing.history[0] does not record long-context tiers"),
        (LARGE, {"cache_read_tokens": 10, "at": "2026-04-01"}, "pricing.history[0].cache_read_1m"),
        ({"id": "x/y", "release_date": "2026-01-01", "pricing": {"input_1m": 1}}, {"input_tokens": 1, "at": "2025-12-31"}, "released on 2026-01-01"),
        ({"id": "x/y", "pricing": {"input_1m": 1, "history": [{"since": "2025-01-01", "input_1m": 2}]}}, {"input_tokens": 1, "at": "2026-01-01"}, "not when its current prices began"),
        ({"id": "x/y"}, {"output_tokens": 1}, "no output price"),
    ],
)
def test_cost_errors(model: dict, kwargs: dict, message: str) -> None:
    with pytest.raises(PricingError) as info:
        cost(model, **kwargs)
    assert message in str(info.value)


# -- the command ------------------------------------------------------------------------------


def test_cli_cost_text_and_json(monkeypatch, tmp_path) -> None:
    use_catalog(monkeypatch, tmp_path)
    res = run_cli(["cost", "large", "--input", "250k", "--output", "1,000"])
    assert res.exit_code == 0, res.output
    assert "acme/acme-large" in res.output and "prompt above 200,000 tokens" in res.output
    assert "$1.5225" in res.output  # 250k x $6 + 1k x $22.5
    res = run_cli(["cost", "acme/acme-large", "--input", "100000", "--at", "2026-04-01", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["total"] == "0.4" and data["at"] == "2026-04-01" and data["prices_since"] == "2026-03-01"
    res = run_cli(["cost", "large", "--input", "150k", "--output", "2M", "--batch", "--json"])
    assert json.loads(res.output)["total"] == "15.225"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["cost", "large", "--input", "-5"], "--input '-5' is not a token count"),
        (["cost", "large", "--input", "12.5"], "--input '12.5' is not a whole number"),
        (["cost", "large", "--output", "lots"], "--output 'lots' is not a token count"),
        (["cost", "large", "--input", "9" * 5000], "is not a token count"),  # no traceback from int()
        (["cost", "large", "--input", "\u0661\u0662\u0663"], "is not a token count"),  # Arabic-Indic digits
        (["cost", "large"], "nothing to price"),
        (["cost", "nosuch-model", "--input", "5"], "unknown model 'nosuch-model'"),
        (["cost", "large", "--input", "5", "--at", "2026-02-30"], "--at '2026-02-30' is not a date"),
        (["cost", "large", "--input", "5", "--at", "2020-01-01"], "no price known for acme/acme-large on 2020-01-01"),
        (["cost", "small", "--cache-write", "5"], "no cache_write price"),
    ],
)
def test_cli_cost_bad_input(monkeypatch, tmp_path, args: list[str], message: str) -> None:
    use_catalog(monkeypatch, tmp_path)
    res = run_cli(args)
    assert res.exit_code == 1
    assert message in res.stderr
    assert "Traceback" not in res.output + res.stderr


@pytest.mark.parametrize(
    ("at", "outcome"),
    [
        ("2024-06-01", "does not record since when its current prices apply"),  # a past day: unknown, not today's price
        ("2999-01-01", "0.1"),  # today or later: the current price
    ],
)
def test_at_without_since_or_history(at: str, outcome: str) -> None:
    """A model whose prices carry no start date is priced for today and later only, never guessed for the past."""
    undated = {"id": "x/undated", "pricing": {"input_1m": 0.1, "output_1m": 0.4}}
    if outcome.startswith("0"):
        assert cost(undated, input_tokens=1_000_000, at=at).total == Decimal(outcome)
    else:
        with pytest.raises(PricingError, match=outcome):
            cost(undated, input_tokens=1_000_000, at=at)
