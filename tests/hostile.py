"""Helpers for the hostile-state tests: the real CLI in subprocesses, an isolated home, and the checks
every case makes (one clear line, no traceback, a bounded time, an intact database).

Each run has a subprocess timeout as a hang guard (a run that hangs fails the test instead of the
suite); it is not a speed assertion.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fixture_catalog import SAMPLE_ENV_VARS, write_catalog

HANG_GUARD = 180.0
"""Seconds a single run may take before it is called hung. A hang is forever; a compile on a 2-core
machine shared by a dozen busy processes has taken over 60 s, so the guard leaves room for that."""
KM = [sys.executable, "-m", "kabot_models.cli"]


def isolated_env(tmp_path: Path, files: dict[str, Any] | None = None, home: Path | None = None) -> dict[str, str]:
    """Environment for a CLI run: a fresh fixture catalog and `KABOT_MODELS_HOME` under `tmp_path`, no host keys."""
    catalog = tmp_path / "catalog"
    if not (catalog / "providers").exists():
        write_catalog(catalog, files)
    env = {k: v for k, v in os.environ.items() if k not in SAMPLE_ENV_VARS and not k.startswith("KM_")}
    env.update(KABOT_MODELS_CATALOG=str(catalog), KABOT_MODELS_HOME=str(home or tmp_path / "home"), NO_COLOR="1")
    env.pop("PYTHONWARNINGS", None)
    return env


def km(args: list[str], env: dict[str, str], input: str | None = None, timeout: float = HANG_GUARD,
       preexec: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `kabot-models ARGS` as a real process; a run past `timeout` fails the test as hung."""
    try:
        return subprocess.run(KM + args, env=env, input=input, capture_output=True, text=True, timeout=timeout,
                              preexec_fn=preexec, stdin=None if input is not None else subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"kabot-models {' '.join(args)} hung (no answer in {timeout:.0f} s)") from None


def spawn(args: list[str], env: dict[str, str], input: str | None = None,
          preexec: Callable[[], None] | None = None) -> subprocess.Popen[str]:
    """Start `kabot-models ARGS` without waiting (feed `input` on stdin, then close it)."""
    proc = subprocess.Popen(KM + args, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=preexec)
    if input is not None:
        proc.stdin.write(input)  # type: ignore[union-attr]
    proc.stdin.close()  # type: ignore[union-attr]
    proc.stdin = None  # communicate() must not flush it again
    return proc


def finish(procs: list[subprocess.Popen[str]], timeout: float = 180.0) -> list[subprocess.CompletedProcess[str]]:
    """Wait for every process (all started at once); any still running after `timeout` fails the test as hung."""
    deadline = time.monotonic() + timeout
    out = []
    for proc in procs:
        try:
            stdout, stderr = proc.communicate(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            for p in procs:
                p.kill()
            raise AssertionError(f"{' '.join(map(str, proc.args[3:]))} hung") from None
        out.append(subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr))
    return out


def no_traceback(res: subprocess.CompletedProcess[str]) -> None:
    """Neither stream holds a Python traceback or an `Exception ignored` report."""
    both = res.stdout + res.stderr
    assert "Traceback" not in both and "Exception ignored" not in both, both[-3000:]


def one_error_line(res: subprocess.CompletedProcess[str], *needles: str) -> str:
    """The run failed with exit 1 and exactly one `error: ...` line (holding every needle); returns it."""
    no_traceback(res)
    assert res.returncode == 1, (res.returncode, res.stdout[-2000:], res.stderr[-2000:])
    errors = [line for line in res.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, res.stderr
    for needle in needles:
        assert needle in errors[0], (needle, errors[0])
    return errors[0]


def integrity_ok(db: Path) -> None:
    """The database passes `PRAGMA integrity_check`."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


def files_under(root: Path) -> list[Path]:
    """Every file and directory under `root` (root included), symlinks not followed."""
    return [root, *sorted(root.rglob("*"))]
