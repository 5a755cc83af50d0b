"""The SQLite snapshot: written from a registry, read back lazily, kept current, rebuilt when damaged."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kabot_models.catalog
from kabot_models import snapshot
from kabot_models.catalog import compile_catalog
from kabot_models.cli import app
from kabot_models.errors import CatalogError
from kabot_models.loader import load_registry
from kabot_models.snapshot import SnapshotError, SnapshotRecords, cache_path, read_snapshot, write_snapshot

ACME = """\
# yaml-language-server: $schema=../../schemas/provider.schema.json
provider:
  name: Acme AI
  aliases: [acme-ai]
  api: {base_url: "https://api.acme.test/v1"}
  auth: {env: [ACME_API_KEY]}
models:
  rocket-1:
    name: Rocket 1
    context_window: 200000
    max_output: 8192
    pricing:
      input_1m: 3.0
      output_1m: 15.0
      cache_read_1m: 0.3
      since: 2026-01-01
      tiers: [{above_input_tokens: 200000, input_1m: 6.0, output_1m: 22.5}]
      batch: {input_1m: 1.5, output_1m: 7.5}
      history: [{since: 2025-06-01, input_1m: 4.0, output_1m: 20.0}]
    capabilities: [vision, tool_use]
    aliases: [rocket]
    release_date: 2026-01-01
  rocket-mini:
    name: Rocket Mini
    context_window: 128000
    pricing: {input_1m: 0.25, output_1m: 1.25}
    status: deprecated
    successor: acme/rocket-1
"""

RELAY = """\
provider:
  name: Relay
  kind: gateway
models:
  acme/rocket-1:
    base: acme/rocket-1
    pricing: {input_1m: 3.5, output_1m: 16.0}
"""


def write_catalog(root: Path, files: dict[str, str]) -> Path:
    """A catalog directory under `root` holding `providers/<name>.yaml` for each entry."""
    providers = root / "providers"
    providers.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (providers / f"{name}.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty KABOT_MODELS_HOME, so the snapshot cache starts empty."""
    path = tmp_path / "home"
    monkeypatch.setenv("KABOT_MODELS_HOME", str(path))
    return path


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    return write_catalog(tmp_path / "catalog", {"acme": ACME, "relay": RELAY})


def built_at(path: str) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT value FROM meta WHERE key = 'built_at'").fetchone()[0]


def test_first_load_compiles_and_caches_then_reads_the_snapshot(home: Path, catalog: Path) -> None:
    first = load_registry(catalog)
    cached = cache_path(catalog)
    assert os.path.dirname(cached) == str(home / "snapshots")
    assert os.path.exists(cached)
    assert not isinstance(first._models, SnapshotRecords)

    second = load_registry(catalog)
    assert isinstance(second._models, SnapshotRecords)
    compiled = compile_catalog(catalog)
    assert list(second.ids()) == list(compiled.models)  # catalog order kept
    assert list(second.records()) == list(compiled.models.values())  # every field round-trips
    assert list(second.provider_records()) == list(compiled.providers.values())
    assert second.source_hash == compiled.source_hash
    assert second.aliases() == first.aliases() == {"rocket": "acme/rocket-1"}
    assert second.canonical_provider("acme-ai") == "acme"


@pytest.mark.parametrize(("name", "expected"), [
    ("rocket", "acme/rocket-1"),              # alias
    ("acme/rocket-mini", "acme/rocket-mini"),  # full id
    ("acme-ai/rocket-mini", "acme/rocket-mini"),  # provider alias
    ("rocket-mini", "acme/rocket-mini"),       # unique short id
    ("relay/acme/rocket-1", "relay/acme/rocket-1"),
    ("rocket-1", "acme/rocket-1"),             # relay's api id is `acme/rocket-1`, so this short id is unique
    ("nothing", None),
])
def test_lookup_from_a_snapshot_reads_no_record(home: Path, catalog: Path, name: str, expected: str | None) -> None:
    load_registry(catalog)
    registry = load_registry(catalog)
    assert registry.lookup(name) == expected
    assert registry._models._loaded == {}  # type: ignore[attr-defined]


