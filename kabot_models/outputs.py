"""Writing the files and directories the commands produce (exports, the static site) safely.

A file is written to a temporary sibling and moved over the target with `os.replace`, so a reader
never sees half of it and a failed write leaves the old one. A target that exists and is not a
regular file (a symlink, a directory, a device, a FIFO) is refused: writing there could follow a
link somewhere else or block forever.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

from .errors import KabotModelsError


class OutputError(KabotModelsError):
    """An output file or directory cannot be written: the message names it and why."""


def _refuse_unless(path: Path, kind: int, what: str) -> bool:
    """True when `path` exists as `kind` (stat.S_IFREG / S_IFDIR, not through a symlink); False when absent."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise OutputError(f"{path}: cannot inspect it: {exc.strerror or exc}") from None
    if stat.S_IFMT(mode) != kind:
        raise OutputError(f"{path}: exists and is not {what}; refusing to replace it")
    return True


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write `text` (UTF-8) to `path` atomically; the parent directory must exist. Returns the path."""
    target = Path(path)
    existed = _refuse_unless(target, stat.S_IFREG, "a regular file")
    parent = target.parent
    if not parent.is_dir():
        raise OutputError(f"{target}: directory {parent} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{target}: cannot write there: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if existed:
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        else:  # mkstemp makes 0600; an export is as public as any file the user creates
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{target}: cannot write it: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


MARKER = ".kabot-models-site"
"""The file that marks a directory as one `replace_dir` wrote, so it may be replaced again."""


def new_dir_beside(path: str | os.PathLike[str]) -> Path:
    """A fresh empty directory next to `path`, to fill and then hand to `replace_dir`; missing parent
    directories are made, as `mkdir -p` would."""
    target = Path(path)
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{target}: cannot make directory {parent}: {exc.strerror or exc}") from None
    if not parent.is_dir():
        raise OutputError(f"{target}: {parent} is not a directory")
    try:
        built = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp"))
        os.chmod(built, 0o777 & ~_umask())  # mkdtemp makes 0700; a site is for anyone to read
        return built
    except OSError as exc:
        raise OutputError(f"{target}: cannot write there: {exc.strerror or exc}") from None


def replace_dir(built: Path, path: str | os.PathLike[str]) -> Path:
    """Move the directory `built` (from `new_dir_beside`) to `path`.

    `path` may be absent, an empty directory, or a directory an earlier `replace_dir` made (it holds
    `MARKER`); anything else is refused, so pointing the command at a home directory deletes nothing.
    The old directory is moved aside before the new one takes its name, then removed.
    """
    target = Path(path)
    try:
        (built / MARKER).write_text("written by kabot-models site; the whole directory is replaced on the next run\n", encoding="utf-8")
        if _refuse_unless(target, stat.S_IFDIR, "a directory"):
            if any(target.iterdir()) and not (target / MARKER).is_file():
                raise OutputError(f"{target}: is a non-empty directory this command did not write; choose another --out")
            old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old"))
            os.replace(target, old / "site")
            try:
                os.replace(built, target)
            except OSError:
                os.replace(old / "site", target)  # put the previous site back before reporting
                shutil.rmtree(old, ignore_errors=True)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(built, target)
    except OutputError:
        shutil.rmtree(built, ignore_errors=True)
        raise
    except OSError as exc:
        shutil.rmtree(built, ignore_errors=True)
        raise OutputError(f"{target}: cannot write it: {exc.strerror or exc}") from None
    return target
