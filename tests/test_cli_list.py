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


def test_since_takes_a_date(home) -> None:
    res = run_cli(["list", "--since", "March 2026"])
    assert res.exit_code == 1 and res.stderr == "error: --since takes a date as YYYY-MM-DD, not 'March 2026'\n"


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


# (arguments, expected ids in order) -- one row per filter or sort, and their combinations
FILTERS = [
    ([], ["acme/acme-large", "acme/acme-small", "relay/acme/acme-large", "relay/free-thing"]),  # active and preview only
    (["--provider", "relay"], ["relay/acme/acme-large", "relay/free-thing"]),
    (["--provider", "acme-ai"], ["acme/acme-large", "acme/acme-small"]),
    (["--provider", "acme-ai", "--status", "all"], ["acme/acme-large", "acme/acme-small", "acme/acme-old", "acme/acme-ancient"]),
    (["--provider", "acme", "--status", "deprecated", "--status", "retired"], ["acme/acme-old", "acme/acme-ancient"]),
    (["--status", "retired"], ["acme/acme-ancient"]),
    (["--status", "preview"], []),
    (["--capability", "tool_use", "--capability", "vision"], ["acme/acme-large", "relay/acme/acme-large"]),
    (["--search", "SMALL"], ["acme/acme-small"]),
    (["--search", "free"], ["relay/free-thing"]),
    (["--min-context", "128k"], ["acme/acme-large", "acme/acme-small", "relay/acme/acme-large"]),
    (["--min-context", "200k", "--status", "all"], ["acme/acme-large", "relay/acme/acme-large"]),
    (["--min-context", "1M", "--provider", "relay"], ["relay/acme/acme-large"]),
    (["--sort", "price"], ["relay/free-thing", "acme/acme-small", "acme/acme-large", "relay/acme/acme-large"]),
    (["--provider", "acme", "--sort", "price", "--status", "all"], ["acme/acme-small", "acme/acme-old", "acme/acme-large", "acme/acme-ancient"]),
    (["--provider", "acme", "--sort", "context", "--status", "all"], ["acme/acme-large", "acme/acme-small", "acme/acme-old", "acme/acme-ancient"]),
    (["--provider", "acme", "--sort", "name", "--status", "all"], ["acme/acme-ancient", "acme/acme-large", "acme/acme-old", "acme/acme-small"]),
    (["--provider", "acme", "--sort", "release", "--status", "all"], ["acme/acme-large", "acme/acme-small", "acme/acme-ancient", "acme/acme-old"]),
    # --since: released on or after the day (a copy has its base's date); no release date, not listed
    (["--since", "2026-01-01"], ["acme/acme-large", "relay/acme/acme-large"]),
    (["--since", "2025-10-01", "--provider", "acme"], ["acme/acme-large", "acme/acme-small"]),
    (["--since", "2026-03-02"], []),
    # --cheapest: one row per model (the relay's copy of acme-large folds into the cheaper original), cheapest first
    (["--cheapest"], ["relay/free-thing", "acme/acme-small", "acme/acme-large"]),
    (["--cheapest", "--sort", "context"], ["acme/acme-large", "acme/acme-small", "relay/free-thing"]),
    (["--cheapest", "--capability", "vision", "--min-context", "200k"], ["acme/acme-large"]),
    (["--cheapest", "--status", "all"], ["relay/free-thing", "acme/acme-small", "acme/acme-old", "acme/acme-large"]),  # no price: left out
    # --top N: at most N per provider; recommended models first unless --sort orders them
    (["--top", "1"], ["acme/acme-large", "relay/acme/acme-large"]),  # the relay's copy is newer (its base's date)
    (["--top", "1", "--sort", "price"], ["acme/acme-small", "relay/free-thing"]),
    (["--top", "2", "--status", "all", "--provider", "acme"], ["acme/acme-large", "acme/acme-small"]),
]


@pytest.mark.parametrize(("args", "expected"), FILTERS)
def test_filters_and_sort(home, args: list[str], expected: list[str]) -> None:
    assert ids(args) == expected


# (environment with keys, arguments, expected ids): --configured composes with every other filter
CONFIGURED = [
    ({"KM_TEST_RELAY_KEY": "rk-0123456789abcdef"}, ["--cheapest"], ["relay/free-thing", "relay/acme/acme-large"]),
    ({"KM_TEST_RELAY_KEY": "rk-0123456789abcdef"}, ["--min-context", "100k"], ["relay/acme/acme-large"]),
    ({"KM_TEST_ACME_KEY": "ak-0123456789abcdef"}, ["--sort", "price", "--status", "all"],
     ["acme/acme-small", "acme/acme-old", "acme/acme-large", "acme/acme-ancient"]),
    ({"KM_TEST_ACME_KEY": "ak-0123456789abcdef"}, ["--capability", "vision", "--cheapest"], ["acme/acme-large"]),
    ({"KM_TEST_ACME_KEY": "ak-0123456789abcdef"}, ["--top", "1", "--sort", "context"], ["acme/acme-large"]),
]


