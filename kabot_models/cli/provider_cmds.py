"""`kabot-models providers`: how to reach each provider."""

from __future__ import annotations

from typing import Any

import typer

from .catalog_cmds import load_cli_registry
from .output import console, print_json
from .provider_view import counts_text, keys_text
from .typer_app import app


@app.command()
def providers(as_json: bool = typer.Option(False, "--json", help="Print a JSON array.")) -> None:
    """List providers: base URL, API flavour, key variables (set or not, never the value), model counts."""
    from ..reach import UserKeys, provider_facts

    registry = load_cli_registry()
    keys = UserKeys.current()
    rows = [provider_facts(registry, b["id"], keys) for b in sorted(registry.provider_records(), key=lambda b: b["id"])]
    if as_json:
        print_json(rows)
        return
    from rich.table import Table

    out = console()
    if not out.is_terminal:
        out.width = 10_000  # one line per provider in a pipe
    table = Table(box=None, pad_edge=False, header_style="bold" if out.is_terminal else "")
    for header in ("provider", "kind", "flavour", "base URL", "key variables", "configured", "models"):
        table.add_column(header, overflow="fold")
    for f in rows:
        table.add_row(f["id"], f["kind"], f["flavor"], f["base_url"] or "-", keys_text(f),
                      "yes" if f["configured"] else "no", counts_text(f["models"]))
    out.print(table)
