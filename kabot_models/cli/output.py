"""Output helpers shared by every command: JSON, one-line errors, and a console that honours NO_COLOR."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from typing import Any, NoReturn

import typer


def print_json(data: Any) -> None:
    """Write `data` as indented JSON to stdout."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def fail(message: str, code: int = 1) -> NoReturn:
    """Print `error: message` on one line to stderr and exit with `code`."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def console(stderr: bool = False) -> Any:
    """A Rich console; plain text when not a terminal, no colour when NO_COLOR is set (Rich reads it)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def print_table(headers: list[str], rows: list[list[str]], right: frozenset[str] = frozenset()) -> None:
    """A table on stdout: Rich's on a terminal; plain aligned columns, never cut or wrapped, when piped
    (what `grep`, `cut` and `less -S` want). Cells are data, never Rich markup; `right` names the
    right-aligned columns."""
    out = console()
    if out.is_terminal:
        from rich.table import Table
        from rich.text import Text

        table = Table(show_edge=False, pad_edge=False)
        for h in headers:
            table.add_column(h, justify="right" if h in right else "left")
        for row in rows:
            table.add_row(*(Text(c) for c in row))
        out.print(table)
        return
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    for row in [headers, *rows]:
        cells = [c.rjust(w) if h in right else c.ljust(w) for h, c, w in zip(headers, row, widths)]
        sys.stdout.write("  ".join(cells).rstrip() + "\n")


# ASCII digits only (`\d` would take Arabic-Indic ones), at most 15 of them: no model's window comes close.
_TOKENS = re.compile(r"^([0-9]{1,15}(?:\.[0-9]{1,15})?)([kKmM]?)\Z")
_SCALE = {"": 1, "k": 1_000, "m": 1_000_000}


def parse_day(text: str, option: str) -> dt.date:
    """A YYYY-MM-DD option value as a `datetime.date`; anything else is a one-line error."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        fail(f"{option} takes a date as YYYY-MM-DD, not {text[:40]!r}")


def parse_tokens(text: str | None, option: str) -> int:
    """`"1500"`, `"1_500"`, `"1,500"`, `"200k"`, `"1.5M"` -> a whole token count; anything else is an error."""
    if text is None:
        return 0
    raw = text.strip().replace("_", "").replace(",", "")
    m = _TOKENS.match(raw)
    if m is None:
        fail(f"{option} {text!r} is not a token count; give a whole number >= 0 such as 1500, 200k or 1.5M")
    from decimal import Decimal

    value = Decimal(m.group(1)) * _SCALE[m.group(2).lower()]
    if value != value.to_integral_value():
        fail(f"{option} {text!r} is not a whole number of tokens")
    return int(value)
