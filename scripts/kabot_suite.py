"""Run Kabot's test suite on Kabot's own model layer and on kabot_models, and list what changed.

    python scripts/kabot_suite.py KABOT_DIR [--venv DIR] [--work DIR] [--setup] [--reuse-baseline]

KABOT_DIR is a Kabot checkout (it has `kabot/providers/registry.py`) or a bare git directory of
Kabot (`--rev`, default HEAD, is exported from it; blobs the mirror lacks are skipped and named).
The tree is exported twice under --work: `kabot/` as it is, and `swapped/` with exactly the two
files Kabot would change to switch (docs/kabot.md):

    kabot/providers/models.py    from kabot_models import ModelMetadata, ModelPricing
    kabot/providers/registry.py  from kabot_models import ModelRegistry
                                 from kabot_models.providers import PROVIDERS, ProviderSpec, find_by_model, find_by_name, find_gateway

Each tree's suite runs offline in the --venv interpreter (Kabot's dependencies; `--setup` creates it
and installs them from Kabot's pyproject, plus this repo's dependencies and pytest-timeout), with
this repo first on PYTHONPATH, HOME and KABOT_MODELS_HOME pointing into --work, and junit XML
written next to the trees. The script prints both runs' counts and every test whose outcome
changed, and exits 1 when a test that passes on Kabot's layer does not pass on ours, unless
docs/kabot.md lists it as changed on purpose. Not part of CI: CI has no Kabot checkout.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SWAP = {
    "kabot/providers/models.py": "from kabot_models import ModelMetadata, ModelPricing\n",
    "kabot/providers/registry.py": (
        "from kabot_models import ModelRegistry\n"
        "from kabot_models.providers import PROVIDERS, ProviderSpec, find_by_model, find_by_name, find_gateway\n"
    ),
}
"""The whole switch: the two files of Kabot's model layer, replaced by imports from kabot_models."""
EXPECTED_HEADING = "## Kabot tests that change on purpose"
"""The section of docs/kabot.md listing (as `- \\`test id\\``) the tests whose change is deliberate."""
OUTCOMES = ("passed", "failed", "error", "skipped")


class SuiteError(Exception):
    """A problem the user can fix (a wrong path, a failed export or install): one line, exit 2."""


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, check=True, **kwargs)
    except FileNotFoundError as exc:
        raise SuiteError(f"cannot run {cmd[0]}: {exc.strerror}") from None
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode(errors="replace").strip().splitlines()[-1:] if exc.stderr else []
        raise SuiteError(f"{' '.join(cmd[:4])} ... failed (exit {exc.returncode}){': ' + detail[0] if detail else ''}") from None


