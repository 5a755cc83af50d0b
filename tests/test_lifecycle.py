"""A model's status follows from its lifecycle dates on the day asked: retired the day after its
retirement date with no edit to the catalog, through a snapshot compiled the day before."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from cli_runner import run_cli
from kabot_models import lifecycle
from kabot_models.lifecycle import status_on
from kabot_models.loader import load_registry
from kabot_models.snapshot import cache_path

D = dt.date


@pytest.mark.parametrize("stated, deprecation, retirement, today, expected", [
    (None, None, None, D(2026, 12, 1), "active"),
    ("preview", None, None, D(2026, 12, 1), "preview"),
    (None, "2026-12-01", None, D(2026, 11, 30), "active"),        # announced for tomorrow: not yet
    (None, "2026-12-01", None, D(2026, 12, 1), "deprecated"),     # deprecated from that day on
    (None, None, "2026-12-31", D(2026, 12, 1), "deprecated"),     # a shutdown announced: deprecated
    (None, None, "2026-12-31", D(2026, 12, 31), "deprecated"),    # still served on its last day
    (None, None, "2026-12-31", D(2027, 1, 1), "retired"),         # retired the day after
    ("active", "2026-06-01", "2026-12-31", D(2027, 1, 1), "retired"),
    ("retired", None, "2027-06-30", D(2026, 12, 1), "retired"),   # a date never softens a stated status
    ("deprecated", None, None, D(2026, 12, 1), "deprecated"),
    (None, D(2026, 6, 1), D(2026, 9, 1), D(2026, 12, 1), "retired"),  # dates as YAML gives them
    (None, "not a date", None, D(2026, 12, 1), "active"),
])
def test_status_on(stated: str | None, deprecation: object, retirement: object, today: dt.date, expected: str) -> None:
    assert status_on(stated, deprecation, retirement, today) == expected


def _catalog(root: Path) -> Path:
    (root / "providers").mkdir(parents=True)
    (root / "providers" / "acme.yaml").write_text(
        "provider:\n  name: Acme\n  api: {base_url: https://api.acme.test/v1}\n  auth: {env: [ACME_API_KEY]}\n"
        "models:\n"
        "  acme-old:\n    name: Acme Old\n    context_window: 8192\n    deprecation_date: 2026-06-01\n"
        "    retirement_date: 2026-12-31\n    successor: acme/acme-new\n"
        "  acme-new:\n    name: Acme New\n    context_window: 131072\n",
        encoding="utf-8")
    return root


def test_a_model_retires_the_day_after_its_date_through_a_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = _catalog(tmp_path / "catalog")
    monkeypatch.setattr(lifecycle, "today", lambda: D(2026, 12, 31))
    before = load_registry(catalog, db=False)
    assert before.status_of("acme/acme-old") == "deprecated" and before.record("acme/acme-old")["status"] == "deprecated"
    snapshot = Path(cache_path(catalog))
    assert snapshot.is_file()
    written = snapshot.stat().st_mtime_ns

    monkeypatch.setattr(lifecycle, "today", lambda: D(2027, 1, 1))
    after = load_registry(catalog, db=False)  # from the snapshot written yesterday, not recompiled
    assert snapshot.stat().st_mtime_ns == written
    assert after.status_of("acme/acme-old") == "retired"
    assert after.record("acme/acme-old")["status"] == "retired"
    assert [r["id"] for r in after.filter(status="retired")] == ["acme/acme-old"]
    assert after.status_of("acme/acme-new") == "active"
    assert before.status_of("acme/acme-old") == "retired"  # a registry loaded yesterday answers for today too
    with pytest.warns(Warning, match=r"acme/acme-old is retired \(since 2026-12-31\); use acme/acme-new instead"):
        assert after.resolve("acme-old") == "acme/acme-old"


def test_list_and_show_report_todays_status(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(_catalog(tmp_path / "catalog")))
    monkeypatch.setattr(lifecycle, "today", lambda: D(2027, 1, 1))
    listed = run_cli(["list", "--json"])
    assert listed.exit_code == 0, listed.stderr
    assert [m["id"] for m in json.loads(listed.stdout)] == ["acme/acme-new"]  # retired models are not offered
    retired = json.loads(run_cli(["list", "--status", "retired", "--json"]).stdout)
    assert [(m["id"], m["status"]) for m in retired] == [("acme/acme-old", "retired")]
    shown = json.loads(run_cli(["show", "acme/acme-old", "--json"]).stdout)
    assert shown["status"] == "retired" and shown["retirement_date"] == "2026-12-31"


def test_a_release_known_only_to_the_month_sorts_and_compares_as_its_first_day(tmp_path):
    # models.dev gives many release dates as a month (`2026-01`); the catalog keeps them as written
    import datetime as dt
    import json

    from kabot_models.lifecycle import release_day
    from kabot_models.sync.sources import models_dev

    assert release_day("2026-01") == "2026-01-01" and release_day(dt.date(2026, 1, 15)) == "2026-01-15"
    assert sorted(["2026-01-15", "2026-01", "2025-12-31"], key=release_day) == ["2025-12-31", "2026-01", "2026-01-15"]

    api = tmp_path / "api.json"
    api.write_text(json.dumps({"lab": {"name": "Lab", "models": {
        "month": {"name": "M", "release_date": "2026-01"},
        "epoch": {"name": "E", "release_date": "1970-01-01"},  # a placeholder, not a date
        "nonsense": {"name": "N", "release_date": "2026-02-30"},
        "day": {"name": "D", "release_date": "2026-01-15"}}}}))
    offers = {o.key: o.fields for o in models_dev.read(api, live=False, today=dt.date(2026, 12, 1)).offers}
    assert offers["month"]["release_date"] == "2026-01"
    assert "release_date" not in offers["epoch"] and "release_date" not in offers["nonsense"]
    assert offers["day"]["release_date"] == dt.date(2026, 1, 15)


def test_cost_before_a_month_release_says_so_and_today_is_priced():
    from kabot_models.cost import PricingError, cost

    model = {"id": "lab/m", "pricing": {"input_1m": 1, "output_1m": 2}, "release_date": "2026-03"}
    assert cost(model, input_tokens=1_000_000).total == 1
    with pytest.raises(PricingError, match="released on 2026-03-01"):
        cost(model, input_tokens=1_000_000, at="2026-02-28")
