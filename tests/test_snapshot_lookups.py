"""The snapshot's per-name lookups (short ids, bases, the model id list), on a real SQLite file.

Loading a snapshot builds neither the short-id index nor the list of ids: each question is one
indexed query, remembered, and a bulk read after `SnapshotLookup.BULK` distinct questions. These
tests check that the answers are the ones the compiled catalog gives, whichever way they are read,
and that changes made after loading survive a bulk read, also from other threads.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from kabot_models.catalog import compile_catalog
from kabot_models.loader import load_registry
from kabot_models.registry import _short_index
from kabot_models.snapshot import SnapshotLookup, SnapshotRecords, read_snapshot, write_snapshot

MODELS = 300  # more than SnapshotLookup.BULK, so a walk over every id crosses into the bulk read


def _catalog(root: Path) -> Path:
    lines = ["# yaml-language-server: $schema=../../schemas/provider.schema.json",
             "provider:", "  name: Hub", "  kind: gateway",
             "  api: {base_url: 'https://hub.test/v1', flavor: openai}", "models:"]
    for i in range(MODELS):
        lines.append(f"  m{i}: {{name: M{i}, context_window: 8192}}")
    lines.append("  acme/rocket: {base: acme/rocket}")
    hub = "\n".join(lines) + "\n"
    acme = ("provider:\n  name: Acme\n  api: {base_url: 'https://acme.test/v1', flavor: openai}\n"
            "models:\n  rocket: {name: Rocket, context_window: 100000}\n  m7: {name: Acme M7, context_window: 4096}\n")
    (root / "providers").mkdir(parents=True)
    (root / "providers" / "hub.yaml").write_text(hub)
    (root / "providers" / "acme.yaml").write_text(acme)
    return root


@pytest.fixture
def snap(tmp_path: Path) -> tuple[Path, Path]:
    catalog = _catalog(tmp_path / "catalog")
    path = tmp_path / "snap.sqlite"
    write_snapshot(compile_catalog(catalog), path)
    return catalog, path


def test_short_ids_and_bases_answer_as_the_compiled_catalog_does(snap: tuple[Path, Path]) -> None:
    catalog, path = snap
    compiled = compile_catalog(catalog)
    loaded = read_snapshot(path)
    assert loaded is not None
    short = loaded.names.short_ids
    assert isinstance(short, SnapshotLookup)
    expected = _short_index(compiled.models)
    assert short.get("m7") == ["acme/m7", "hub/m7"] == expected["m7"]  # catalog order, several owners
    assert short.get("nothing") is None and "nothing" not in short
    assert loaded.names.bases.get("hub/acme/rocket") == "acme/rocket"
    assert loaded.names.bases.get("hub/m1") is None  # no base: absent, not None stored
    # asking every short id walks past BULK into one read of the whole column; the answers do not change
    assert {k: short.get(k) for k in expected} == expected
    assert dict(short.items()) == expected
    assert dict(loaded.names.bases.items()) == compiled.index().bases


def test_changes_before_and_after_the_bulk_read_are_kept(snap: tuple[Path, Path]) -> None:
    _, path = snap
    loaded = read_snapshot(path)
    assert loaded is not None
    short = loaded.names.short_ids
    short.setdefault("m3", []).append("other/m3")  # appended to the rows read from the file
    short["brand-new"] = ["hub/brand-new"]
    del short["m4"]
    for i in range(SnapshotLookup.BULK + 10):
        short.get(f"m{i}")
    assert short._complete  # type: ignore[attr-defined]
    assert short["m3"] == ["hub/m3", "other/m3"]
    assert short["brand-new"] == ["hub/brand-new"]
    assert "m4" not in short and short.get("m4") is None
    twin = short.copy()
    twin["m3"].append("third/m3")
    assert short["m3"] == ["hub/m3", "other/m3"]  # a copy's lists are its own


def test_assignments_from_other_threads_survive_a_bulk_read(snap: tuple[Path, Path]) -> None:
    _, path = snap
    for _ in range(5):
        loaded = read_snapshot(path)
        assert loaded is not None
        short = loaded.names.short_ids
        start = threading.Barrier(3)

        def ask() -> None:
            start.wait()
            for i in range(MODELS):
                short.get(f"m{i}")

        def assign() -> None:
            start.wait()
            for i in range(200):
                short[f"new-{i}"] = [f"hub/new-{i}"]

        threads = [threading.Thread(target=ask), threading.Thread(target=ask), threading.Thread(target=assign)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert all(short.get(f"new-{i}") == [f"hub/new-{i}"] for i in range(200))
        assert short.get("m7") == ["acme/m7", "hub/m7"]


def test_model_ids_are_read_only_when_listed(snap: tuple[Path, Path]) -> None:
    _, path = snap
    loaded = read_snapshot(path)
    assert loaded is not None
    models = loaded.models
    assert isinstance(models, SnapshotRecords)
    assert "hub/m5" in models and "hub/nope" not in models and 5 not in models
    assert len(models) == MODELS + 3  # from the file's meta: no id list read
    assert models._index is None  # type: ignore[attr-defined]
    models["hub/added"] = {"id": "hub/added", "provider": "hub", "status": "active", "mode": "chat"}
    del models["hub/m0"]
    assert "hub/added" in models and "hub/m0" not in models
    ids = list(models)  # now the list is read, with the changes applied in order
    assert ids[:3] == ["acme/rocket", "acme/m7", "hub/m1"] and ids[-1] == "hub/added" and len(ids) == MODELS + 3
    assert len(models) == MODELS + 3


def test_a_registry_loaded_from_a_snapshot_resolves_as_a_compiled_one(snap: tuple[Path, Path],
                                                                        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    catalog, _ = snap
    monkeypatch.setenv("KABOT_MODELS_HOME", str(tmp_path / "home"))
    load_registry(catalog)  # writes the cache snapshot
    from_snapshot = load_registry(catalog)
    assert isinstance(from_snapshot._models, SnapshotRecords)  # type: ignore[attr-defined]
    from kabot_models.loader import compile_registry

    compiled = compile_registry(catalog)
    for name in ["m7", "rocket", "acme/rocket", "hub/acme/rocket", "m299", "nothing", "M7"]:
        assert from_snapshot.lookup(name) == compiled.lookup(name), name
        assert from_snapshot.short_owners(name) == compiled.short_owners(name), name


def test_a_snapshot_without_its_id_list_is_rebuilt_not_used(snap: tuple[Path, Path],
                                                             monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import sqlite3

    catalog, path = snap
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DELETE FROM load_index WHERE name = 'model_ids'")
    conn.close()
    assert read_snapshot(path) is None  # damaged: the caller compiles again
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO load_index VALUES ('model_ids', x'00ff')")  # a blob, not text
    conn.close()
    assert read_snapshot(path) is None


def test_models_added_to_a_snapshot_loaded_registry_are_indexed_as_in_a_compiled_one(
        snap: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # add_model appends to a short id's owners read from the file; a scanned model its short id
    # must not name is taken off them again; a base set on an added model is seen by base_of
    from kabot_models.loader import compile_registry

    catalog, _ = snap
    monkeypatch.setenv("KABOT_MODELS_HOME", str(tmp_path / "home"))
    load_registry(catalog)
    registries = [load_registry(catalog), compile_registry(catalog)]
    assert isinstance(registries[0]._models, SnapshotRecords)  # type: ignore[attr-defined]
    for reg in registries:
        reg.add_model({"id": "extra/m7", "provider": "extra", "name": "Extra M7", "base": "acme/m7"})
        reg.add_scanned_model({"id": "scan/m7", "provider": "scan", "name": "Scanned M7"}, by_short_id=False)
        reg.add_scanned_model({"id": "scan/fresh", "provider": "scan", "name": "Fresh"}, by_short_id=True)
    for reg in registries:
        assert reg.short_owners("m7") == ("acme/m7", "hub/m7", "extra/m7")
        assert reg.short_owners("fresh") == ("scan/fresh",)
        assert reg.base_of("extra/m7") == "acme/m7" and reg.base_of("hub/acme/rocket") == "acme/rocket"
        assert reg.lookup("fresh") == "scan/fresh"