def export_tree(source: Path, rev: str, dest: Path) -> list[str]:
    """Copy Kabot's tree at `rev` (git dir) or as it is (checkout) into `dest`; returns paths skipped as missing."""
    if dest.exists():
        shutil.rmtree(dest)
    if (source / "kabot" / "providers" / "registry.py").is_file():
        shutil.copytree(source, dest, ignore=shutil.ignore_patterns(".git", "__pycache__", ".pytest_cache", ".venv"))
        return []
    if not (source / "HEAD").is_file() or not (source / "objects").is_dir():
        raise SuiteError(f"{source}: neither a Kabot checkout (kabot/providers/registry.py) nor a git directory")
    git = ["git", f"--git-dir={source}"]
    listing = run([*git, "ls-tree", "-r", "-z", rev], capture_output=True).stdout.split(b"\0")
    entries = []
    for line in filter(None, listing):
        meta, path = line.split(b"\t", 1)
        mode, kind, oid = meta.split()
        if kind == b"blob":  # submodules (commits) are not part of the tree we can export
            entries.append((mode.decode(), oid.decode(), path.decode()))
    # One `cat-file --batch` for the whole tree; the mirror lacks a few large blobs (images): skip those.
    batch = subprocess.Popen([*git, "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert batch.stdin is not None and batch.stdout is not None
    batch.stdin.write("".join(f"{oid}\n" for _, oid, _ in entries).encode())
    batch.stdin.close()
    missing = []
    for mode, oid, path in entries:
        header = batch.stdout.readline().split()
        if len(header) == 2 and header[1] == b"missing":
            missing.append(path)
            continue
        data = batch.stdout.read(int(header[2]))
        batch.stdout.read(1)  # the newline after each object
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if mode == "120000":
            target.symlink_to(data.decode())
        else:
            target.write_bytes(data)
            if mode == "100755":
                target.chmod(0o755)
    if batch.wait() != 0:
        raise SuiteError(f"git cat-file failed on {source}")
    return missing


def requirements(pyproject: Path, extras: tuple[str, ...]) -> list[str]:
    """The dependencies (and the named extras') of a pyproject.toml."""
    try:
        project = tomllib.loads(pyproject.read_text())["project"]
    except (OSError, tomllib.TOMLDecodeError, KeyError) as exc:
        raise SuiteError(f"{pyproject}: cannot read its dependencies ({exc})") from None
    out = list(project.get("dependencies", ()))
    for extra in extras:
        out.extend(project.get("optional-dependencies", {}).get(extra, ()))
    return out


def setup_venv(venv: Path, kabot_tree: Path) -> None:
    """Create `venv` with Kabot's dependencies (and dev extras), this repo's, and pytest-timeout."""
    if not (venv / "bin" / "python").exists():
        run([sys.executable, "-m", "venv", str(venv)])
    reqs = requirements(kabot_tree / "pyproject.toml", ("dev",)) + requirements(REPO / "pyproject.toml", ()) + ["pytest-timeout"]
    run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *reqs])


def has_module(python: Path, module: str) -> bool:
    return subprocess.run([str(python), "-c", f"import {module}"], capture_output=True).returncode == 0


def run_suite(python: Path, tree: Path, xml: Path, home: Path, timeout: int, extra: list[str]) -> None:
    """Run Kabot's suite in `tree` and write its junit XML to `xml` (a failing suite is expected).
    `home` starts empty on every run: what an earlier run's tests left in `~/.kabot` changes Kabot's
    own results (its logger test fails in a HOME an earlier run used, on either model layer)."""
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), str(tree)]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "HOME": str(home),
        "KABOT_MODELS_HOME": str(home / "kabot-models"),
        "NO_COLOR": "1",
    }
    env.pop("KABOT_MODELS_CATALOG", None)
    cmd = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--continue-on-collection-errors",
           f"--junitxml={xml}", "-o", "junit_family=xunit1"]
    if timeout and has_module(python, "pytest_timeout"):
        cmd.append(f"--timeout={timeout}")
    cmd.extend(extra)
    print(f"running Kabot's suite in {tree} ...", file=sys.stderr, flush=True)
    with open(xml.with_suffix(".log"), "wb") as log:
        subprocess.run(cmd, cwd=tree, env=env, stdout=log, stderr=subprocess.STDOUT)
    if not xml.is_file():
        raise SuiteError(f"pytest wrote no report; see {xml.with_suffix('.log')}")


def outcomes(xml: Path) -> dict[str, str]:
    """Test id (`file::Class::name`) -> passed, failed, error or skipped, from a junit XML report."""
    try:
        root = ET.parse(xml).getroot()
    except (OSError, ET.ParseError) as exc:
        raise SuiteError(f"{xml}: unreadable junit report ({exc})") from None
    out: dict[str, str] = {}
    for case in root.iter("testcase"):
        file = case.get("file") or case.get("classname", "").replace(".", "/") + ".py"
        classname = case.get("classname", "")
        module = file[:-3].replace("/", ".")
        cls = classname[len(module) + 1:] if classname.startswith(module + ".") else ""
        test_id = "::".join(p for p in (file, cls, case.get("name", "")) if p)
        tags = {child.tag for child in case}
        outcome = "error" if "error" in tags else "failed" if "failure" in tags else "skipped" if "skipped" in tags else "passed"
        # A test that fails and then errors in teardown appears twice: keep the worse outcome.
        if out.get(test_id) not in ("failed", "error"):
            out[test_id] = outcome
    return out


