"""The scan database: counts across scans, failures that keep results, migrations, WAL, and a killed writer."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kabot_models import store as store_module
from kabot_models.errors import StoreError
from kabot_models.plugins.base import ScannedModel
from kabot_models.store import RAW_LIMIT, SCHEMA_VERSION, Store, read_latest, trim_raw


def models(*pairs: tuple[str, int]) -> list[ScannedModel]:
    """Entries with a context window each, e.g. models(("a", 1000))."""
    return [ScannedModel(api_id, {"context_window": ctx}, {"id": api_id, "context_length": ctx}) for api_id, ctx in pairs]


def save(db: Store, provider: str, entries: list[ScannedModel]) -> store_module.ScanCounts:
    run = db.begin_run()
    counts = db.save_provider(run, provider, "https://api.example.com/v1", store_module.now(), 0.5, entries)
    db.finish_run(run)
    return counts


def test_counts_and_history_across_scans(tmp_path: Path) -> None:
    with Store(tmp_path / "models.db") as db:
        assert save(db, "openai", models(("a", 1000), ("b", 2000), ("c", 3000))) == store_module.ScanCounts(3, 3, 0, 0)
        assert save(db, "openai", models(("a", 1000), ("b", 4000), ("d", 5000))) == store_module.ScanCounts(3, 1, 1, 1)
        assert save(db, "openai", models(("a", 1000), ("b", 4000), ("c", 3000), ("d", 5000))) == store_module.ScanCounts(4, 1, 0, 0)
        first_seen = dict(db.conn.execute("SELECT api_id, first_seen FROM scanned_models").fetchall())
        latest = db.latest()
    assert latest.providers.keys() == {"openai"}
    assert {m["api_id"]: m["fields"]["context_window"] for m in latest.models} == {"a": 1000, "b": 4000, "c": 3000, "d": 5000}
    assert all(first_seen[m["api_id"]] <= m["last_seen"] for m in latest.models)


def test_gone_models_leave_the_latest_results(tmp_path: Path) -> None:
    with Store(tmp_path / "models.db") as db:
        save(db, "openai", models(("a", 1), ("b", 2)))
        save(db, "openai", models(("a", 1)))
        gone = db.conn.execute("SELECT gone_since FROM scanned_models WHERE api_id = 'b'").fetchone()[0]
    assert gone is not None
    assert [m["api_id"] for m in read_latest(tmp_path / "models.db").models] == ["a"]


def test_providers_are_independent(tmp_path: Path) -> None:
    with Store(tmp_path / "models.db") as db:
        save(db, "openai", models(("gpt", 1)))
        save(db, "together", models(("llama", 2)))
        save(db, "together", models(("qwen", 3)))
    assert sorted((m["provider"], m["api_id"]) for m in read_latest(tmp_path / "models.db").models) == [("openai", "gpt"), ("together", "qwen")]


def test_failure_keeps_previous_results_and_records_the_reason(tmp_path: Path) -> None:
    with Store(tmp_path / "models.db") as db:
        save(db, "openai", models(("a", 1)))
        run = db.begin_run()
        db.save_failure(run, "openai", "https://api.example.com/v1", store_module.now(), 0.1, "HTTP 500 (gave up after 4 attempts)")
        scans = db.provider_scans()
        latest = db.latest()
    assert [m["api_id"] for m in latest.models] == ["a"]
    assert (scans[0]["status"], scans[0]["reason"]) == ("failed", "HTTP 500 (gave up after 4 attempts)")


def test_an_exception_mid_transaction_rolls_back(tmp_path: Path) -> None:
    def entries():
        yield from models(("new-1", 1), ("new-2", 2))
        raise KeyboardInterrupt

    with Store(tmp_path / "models.db") as db:
        save(db, "openai", models(("old", 1)))
        with pytest.raises(KeyboardInterrupt):
            db.save_provider(db.begin_run(), "openai", "https://x", store_module.now(), 0.0, entries())
        assert [m["api_id"] for m in db.latest().models] == ["old"]
        assert len([s for s in db.provider_scans() if s["status"] == "ok"]) == 1


def test_schema_version_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "models.db"
    with Store(path) as db:
        save(db, "openai", models(("a", 1)))
    with Store(path) as db:  # reopening migrates nothing and keeps the data
        assert db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert [m["api_id"] for m in db.latest().models] == ["a"]


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "models.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match=rf"models.db: written by a newer kabot-models \(schema version {SCHEMA_VERSION + 1}"):
        Store(path)


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "models.db"
    path.write_bytes(b"\x00garbage" * 1000)
    with pytest.raises(StoreError, match="models.db: not a readable kabot-models database"):
        read_latest(path)


def test_reader_is_not_blocked_by_a_writer(tmp_path: Path) -> None:
    path = tmp_path / "models.db"
    with Store(path) as db:
        save(db, "openai", models(("a", 1)))
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE scanned_models SET fields = '{\"context_window\": 99}'")
    try:
        latest = read_latest(path)  # WAL: the reader sees the last committed state at once
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert latest.models[0]["fields"] == {"context_window": 1}


def test_second_writer_waits_then_says_busy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "models.db"
    Store(path).close()
    monkeypatch.setattr(store_module, "BUSY_SECONDS", 0.2)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with Store(path) as db, pytest.raises(StoreError, match="database is busy"):
            db.begin_run()
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_raw_entries_are_trimmed(tmp_path: Path) -> None:
    huge = {"id": "big", "description": "x" * 1_000_000, "list": list(range(100_000)), **{f"k{i}": i for i in range(5000)}}
    assert len(trim_raw(huge)) <= RAW_LIMIT
    assert json.loads(trim_raw(huge))["id"] == "big"
    assert len(trim_raw(["y" * 100_000])) <= RAW_LIMIT
    assert len(trim_raw({"q": '"\\' * 100_000})) <= RAW_LIMIT  # escaping doubles quotes and backslashes
    with Store(tmp_path / "models.db") as db:
        save(db, "p", [ScannedModel("big", {}, huge)])
        raw = db.conn.execute("SELECT raw FROM scanned_models").fetchone()[0]
    assert len(raw) <= RAW_LIMIT


KILLED_WRITER = textwrap.dedent("""
    import sys, time
    from kabot_models.store import Store, now
    from kabot_models.plugins.base import ScannedModel

    def entries():
        for i in range(10**6):
            if i == 2000:
                print("writing", flush=True)
            if i >= 2000:
                time.sleep(0.0005)
            yield ScannedModel(f"new-{i}", {"context_window": i + 1}, {"id": f"new-{i}"})

    with Store(sys.argv[1]) as db:
        db.save_provider(db.begin_run(), "openai", "https://x", now(), 0.0, entries())
""")


def test_scan_killed_mid_write_leaves_previous_results(tmp_path: Path) -> None:
    path = tmp_path / "models.db"
    with Store(path) as db:
        save(db, "openai", models(("old-1", 1), ("old-2", 2)))
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with Store(path) as db:
        assert sorted(m["api_id"] for m in db.latest().models) == ["old-1", "old-2"]
        assert [s["status"] for s in db.provider_scans()] == ["ok"]
        assert save(db, "openai", models(("old-1", 1))) == store_module.ScanCounts(1, 0, 1, 0)  # and it still takes writes


@pytest.mark.parametrize("stored", ["not json", "[1, 2]", '{"a": 1}, {"b": 2}'])
def test_damaged_fields_are_reported(tmp_path: Path, stored: str) -> None:
    path = tmp_path / "models.db"
    with Store(path) as db:
        save(db, "openai", models(("a", 1)))
        db.conn.execute("UPDATE scanned_models SET fields = ?", (stored,))
    with pytest.raises(StoreError, match="models.db: stored model fields are not valid JSON objects; the database is damaged"):
        read_latest(path)
