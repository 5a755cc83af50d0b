"""A one-screen list picker for the terminal: arrow keys (or j/k) move, Enter picks, q or Esc cancels.

Written on a raw-tty reader (termios) rather than prompt_toolkit: the whole job is "move a marker
through a list and return the line under it", which is about a hundred lines here, while
prompt_toolkit would add a dependency of ~20k lines and, under a pseudo-terminal, a cursor-position
query that the other side must answer. Only POSIX terminals get the picker; elsewhere (or when
standard input is not a terminal) callers use `--model` or `--no-input`.
"""

from __future__ import annotations

import os
import select
import sys
from dataclasses import dataclass
from typing import IO

_KEYS = {
    b"\x1b[A": "up", b"\x1bOA": "up", b"k": "up", b"\x10": "up",  # Ctrl-P
    b"\x1b[B": "down", b"\x1bOB": "down", b"j": "down", b"\x0e": "down",  # Ctrl-N
    b"\x1b[5~": "pageup", b"\x1b[6~": "pagedown",
    b"\x1b[H": "home", b"\x1bOH": "home", b"\x1b[1~": "home", b"g": "home",
    b"\x1b[F": "end", b"\x1bOF": "end", b"\x1b[4~": "end", b"G": "end",
    b"\r": "enter", b"\n": "enter",
    b"\x1b": "cancel", b"q": "cancel", b"\x03": "interrupt", b"\x04": "cancel",
}
_ESC_WAIT = 0.05
"""Seconds to wait after ESC for the rest of an escape sequence (a lone ESC means cancel)."""


@dataclass(frozen=True)
class Choice:
    """One line of the picker."""

    value: str
    """What `pick` returns when this line is chosen."""
    label: str
    """The text shown."""
    hint: str = ""
    """Dimmed text after the label (price, a 'recommended' mark)."""


class PickerCancelled(Exception):
    """The user left the picker without choosing (q, Esc, Ctrl-D)."""


def can_pick(stream: IO[str] | None = None) -> bool:
    """True when `stream` (default stdin) is a terminal the picker can drive."""
    stream = stream or sys.stdin
    try:
        import termios  # noqa: F401
    except ImportError:  # pragma: no cover - not POSIX
        return False
    return stream.isatty()


def _read_key(fd: int) -> str | None:
    """The next key press as a name from `_KEYS`, or None for a key the picker ignores."""
    data = os.read(fd, 1)
    if not data:
        return "cancel"
    if data == b"\x1b":
        while select.select([fd], [], [], _ESC_WAIT)[0]:
            data += os.read(fd, 1)
            if data[-1:].isalpha() or data[-1:] == b"~" or len(data) > 6:
                break
    return _KEYS.get(data)


def pick(title: str, choices: list[Choice], *, default: int = 0, height: int | None = None,
         stdin: IO[str] | None = None, out: IO[str] | None = None) -> str:
    """Show `choices` under `title` and return the chosen one's value.

    Raises `PickerCancelled` on q/Esc/Ctrl-D and `KeyboardInterrupt` on Ctrl-C. The terminal's
    mode is restored however the picker ends.
    """
    import shutil
    import termios
    import tty

    if not choices:
        raise ValueError("nothing to pick from")
    stdin = stdin or sys.stdin
    out = out or sys.stderr
    fd = stdin.fileno()
    size = shutil.get_terminal_size((80, 24))
    rows = max(3, min(len(choices), height or size.lines - 4))
    width = size.columns - 1
    current = max(0, min(default, len(choices) - 1))
    top = 0
    drawn = 0

    def draw() -> None:
        nonlocal top, drawn
        top = min(max(top, current - rows + 1), current)
        lines = [f"{title}  (\u2191/\u2193 move, Enter pick, q cancel)"]
        for i in range(top, min(top + rows, len(choices))):
            c = choices[i]
            marker = "> " if i == current else "  "
            text = f"{marker}{c.label}"
            hint = f"  {c.hint}" if c.hint else ""
            line = (text + hint)[:width]
            if i == current:
                line = f"\x1b[7m{line}\x1b[0m"  # reverse video: visible without colour
            lines.append(line)
        more = len(choices) - rows
        lines.append(f"  ({current + 1}/{len(choices)})" if more > 0 else "")
        if drawn:
            out.write(f"\x1b[{drawn}A\r")
        out.write("\x1b[J" + "\r\n".join(lines) + "\r\n")
        out.flush()
        drawn = len(lines)

    saved = termios.tcgetattr(fd)
    out.write("\x1b[?25l")  # hide the cursor while the marker moves
    try:
        tty.setraw(fd)
        draw()
        while True:
            key = _read_key(fd)
            if key == "up":
                current = (current - 1) % len(choices)
            elif key == "down":
                current = (current + 1) % len(choices)
            elif key == "pageup":
                current = max(0, current - rows)
            elif key == "pagedown":
                current = min(len(choices) - 1, current + rows)
            elif key == "home":
                current = 0
            elif key == "end":
                current = len(choices) - 1
            elif key == "enter":
                return choices[current].value
            elif key == "cancel":
                raise PickerCancelled()
            elif key == "interrupt":
                raise KeyboardInterrupt
            else:
                continue
            draw()
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        if drawn:
            out.write(f"\x1b[{drawn}A\r\x1b[J")  # leave the screen as it was; the caller says what was picked
        out.write("\x1b[?25h")
        out.flush()