def expected_changes(doc: Path) -> set[str]:
    """Test ids docs/kabot.md lists under EXPECTED_HEADING."""
    if not doc.is_file():
        return set()
    ids: set[str] = set()
    inside = False
    for line in doc.read_text().splitlines():
        if line.startswith("## "):
            inside = line.strip() == EXPECTED_HEADING
        elif inside and line.startswith("- `"):
            ids.add(line[3:].split("`", 1)[0])
    return ids


def counts(results: dict[str, str]) -> str:
    return ", ".join(f"{sum(1 for o in results.values() if o == k)} {k}" for k in OUTCOMES) + f" ({len(results)} tests)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kabot_dir", type=Path, help="a Kabot checkout or bare git directory")
    parser.add_argument("--rev", default="HEAD", help="revision to export from a git directory (default HEAD)")
    parser.add_argument("--venv", type=Path, default=Path(os.environ.get("KABOT_SUITE_VENV", "~/.cache/kabot-suite/venv")).expanduser(),
                        help="virtualenv with Kabot's dependencies (default $KABOT_SUITE_VENV or ~/.cache/kabot-suite/venv)")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("KABOT_SUITE_WORK", "~/.cache/kabot-suite/work")).expanduser(),
                        help="where the two trees, their logs and junit reports go")
    parser.add_argument("--setup", action="store_true", help="create --venv and install the dependencies first")
    parser.add_argument("--reuse-baseline", action="store_true",
                        help="reuse --work's earlier report of Kabot's own layer instead of running it again")
    parser.add_argument("--timeout", type=int, default=60, help="seconds per test (pytest-timeout; 0: none)")
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest after `--` (e.g. tests/providers)")
    args = parser.parse_args(argv)
    try:
        return compare(args)
    except SuiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def compare(args: argparse.Namespace) -> int:
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    own_tree, swapped_tree = work / "kabot", work / "swapped"
    own_xml, ours_xml = work / "kabot.xml", work / "ours.xml"
    missing = export_tree(args.kabot_dir.resolve(), args.rev, swapped_tree)
    if missing:
        print(f"note: the source lacks {len(missing)} file(s), left out: {', '.join(missing)}", file=sys.stderr)
    for rel, text in SWAP.items():
        if not (swapped_tree / rel).is_file():
            raise SuiteError(f"{rel} is not in Kabot's tree: not the layout this script swaps")
        (swapped_tree / rel).write_text(text)
    if args.setup:
        setup_venv(args.venv, swapped_tree)
    python = args.venv / "bin" / "python"
    if not python.exists():
        raise SuiteError(f"{args.venv} has no interpreter; create it with --setup")
    if not (args.reuse_baseline and own_xml.is_file()):
        export_tree(args.kabot_dir.resolve(), args.rev, own_tree)
        run_suite(python, own_tree, own_xml, work / "home-kabot", args.timeout, args.pytest_args)
    run_suite(python, swapped_tree, ours_xml, work / "home-ours", args.timeout, args.pytest_args)

    own, ours = outcomes(own_xml), outcomes(ours_xml)
    allowed = expected_changes(REPO / "docs" / "kabot.md")
    print(f"Kabot's layer:  {counts(own)}")
    print(f"kabot_models:   {counts(ours)}")
    changed = sorted(t for t in own.keys() | ours.keys() if own.get(t) != ours.get(t))
    regressions = [t for t in changed if own.get(t) == "passed" and t not in allowed]
    for test_id in changed:
        mark = "  (on purpose: docs/kabot.md)" if test_id in allowed else ""
        print(f"{own.get(test_id, 'absent'):>8} -> {ours.get(test_id, 'absent'):<8} {test_id}{mark}")
    print(f"{len(changed)} changed, {len(regressions)} passing on Kabot's layer and not on ours"
          f" (logs: {own_xml.with_suffix('.log')}, {ours_xml.with_suffix('.log')})")
    return 1 if regressions else 0


if __name__ == "__main__":
    sys.exit(main())
