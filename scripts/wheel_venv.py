"""Build the wheel and install it into a throwaway venv, offline: what a `pip install` user gets.

The venv borrows the dependencies of the running interpreter's environment through a `.pth` line
(so nothing is downloaded) but not its `.pth` files: the checkout's editable-install hook, which
imports pathlib and more at every interpreter start, stays out, and `python -c pass` in this venv
is a fair bare start. Used by tests/test_packaging.py and scripts/bench.py.

    python scripts/wheel_venv.py DEST    # prints DEST's python
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build_wheel(out_dir: str, python: str = sys.executable) -> str:
    """Build the package's wheel into `out_dir` with `python`'s setuptools, without network; returns its path."""
    subprocess.run(
        [python, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", "-w", out_dir, REPO],
        check=True, stdout=subprocess.DEVNULL,
    )
    (wheel,) = glob.glob(os.path.join(out_dir, "kabot_models-*.whl"))
    return wheel


def make_wheel_venv(dest: str, python: str = sys.executable) -> str:
    """A venv at `dest` with the freshly built wheel installed and `python`'s site-packages visible.

    Returns the venv's interpreter. Raises CalledProcessError when the build or install fails.
    """
    wheel = build_wheel(os.path.join(dest, "wheel"), python)
    base = getattr(sys, "_base_executable", sys.executable) if python == sys.executable else python
    subprocess.run([base, "-m", "venv", "--without-pip", dest], check=True)
    venv_python = os.path.join(dest, "bin", "python")
    purelib = subprocess.run([venv_python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    deps = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    with open(os.path.join(purelib, "dependencies.pth"), "w") as fh:
        fh.write(deps + "\n")  # a path line only: the other environment's own .pth files are not run
    subprocess.run([python, "-m", "pip", "--python", venv_python, "install", "--quiet", "--no-deps", "--no-index", wheel],
                   check=True, stdout=subprocess.DEVNULL)
    return venv_python


if __name__ == "__main__":
    print(make_wheel_venv(os.path.abspath(sys.argv[1])))
