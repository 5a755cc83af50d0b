"""The catalog loader and `kabot-models validate` against good and bad provider files.

The bad-input table has one row per kind of defect: the file's text, then the place and message the
validator must report. Add a row to cover a new rule.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kabot_models.catalog import compile_catalog, validate_catalog
from kabot_models.cli import app
from kabot_models.errors import CatalogError

FIXTURE = Path(__file__).parent / "fixtures" / "catalog"
ROOT = Path(__file__).resolve().parent.parent

HEADER = "provider:\n  name: Test\nmodels:\n"


def write_catalog(root: Path, files: dict[str, str | bytes]) -> Path:
    """A catalog directory holding `providers/<name>` for each item."""
    providers = root / "providers"
    providers.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = providers / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return root


BAD_INPUTS = [
    # (case, files, expected "file:line:col" prefix, expected message fragment)
    ("unclosed quote", {"p.yaml": HEADER + '  m:\n    name: "Unclosed\n'}, "p.yaml:5:11", "invalid YAML: while scanning a quoted scalar"),
    ("tab indentation", {"p.yaml": HEADER + "  m:\n\tname: Tab\n"}, "p.yaml:5:1", "a tab in the indentation"),
    ("duplicate model key", {"p.yaml": HEADER + "  m:\n    name: A\n  m:\n    name: B\n"}, "p.yaml:6:3", "duplicate key 'm' (first defined on line 4)"),
    ("unknown field", {"p.yaml": HEADER + "  m:\n    name: A\n    context_windw: 5\n"}, "p.yaml:6:5", "unknown field 'context_windw'; did you mean 'context_window'?"),
    ("context window as text", {"p.yaml": HEADER + '  m:\n    name: A\n    context_window: "128k"\n'}, "p.yaml:6:21", "'128k' is not of type 'integer'"),
    ("negative price", {"p.yaml": HEADER + "  m:\n    name: A\n    pricing: {input_1m: -1}\n"}, "p.yaml:6:25", "-1 is less than the minimum of 0"),
    ("unknown capability", {"p.yaml": HEADER + "  m:\n    name: A\n    capabilities: [visoin]\n"}, "p.yaml:6:20", "'visoin' is not allowed here; did you mean 'vision'?"),
    ("successor pointing nowhere", {"p.yaml": HEADER + "  m:\n    name: A\n    successor: p/nothing\n"}, "p.yaml:6:16", "successor 'p/nothing' is not a model in the catalog"),
    ("base pointing nowhere", {"p.yaml": HEADER + "  m:\n    base: p/gone\n"}, "p.yaml:5:11", "base 'p/gone' is not a model in the catalog"),
    ("recommended model missing", {"p.yaml": "provider:\n  name: T\n  recommended: [nope]\nmodels:\n  m: {name: A}\n"}, "p.yaml:3:17", "recommended model 'nope' is not in this file's models"),
    ("one alias on two models", {"p.yaml": HEADER + "  a:\n    name: A\n    aliases: [fast]\n  b:\n    name: B\n    aliases: [fast]\n"}, "p.yaml:9:15", "alias 'fast' is already used by 'p/a'"),
    ("alias equal to another model's id", {"p.yaml": HEADER + "  a:\n    name: A\n    aliases: [b]\n  b:\n    name: B\n"}, "p.yaml:6:15", "alias 'b' equals the id of 'p/b'"),
    ("alias equal to a full id", {"p.yaml": HEADER + "  a:\n    name: A\n    aliases: [p/b]\n  b:\n    name: B\n"}, "p.yaml:6:15", "'p/b' is not allowed: an alias is lower-case"),
    ("base cycle", {"p.yaml": HEADER + "  a:\n    base: p/b\n  b:\n    base: p/a\n"}, "p.yaml:", "base cycle: p/"),
    ("max output above context", {"p.yaml": HEADER + "  m:\n    name: A\n    context_window: 1000\n    max_output: 2000\n"}, "p.yaml:7:17", "max_output 2,000 is above the context window 1,000"),
    ("display name twice in a provider", {"p.yaml": HEADER + "  a:\n    name: Same\n  b:\n    name: Same\n"}, "p.yaml:6:3", "display name 'Same' is also the name of p/a; names are unique within a provider"),
    ("ids differing only in case", {"p.yaml": HEADER + "  glm-4.6:\n    name: GLM 4.6\n  GLM-4.6:\n    name: GLM-4.6\n"}, "p.yaml:6:3", "id differs from 'p/glm-4.6' only in case"),
    ("inherited display name twice in a provider", {"p.yaml": HEADER + "  a:\n    name: Same\n  b:\n    base: p/a\n"}, "p.yaml:6:3", "display name 'Same' is also the name of p/a"),
    ("inherited max output above own context", {"p.yaml": HEADER + "  a:\n    name: A\n    context_window: 100000\n    max_output: 50000\n  b:\n    base: p/a\n    context_window: 8000\n"}, "p.yaml:10:21", "max_output 50,000 is above the context window 8,000"),
    ("empty file", {"p.yaml": ""}, "p.yaml:1:1", "file is empty"),
    ("a list, not a mapping", {"p.yaml": "- provider\n- models\n"}, "p.yaml:1:1", "file holds a list, not a mapping"),
    ("not UTF-8", {"p.yaml": HEADER.encode() + b"  m:\n    name: caf\xe9\n"}, "p.yaml:5:14", "not UTF-8: byte 0xe9"),
    ("missing provider block", {"p.yaml": "models:\n  m: {name: A}\n"}, "p.yaml:1:1", "'provider' is a required property"),
    ("model without a name", {"p.yaml": HEADER + "  m:\n    context_window: 10\n"}, "p.yaml:4:3", "model has no name"),
    ("free model with a price", {"p.yaml": HEADER + "  m:\n    name: A\n    pricing: {input_1m: 1, output_1m: 0, free: true}\n"}, "p.yaml:6:14", "free model's input_1m and output_1m must be 0"),
    ("tiers out of order", {"p.yaml": HEADER + "  m:\n    name: A\n    pricing:\n      tiers:\n        - {above_input_tokens: 200000, input_1m: 2}\n        - {above_input_tokens: 100000, input_1m: 3}\n"}, "p.yaml:8:9", "tiers must be in ascending order"),
    ("overlapping time-of-day windows", {"p.yaml": HEADER + "  m:\n    name: A\n    pricing:\n      input_1m: 1\n      windows:\n        - {start: '01:00', end: '04:00', input_1m: 2}\n        - {start: '03:00', end: '05:00', input_1m: 2}\n"}, "p.yaml:9:9", "windows[1] (03:00-05:00) overlaps windows[0] (01:00-04:00)"),
    ("window past midnight overlapping the next day", {"p.yaml": HEADER + "  m:\n    name: A\n    pricing:\n      windows:\n        - {start: '22:00', end: '02:00', days: [sun], input_1m: 2}\n        - {start: '01:00', end: '03:00', days: [mon], input_1m: 2}\n"}, "p.yaml:8:9", "windows[1] (01:00-03:00) overlaps windows[0]"),
    ("empty window", {"p.yaml": HEADER + "  m:\n    name: A\n    pricing:\n      windows: [{start: '09:00', end: '09:00', input_1m: 2}]\n"}, "p.yaml:7:17", "covers no time"),
    ("unknown time zone", {"p.yaml": HEADER + "  m:\n    name: A\n    pricing:\n      windows: [{start: '09:00', end: '12:00', timezone: Mars/Olympus, input_1m: 2}]\n"}, "p.yaml:7:17", "unknown time zone 'Mars/Olympus'"),
    ("bad clock time", {"p.yaml": HEADER + "  m:\n    name: A\n    pricing:\n      windows: [{start: '25:00', end: '12:00', input_1m: 2}]\n"}, "p.yaml:7:", "'25:00' does not match"),
    ("overlapping schedules", {"p.yaml": HEADER + "  m:\n    name: A\n    pricing:\n      input_1m: 1\n      since: 2026-06-01\n      scheduled:\n        - {since: 2027-01-01, until: 2027-03-01, input_1m: 2}\n        - {since: 2027-02-01, input_1m: 3}\n"}, "p.yaml:7:7", "scheduled[0] runs until 2027-03-01, overlapping scheduled[1] which starts 2027-02-01"),
    ("scheduled before the current prices", {"p.yaml": HEADER + "  m:\n    name: A\n    pricing:\n      input_1m: 1\n      since: 2026-06-01\n      scheduled: [{since: 2026-01-01, input_1m: 2}]\n"}, "p.yaml:7:7", "scheduled[0] (since 2026-01-01) must start after the current prices"),
    ("scheduled without a start", {"p.yaml": HEADER + "  m:\n    name: A\n    pricing:\n      input_1m: 1\n      since: 2026-06-01\n      scheduled: [{input_1m: 2}]\n"}, "p.yaml:7:7", "scheduled[0] needs `since`"),
    ("region names an unknown tier", {"p.yaml": HEADER + "  m:\n    name: A\n    pricing:\n      input_1m: 1\n      service_tiers: {flex: {multiplier: 0.5}}\n      regions: {us: {multiplier: 1.1, service_tiers: [standard, flx]}}\n"}, "p.yaml:9:", "region 'us' names service tier 'flx', which this pricing does not define"),
    ("service tier with a multiplier and prices", {"p.yaml": HEADER + "  m:\n    name: A\n    pricing:\n      service_tiers: {flex: {multiplier: 0.5, input_1m: 1}}\n"}, "p.yaml:7:", "a multiplier or prices of its own, not both"),
    ("batch under service_tiers", {"p.yaml": HEADER + "  m:\n    name: A\n    pricing:\n      service_tiers: {batch: {multiplier: 0.5}}\n"}, "p.yaml:7:", "the batch tier is `pricing.batch`"),
    ("imported price without a version", {"p.yaml": HEADER + "  m:\n    name: A\n    pricing:\n      service_tiers: {flex: {multiplier: 0.5, source: {method: import, source: litellm, date: 2026-12-01}}}\n"}, "p.yaml:7:", "an imported price needs `source` (the dataset) and `version`"),
    ("bad date", {"p.yaml": HEADER + "  m:\n    name: A\n    release_date: 2026-13-45\n"}, "p.yaml:6:19", "'2026-13-45' is not a date: write YYYY-MM-DD, or YYYY-MM when only the month is known"),
    ("release month out of range", {"p.yaml": HEADER + "  m:\n    name: A\n    release_date: 2026-13\n"}, "p.yaml:6:19", "'2026-13' is not a date"),
    ("model id with a space", {"p.yaml": HEADER + "  bad id:\n    name: A\n"}, "p.yaml:4:3", "invalid key 'bad id'"),
    ("merge key", {"p.yaml": HEADER + "  a: &x {name: A}\n  b:\n    <<: *x\n"}, "p.yaml:6:5", "merge keys (<<) are not supported"),
    ("a tagged value that cannot be read", {"p.yaml": HEADER + "  m:\n    name: A\n    context_window: !!int abc\n"}, "p.yaml:6:21", "this value cannot be read as int"),
    ("a 5,000-digit number", {"p.yaml": HEADER + "  m:\n    name: A\n    context_window: " + "9" * 5000 + "\n"}, "p.yaml:6:21", "this value cannot be read as int"),
    ("a number too large to store", {"p.yaml": HEADER + "  m:\n    name: A\n    context_window: 100000000000000000000000\n"}, "p.yaml:6:21", "is greater than the maximum of 1000000000000"),
    ("an infinite price", {"p.yaml": HEADER + "  m:\n    name: A\n    pricing: {input_1m: .inf}\n"}, "p.yaml:6:25", "inf is greater than the maximum of 100000"),
    ("a key that is not text", {"p.yaml": HEADER + "  null:\n    name: A\n"}, "p.yaml:4:3", "key 'null' reads as NoneType, not text; put it in quotes"),
    ("an alias ending in a newline", {"p.yaml": HEADER + '  m:\n    name: A\n    aliases: ["fast\\n"]\n'}, "p.yaml:6:15", "'fast\\n' is not allowed: an alias is"),
    ("an escape sequence in a name", {"p.yaml": HEADER + '  m:\n    name: "\\e]0;pwned\\a\\e[2J"\n'}, "p.yaml:5:11", "may not hold tabs, newlines, control characters"),
    ("a bidirectional override in a name", {"p.yaml": HEADER + '  m:\n    name: "GPT\\u202e4o"\n'}, "p.yaml:5:11", "bidirectional overrides"),
    ("bad provider file name", {"Bad_Name.yaml": HEADER + "  m: {name: A}\n"}, "Bad_Name.yaml:1:1", "not a valid provider id"),
    ("provider alias equal to another provider", {"a.yaml": "provider:\n  name: A\n  aliases: [b]\n", "b.yaml": "provider:\n  name: B\n"}, "a.yaml:3:13", "provider alias 'b' is the id of another provider"),
]


@pytest.mark.parametrize(("case", "files", "place", "fragment"), BAD_INPUTS, ids=[row[0] for row in BAD_INPUTS])
def test_bad_input_is_reported_with_its_place(tmp_path: Path, case: str, files: dict, place: str, fragment: str) -> None:
    catalog = write_catalog(tmp_path / "cat", files)
    compiled, issues = validate_catalog(catalog)
    assert compiled is None, case
    rendered = [str(i) for i in issues]
    assert any(place in line and fragment in line for line in rendered), rendered


@pytest.mark.parametrize(("case", "files", "place", "fragment"), BAD_INPUTS[:6], ids=[row[0] for row in BAD_INPUTS[:6]])
def test_cli_validate_exits_1_with_places(tmp_path: Path, case: str, files: dict, place: str, fragment: str) -> None:
    catalog = write_catalog(tmp_path / "cat", files)
    result = CliRunner().invoke(app, ["validate", str(catalog)])
    assert result.exit_code == 1
    assert place in result.output and fragment in result.output
    assert "Traceback" not in result.output


def test_every_error_is_reported_in_one_run(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "cat", {
        "a.yaml": HEADER + '  m:\n    name: A\n    context_window: "128k"\n    pricing: {input_1m: -1}\n',
        "b.yaml": HEADER + "  m:\n    name: B\n    capabilities: [telepathy]\n",
        "c.yaml": "- not a mapping\n",
    })
    _, issues = validate_catalog(catalog)
    assert {i.file.split("/")[-1] for i in issues} == {"a.yaml", "b.yaml", "c.yaml"}
    assert len(issues) == 4


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    bomb = "provider:\n  name: Bomb\nmodels: {}\nlol:\n" + "\n".join("  " + line for line in lines) + "\n"
    catalog = write_catalog(tmp_path / "cat", {"bomb.yaml": bomb})
    start = time.monotonic()
    _, issues = validate_catalog(catalog)
    elapsed = time.monotonic() - start
    assert any("expands to more than" in str(i) for i in issues), issues
    assert elapsed < 30  # a guard against hanging, not a speed test: expansion would take hours


def test_fifty_megabyte_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "cat", {})
    big = catalog / "providers" / "big.yaml"
    with big.open("wb") as fh:
        fh.write(b"provider:\n  name: Big\nmodels:\n")
        fh.seek(50 * 1024 * 1024)
        fh.write(b"\n")
    _, issues = validate_catalog(catalog)
    assert [str(i) for i in issues] == [f"{issues[0].file}:1:1: file is 52.4 MB; the limit is 5 MB"]


def test_a_broken_file_does_not_hide_the_rest(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "cat")
    (tmp_path / "cat" / "providers" / "zz.yaml").write_text("provider: [\n")
    _, issues = validate_catalog(tmp_path / "cat")
    assert len(issues) == 1 and "zz.yaml" in issues[0].file


def test_no_providers_dir(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "no `providers/` directory" in result.output


# -- the good catalog -------------------------------------------------------------------------


def test_fixture_catalog_compiles_with_inheritance() -> None:
    compiled = compile_catalog(FIXTURE)
    assert len(compiled.providers) == 5
    gateway = compiled.models["openrouter/moonshotai/kimi-k2.5"]
    assert gateway["name"] == "Kimi K2.5"
    assert gateway["context_window"] == 262144
    assert gateway["field_sources"]["context_window"] == "base:moonshot/kimi-k2.5"
    assert gateway["pricing"] == {"input_1m": 0.45, "output_1m": 2.5}
    assert gateway["field_sources"]["pricing"] == "catalog"
    assert "aliases" not in gateway["field_sources"]  # aliases belong to the base entry only
    assert gateway["status"] == "active"  # the base is deprecated; the offering is not
    assert compiled.models["openai/gpt-4o"]["status"] == "deprecated"
    assert len(compiled.source_hash) == 64


def test_compile_catalog_raises_with_every_issue(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "cat", {"p.yaml": HEADER + "  a:\n    name: A\n    max_output: 0\n  b: {context_window: -5}\n"})
    with pytest.raises(CatalogError) as info:
        compile_catalog(catalog)
    assert len(info.value.issues) == 2
    assert "and 1 more" in str(info.value)


def test_packaged_catalog_validates() -> None:
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert "catalog valid" in result.output


@pytest.mark.parametrize("fmt", ["json", "github"])
def test_validate_formats(tmp_path: Path, fmt: str) -> None:
    catalog = write_catalog(tmp_path / "cat", {"p.yaml": HEADER + '  m:\n    name: A\n    context_window: "128k"\n'})
    result = CliRunner().invoke(app, ["validate", str(catalog), "--format", fmt])
    assert result.exit_code == 1
    if fmt == "json":
        data = json.loads(result.output)
        assert data["valid"] is False
        assert data["issues"][0]["line"] == 6 and data["issues"][0]["column"] == 21
        assert data["issues"][0]["where"] == "models.m.context_window"
    else:
        line = result.output.strip().splitlines()[0]
        assert line.startswith("::error file=")
        assert ",line=6,col=21::models.m.context_window: '128k' is not of type 'integer'" in line


def test_validate_as_a_user_runs_it(tmp_path: Path) -> None:
    """The installed console script, in a subprocess: exit codes and output as a shell sees them."""
    exe = Path(sys.executable).parent / "kabot-models"
    ok = subprocess.run([str(exe), "validate", str(FIXTURE)], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "5 providers, 8 models" in ok.stdout
    catalog = write_catalog(tmp_path / "cat", {"p.yaml": HEADER + "  m:\n    name: A\n  m:\n    name: B\n"})
    bad = subprocess.run([str(exe), "validate", str(catalog)], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1
    assert "duplicate key 'm'" in bad.stdout
    assert "Traceback" not in bad.stdout + bad.stderr


# -- the schema contract ----------------------------------------------------------------------


def test_committed_schema_is_fresh() -> None:
    from kabot_models.schema import SCHEMA_FILES

    for name, text in SCHEMA_FILES.items():
        committed = (ROOT / "schemas" / name).read_text(encoding="utf-8")
        assert committed == text(), f"schemas/{name} is stale; run `make schema`"


def test_schema_describes_every_field() -> None:
    schema = json.loads((ROOT / "schemas" / "provider.schema.json").read_text())

    def walk(node: dict, where: str) -> None:
        for key, prop in node.get("properties", {}).items():
            assert prop.get("description"), f"{where}.{key} has no description"
        for key, sub in node.get("$defs", {}).items():
            assert sub.get("additionalProperties") is False, f"{key} is not strict"
            walk(sub, key)

    walk(schema, "root")


def test_stock_validator_alone_accepts_the_catalog_and_rejects_bad_files(tmp_path: Path) -> None:
    """check-jsonschema (no project code) agrees with the schema on real and broken files."""
    exe = Path(sys.executable).parent / "check-jsonschema"
    if not exe.exists():
        pytest.skip("check-jsonschema is not installed (dev extra)")
    schema = ROOT / "schemas" / "provider.schema.json"
    files = sorted((FIXTURE / "providers").glob("*.yaml"))
    ok = subprocess.run([str(exe), "--schemafile", str(schema), *map(str, files)], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text(HEADER + '  m:\n    name: A\n    context_window: "128k"\n    capabilities: [visoin]\n')
    res = subprocess.run([str(exe), "--schemafile", str(schema), str(bad)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 1
    assert "'128k' is not of type 'integer'" in res.stdout


# -- errors stay where they are: three independent mistakes in one file give exactly three errors there --
MISTRAL_MODEL = "  {id}:\n    name: {name}\n    context_window: 128000\n{extra}"
GATEWAY = (
    "provider:\n  name: Gateway\n  kind: gateway\nmodels:\n"
    "  m/alpha:\n    base: mistral/alpha\n"           # inherits its name from a model with a mistake
    "  m/beta:\n    base: mistral/beta\n    aliases: [beta-gw]\n"
    "  m/gamma:\n    base: mistral/gamma\n"
)
THREE_MISTAKES = [
    # (case, the three mistaken entries of mistral.yaml)
    ("schema, pydantic rule, alias clash", {
        "alpha": "    capabilities: [telepathy]\n",
        "beta": "    pricing: {input_1m: 1, output_1m: 2, free: true}\n",
        "gamma": "    aliases: [beta-gw]\n",
    }),
    ("unknown key, bad id target, max output", {
        "alpha": "    contxt_window: 5\n",
        "beta": "    successor: mistral/nope\n",
        "gamma": "    max_output: 999999\n",
    }),
    ("bad date, tier order, alias equals a model id", {
        "alpha": "    release_date: 2026-13-45\n",
        "beta": "    pricing: {input_1m: 1, tiers: [{above_input_tokens: 9, input_1m: 2}, {above_input_tokens: 5, input_1m: 3}]}\n",
        "gamma": "    aliases: [m/alpha]\n",
    }),
]


@pytest.mark.parametrize(("case", "mistakes"), THREE_MISTAKES, ids=[row[0] for row in THREE_MISTAKES])
def test_three_mistakes_in_one_file_give_three_errors_there(tmp_path: Path, case: str, mistakes: dict[str, str]) -> None:
    body = "".join(MISTRAL_MODEL.format(id=mid, name=mid.title(), extra=extra) for mid, extra in mistakes.items())
    body += MISTRAL_MODEL.format(id="delta", name="Delta", extra="")
    catalog = write_catalog(tmp_path / "cat", {"mistral.yaml": "provider:\n  name: Mistral\nmodels:\n" + body,
                                               "gateway.yaml": GATEWAY})
    _, issues = validate_catalog(catalog)
    assert len(issues) == 3, "\n".join(map(str, issues))
    assert {Path(i.file).name for i in issues} == {"mistral.yaml"}, "\n".join(map(str, issues))
    assert {i.where.split(".")[1] for i in issues} == {"alpha", "beta", "gamma"}


def test_a_broken_provider_block_reports_that_file_only(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path / "cat", {
        "mistral.yaml": "provider:\n  name: Mistral\n  kind: first-partyy\nmodels:\n" + MISTRAL_MODEL.format(id="alpha", name="Alpha", extra=""),
        "gateway.yaml": GATEWAY.replace("  m/beta:\n    base: mistral/beta\n    aliases: [beta-gw]\n  m/gamma:\n    base: mistral/gamma\n", ""),
    })
    _, issues = validate_catalog(catalog)
    assert [Path(i.file).name for i in issues] == ["mistral.yaml"] and "first-partyy" in issues[0].message