@pytest.mark.parametrize(("env", "args", "expected"), CONFIGURED)
def test_configured_composes(home, monkeypatch, env, args, expected) -> None:
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert ids(["--configured", *args]) == expected


@pytest.mark.parametrize(("args", "message"), [
    (["--status", "gone"], "Invalid value for '--status'"),
    (["--min-context", "lots"], "--min-context 'lots' is not a token count"),
    (["--top", "0"], "Invalid value for '--top'"),
])
def test_bad_list_options(home, args, message) -> None:
    res = run_cli(["list", *args])
    assert res.exit_code in (1, 2) and message in res.stderr
    assert len(res.stderr.splitlines()) == 1 and res.stderr.startswith("error: ")


def test_configured_follows_the_key(home, monkeypatch) -> None:
    assert ids(["--configured"]) == []
    monkeypatch.setenv("KM_TEST_RELAY_KEY", "rk-0123456789abcdef")
    assert ids(["--configured"]) == ["relay/acme/acme-large", "relay/free-thing"]
    res = run_cli(["list", "--provider", "relay"])
    assert re.search(r"relay/free-thing .* configured", res.stdout)


def test_table_statuses_and_plain_text_when_piped(home) -> None:
    res = run_cli(["list", "--status", "all"])
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


@pytest.mark.parametrize("columns", [80, 60, 30])
def test_narrow_terminal_never_cuts_the_id(home, columns: int) -> None:
    res = run_cli(["list", "--status", "all"], env={"FORCE_COLOR": "1", "COLUMNS": str(columns), "NO_COLOR": None, "TERM": "xterm-256color"})
    assert res.exit_code == 0
    plain = ANSI.sub("", res.stdout).splitlines()
    assert "…" not in res.stdout
    assert [line.split()[0] for line in plain[2:]] == ids(["--status", "all"])  # every id whole, one per line
    assert max(len(line) for line in plain) <= max(columns, len("relay/acme/acme-large"))
    header = plain[0].split("  ")
    assert "capabilities" not in header  # the first column to give way
    if columns == 80:
        assert {"model", "context", "in $/1M", "out $/1M", "status"} <= {h.strip() for h in header}
        assert COLOUR.search(res.stdout)  # a terminal gets colour ...


def test_columns_fit_a_pipe_when_columns_is_set(home) -> None:
    """`COLUMNS=80 kabot-models list | less`: fitted to 80, the id whole; without COLUMNS a pipe gets every column."""
    res = run_cli(["list", "--status", "all"], env={"COLUMNS": "80"})
    lines = res.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80 and "context" in lines[0] and "capabilities" not in lines[0]
    assert [line.split()[0] for line in lines[1:]] == ids(["--status", "all"])
    wide = run_cli(["list"], env={"COLUMNS": None}).stdout.splitlines()[0]
    assert "capabilities" in wide and "aliases" in wide


def test_no_color(home) -> None:
    res = run_cli(["list"], env={"FORCE_COLOR": "1", "COLUMNS": "200", "NO_COLOR": "1", "TERM": "xterm-256color"})
    assert res.exit_code == 0
    assert "capabilities" in res.stdout  # a wide terminal shows every column
    assert not COLOUR.search(res.stdout)  # ... unless NO_COLOR says otherwise


def test_csv(home) -> None:
    res = run_cli(["list", "--csv", "--provider", "acme", "--status", "all"])
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
    assert re.search(r"pricing\.input_1m: \$3\.3 per 1M tokens +\(catalog; unknown\)", out)  # the relay entry records no provenance
    assert re.search(r"context_window: 1,000,000 tokens +\(base:acme/acme-large;\s+verified\s+https://acme.test/pricing", out)
    assert re.search(r"capabilities: vision, tool_use, reasoning +\(base:acme/acme-large", out)
    res = run_cli(["show", "large"])
    assert "pricing.tiers[0].above_input_tokens: 200,000 tokens" in res.stdout  # units, not a Python repr
    assert "pricing.tiers[0].input_1m: $6 per 1M tokens" in res.stdout
    assert "pricing.history[0].since: 2026-03-01" in res.stdout and "{" not in res.stdout
    data = json.loads(run_cli(["show", "large", "--json"]).stdout)
    assert data["id"] == "acme/acme-large" and data["field_sources"]["pricing"] == "catalog"
    assert data["provenance"]["pricing.input_1m"] == {"method": "verified", "url": "https://acme.test/pricing", "date": "2026-11-26"}
    assert "mode" not in data["provenance"]  # a default the compiler filled in is not a figure
