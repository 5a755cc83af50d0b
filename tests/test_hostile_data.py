"""Hostile data: what `validate` lets through must be something every later command can handle, and
what the database and the snapshots hold is read as untrusted input. Each case runs the real CLI in
a subprocess (with a hang guard) and asserts one clear line, never a traceback.
"""

from __future__ import annotations

import copy
import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from fixture_catalog import SAMPLE, write_catalog
from hostile import KM, isolated_env, km, no_traceback, one_error_line
from kabot_models.patterns import MAX_NAME_LENGTH, MAX_PROVIDER_ID_LENGTH
from kabot_models.plugins.base import ScannedModel
from kabot_models.names import MAX_ALIAS_DEPTH
from kabot_models.store import Store, now


def catalog_with(change) -> dict:  # noqa: ANN001
    files = copy.deepcopy(SAMPLE)
    change(files)
    return files


def _set(path: tuple, value: object):  # noqa: ANN202
    def change(files: dict) -> None:
        node = files
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
    return change


def _successor_cycle(files: dict) -> None:
    files["acme"]["models"]["acme-old"]["successor"] = "acme/acme-ancient"
    files["acme"]["models"]["acme-ancient"]["successor"] = "acme/acme-old"


def _long_id(n: int):  # noqa: ANN202
    def change(files: dict) -> None:
        files["relay"]["models"]["x" * n] = {"name": "Long"}
    return change


#: The longest model id a catalog may hold: with the longest provider id, its full id is the resolver's limit.
LONGEST = MAX_NAME_LENGTH - MAX_PROVIDER_ID_LENGTH - 1
FREE = ("relay", "models", "free-thing")

# Changes go into relay's file, which nothing is based on: a file that fails is left out whole,
# and models based on one of its models would be reported too.
INVALID = [
    # (case, change, the issue's place, words the message holds)
    ("huge priority", _set(("relay", "provider", "priority"), 99999999999999999999), "provider.priority", "maximum"),
    ("negative priority", _set(("relay", "provider", "priority"), -99999999999999999999), "provider.priority", "minimum"),
    ("10,005-character id", _long_id(10_005), "models", "10,005 characters"),
    ("id one past the limit", _long_id(LONGEST + 1), "models", "characters"),
    ("successor cycle", _successor_cycle, "successor", "successor cycle"),
    ("-0.0 price", _set((*FREE, "pricing", "input_1m"), -0.0), "pricing.input_1m", "-0.0"),
    ("zero-width space", _set((*FREE, "name"), "Free\u200bThing"), "name", "not allowed"),
    ("line separator", _set((*FREE, "name"), "Free\u2028Thing"), "name", "not allowed"),
    ("bidi isolate", _set((*FREE, "name"), "Free\u2066Thing"), "name", "not allowed"),
    ("byte-order mark", _set(("relay", "provider", "name"), "\ufeffRelay"), "provider.name", "not allowed"),
    ("huge name", _set((*FREE, "name"), "N" * 5000), "name", "at most"),
    ("huge keyword", _set(("relay", "provider", "keywords"), ["k" * 5000]), "keywords", "at most"),
    ("huge price-source note", _set((*FREE, "pricing", "source"), {"method": "verified", "date": "2026-11-01",
                                    "url": "https://relay.test/pricing", "note": "n" * 5000}), "pricing.source.note", "at most"),
    ("huge LiteLLM parameter", _set(("relay", "provider", "litellm"), {"model_params": {"free": {"max_tokens": 10**20}}}),
     "model_params.free.max_tokens", "not valid"),
]


@pytest.mark.parametrize("case,change,where,words", INVALID, ids=[c[0] for c in INVALID])
def test_validate_refuses_what_later_commands_cannot_take(tmp_path: Path, case, change, where, words) -> None:
    env = isolated_env(tmp_path, catalog_with(change))
    res = km(["validate"], env)
    no_traceback(res)
    assert res.returncode == 1, res.stdout
    issues = res.stdout.splitlines()
    assert len(issues) == 1 and where in issues[0] and words in issues[0], res.stdout
    assert len(issues[0]) < 400
    for args in (["list"], ["resolve", "large"], ["build", "--out", str(tmp_path / "out.sqlite")]):
        one_error_line(km(args, env), where)


