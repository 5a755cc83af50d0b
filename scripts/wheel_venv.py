"""Build the wheel and install it into a throwaway venv, offline: what a `pip install` user gets.

The venv borrows the dependencies of the running interpreter's environment through a `.pth` line
(so nothing is downloaded) but not its `.pth` files: the checkout's editable-install hook, which
imports pathlib and more at every interpreter start, stays out, and `python -c pass` in this venv
is a fair bare start. Used by tests/test_packaging.py and scripts/bench.py.

With `core_only` the venv sees only the distributions `pip install kabot-models` (no extras) would
bring: the wheel's own requirements and theirs, linked one by one into a directory of their own,
so LiteLLM and the dev tools are not importable there (tests/test_core_install.py).

    python scripts/wheel_venv.py DEST [--core-only]    # prints DEST's python
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys
import zipfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build_wheel(out_dir: str, python: str = sys.executable) -> str:
    """Build the package's wheel into `out_dir` with `python`'s setuptools, without network; returns its path."""
    subprocess.run(
        [python, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", "-w", out_dir, REPO],
        check=True, stdout=subprocess.DEVNULL,
    )
    (wheel,) = glob.glob(os.path.join(out_dir, "kabot_models-*.whl"))
    return wheel


def wheel_requirements(wheel: str) -> list[str]:
    """The `Requires-Dist` lines of a wheel's metadata."""
    with zipfile.ZipFile(wheel) as zf:
        (meta,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        text = zf.read(meta).decode("utf-8")
    headers = text.split("\n\n", 1)[0]
    return [line.split(":", 1)[1].strip() for line in headers.splitlines() if line.startswith("Requires-Dist:")]


def core_closure(requirements: list[str]) -> list[object]:
    """The installed distributions (of the running environment) that `requirements` need without any
    extra, and what those need in turn. Raises PackageNotFoundError when one is not installed."""
    from importlib.metadata import distribution

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    found: dict[str, object] = {}
    todo = list(requirements)
    while todo:
        req = Requirement(todo.pop())
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(req.name)
        if name in found:
            continue
        dist = distribution(req.name)
        found[name] = dist
        todo.extend(dist.requires or ())
    return list(found.values())


def link_site(dists: list[object], site: str) -> None:
    """Make `site` a site-packages holding exactly `dists`: a symlink per top-level file or directory
    each one installed (packages, modules, extension files, its .dist-info)."""
    os.makedirs(site, exist_ok=True)
    for dist in dists:
        root = os.fspath(dist.locate_file(""))  # type: ignore[attr-defined]
        tops = {str(f).replace("\\", "/").split("/", 1)[0] for f in dist.files or ()}  # type: ignore[attr-defined]
        for top in sorted(tops - {"..", "__pycache__", ""}):
            src = os.path.join(root, top)
            dst = os.path.join(site, top)
            if os.path.exists(src) and not os.path.lexists(dst):
                os.symlink(src, dst)


def _purelib(python: str) -> str:
    return subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()


def make_wheel_venv(dest: str, python: str = sys.executable, core_only: bool = False) -> str:
    """A venv at `dest` with the freshly built wheel installed and `python`'s site-packages visible
    (with `core_only`, only the distributions the wheel's own requirements need; `python` must
    then be the running interpreter, whose environment is read).

    Returns the venv's interpreter. Raises CalledProcessError when the build or install fails.
    """
    if core_only and python != sys.executable:
        raise ValueError("core_only reads the running interpreter's environment; pass python=sys.executable")
    wheel = build_wheel(os.path.join(dest, "wheel"), python)
    base = getattr(sys, "_base_executable", sys.executable) if python == sys.executable else python
    subprocess.run([base, "-m", "venv", "--without-pip", dest], check=True)
    venv_python = os.path.join(dest, "bin", "python")
    purelib = _purelib(venv_python)
    if core_only:
        deps = os.path.join(dest, "core-deps")
        link_site(core_closure(wheel_requirements(wheel)), deps)
    else:
        deps = _purelib(python)
    with open(os.path.join(purelib, "dependencies.pth"), "w") as fh:
        fh.write(deps + "\n")  # a path line only: the other environment's own .pth files are not run
    subprocess.run([python, "-m", "pip", "--python", venv_python, "install", "--quiet", "--no-deps", "--no-index", wheel],
                   check=True, stdout=subprocess.DEVNULL)
    return venv_python


if __name__ == "__main__":
    print(make_wheel_venv(os.path.abspath(sys.argv[1]), core_only="--core-only" in sys.argv[2:]))
