"""Commands that read the catalog: `validate`, `list`, `show`."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

import typer

from . import app
from .output import console, fail, print_json


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


@app.command()
def validate(
    catalog_dir: Path = typer.Argument(None, help="Directory holding providers/ (default: the packaged catalog)."),
    fmt: ValidateFormat = typer.Option(ValidateFormat.text, "--format", "-f", help="text, json, or github annotations."),
) -> None:
    """Check every provider file against the schema and the cross-file rules; exit 1 on any defect."""
    from ..catalog import validate_catalog

    compiled, issues = validate_catalog(catalog_dir)
    if fmt is ValidateFormat.json:
        print_json({
            "valid": compiled is not None,
            "issues": [i.as_dict() for i in issues],
            "providers": len(compiled.providers) if compiled else None,
            "models": len(compiled.models) if compiled else None,
        })
    elif fmt is ValidateFormat.github:
        for i in issues:
            where = f"{i.where}: " if i.where else ""
            typer.echo(
                f"::error file={_gh_escape(i.file, True)},line={i.line},col={i.column}::{_gh_escape(where + i.message)}"
            )
    else:
        for i in issues:
            typer.echo(str(i))
    if compiled is None:
        if fmt is ValidateFormat.text:
            files = len({i.file for i in issues})
            typer.echo(f"{len(issues)} error(s) in {files} file(s)", err=True)
        raise typer.Exit(1)
    if fmt is ValidateFormat.text:
        typer.echo(f"catalog valid: {len(compiled.providers)} providers, {len(compiled.models)} models")


def model_json(rec: dict[str, Any]) -> dict[str, Any]:
    """A model record as `list --json` and `show --json` print it: every key present, null when unknown."""
    out = {
        "id": rec["id"],
        "name": rec.get("name"),
        "provider": rec["provider"],
        "context_window": rec.get("context_window"),
        "max_output": rec.get("max_output"),
        "pricing": rec.get("pricing"),
        "capabilities": rec.get("capabilities", []),
        "aliases": rec.get("aliases", []),
        "status": rec.get("status", "active"),
        "mode": rec.get("mode", "chat"),
    }
    out.update({k: v for k, v in rec.items() if k not in out})
    return out


def _fmt_int(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else "-"


def _fmt_price(value: Any) -> str:
    return "-" if value is None else f"{value:g}"


@app.command("list")
def list_models(
    provider: str = typer.Option(None, "--provider", "-p", help="Only this provider (id or alias)."),
    capability: list[str] = typer.Option(None, "--capability", "-c", help="Only models with this capability (repeatable)."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array."),
) -> None:
    """List models with their context window, prices, capabilities and status."""
    from ..registry import load_registry

    registry = load_registry()
    if provider and registry.canonical_provider(provider) is None:
        fail(f"unknown provider {provider!r}")
    if capability:
        from ..schema import CAPABILITIES

        for cap in capability:
            if cap not in CAPABILITIES:
                fail(f"unknown capability {cap!r}; known: {', '.join(CAPABILITIES)}")
    rows = registry.filter(provider=provider, capability=capability)
    if as_json:
        print_json([model_json(r) for r in rows])
        return
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False)
    for col, justify in (("model", "left"), ("context", "right"), ("max out", "right"), ("in $/1M", "right"),
                         ("out $/1M", "right"), ("capabilities", "left"), ("status", "left"), ("aliases", "left")):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for r in rows:
        p = r.get("pricing") or {}
        table.add_row(r["id"], _fmt_int(r.get("context_window")), _fmt_int(r.get("max_output")),
                      _fmt_price(p.get("input_1m")), _fmt_price(p.get("output_1m")),
                      ", ".join(r.get("capabilities", [])), r.get("status", "active"), ", ".join(r.get("aliases", [])))
    console().print(table)


@app.command()
def show(
    name: str = typer.Argument(..., help="Full id, short id or alias."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show every field of one model."""
    from ..registry import load_registry

    registry = load_registry()
    full_id = registry.lookup(name)
    if full_id is None:
        import difflib

        close = difflib.get_close_matches(name, list(registry.ids()) + list(registry.aliases()), n=3)
        fail(f"unknown model {name!r}" + (f"; did you mean {', '.join(close)}?" if close else ""))
    rec = registry.record(full_id)
    assert rec is not None
    if as_json:
        print_json(model_json(rec))
        return
    from rich.markup import escape

    data = model_json(rec)
    sources = data.pop("field_sources", {})
    out = console()
    out.print(f"[bold]{data.pop('id')}[/bold]")
    for key, value in data.items():
        if value in (None, [], {}):
            continue
        origin = sources.get(key, "")
        out.print(f"  {key}: {escape(str(value))}" + (f"  [dim]({origin})[/dim]" if origin else ""))  # values are data, never markup
