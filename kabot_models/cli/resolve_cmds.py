"""Commands about names: `resolve`, and `alias add/remove/list` over the user config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from .typer_app import app
from .output import console, fail, print_json

alias_app = typer.Typer(help="Your own short names for models, kept in the user config.", no_args_is_help=True)
app.add_typer(alias_app, name="alias")

_CATALOG = typer.Option(None, "--catalog", help="Directory holding providers/ (default: the packaged catalog).")


def _registry(catalog_dir: Path | None) -> Any:
    from ..loader import load_registry

    return load_registry(catalog_dir)


@app.command()
def resolve(
    name: str = typer.Argument(..., help="An alias, short id, full id, or any spelling of one."),
    explain: bool = typer.Option(False, "--explain", help="Say which rule fired and which candidates it weighed."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON: query, id, rule, candidates, warning."),
    catalog_dir: Path = _CATALOG,
) -> None:
    """Print the full id a name stands for (exit 1, with the closest ids, when it stands for none)."""
    from ..errors import AmbiguousModelError, KabotModelsError, UnknownModelError

    try:
        res = _registry(catalog_dir).explain(name)
    except (UnknownModelError, AmbiguousModelError) as exc:
        if as_json:
            print_json({
                "query": name[:512],
                "id": None,
                "error": str(exc),
                "suggestions": getattr(exc, "suggestions", []),
                "candidates": getattr(exc, "candidates", []),
            })
        fail(str(exc))
    except KabotModelsError as exc:
        fail(str(exc))
    if res.warning:
        typer.echo(f"warning: {res.warning}", err=True)
    if as_json:
        print_json(res.as_dict())
        return
    typer.echo(res.id)
    if explain:
        typer.echo(f"rule: {res.rule}" + (" (not in the catalog)" if res.uncatalogued else ""))
        for step in res.steps:
            typer.echo(f"  {step}")
        if len(res.candidates) > 1:
            typer.echo("candidates: " + ", ".join(res.candidates))


@alias_app.command("add")
def alias_add(
    name: str = typer.Argument(..., help="The alias: lowercase letters, digits and . _ : + - (no '/')."),
    target: str = typer.Argument(..., help="The model: any name `resolve` understands; its full id is stored."),
    force: bool = typer.Option(False, "--force", "-f", help="Repoint an alias you already have."),
    catalog_dir: Path = _CATALOG,
) -> None:
    """Add a user alias (it wins over the catalog's aliases)."""
    import re

    from ..config import load_config, set_alias
    from ..errors import KabotModelsError
    from ..schema import ALIAS_PATTERN

    if not re.match(ALIAS_PATTERN, name) or len(name) > 64:
        fail(f"invalid alias name {name[:64]!r}: use up to 64 lowercase letters, digits and . _ : + - (starting with a letter or digit, no '/')")
    try:
        existing = load_config().get("aliases", {}).get(name)
        registry = _registry(catalog_dir)
        full_id = registry.resolve(target)
        if existing is not None and existing != full_id and not force:
            fail(f"alias {name!r} already points at {existing!r}; use --force to repoint it at {full_id!r}")
        set_alias(name, full_id)
    except KabotModelsError as exc:
        fail(str(exc))
    shadowed = registry.resolver.find(name)
    note = f" (hides the catalog's {name} -> {shadowed})" if shadowed and shadowed != full_id else ""
    typer.echo(f"{name} -> {full_id}{note}")


@alias_app.command("remove")
def alias_remove(name: str = typer.Argument(..., help="The user alias to remove.")) -> None:
    """Remove a user alias (catalog aliases cannot be removed, only overridden with `alias add`)."""
    from ..config import load_config, remove_alias
    from ..errors import KabotModelsError

    try:
        if name not in load_config().get("aliases", {}):
            fail(f"{name!r} is not one of your aliases; `kabot-models alias list` shows them")
        remove_alias(name)
    except KabotModelsError as exc:
        fail(str(exc))
    typer.echo(f"removed {name}")


@alias_app.command("list")
def alias_list(
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array of {alias, target, source, hidden}."),
    catalog_dir: Path = _CATALOG,
) -> None:
    """List aliases, yours and the catalog's; a user alias hides a catalog alias of the same name."""
    from ..config import load_config
    from ..errors import KabotModelsError

    try:
        user = load_config().get("aliases", {})
        catalog = _registry(catalog_dir).aliases()
    except KabotModelsError as exc:
        fail(str(exc))
    rows = [{"alias": a, "target": t, "source": "user", "hidden": False} for a, t in sorted(user.items())]
    rows += [{"alias": a, "target": t, "source": "catalog", "hidden": a in user} for a, t in sorted(catalog.items())]
    if as_json:
        print_json(rows)
        return
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False)
    for col in ("alias", "target", "source"):
        table.add_column(col)
    for row in rows:
        table.add_row(row["alias"], row["target"], row["source"] + (" (hidden by yours)" if row["hidden"] else ""))
    console().print(table)
