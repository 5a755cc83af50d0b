"""kabot_models.pricing_import: genai-prices and LiteLLM entries into the catalog's pricing fields.

The inputs are cut from genai-prices 0.2.3 (`deepseek:deepseek-v4-pro`, `google:gemini-4-argon`,
`anthropic:claude-opus-5`) and LiteLLM 1.110.2 (`gpt-6-sol`), rebuilt here so the test does not
depend on which versions are installed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from kabot_models.pricing_import import genai_pricing, litellm_pricing, litellm_tier_prices
from kabot_models.schema import ModelPricing

gp = pytest.importorskip("genai_prices.types")
TODAY = dt.date(2026, 12, 1)
UTC = dt.timezone.utc
SOURCE = {"method": "import", "source": "genai-prices", "version": "0.2.3", "date": TODAY}


def _model(model_id: str, prices, variants=None):
    return gp.ModelInfo(id=model_id, match=gp.ClauseEquals(equals=model_id), prices=prices, price_variants=variants)


def test_start_dates_become_history_current_and_scheduled() -> None:
    argon = _model("gemini-4-argon", [
        gp.ConditionalPrice(prices=gp.ModelPrice(input_mtok=D("2"), cache_read_mtok=D("0.1"), output_mtok=D("10"), web_searches_kcount=D("14"))),
        gp.ConditionalPrice(constraint=gp.StartDateConstraint(start_date=dt.date(2026, 12, 1)),
                            prices=gp.ModelPrice(input_mtok=D("4"), cache_read_mtok=D("0.2"), output_mtok=D("20"), web_searches_kcount=D("14"))),
        gp.ConditionalPrice(constraint=gp.StartDateConstraint(start_date=dt.date(2027, 3, 1)),
                            prices=gp.ModelPrice(input_mtok=D("5"), output_mtok=D("25"))),
    ], [gp.PriceVariant(when={"processing": "batch"}, prices=gp.ModelPrice(input_mtok=D("1"), output_mtok=D("5")),
                        constraint=gp.StartDateConstraint(start_date=dt.date(2026, 10, 14)))])
    out = genai_pricing(argon, "0.2.3", TODAY)
    pricing = out["pricing"]
    assert (pricing["since"], pricing["input_1m"], pricing["output_1m"], pricing["web_search_1k"]) == (dt.date(2026, 12, 1), 4, 20, 14)
    assert pricing["batch"] == {"input_1m": 1, "output_1m": 5}  # the variant holds from 2026-10-14 on
    assert [h.get("since") for h in pricing["history"]] == [None, dt.date(2026, 10, 14)]
    assert "batch" not in pricing["history"][0] and pricing["history"][1]["batch"] == {"input_1m": 1, "output_1m": 5}
    assert pricing["scheduled"][0]["since"] == dt.date(2027, 3, 1) and pricing["scheduled"][0]["input_1m"] == 5
    assert pricing["source"] == {**SOURCE, "note": "genai-prices model `gemini-4-argon`"}
    ModelPricing.model_validate(pricing)  # what it writes is a valid catalog pricing block


def test_time_of_day_prices_become_windows_of_the_latest_dated_price() -> None:
    v4 = _model("deepseek-v4-pro", [
        gp.ConditionalPrice(prices=gp.ModelPrice(input_mtok=D("0.435"), cache_read_mtok=D("0.003625"), output_mtok=D("0.87"))),
        gp.ConditionalPrice(constraint=gp.StartDateConstraint(start_date=dt.date(2026, 8, 17)),
                            prices=gp.ModelPrice(input_mtok=D("0.66"), cache_read_mtok=D("0.022"), output_mtok=D("1.98"))),
        gp.ConditionalPrice(constraint=gp.TimeOfDateConstraint(start_time=dt.time(1, 0, tzinfo=UTC), end_time=dt.time(4, 0, tzinfo=UTC)),
                            prices=gp.ModelPrice(input_mtok=D("1.32"), cache_read_mtok=D("0.044"), output_mtok=D("3.96"))),
        gp.ConditionalPrice(constraint=gp.TimeOfDateConstraint(start_time=dt.time(6, 0, tzinfo=UTC), end_time=dt.time(10, 0, tzinfo=UTC)),
                            prices=gp.ModelPrice(input_mtok=D("1.32"), cache_read_mtok=D("0.044"), output_mtok=D("3.96"))),
    ])
    pricing = genai_pricing(v4, "0.2.3", TODAY)["pricing"]
    assert pricing["input_1m"] == 0.66 and pricing["since"] == dt.date(2026, 8, 17)
    assert [(w["start"], w["end"], w["timezone"], w["input_1m"]) for w in pricing["windows"]] == [
        ("01:00", "04:00", "UTC", 1.32), ("06:00", "10:00", "UTC", 1.32)]
    assert "windows" not in pricing["history"][0]  # the flat price before 2026-08-17 had no peak hours
    ModelPricing.model_validate(pricing)


def test_variants_become_service_tiers_and_tiered_prices_long_context() -> None:
    opus = _model("claude-opus-5", gp.ModelPrice(
        input_mtok=gp.TieredPrices(base=D("5"), tiers=[gp.Tier(start=200_000, price=D("10"))]), output_mtok=D("25"), requests_kcount=D("2")),
        [gp.PriceVariant(when={"service_tier": "default"}, prices=gp.ModelPrice()),
         gp.PriceVariant(when={"speed": "fast"}, prices=gp.ModelPrice(input_mtok=D("10"), output_mtok=D("50"))),
         gp.PriceVariant(when={"service_tier": "priority"}, prices=gp.ModelPrice(input_mtok=D("9"))),
         gp.PriceVariant(when={"search_type": "web"}, prices=gp.ModelPrice(input_mtok=D("1")))])
    out = genai_pricing(opus, "0.2.3", TODAY)
    pricing = out["pricing"]
    assert pricing["tiers"] == [{"above_input_tokens": 200_000, "input_1m": 10}]
    assert pricing["per_request"] == 0.002  # $2 per 1000 requests
    assert pricing["service_tiers"] == {"fast": {"input_1m": 10, "output_1m": 50}, "priority": {"input_1m": 9}}
    assert out["skipped"] == ["variant search_type=web"]  # left out and named, never guessed


def test_litellm_tiers_regions_and_fees() -> None:
    entry = {  # cut from LiteLLM 1.110.2 `gpt-6-sol`
        "input_cost_per_token": 2e-06, "output_cost_per_token": 1e-05,
        "input_cost_per_token_flex": 1e-06, "output_cost_per_token_flex": 5e-06, "cache_read_input_token_cost_flex": 1e-07,
        "input_cost_per_token_above_272k_tokens_flex": 2e-06, "output_cost_per_token_above_272k_tokens_flex": 7.5e-06,
        "input_cost_per_token_priority": 4e-06, "output_cost_per_token_priority": 2e-05,
        "input_cost_per_token_batches": 1e-06, "output_cost_per_token_batches": 5e-06,
        "regional_processing_uplift_multiplier_eu": 1.1, "regional_processing_uplift_multiplier_us": 1.1,
        "search_context_cost_per_query": {"search_context_size_high": 0.01, "search_context_size_low": 0.01, "search_context_size_medium": 0.01},
        "output_cost_per_image": 0.00012, "mode": "chat",
    }
    assert litellm_tier_prices(entry, "flex") == {"input_1m": 1, "output_1m": 5, "cache_read_1m": 0.1,
                                                  "tiers": [{"above_input_tokens": 272_000, "input_1m": 2, "output_1m": 7.5}]}
    out = litellm_pricing(entry, "gpt-6-sol", "1.110.2", TODAY)
    source = {"method": "import", "source": "litellm", "version": "1.110.2", "date": TODAY, "note": "LiteLLM map key `gpt-6-sol`"}
    assert out["batch"] == {"input_1m": 1, "output_1m": 5, "source": source}
    assert out["service_tiers"]["priority"] == {"input_1m": 4, "output_1m": 20, "source": source}
    assert out["regions"] == {"eu": {"multiplier": 1.1, "source": source}, "us": {"multiplier": 1.1, "source": source}}
    assert out["web_search_1k"] == 10
    assert "per_image" not in out  # a chat model's output_cost_per_image is not a per-image price
    assert litellm_pricing({**entry, "mode": "image_generation"}, "x", "1.110.2", TODAY)["per_image"] == 0.00012
    uneven = {**entry, "search_context_cost_per_query": {"search_context_size_high": 0.03, "search_context_size_low": 0.01, "search_context_size_medium": 0.02}}
    assert "web_search_1k" not in litellm_pricing(uneven, "x", "1.110.2", TODAY)  # the price depends on a size we do not model
