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
