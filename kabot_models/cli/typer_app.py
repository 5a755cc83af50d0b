"""The Typer app every command module registers itself on (`@app.command()`).

Apart from `cli/__init__.py` so the command modules import it without importing the package that
imports them; `cli.app` (built by `cli._build_app`) is this app with every command registered.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="kabot-models",
    help="The catalog of LLM providers and models: validate, list, show, resolve, scan, cost.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
