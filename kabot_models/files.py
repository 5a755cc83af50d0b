"""The filesystem as untrusted input, and the tool's own files kept private.

- Reading opens only regular files, never blocking on open (`O_NONBLOCK`, then `fstat`), and checks
  the size before reading: a FIFO, a device (`/dev/zero`) or a directory in a file's place is one
  clear error at once, never a hang or an endless read.
- The user's own files (config, credentials, their directory) are refused, as ssh refuses them,
  when another user owns them or could change them; the message says how to fix it.
- What the tool creates is private whatever the umask: directories 0700, files 0600, each file
  created with its mode in the same system call (never chmod-ed after the fact).
- A file is replaced atomically (a temp file in the same directory, fsync, `os.replace`), and a
  read-modify-write runs under an exclusive lock on a sibling lock file, so parallel runs lose nothing.

Only `os`, `stat` and `errno` are imported up front: this module is on the resolve path.
"""

from __future__ import annotations

import errno
import os
import stat

from .errors import UnsafeFileError

DIR_MODE = 0o700
FILE_MODE = 0o600
MAX_FILE_BYTES = 5 * 1024 * 1024
"""Largest catalog or config file read. The whole catalog is far below this; a 50 MB file is refused at once."""
LOCK_SECONDS = 60.0
"""How long a run waits for other runs' edits of the same file before giving up (an edit takes milliseconds;
this is room for dozens of runs queued on a loaded machine, and a bound, so nothing waits forever)."""

_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISDIR, "a directory"), (stat.S_ISSOCK, "a socket"))


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words: `a named pipe (FIFO)`, `a character device`, ..."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def not_regular(path: str, mode: int) -> OSError:
    """The error for a path that is not a regular file (its message says what it is instead)."""
    return OSError(errno.EINVAL, f"not a regular file: it is {kind_of(mode)}", path)


def check_owned(path: str, st: os.stat_result, is_dir: bool = False) -> None:
    """Refuse (`UnsafeFileError`) a file or directory that another user owns or could change, as ssh does.

    Root's own files are accepted (root can change anything anyway), as ssh accepts them.
    """
    me = os.geteuid()
    if st.st_uid not in (me, 0):
        raise UnsafeFileError(
            f"{path} is owned by uid {st.st_uid}, not by you (uid {me}), so it is not used; "
            f"if it is yours, run `chown {me} {path}`, else remove it")
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise UnsafeFileError(
            f"{path} can be changed by other users, so it is not used; run `chmod {'700' if is_dir else '600'} {path}`")


def check_owned_path(path: str, is_dir: bool = False) -> bool:
    """`check_owned` for a path (symlinks followed); False when it does not exist."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    check_owned(path, st, is_dir)
    return True


def read_regular(path: str | os.PathLike[str], max_bytes: int, *, owned: bool = False) -> bytes:
    """The bytes of a regular file of at most `max_bytes`.

    Raises `OSError` for a missing file, one that is not a regular file (checked on the open file,
    so a FIFO never blocks and a symlink to `/dev/zero` is refused at once), or one that is too
    large (`errno.EFBIG`, checked before reading). With `owned`, also `UnsafeFileError` when the
    file is not the user's own or is writable by others (`check_owned`).
    """
    path = os.fspath(path)
    fd = os.open(path, _READ_FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise not_regular(path, st.st_mode)
        if owned:
            check_owned(path, st)
        if st.st_size > max_bytes:
            raise too_large(path, st.st_size, max_bytes)
        chunks = []
        left = max_bytes + 1  # a file that grows while it is read is still cut at the limit
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > max_bytes:
            raise too_large(path, len(data), max_bytes)
        return data
    finally:
        os.close(fd)


def too_large(path: str, size: int, limit: int) -> OSError:
    """The error for a file past its size limit (`errno.EFBIG`)."""
    return OSError(errno.EFBIG, f"file is {size / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB", path)


def private_dir(path: str | os.PathLike[str], *, owned: bool = True) -> str:
    """Make sure the directory `path` exists; every directory created for it is 0700 whatever the umask.

    An existing directory is checked with `check_owned` (unless `owned` is False). Returns the path.
    """
    path = os.fspath(path)
    missing = []
    head = os.path.abspath(path)
    while not os.path.isdir(head):
        if os.path.lexists(head) and not os.path.islink(head):
            raise OSError(errno.ENOTDIR, "not a directory", head)
        missing.append(head)
        parent = os.path.dirname(head)
        if parent == head:
            break
        head = parent
    for directory in reversed(missing):
        try:
            os.mkdir(directory, DIR_MODE)
        except FileExistsError:
            if not os.path.isdir(directory):
                raise OSError(errno.ENOTDIR, "not a directory", directory) from None
            continue  # another run made it first
        os.chmod(directory, DIR_MODE)  # the umask may have taken bits from the owner too
    if owned and not missing:
        check_owned_path(path, is_dir=True)
    return path


def create_private(path: str | os.PathLike[str]) -> None:
    """Create `path` empty with mode 0600 if it does not exist; refuse it when it is not a regular file.

    Used before handing a path to a library that would create it with the umask's mode (SQLite).
    """
    path = os.fspath(path)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0), FILE_MODE)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise not_regular(path, st.st_mode)
    finally:
        os.close(fd)


def write_atomic(path: str | os.PathLike[str], data: bytes, mode: int = FILE_MODE) -> None:
    """Replace `path` with `data` atomically: a temp file created with `mode` in the same directory
    (the directory made private if missing), fsync-ed, then `os.replace`d over the old one."""
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    private_dir(directory, owned=False)
    tmp = os.path.join(directory, f".{os.path.basename(path)}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), mode)
    try:
        try:
            os.fchmod(fd, mode)  # exactly `mode`: the umask can only have taken bits away, never added
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class locked:
    """`with locked(path):` holds an exclusive lock on `path`'s sibling `.NAME.lock` (fcntl.flock).

    Every read-modify-write of a shared file (config, credentials) runs inside one, so parallel runs
    apply their changes one after another instead of overwriting each other's. Waits up to
    `LOCK_SECONDS`, then raises `OSError` (EAGAIN) naming the file.
    """

    def __init__(self, path: str | os.PathLike[str], seconds: float = LOCK_SECONDS) -> None:
        path = os.fspath(path)
        self.path = path
        self.lock_path = os.path.join(os.path.dirname(os.path.abspath(path)), f".{os.path.basename(path)}.lock")
        self.seconds = seconds
        self.fd = -1

    def __enter__(self) -> locked:
        import fcntl
        import time

        private_dir(os.path.dirname(self.lock_path), owned=False)
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.lock_path, flags | os.O_NONBLOCK, FILE_MODE)
        deadline = time.monotonic() + self.seconds
        pause = 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise OSError(errno.EAGAIN, f"another kabot-models run has been changing it for {self.seconds:.0f} s; try again",
                                  self.path) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.05)
        self.fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)  # closing the descriptor releases the lock
        self.fd = -1