def test_records_are_read_on_demand_and_models_built_from_them(home: Path, catalog: Path) -> None:
    load_registry(catalog)
    registry = load_registry(catalog)
    model = registry.get("rocket")
    assert model is not None and model.pricing is not None
    assert (model.id, model.context_window, model.pricing.input_1m) == ("acme/rocket-1", 200000, 3.0)
    assert list(registry._models._loaded) == ["acme/rocket-1"]  # type: ignore[attr-defined]
    gateway = registry.record("relay/acme/rocket-1")
    assert gateway is not None and gateway["name"] == "Rocket 1" and gateway["field_sources"]["name"] == "base:acme/rocket-1"
    assert [r["id"] for r in registry.filter(status="deprecated")] == ["acme/rocket-mini"]


def test_a_snapshot_registry_takes_new_models(home: Path, catalog: Path) -> None:
    load_registry(catalog)
    registry = load_registry(catalog)
    registry.add_model({"id": "acme/rocket-2", "provider": "acme", "name": "Rocket 2", "aliases": ["rocket2"]})
    assert registry.lookup("rocket2") == "acme/rocket-2"
    assert list(registry.ids())[-1] == "acme/rocket-2"
    assert len(registry) == 4
    assert registry._models.pop("acme/rocket-2")["name"] == "Rocket 2"
    assert "acme/rocket-2" not in registry._models and len(registry) == 3
    assert registry._models.get("acme/rocket-2", "gone") == "gone"
    with pytest.raises(KeyError):
        registry._models["acme/rocket-2"]


