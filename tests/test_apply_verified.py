"""scripts/apply_verified.py: facts read on providers' pages, written into the YAML as `verified`."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

from fixture_catalog import SAMPLE, write_catalog

from kabot_models.catalog import compile_catalog

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "apply_verified.py"
URL = "https://acme.test/deprecations"


def _run(catalog: Path, facts: list[dict[str, object]], tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "facts.jsonl"
    path.write_text("".join(json.dumps(f) + "\n" for f in facts) + "not json\n")
    return subprocess.run([sys.executable, str(SCRIPT), str(path), "--catalog", str(catalog), "--date", "2026-12-02", *extra],
                          capture_output=True, text=True, timeout=120)


def _sample_with_provenance() -> dict[str, dict[str, object]]:
    files = copy.deepcopy(SAMPLE)
    small = files["acme"]["models"]["acme-small"]  # type: ignore[index]
    small["provenance"] = {"method": "import", "source": "litellm", "version": "1.0", "date": "2026-11-01"}
    files["acme"]["models"]["acme-old"]["provenance"] = dict(small["provenance"])  # type: ignore[index]
    return files


def test_facts_are_written_with_their_page_and_bad_ones_left_out(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "catalog", _sample_with_provenance())
    before = (catalog / "providers" / "acme.yaml").read_text()
    facts = [
        {"provider": "acme", "model": "acme-small", "field": "retirement_date", "value": "2020-01-31", "url": URL},
        {"provider": "acme", "model": "acme-small", "field": "successor", "value": "acme-large", "url": URL, "note": "from a copy"},
        {"provider": "acme", "model": "acme-old", "field": "release_date", "value": "2024-05", "url": URL},
        {"provider": "acme", "model": "acme-small", "field": "open_weights", "value": True, "url": URL},
        {"provider": "acme", "model": "acme-missing", "field": "release_date", "value": "2024-05-01", "url": URL},
        {"provider": "acme", "model": "acme-old", "field": "successor", "value": "acme-nothing", "url": URL},
        {"provider": "acme", "model": "acme-old", "field": "retirement_date", "value": "May 2024", "url": URL},
        {"provider": "acme", "model": "acme-old", "field": "pricing", "value": "1", "url": URL},
        {"provider": "acme", "model": "acme-ancient", "field": "release_date", "value": "2020-01-01", "url": URL},
        {"provider": "../acme", "model": "acme-small", "field": "release_date", "value": "2020-01-01", "url": URL},
    ]
    dry = _run(catalog, facts, tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "4 fact(s) applied, 7 left out; would write 1 provider file(s)" in dry.stdout
    assert (catalog / "providers" / "acme.yaml").read_text() == before  # nothing written without --write

    out = _run(catalog, facts, tmp_path, "--write").stdout
    for reason in ("acme/acme-missing is not in the catalog", "successor acme-nothing is not in the catalog",
                   "retirement_date must be YYYY-MM-DD", "field 'pricing' is not one of",
                   "acme/acme-ancient states no provenance", "provider '../acme' is not a provider id",
                   ":11: left out:"):
        assert reason in out, reason
    small = compile_catalog(catalog).models["acme/acme-small"]
    assert str(small["retirement_date"]) == "2020-01-31" and small["successor"] == "acme/acme-large"
    assert small["open_weights"] is True
    fields = small["provenance"]["fields"]
    assert fields["retirement_date"] == {"method": "verified", "url": URL, "date": "2026-12-02"}
    assert fields["successor"]["note"] == "from a copy"
    assert small["provenance"]["method"] == "import"  # the entry's other figures keep their provenance
    assert compile_catalog(catalog).models["acme/acme-old"]["release_date"] == "2024-05"


def test_a_fact_that_contradicts_a_verified_value_is_left_out(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "catalog", _sample_with_provenance())
    first = [{"provider": "acme", "model": "acme-small", "field": "release_date", "value": "2025-10-02", "url": URL}]
    assert "1 fact(s) applied" in _run(catalog, first, tmp_path, "--write").stdout
    again = _run(catalog, first, tmp_path, "--write").stdout
    assert "0 fact(s) applied" in again  # the same verified value: nothing to do
    other = [{"provider": "acme", "model": "acme-small", "field": "release_date", "value": "2025-11-01",
              "url": "https://elsewhere.test"}]
    out = _run(catalog, other, tmp_path, "--write").stdout
    assert "is verified as 2025-10-02 elsewhere; this page says 2025-11-01" in out
    assert str(compile_catalog(catalog).models["acme/acme-small"]["release_date"]) == "2025-10-02"


def test_facts_that_break_the_catalog_are_put_back(tmp_path: Path) -> None:
    # each successor exists, but together they make a cycle: validation after writing refuses it
    catalog = write_catalog(tmp_path / "catalog", _sample_with_provenance())
    before = (catalog / "providers" / "acme.yaml").read_bytes()
    facts = [{"provider": "acme", "model": "acme-small", "field": "successor", "value": "acme-large", "url": URL},
             {"provider": "acme", "model": "acme-large", "field": "successor", "value": "acme-small", "url": URL}]
    result = _run(catalog, facts, tmp_path, "--write")
    assert result.returncode == 1
    assert "does not validate, nothing written" in result.stderr and "successor cycle" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert (catalog / "providers" / "acme.yaml").read_bytes() == before


def test_bad_inputs_are_one_line_errors(tmp_path: Path) -> None:
    import os

    catalog = write_catalog(tmp_path / "catalog", _sample_with_provenance())
    script = [sys.executable, str(SCRIPT)]
    fifo = tmp_path / "facts.fifo"
    os.mkfifo(fifo)
    broken = write_catalog(tmp_path / "broken", _sample_with_provenance())
    (broken / "providers" / "acme.yaml").write_text("models: [unclosed\n")
    facts = tmp_path / "ok.jsonl"
    facts.write_text("\n")
    cases = [
        (script + [str(tmp_path / "missing.jsonl"), "--catalog", str(catalog)], 2, "cannot read"),
        (script + [str(fifo), "--catalog", str(catalog)], 2, "cannot read"),  # never blocks on a FIFO
        (script + [str(facts), "--catalog", str(catalog), "--date", "yesterday"], 2, "is not a date"),
        (script + [str(facts), "--catalog", str(broken)], 1, "does not validate before any fact"),
    ]
    for argv, code, message in cases:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        assert result.returncode == code, (argv, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr, result.stderr
