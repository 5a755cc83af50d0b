"""`kabot-models providers`, and the provider view `show PROVIDER` prints: how to reach each provider."""

from __future__ import annotations

from typing import Any

import typer

from . import app
from .catalog_cmds import load_cli_registry
from .output import console, print_json


def _keys_text(facts: dict[str, Any]) -> str:
    """`OPENAI_API_KEY (set)`, `-` when the provider names none; never a key's value."""
    parts = [f"{v['name']} ({'set' if v.get('set') else 'not set'})" for v in facts["key_variables"]]
    if facts.get("stored_key"):
        parts.append("stored key")
    return ", ".join(parts) or "-"


def _counts_text(counts: dict[str, int]) -> str:
    """`12 active, 2 deprecated` (states with no model left out)."""
    return ", ".join(f"{n} {status}" for status, n in counts.items() if n) or "no models"


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
        table.add_row(f["id"], f["kind"], f["flavor"], f["base_url"] or "-", _keys_text(f),
                      "yes" if f["configured"] else "no", _counts_text(f["models"]))
    out.print(table)


def print_provider(facts: dict[str, Any]) -> None:
    """The `show PROVIDER` view: one fact a line."""
    from rich.text import Text

    out = console()
    out.print(Text(f"{facts['id']}  {facts['name']}", style="bold"))
    lines = [
        ("kind", facts["kind"]),
        ("aliases", ", ".join(facts["aliases"]) or None),
        ("base URL", facts["base_url"]),
        ("API flavour", facts["flavor"]),
        ("auth header", facts["auth_header"]),
        ("key variables", _keys_text(facts) if facts["key_required"] else "none needed"),
        ("configured", "yes" if facts.get("configured") else "no"),
        ("docs", facts["docs_url"]),
        ("pricing", facts["pricing_url"]),
        ("models", _counts_text(facts["models"])),
    ]
    for label, value in lines:
        if value is not None:
            out.print(Text(f"  {label}: {value}"))  # values are data, never markup
