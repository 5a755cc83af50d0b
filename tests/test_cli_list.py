"""`kabot-models list` and `show` over a fixture catalog, through the real entry point."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from cli_runner import run_cli
from fixture_catalog import use_catalog

ANSI = re.compile(r"\x1b\[[0-9;]*m")
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|9[0-7]|38;)")


@pytest.fixture
def home(monkeypatch, tmp_path):
    return use_catalog(monkeypatch, tmp_path)


def ids(args: list[str], env: dict[str, str] | None = None) -> list[str]:
    res = run_cli(["list", "--json", *args], env=env)
    assert res.exit_code == 0, res.output
    return [m["id"] for m in json.loads(res.stdout)]


def test_json_contract(home) -> None:
    res = run_cli(["list", "--json"])
    assert res.exit_code == 0
    rows = json.loads(res.stdout)
    large = next(r for r in rows if r["id"] == "acme/acme-large")
    for key in ("id", "name", "provider", "context_window", "max_output", "capabilities", "aliases", "status"):
        assert key in large
    assert large["pricing"]["input_1m"] == 3.0 and large["pricing"]["output_1m"] == 15.0
    assert large["aliases"] == ["large"] and large["status"] == "active"
    assert large["configured"] is False and large["default"] is False


# (arguments, expected ids in order) -- one row per filter or sort
FILTERS = [
    (["--provider", "relay"], ["relay/acme/acme-large", "relay/free-thing"]),
    (["--provider", "acme-ai"], ["acme/acme-large", "acme/acme-small", "acme/acme-old", "acme/acme-ancient"]),
    (["--capability", "tool_use", "--capability", "vision"], ["acme/acme-large", "relay/acme/acme-large"]),
    (["--search", "SMALL"], ["acme/acme-small"]),
    (["--search", "free"], ["relay/free-thing"]),
    (["--provider", "acme", "--sort", "price"], ["acme/acme-small", "acme/acme-old", "acme/acme-large", "acme/acme-ancient"]),
    (["--provider", "acme", "--sort", "context"], ["acme/acme-large", "acme/acme-small", "acme/acme-old", "acme/acme-ancient"]),
    (["--provider", "acme", "--sort", "name"], ["acme/acme-ancient", "acme/acme-large", "acme/acme-old", "acme/acme-small"]),
    (["--provider", "acme", "--sort", "release"], ["acme/acme-large", "acme/acme-small", "acme/acme-ancient", "acme/acme-old"]),
]


@pytest.mark.parametrize(("args", "expected"), FILTERS)
def test_filters_and_sort(home, args: list[str], expected: list[str]) -> None:
    assert ids(args) == expected


def test_configured_follows_the_key(home, monkeypatch) -> None:
    assert ids(["--configured"]) == []
    monkeypatch.setenv("KM_TEST_RELAY_KEY", "rk-0123456789abcdef")
    assert ids(["--configured"]) == ["relay/acme/acme-large", "relay/free-thing"]
    res = run_cli(["list", "--provider", "relay"])
    assert re.search(r"relay/free-thing .* configured", res.stdout)


def test_table_statuses_and_plain_text_when_piped(home) -> None:
    res = run_cli(["list"])
    assert res.exit_code == 0
    lines = {line.split()[0]: line for line in res.stdout.splitlines()[1:]}
    assert lines["acme/acme-old"].rstrip().endswith("deprecated")
    assert "retired" in lines["acme/acme-ancient"]
    assert "not configured" in lines["acme/acme-large"] and "large" in lines["acme/acme-large"]
    assert not ANSI.search(res.stdout)
    assert not re.search("[\u2500-\u257f]", res.stdout)  # no box drawing
    assert all(line == line.rstrip() for line in res.stdout.splitlines())
    header = res.stdout.splitlines()[0].split()
    assert header[:2] == ["model", "name"] and "capabilities" in header and header[-1] == "aliases"


def test_narrow_terminal_drops_columns(home) -> None:
    res = run_cli(["list"], env={"FORCE_COLOR": "1", "COLUMNS": "60", "NO_COLOR": None, "TERM": "xterm-256color"})
    assert res.exit_code == 0
    plain = ANSI.sub("", res.stdout)
    assert max(len(line) for line in plain.splitlines()) <= 60
    assert "acme/acme-large" in plain.replace("\n", "") or "acme/acme-l" in plain
    assert "capabilities" not in plain and "in $/1M" in plain
    assert COLOUR.search(res.stdout)  # a terminal gets colour ...


def test_no_color(home) -> None:
    res = run_cli(["list"], env={"FORCE_COLOR": "1", "COLUMNS": "200", "NO_COLOR": "1", "TERM": "xterm-256color"})
    assert res.exit_code == 0
    assert "capabilities" in res.stdout  # a wide terminal shows every column
    assert not COLOUR.search(res.stdout)  # ... unless NO_COLOR says otherwise


def test_csv(home) -> None:
    res = run_cli(["list", "--csv", "--provider", "acme"])
    assert res.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [r["id"] for r in rows][:2] == ["acme/acme-large", "acme/acme-small"]
    assert rows[0]["input_1m"] == "3" and rows[0]["cache_read_1m"] == "0.3" and rows[0]["capabilities"] == "vision tool_use reasoning"
    assert rows[3]["input_1m"] == "" and rows[3]["status"] == "retired"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--provider", "acm"], "unknown provider 'acm'; did you mean 'acme'?"),
        (["list", "--capability", "visoin"], "unknown capability 'visoin'"),
        (["list", "--json", "--csv"], "choose one of --json and --csv"),
        (["show", "acme/acme-larg"], "unknown model 'acme/acme-larg': acme/acme-larg is in neither the catalog nor the last scan; did you mean acme/acme-large"),
        (["show", "nosuch"], "unknown model 'nosuch'"),
    ],
)
def test_bad_input(home, args: list[str], message: str) -> None:
    res = run_cli(args)
    assert res.exit_code != 0
    assert message in res.stderr


def test_show_fields_and_their_sources(home) -> None:
    res = run_cli(["show", "relay/acme/acme-large"])
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert re.search(r"pricing\.input_1m: 3\.3 +\(catalog; unknown\)", out)  # the relay entry records no provenance
    assert re.search(r"context_window: 1000000 +\(base:acme/acme-large;\s+verified\s+https://acme.test/pricing", out)
    assert re.search(r"capabilities: vision, tool_use, reasoning +\(base:acme/acme-large", out)
    res = run_cli(["show", "large"])
    assert "pricing.tiers" in res.stdout and "pricing.history" in res.stdout
    data = json.loads(run_cli(["show", "large", "--json"]).stdout)
    assert data["id"] == "acme/acme-large" and data["field_sources"]["pricing"] == "catalog"
    assert data["provenance"]["pricing.input_1m"] == {"method": "verified", "url": "https://acme.test/pricing", "date": "2026-11-26"}
    assert "mode" not in data["provenance"]  # a default the compiler filled in is not a figure
