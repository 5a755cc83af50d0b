"""`kabot-models changes`: models added, removed, deprecated or retired, and prices changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from ..errors import KabotModelsError
from .typer_app import app
from .output import console, fail, print_json


@app.command()
def changes(
    since: str = typer.Option(None, "--since", help="Only changes on or after this day (YYYY-MM-DD)."),
    provider: str = typer.Option(None, "--provider", "-p", help="Only this provider's changes (id or alias)."),
    as_json: bool = typer.Option(False, "--json", help="Print the feed as JSON (the shape the site publishes)."),
    db: Path = typer.Option(None, "--db", help="The scan database (default: $KABOT_MODELS_HOME/models.db)."),
) -> None:
    """List what changed, newest first: from the catalog's git history and from your scans.

    A missing history (no git, a catalog outside a checkout, no scan database) is said in one note
    line on stderr; the rest is still shown.
    """
    from ..changes import changes as feed

    try:
        data = feed(since=since, provider=provider, db=db)
    except (ValueError, KabotModelsError) as exc:
        fail(str(exc))
    for note in data["notes"]:
        typer.echo(f"note: {note}", err=True)
    if as_json:
        print_json(data)
        return
    _print_table(data["changes"])


def _print_table(rows: list[dict[str, Any]]) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    if not rows:
        out.print("no changes", markup=False)
        return
    if not out.is_terminal:
        out.width = 10_000  # one row per change when piped
    table = Table(show_edge=False, pad_edge=False)
    for col in ("date", "change", "model", "source", "detail"):
        table.add_column(col)
    for row in rows:
        detail = row["summary"].split(": ", 1)[1] if row["kind"] == "price_changed" else (row.get("name") or "")
        if row["source"] == "catalog":
            detail = f"{detail}  ({row['commit']['sha'][:10]})".strip()
        cells = (row["date"], row["kind"].replace("_", " "), row["id"], row["source"], detail)
        table.add_row(*(Text(c) for c in cells))  # catalog and API text is data, never markup
    out.print(table)
