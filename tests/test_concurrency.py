"""Nothing lost under concurrency: many real `kabot-models` processes at once against one home.

Every run is a real process (`subprocess.Popen`, all started before any is waited for) on an
isolated `KABOT_MODELS_HOME`; the provider APIs are stand-ins on 127.0.0.1. Each test compares what
is stored before and after (aliases, keys, api_base settings, scan rows) and checks the database
with `PRAGMA integrity_check`. docs/models/security.md names these tests.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import sys
import time
from pathlib import Path

from werkzeug.wrappers import Request, Response

from hostile import finish, integrity_ok, isolated_env, km, no_traceback, spawn
from kabot_models.config import load_config

PROVIDERS = 10


def key_of(n: int) -> str:
    return f"pk-standin-{n:02d}-{'k' * 12}{n:02d}"


def many_providers(httpserver) -> dict:
    """Ten first-party providers, each served by the stand-in under its own path with its own key."""
    files = {}
    for n in range(PROVIDERS):
        files[f"p{n}"] = {
            "provider": {"name": f"Provider {n}", "api": {"base_url": httpserver.url_for(f"/p{n}/v1"), "flavor": "openai"},
                         "auth": {"env": [f"KM_P{n}_KEY"]}},
            "models": {f"p{n}-model": {"name": f"P{n} Model", "context_window": 8192}},
        }

        def handler(request: Request, n: int = n) -> Response:
            if request.headers.get("Authorization") != f"Bearer {key_of(n)}":
                return Response(json.dumps({"error": {"message": "bad key"}}), 401, content_type="application/json")
            body = {"data": [{"id": f"p{n}-model"}, {"id": f"p{n}-live-only"}]}
            return Response(json.dumps(body), 200, content_type="application/json")

        httpserver.expect_request(f"/p{n}/v1/models").respond_with_handler(handler)
    return files


def test_50_parallel_alias_adds_keep_every_alias(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    home = Path(env["KABOT_MODELS_HOME"])
    home.mkdir(mode=0o700)
    (home / "config.yaml").write_text("# mine\naliases:\n  keep: acme/acme-large  # a comment kept\n")
    os.chmod(home / "config.yaml", 0o600)
    assert km(["list"], env).returncode == 0  # compile and cache the catalog once, as a user's first run does

    results = finish([spawn(["alias", "add", f"c{i:02d}", "acme-small"], env) for i in range(50)])

    for res in results:
        no_traceback(res)
        assert res.returncode == 0, res.stderr
    aliases = load_config(home / "config.yaml")["aliases"]
    assert aliases == {"keep": "acme/acme-large", **{f"c{i:02d}": "acme/acme-small" for i in range(50)}}
    text = (home / "config.yaml").read_text()
    assert text.startswith("# mine\n") and "# a comment kept" in text
    assert not [p.name for p in home.iterdir() if p.name.endswith(".tmp")]  # no temp file left behind


def test_10_parallel_logins_keep_every_key_and_api_base(tmp_path: Path, httpserver) -> None:
    env = isolated_env(tmp_path, many_providers(httpserver))
    home = Path(env["KABOT_MODELS_HOME"])
    home.mkdir(mode=0o700)
    before = {"providers": {"p-old": {"api_key": "pk-stored-before-the-logins-000"}}}
    (home / "credentials.yaml").write_text(json.dumps(before))
    os.chmod(home / "credentials.yaml", 0o600)
    assert km(["list"], env).returncode == 0

    procs = []
    for n in range(PROVIDERS):
        args = ["auth", "login", f"p{n}", "--no-input", "--base-url", httpserver.url_for(f"/p{n}/v1")]
        if n % 2:  # half read the key from a variable, half from standard input
            procs.append(spawn(args + ["--key-env", "MY_KEY"], {**env, "MY_KEY": key_of(n)}))
        else:
            procs.append(spawn(args, env, input=key_of(n) + "\n"))
    results = finish(procs)

    for res in results:
        no_traceback(res)
        assert res.returncode == 0, res.stderr
    stored = json.loads((home / "credentials.yaml").read_text())["providers"]
    assert stored == {"p-old": before["providers"]["p-old"], **{f"p{n}": {"api_key": key_of(n)} for n in range(PROVIDERS)}}
    assert stat.S_IMODE((home / "credentials.yaml").stat().st_mode) == 0o600
    settings = load_config(home / "config.yaml")["providers"]
    assert {pid: s["api_base"] for pid, s in settings.items()} == {f"p{n}": httpserver.url_for(f"/p{n}/v1") for n in range(PROVIDERS)}
    db = home / "models.db"
    integrity_ok(db)
    conn = sqlite3.connect(db)
    rows = set(conn.execute("SELECT provider, api_id FROM scanned_models").fetchall())
    conn.close()
    assert rows == {(f"p{n}", f"p{n}-{m}") for n in range(PROVIDERS) for m in ("model", "live-only")}
    # no key anywhere but the credentials file: not in any other file, not in any output
    for path in home.rglob("*"):
        if path.is_file() and path.name != "credentials.yaml":
            data = path.read_bytes()
            assert not any(key_of(n).encode() in data for n in range(PROVIDERS)), path
    for res in results:
        assert not any(key_of(n) in res.stdout + res.stderr for n in range(PROVIDERS))


def test_scan_and_list_at_the_same_time_both_succeed(tmp_path: Path, httpserver) -> None:
    env = isolated_env(tmp_path, many_providers(httpserver))
    env.update({f"KM_P{n}_KEY": key_of(n) for n in range(PROVIDERS)})
    home = Path(env["KABOT_MODELS_HOME"])
    first = km(["scan", "--json"], env)
    assert first.returncode == 0, first.stderr
    db = home / "models.db"
    conn = sqlite3.connect(db)
    before = set(conn.execute("SELECT provider, api_id, fields FROM scanned_models").fetchall())
    conn.close()
    assert len(before) == 2 * PROVIDERS

    procs = []
    for _ in range(3):
        procs.append(spawn(["scan", "--json"], env))
        procs.append(spawn(["list", "--json"], env))
    results = finish(procs)

    for res in results:
        no_traceback(res)
        assert res.returncode == 0, res.stderr
    for res in results[1::2]:  # every list saw the catalog and the scan-only models, whole
        ids = {m["id"] for m in json.loads(res.stdout)}
        assert {f"p{n}/p{n}-live-only" for n in range(PROVIDERS)} <= ids
    integrity_ok(db)
    conn = sqlite3.connect(db)
    after = set(conn.execute("SELECT provider, api_id, fields FROM scanned_models").fetchall())
    runs = conn.execute("SELECT COUNT(*) FROM scan_runs WHERE finished_at IS NOT NULL").fetchone()[0]
    conn.close()
    assert after == before
    assert runs == 4


STORE_RACE = """
import sys, time
from kabot_models.store import Store
start = float(sys.argv[2])
time.sleep(max(0.0, start - time.time()))
Store(sys.argv[1]).close()
"""


def test_processes_creating_a_new_database_at_once_all_succeed(tmp_path: Path) -> None:
    """The documented busy wait holds while the file and its schema are being created (WAL setup included)."""
    import subprocess

    env = dict(os.environ)
    start = time.time() + 2.0  # every process is running (imports done) before the moment comes
    procs = []
    dbs = [tmp_path / f"pair{i}" / "models.db" for i in range(8)]
    for db in dbs:
        for _ in range(2):
            procs.append(subprocess.Popen([sys.executable, "-c", STORE_RACE, str(db), repr(start)], env=env,
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    results = finish(procs, timeout=60)
    for res in results:
        assert res.returncode == 0, res.stderr[-2000:]
    from kabot_models.store import SCHEMA_VERSION

    for db in dbs:
        integrity_ok(db)
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.close()
