"""The `kabot-models` command line: a Typer app whose commands live in one module per topic."""

from __future__ import annotations

import sys

import typer

from ..errors import KabotModelsError

app = typer.Typer(
    name="kabot-models",
    help="The catalog of LLM providers and models: validate, list, show, resolve, scan, cost.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command modules register themselves on `app`; the import order is the help's order.
from . import catalog_cmds  # noqa: E402,F401
from . import resolve_cmds  # noqa: E402,F401
from . import audit_cmds  # noqa: E402,F401
from . import build_cmds  # noqa: E402,F401


def main() -> None:
    """Console-script entry point: errors the package expects become one line and a non-zero exit."""
    try:
        app()
    except KabotModelsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