def _unbounded(node: object, where: str = "") -> list[str]:
    """Places in a JSON Schema holding a string, a number or a mapping key without an upper bound."""
    out: list[str] = []
    if isinstance(node, dict):
        kind = node.get("type")
        if kind == "string" and not {"maxLength", "enum", "const", "format"} & node.keys():
            out.append(f"{where}: string")
        if kind in ("integer", "number") and not {"maximum", "exclusiveMaximum", "enum", "const"} & node.keys():
            out.append(f"{where}: {kind}")
        if kind == "object" and "additionalProperties" in node and node["additionalProperties"] is not False:
            if "maxLength" not in node.get("propertyNames", {}):
                out.append(f"{where}: mapping key")
        if "patternProperties" in node:  # lets a key that misses the pattern through with any value
            out.append(f"{where}: patternProperties")
        for key, value in node.items():
            out += _unbounded(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _unbounded(value, f"{where}/{i}")
    return out


def test_every_string_number_and_key_in_the_schemas_is_bounded() -> None:
    """The promise of docs/models/security.md, over the whole of both published schemas, so a field
    added later without a bound fails here (issue 14's pricing and issue 10's Kabot fields included)."""
    root = Path(__file__).resolve().parent.parent / "schemas"
    for name in ("provider.schema.json", "config.schema.json"):
        assert _unbounded(json.loads((root / name).read_text(encoding="utf-8"))) == [], name


def test_the_id_length_limit_is_the_resolvers(tmp_path: Path) -> None:
    """A model id as long as the schema allows validates, builds, lists and resolves (one constant for both)."""
    env = isolated_env(tmp_path, catalog_with(_long_id(LONGEST)))
    assert km(["validate"], env).returncode == 0
    full_id = "relay/" + "x" * LONGEST
    res = km(["resolve", full_id], env)
    assert res.returncode == 0 and res.stdout.strip() == full_id, res.stderr
    assert km(["show", full_id], env).returncode == 0
    one_error_line(km(["resolve", "x" * (MAX_NAME_LENGTH + 1)], env), f"limit is {MAX_NAME_LENGTH}")


def test_a_file_name_with_escapes_is_escaped_when_echoed(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    bad = Path(env["KABOT_MODELS_CATALOG"]) / "providers" / "evil\x1b[2J\nname.yaml"
    bad.write_text("provider: {name: Evil}\n")
    res = km(["validate"], env)
    no_traceback(res)
    assert res.returncode == 1
    assert "\x1b" not in res.stdout + res.stderr
    [issue] = res.stdout.splitlines()
    assert "evil\\x1b[2J\\nname.yaml" in issue
    one_error_line(km(["list"], env), "evil\\x1b[2J\\nname.yaml")


# -- user aliases --------------------------------------------------------------------------------

def _alias_chain(home: Path, depth: int) -> None:
    home.mkdir(mode=0o700, exist_ok=True)
    lines = ["aliases:"] + [f"  a{i:04d}: a{i + 1:04d}" for i in range(depth - 1)] + [f"  a{depth - 1:04d}: acme/acme-small"]
    (home / "config.yaml").write_text("\n".join(lines) + "\n")
    os.chmod(home / "config.yaml", 0o600)


def test_a_2000_deep_alias_chain_is_one_line_naming_the_limit(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    _alias_chain(Path(env["KABOT_MODELS_HOME"]), 2000)
    for args in (["resolve", "a0000"], ["resolve", "--json", "a0000"], ["list"], ["show", "a0000"]):
        one_error_line(km(args, env), f"more than {MAX_ALIAS_DEPTH}")


def test_an_alias_chain_at_the_limit_resolves(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    _alias_chain(Path(env["KABOT_MODELS_HOME"]), MAX_ALIAS_DEPTH)
    res = km(["resolve", "a0000"], env)
    assert res.returncode == 0 and res.stdout.strip() == "acme/acme-small", res.stderr


def test_a_deep_chain_of_runtime_aliases_is_an_error_not_a_recursion_error() -> None:
    from kabot_models.errors import UnknownModelError
    from kabot_models.loader import new_registry

    registry = new_registry()
    registry.use_user_config({})
    registry.add_provider({"id": "acme", "name": "Acme", "aliases": []})
    registry.add_model({"id": "acme/m", "provider": "acme", "name": "M"})
    for i in range(2000):
        registry.register_alias(f"r{i}", f"r{i + 1}")
    registry.register_alias("r2000", "acme/m")
    with pytest.raises(UnknownModelError, match=f"more than {MAX_ALIAS_DEPTH}"):
        registry.resolve("r0")


# -- the database and snapshots are untrusted input ----------------------------------------------

WRONG = [
    {"context_window": "huge"},
    {"pricing": {"input_1m": "abc"}},
    {"max_output": [1]},
    {"capabilities": "vision"},
    {"name": {"a": 1}},
    {"context_window": True},
    {"release_date": 20260101},
]
LISTINGS = [["list"], ["list", "--sort", "price"], ["list", "--sort", "context"], ["list", "--sort", "release"],
            ["list", "--sort", "name"], ["list", "--csv"], ["list", "--json"], ["show", "acme/live-ok"]]


def _scanned_db(home: Path) -> Path:
    home.mkdir(mode=0o700, exist_ok=True)
    db = home / "models.db"
    with Store(db) as store:
        run = store.begin_run()
        entries = [ScannedModel("live-ok", {"context_window": 4096, "pricing": {"input_1m": 1.0}})]
        entries += [ScannedModel(f"live-bad-{i}", {"context_window": 1000}) for i in range(len(WRONG))]
        store.save_provider(run, "acme", "https://api.acme.test/v1", now(), 0.1, entries)
        store.finish_run(run)
    conn = sqlite3.connect(db)
    with conn:
        for i, fields in enumerate(WRONG):
            conn.execute("UPDATE scanned_models SET fields = ? WHERE api_id = ?", (json.dumps(fields), f"live-bad-{i}"))
    conn.close()
    return db


def test_wrong_typed_scan_rows_are_skipped_and_counted(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    _scanned_db(Path(env["KABOT_MODELS_HOME"]))
    for args in LISTINGS:
        res = km(args, env)
        no_traceback(res)
        assert res.returncode == 0, (args, res.stderr)
        warnings = [line for line in res.stderr.splitlines() if line.startswith("warning:")]
        assert len(warnings) == 1 and f"{len(WRONG)} scanned model" in warnings[0], res.stderr
        assert "live-bad" not in res.stdout
        if args[0] == "list":
            assert "acme/live-ok" in res.stdout and "acme/acme-large" in res.stdout


def _tamper_snapshot(path: Path) -> None:
    conn = sqlite3.connect(path)
    with conn:
        for model_id, change in (("acme/acme-small", {"context_window": "huge"}), ("acme/acme-old", {"pricing": {"input_1m": "abc"}}),
                                 ("relay/free-thing", {"capabilities": 7})):
            data = json.loads(conn.execute("SELECT data FROM models WHERE id = ?", (model_id,)).fetchone()[0])
            data.update(change)
            conn.execute("UPDATE models SET data = ? WHERE id = ?", (json.dumps(data), model_id))
    conn.close()


def test_wrong_typed_records_in_a_cached_snapshot_are_skipped_and_counted(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    assert km(["list"], env).returncode == 0
    [cached] = (Path(env["KABOT_MODELS_HOME"]) / "snapshots").glob("*.sqlite")
    _tamper_snapshot(cached)
    for args in LISTINGS[:-1] + [["show", "large"]]:
        res = km(args, env)
        no_traceback(res)
        assert res.returncode == 0, (args, res.stderr)
        if args[0] == "list":
            warnings = [line for line in res.stderr.splitlines() if line.startswith("warning:")]
            assert len(warnings) == 1 and "3 model record" in warnings[0], res.stderr
            assert "acme/acme-large" in res.stdout
            assert "acme/acme-small" not in res.stdout and "relay/free-thing" not in res.stdout


def test_wrong_typed_records_in_a_packaged_snapshot_are_skipped(tmp_path: Path) -> None:
    """The snapshot a package carries is read by the same code, `installed=True`."""
    import warnings

    from kabot_models.catalog import compile_catalog
    from kabot_models.loader import new_registry
    from kabot_models.snapshot import read_snapshot, write_snapshot

    catalog = write_catalog(tmp_path / "catalog")
    packaged = tmp_path / "catalog.sqlite"
    write_snapshot(compile_catalog(catalog), packaged)
    _tamper_snapshot(packaged)
    compiled = read_snapshot(packaged)
    assert compiled is not None
    registry = new_registry()
    registry.load_compiled(compiled)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ids = [rec["id"] for rec in registry.filter()]
    assert "acme/acme-large" in ids and "acme/acme-small" not in ids
    assert [str(w.message) for w in caught if "3 model record" in str(w.message)]


# -- output that cannot be written --------------------------------------------------------------

@pytest.mark.parametrize("args", [["list", "--json"], ["list"], ["list", "--csv"], ["show", "--json", "large"]])
def test_a_closed_or_broken_stdout_is_a_quiet_exit(tmp_path: Path, args: list[str]) -> None:
    env = isolated_env(tmp_path)
    closed = subprocess.run(KM + args, env=env, stdout=None, stderr=subprocess.PIPE, text=True, timeout=60,
                            preexec_fn=lambda: os.close(1))
    assert closed.stderr == "" and closed.returncode == 1, closed.stderr
    proc = subprocess.Popen(KM + args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.close()  # type: ignore[union-attr]  # the reader goes away before anything is written
    proc.stdout = None
    try:
        _, stderr = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError("hung on a broken pipe") from None
    assert stderr == "" and proc.returncode == 1, stderr