def test_snapshot_tables_answer_sql(home: Path, catalog: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.sqlite"
    write_snapshot(load_registry(catalog).as_compiled(), out)
    conn = sqlite3.connect(out)
    assert conn.execute("SELECT model_id FROM aliases WHERE alias = 'rocket'").fetchall() == [("acme/rocket-1",)]
    assert conn.execute("SELECT provider_id FROM provider_aliases").fetchall() == [("acme",)]
    prices = conn.execute(
        "SELECT kind, above_input_tokens, since, input_1m, output_1m FROM prices WHERE model_id = 'acme/rocket-1' ORDER BY rowid"
    ).fetchall()
    assert prices == [("current", None, "2026-01-01", 3.0, 15.0), ("tier", 200000, None, 6.0, 22.5),
                      ("batch", None, None, 1.5, 7.5), ("history", None, "2025-06-01", 4.0, 20.0)]
    vision = conn.execute(
        "SELECT m.id FROM models m, json_each(m.capabilities) c WHERE c.value = 'vision' ORDER BY m.id").fetchall()
    assert vision == [("acme/rocket-1",), ("relay/acme/rocket-1",)]
    assert conn.execute("SELECT api_id, status, successor FROM models WHERE id = 'acme/rocket-mini'").fetchone() == (
        "rocket-mini", "deprecated", "acme/rocket-1")
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    assert meta["source_hash"] == compile_catalog(catalog).source_hash
    assert meta["schema_version"] == snapshot.SCHEMA_VERSION and meta["models"] == "3"
    record = json.loads(conn.execute("SELECT data FROM models WHERE id = 'acme/rocket-1'").fetchone()[0])
    assert record == compile_catalog(catalog).models["acme/rocket-1"]


def test_an_edit_makes_the_snapshot_stale(home: Path, catalog: Path) -> None:
    load_registry(catalog)
    (catalog / "providers" / "acme.yaml").write_text(ACME.replace("context_window: 200000", "context_window: 400000"))
    registry = load_registry(catalog)
    assert registry.record("acme/rocket-1")["context_window"] == 400000  # type: ignore[index]
    again = load_registry(catalog)
    assert isinstance(again._models, SnapshotRecords)
    assert again.record("acme/rocket-1")["context_window"] == 400000  # type: ignore[index]


def test_a_new_file_makes_the_snapshot_stale(home: Path, catalog: Path) -> None:
    load_registry(catalog)
    write_catalog(catalog, {"zeta": "provider: {name: Zeta}\nmodels:\n  z-1: {name: Z 1}\n"})
    assert load_registry(catalog).lookup("z-1") == "zeta/z-1"


def test_a_touch_without_change_keeps_the_snapshot(home: Path, catalog: Path) -> None:
    load_registry(catalog)
    cached = cache_path(catalog)
    before = built_at(cached)
    path = catalog / "providers" / "acme.yaml"
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    registry = load_registry(catalog)
    assert isinstance(registry._models, SnapshotRecords)  # content hash matched: not recompiled
    assert built_at(cached) == before
    with sqlite3.connect(cached) as conn:  # the new signature was recorded for the next load
        assert conn.execute("SELECT value FROM meta WHERE key = 'signature'").fetchone()[0] == kabot_models.catalog.catalog_signature(catalog)


def _damage_garbage(path: str) -> None:
    Path(path).write_bytes(b"this is not an sqlite file" * 100)


def _damage_truncate(path: str) -> None:
    size = os.path.getsize(path)
    with open(path, "rb+") as fh:
        fh.truncate(size // 2)


def _damage_empty(path: str) -> None:
    Path(path).write_bytes(b"")


def _damage_schema_version(path: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")


def _damage_no_meta(path: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE meta")


def _damage_header(path: str) -> None:
    with open(path, "rb+") as fh:
        fh.seek(100)
        fh.write(b"\xff" * 4096)


def _damage_dates_index(path: str) -> None:
    # The lifecycle dates index (snapshot schema 4): a line that is not `id<TAB>date<TAB>date`.
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE load_index SET value = 'acme/rocket-mini' WHERE name = 'dates'")


def _damage_no_dates_index(path: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM load_index WHERE name = 'dates'")


@pytest.mark.parametrize("damage", [_damage_garbage, _damage_truncate, _damage_empty, _damage_schema_version,
                                    _damage_no_meta, _damage_header, _damage_dates_index, _damage_no_dates_index])
def test_a_damaged_snapshot_is_rebuilt(home: Path, catalog: Path, damage) -> None:
    load_registry(catalog)
    cached = cache_path(catalog)
    damage(cached)
    registry = load_registry(catalog)
    assert registry.lookup("rocket") == "acme/rocket-1"
    assert registry.record("acme/rocket-mini")["status"] == "deprecated"  # type: ignore[index]
    assert read_snapshot(cached, catalog) is not None  # rewritten whole


def test_a_damaged_record_is_an_error_naming_the_file(home: Path, catalog: Path) -> None:
    load_registry(catalog)
    cached = cache_path(catalog)
    with sqlite3.connect(cached) as conn:
        conn.execute("UPDATE models SET data = '{not json' WHERE id = 'acme/rocket-1'")
    registry = load_registry(catalog)
    with pytest.raises(SnapshotError, match="snapshot is damaged") as info:
        registry.record("acme/rocket-1")
    assert cached in str(info.value)


def test_an_unwritable_cache_compiles_in_memory(tmp_path: Path, catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("KABOT_MODELS_HOME", str(blocker / "home"))  # under a file: no directory can be made
    for _ in range(2):
        registry = load_registry(catalog)
        assert registry.lookup("rocket") == "acme/rocket-1"
        assert not isinstance(registry._models, SnapshotRecords)


def test_an_invalid_catalog_raises_and_caches_nothing(home: Path, tmp_path: Path) -> None:
    bad = write_catalog(tmp_path / "bad", {"acme": ACME.replace("context_window: 128000", "context_window: -1")})
    with pytest.raises(CatalogError, match="acme.yaml"):
        load_registry(bad)
    assert not os.path.exists(cache_path(bad))


def test_the_packaged_snapshot_is_used_without_a_cache(home: Path, catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_snapshot(compile_catalog(catalog), catalog / snapshot.PACKAGED_SNAPSHOT,
                   signature="stale on purpose: installs do not keep mtimes, so the content hash decides")
    monkeypatch.setattr(kabot_models.catalog, "packaged_catalog_dir", lambda: str(catalog))
    loaded = load_registry()
    assert isinstance(loaded._models, SnapshotRecords)
    assert loaded.lookup("rocket") == "acme/rocket-1"
    assert not home.exists()  # nothing written: the package's snapshot is read, never touched


def _install(catalog: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Put a packaged snapshot next to `catalog`'s files as an installer would: built elsewhere, so
    its signature's mtimes are not the files' ones, and written no earlier than the files."""
    compiled = compile_catalog(catalog)
    signature = "/".join(f"{part.rsplit(':', 1)[0]}:123" for part in kabot_models.catalog.catalog_signature(catalog).split("/"))
    packaged = catalog / snapshot.PACKAGED_SNAPSHOT
    write_snapshot(compiled, packaged, signature=signature)
    monkeypatch.setattr(kabot_models.catalog, "packaged_catalog_dir", lambda: str(catalog))
    return packaged


def test_an_installed_snapshot_is_current_without_hashing(home: Path, catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install(catalog, monkeypatch)

    def no_hash(_: object) -> str:
        raise AssertionError("hashed the catalog although nothing changed since the install")

    monkeypatch.setattr(snapshot, "catalog_hash", no_hash)
    assert isinstance(load_registry()._models, SnapshotRecords)


def test_an_installed_file_edited_later_is_noticed_even_at_the_same_size(home: Path, catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    packaged = _install(catalog, monkeypatch)
    path = catalog / "providers" / "acme.yaml"
    path.write_text(ACME.replace("context_window: 200000", "context_window: 300000"))  # same size
    later = packaged.stat().st_mtime_ns + snapshot.INSTALL_WINDOW_NS + 10**9
    os.utime(path, ns=(later, later))
    assert load_registry().record("acme/rocket-1")["context_window"] == 300000  # type: ignore[index]


def test_a_dangling_symlink_among_installed_files_is_a_clear_error_not_a_traceback(
        home: Path, catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The install check stats every provider file; a link to nowhere is not the install's file, so
    # the content hash decides, and compiling names the file.
    _install(catalog, monkeypatch)
    (catalog / "providers" / "ghost.yaml").symlink_to(catalog / "nowhere.yaml")
    with pytest.raises(CatalogError, match="ghost.yaml"):
        load_registry()


def test_a_stale_packaged_snapshot_falls_back_to_the_cache(home: Path, catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_snapshot(compile_catalog(catalog), catalog / snapshot.PACKAGED_SNAPSHOT)
    (catalog / "providers" / "acme.yaml").write_text(ACME.replace("aliases: [rocket]", "aliases: [rkt]"))
    monkeypatch.setattr(kabot_models.catalog, "packaged_catalog_dir", lambda: str(catalog))
    registry = load_registry()
    assert registry.lookup("rkt") == "acme/rocket-1" and registry.lookup("rocket") is None


runner = CliRunner()


def test_build_command_writes_a_queryable_snapshot(home: Path, catalog: Path, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "registry.sqlite"
    result = runner.invoke(app, ["build", str(catalog), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}: 3 models, 2 providers, 1 aliases" in result.output
    snap = read_snapshot(out)
    assert snap is not None and list(snap.models) == list(compile_catalog(catalog).models)


def test_build_command_default_path_is_in_the_data_dir(home: Path, catalog: Path) -> None:
    result = runner.invoke(app, ["build", str(catalog)])
    assert result.exit_code == 0, result.output
    assert (home / "registry.sqlite").exists()


def test_build_command_refuses_a_directory(home: Path, catalog: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(catalog), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "error: cannot write" in result.output and "is a directory" in result.output


def test_build_command_reports_an_unwritable_place(home: Path, catalog: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = runner.invoke(app, ["build", str(catalog), "--out", str(blocker / "x.sqlite")])
    assert result.exit_code == 1
    assert "error: cannot write" in result.output
    assert "Traceback" not in result.output


def test_the_catalog_override_is_compiled_and_cached(home: Path, catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(catalog))
    assert load_registry().lookup("rocket") == "acme/rocket-1"
    assert os.path.exists(cache_path(catalog))
    assert isinstance(load_registry()._models, SnapshotRecords)


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (lambda p: p.write_text("my notes\n"), [], "exists and is not a kabot-models snapshot; pass --force"),
        (lambda p: os.mkfifo(p), [], "is not a regular file"),
        (lambda p: p.mkdir(), [], "it is a directory"),
    ],
    ids=["someone else's file", "a fifo", "a directory"],
)
def test_build_out_refuses_what_is_not_a_snapshot(home: Path, catalog: Path, tmp_path: Path, setup, args, message) -> None:
    target = tmp_path / "target"
    setup(target)
    before = target.read_text() if target.is_file() else None
    res = CliRunner().invoke(app, ["build", str(catalog), "--out", str(target), *args])
    assert res.exit_code == 1 and message in res.output
    if before is not None:
        assert target.read_text() == before  # untouched


def test_build_out_replaces_a_snapshot_and_with_force_anything(home: Path, catalog: Path, tmp_path: Path) -> None:
    target = tmp_path / "snap.sqlite"
    assert CliRunner().invoke(app, ["build", str(catalog), "--out", str(target)]).exit_code == 0
    assert CliRunner().invoke(app, ["build", str(catalog), "--out", str(target)]).exit_code == 0  # ours: replaced
    other = tmp_path / "other.txt"
    other.write_text("x")
    assert CliRunner().invoke(app, ["build", str(catalog), "--out", str(other), "--force"]).exit_code == 0
    assert snapshot.is_snapshot(other)
