"""Output helpers shared by every command: JSON, one-line errors, and a console that honours NO_COLOR."""

from __future__ import annotations

import json
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
