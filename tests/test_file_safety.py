"""File safety: private modes whatever the umask, unsafe files refused as ssh refuses them, only
regular files opened (a FIFO or /dev/zero never hangs a command), and a key typed into a URL never
printed or stored. Every run is the real CLI in a subprocess on an isolated home, with a hang guard.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from auth_standin import GOOD_KEY, serve_models
from hostile import files_under, isolated_env, km, no_traceback, one_error_line


def home_of(env: dict[str, str]) -> Path:
    return Path(env["KABOT_MODELS_HOME"])


def umask(value: int):  # noqa: ANN201 - a preexec_fn
    return lambda: os.umask(value)


@pytest.mark.parametrize("mask", [0o000, 0o022], ids=["umask000", "umask022"])
def test_directories_are_0700_and_files_0600_whatever_the_umask(tmp_path: Path, httpserver, mask: int) -> None:
    url = serve_models(httpserver)
    env = isolated_env(tmp_path, home=tmp_path / "fresh" / "home")  # neither directory exists yet
    login = km(["auth", "login", "acme", "--no-input", "--base-url", url], env, input=GOOD_KEY + "\n", preexec=umask(mask))
    assert login.returncode == 0, login.stderr
    for args in (["list"], ["alias", "add", "mine", "small"], ["resolve", "mine"], ["scan", "--provider", "acme", "--base-url", url]):
        res = km(args, {**env, "KM_TEST_ACME_KEY": GOOD_KEY}, preexec=umask(mask))
        assert res.returncode == 0, (args, res.stderr)
    home = home_of(env)
    seen = {p.relative_to(tmp_path / "fresh").as_posix() for p in files_under(home)}
    assert {"home/config.yaml", "home/credentials.yaml", "home/models.db", "home/config-cache.json", "home/snapshots"} <= seen
    assert stat.S_IMODE((tmp_path / "fresh").stat().st_mode) == 0o700  # a parent it had to create, too
    for path in files_under(home):
        mode = stat.S_IMODE(path.lstat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


# -- unsafe permissions or ownership are refused, with the fix ------------------------------------

def _unsafe_setup(home: Path) -> None:
    """A home as login leaves it: config with an api_base, credentials with a key."""
    home.mkdir(mode=0o700)
    (home / "config.yaml").write_text("providers:\n  acme:\n    api_base: https://api.acme.test/v1\n")
    (home / "credentials.yaml").write_text(json.dumps({"providers": {"acme": {"api_key": GOOD_KEY}}}))
    for name in ("config.yaml", "credentials.yaml"):
        os.chmod(home / name, 0o600)


UNSAFE = [
    # (what, mode, the fix the line must name)
    ("", 0o777, "chmod 700"),
    ("", 0o770, "chmod 700"),
    ("", 0o702, "chmod 700"),
    ("config.yaml", 0o666, "chmod 600"),
    ("config.yaml", 0o620, "chmod 600"),
    ("credentials.yaml", 0o606, "chmod 600"),
    ("credentials.yaml", 0o660, "chmod 600"),
]
COMMANDS = [["list"], ["resolve", "large"], ["auth", "status"], ["scan", "--provider", "acme"], ["alias", "add", "x", "small"]]


@pytest.mark.parametrize("what,mode,fix", UNSAFE, ids=[f"{w or 'home'}-{m:o}" for w, m, _ in UNSAFE])
def test_unsafe_permissions_are_refused_with_the_fix(tmp_path: Path, what: str, mode: int, fix: str, httpserver) -> None:
    env = isolated_env(tmp_path)
    home = home_of(env)
    _unsafe_setup(home)
    # the stranger's server: a config another user could rewrite sends the key here
    (home / "config.yaml").write_text(f"providers:\n  acme:\n    api_base: {httpserver.url_for('/v1')}\n")
    os.chmod(home / "config.yaml", 0o600)
    target = home / what
    os.chmod(target, mode)
    for args in COMMANDS:
        res = km(args, env)
        if what == "credentials.yaml" and args in (["list"], ["resolve", "large"], ["alias", "add", "x", "small"]):
            # commands that do not use keys may run, but never with the key file unnoticed
            no_traceback(res)
            continue
        line = one_error_line(res, str(target), f"{fix} {target}")
        assert GOOD_KEY not in res.stdout + res.stderr
        assert len(line) < 400
    assert httpserver.log == []  # nothing was sent anywhere
    assert stat.S_IMODE(target.stat().st_mode) == mode  # refused, not silently changed


@pytest.mark.parametrize("what", ["config.yaml", "credentials.yaml", ""])
def test_files_owned_by_another_user_are_refused(tmp_path: Path, what: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("making a file another user's takes root; the mode checks above run everywhere")
    env = isolated_env(tmp_path)
    home = home_of(env)
    _unsafe_setup(home)
    target = home / what
    os.chown(target, 65534, 65534)
    for args in (["auth", "status"], ["scan", "--provider", "acme"]):
        one_error_line(km(args, env), str(target), "owned by", f"chown {os.geteuid()} {target}")


# -- a key typed into a URL is never printed or stored ----------------------------------------------

def _key_urls(base: str) -> list[str]:
    scheme, rest = base.split("://", 1)
    host, path = rest.split("/", 1)
    return [f"{scheme}://{host}/{GOOD_KEY}/{path}", f"{base}?key={GOOD_KEY}", f"{scheme}://user:{GOOD_KEY}@{host}/{path}",
            f"{base}/{GOOD_KEY[:12]}"]


@pytest.mark.parametrize("which", range(4))
def test_a_key_in_the_base_url_is_never_printed_or_stored(tmp_path: Path, httpserver, which: int) -> None:
    base = serve_models(httpserver)
    url = _key_urls(base)[which]
    env = isolated_env(tmp_path)
    home = home_of(env)
    login = km(["auth", "login", "acme", "--no-input", "--base-url", url], env, input=GOOD_KEY + "\n")
    one_error_line(login, "base URL")
    scan = km(["scan", "--json", "--provider", "acme", "--base-url", url], {**env, "KM_TEST_ACME_KEY": GOOD_KEY})
    no_traceback(scan)
    assert scan.returncode == 1
    if scan.stdout:
        assert json.loads(scan.stdout)["providers"][0]["status"] == "failed"
    for res in (login, scan):
        assert GOOD_KEY not in res.stdout + res.stderr and GOOD_KEY[:12] not in res.stdout + res.stderr
    for path in home.rglob("*") if home.exists() else ():
        if path.is_file():
            assert GOOD_KEY[:12].encode() not in path.read_bytes(), path
    assert not (home / "credentials.yaml").exists()  # a refused login stores nothing


# -- only regular files are opened; nothing hangs -------------------------------------------------

def _fifo(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def _dev_zero(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.symlink_to("/dev/zero")


def _dangling(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.symlink_to(path.parent / "gone-away.yaml")


def _garbage(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.write_bytes(b"this is not a database at all " * 200)


def _provider_file(env: dict[str, str]) -> Path:
    return Path(env["KABOT_MODELS_CATALOG"]) / "providers" / "relay.yaml"


SPECIAL = [
    # (file, how it is replaced, commands, the line must hold)
    ("provider", _fifo, [["validate"], ["list"], ["resolve", "large"], ["show", "large"]], "not a regular file"),
    ("provider", _dev_zero, [["validate"], ["list"], ["resolve", "large"]], "not a regular file"),
    ("provider", _dangling, [["validate"], ["list"], ["show", "small"]], "relay.yaml"),
    ("config", _fifo, [["list"], ["resolve", "large"], ["show", "large"], ["alias", "add", "x", "small"]], "not a regular file"),
    ("config", _dev_zero, [["list"], ["resolve", "large"]], "not a regular file"),
    ("credentials", _fifo, [["auth", "status"], ["scan", "--provider", "acme"]], "not a regular file"),
    ("credentials", _dev_zero, [["auth", "status"]], "not a regular file"),
    ("db", _dev_zero, [["scan", "--provider", "acme"], ["auth", "login", "acme", "--no-input"]], "models.db"),
    ("db", _fifo, [["scan", "--provider", "acme"]], "models.db"),
    ("db", _garbage, [["scan", "--provider", "acme"], ["auth", "login", "acme", "--no-input"]], "models.db"),
]


@pytest.mark.parametrize("which,replace,commands,needle", SPECIAL, ids=lambda v: getattr(v, "__name__", None))
def test_special_files_give_one_line_never_a_hang(tmp_path: Path, httpserver, which, replace, commands, needle) -> None:
    url = serve_models(httpserver)
    env = isolated_env(tmp_path)
    home = home_of(env)
    home.mkdir(mode=0o700)
    path = {"provider": _provider_file(env), "config": home / "config.yaml", "credentials": home / "credentials.yaml",
            "db": home / "models.db"}[which]
    (home / "config.yaml").write_text(f"providers:\n  acme:\n    api_base: {url}\n")
    os.chmod(home / "config.yaml", 0o600)
    replace(path)
    for args in commands:
        res = km(args, {**env, "KM_TEST_ACME_KEY": GOOD_KEY}, input=GOOD_KEY + "\n")
        if args == ["validate"]:
            no_traceback(res)
            assert res.returncode == 1
            issues = res.stdout.splitlines()
            assert len(issues) == 1 and needle in issues[0], res.stdout
        else:
            one_error_line(res, needle)
    assert GOOD_KEY.encode() not in b"".join(p.read_bytes() for p in home.rglob("*") if p.is_file() and not p.is_symlink()
                                             and p.name != "credentials.yaml" and stat.S_ISREG(p.stat().st_mode))


def test_a_cached_snapshot_that_is_a_fifo_is_rebuilt_not_read(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    assert km(["list"], env).returncode == 0
    [cached] = (home_of(env) / "snapshots").glob("*.sqlite")
    _fifo(cached)
    for args in (["list"], ["resolve", "large"], ["show", "large"]):
        res = km(args, env)
        no_traceback(res)
        assert res.returncode == 0, res.stderr
    assert stat.S_ISREG(cached.stat().st_mode)  # replaced by a real snapshot again


def test_the_default_database_that_is_not_one_only_warns_in_list(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    home = home_of(env)
    home.mkdir(mode=0o700)
    _garbage(home / "models.db")
    res = km(["list"], env)
    no_traceback(res)
    assert res.returncode == 0
    assert [line for line in res.stderr.splitlines() if line.startswith("warning:")] and "acme/acme-large" in res.stdout
    conn = sqlite3.connect(home / "models.db")  # left as it was for the user to look at
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT 1 FROM sqlite_master").fetchall()
    conn.close()
