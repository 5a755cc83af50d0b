"""The cost conformance vectors (conformance/cost/*.json) against the real catalog.

Each vector's expected total was worked out by hand from the prices its note states; this
runner prices the same call through `kabot_models.cost` and compares exactly. It also checks
that the vectors cover every rule docs/models/pricing.md names, over enough providers.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from kabot_models.cost import cost, cost_from_response
from kabot_models.errors import PricingError

ROOT = Path(__file__).resolve().parent.parent
VECTORS = ROOT / "conformance" / "cost"
PRICING_DOC = ROOT / "docs" / "models" / "pricing.md"
CASE_KEYS = {"id", "model", "usage", "response", "provider", "at", "modifiers", "expected_usd", "expected_error", "rules", "source", "note"}


def _cases() -> list[tuple[str, dict]]:
    out = []
    for path in sorted(VECTORS.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            out.append((doc["provider"], case))
    return out


CASES = _cases()


@pytest.fixture(scope="module")
def registry():
    from kabot_models import load_registry

    return load_registry()


def _price(registry, case: dict):
    modifiers = case.get("modifiers") or {}
    at = None if case["at"] == "now" else case["at"]
    if "response" in case:
        body = (VECTORS / case["response"]).read_bytes()
        return cost_from_response(body, provider=case.get("provider"), at=at, registry=registry)
    record = registry.record(case["model"])
    assert record is not None, f"{case['model']} is not in the catalog"
    return cost(record, at=at, **case["usage"], **modifiers)


@pytest.mark.parametrize(("provider", "case"), CASES, ids=[c["id"] for _, c in CASES])
def test_vector(registry, provider: str, case: dict) -> None:
    assert set(case) <= CASE_KEYS, set(case) - CASE_KEYS
    assert case["source"].startswith("https://") and case["note"] and case["rules"]
    assert ("expected_usd" in case) != ("expected_error" in case)
    assert ("model" in case) != ("response" in case)
    if "expected_error" in case:
        with pytest.raises(PricingError) as info:
            _price(registry, case)
        assert case["expected_error"] in str(info.value)
        assert "\n" not in str(info.value)
    else:
        assert _price(registry, case).total == Decimal(case["expected_usd"])


def test_vectors_cover_every_rule_over_enough_providers() -> None:
    text = PRICING_DOC.read_text(encoding="utf-8")
    listed = re.search(r"<!-- rules: ([a-z0-9 -]+) -->", text)
    assert listed, "docs/models/pricing.md lists no rule ids"
    named = set(listed.group(1).split())
    body = text[listed.end():].split("<!-- /rules -->", 1)[0]
    assert {r for r in named if f"`{r}`" not in body} == set(), "every rule id is explained in the text"
    covered = {r for _, c in CASES for r in c["rules"]}
    assert named - covered == set(), f"rules without a vector: {sorted(named - covered)}"
    assert covered - named == set(), f"vectors name rules the doc does not: {sorted(covered - named)}"
    assert len(CASES) >= 60
    assert len({p for p, _ in CASES}) >= 10
    assert len({c["id"] for _, c in CASES}) == len(CASES), "case ids must be unique"
