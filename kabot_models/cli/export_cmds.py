"""Commands that hand the catalog to other tools: `export` (LiteLLM, models.dev, JSON, CSV) and `site`."""

from __future__ import annotations

import io
import json
import sys
from enum import Enum
from pathlib import Path

import typer

from .catalog_cmds import check_provider, list_rows, load_cli_registry, write_csv
from .typer_app import app


class ExportFormat(str, Enum):
    """The shapes `export` writes."""

    litellm = "litellm"
    models_dev = "models-dev"
    json = "json"
    csv = "csv"


@app.command()
def export(
    fmt: ExportFormat = typer.Option(..., "--format", "-f", help="litellm (model_cost map), models-dev (api.json), json (everything, provenance included), csv (the list table)."),
    provider: str = typer.Option(None, "--provider", "-p", help="Only this provider (id or alias)."),
    out: Path = typer.Option(None, "--out", "-o", help="Write to FILE (atomically; default: standard output)."),
) -> None:
    """Write the catalog in another tool's shape; every entry names its `catalog_id`."""
    from .. import export as exports

    registry = load_cli_registry()
    pid = check_provider(registry, provider) if provider else None
    if fmt is ExportFormat.csv:
        buffer = io.StringIO()
        write_csv(list_rows(registry, provider=pid), buffer, id_column="catalog_id")
        text = buffer.getvalue()
    elif fmt is ExportFormat.litellm:
        shared: list[str] = []
        text = json.dumps(exports.export_litellm(registry, pid, shared), indent=2, ensure_ascii=False) + "\n"
        if shared:
            typer.echo(f"note: left out {len(shared)} model strings that several providers share at different prices "
                       f"(LiteLLM keys a price by model string alone), e.g. {', '.join(shared[:3])}", err=True)
    else:
        build = {ExportFormat.models_dev: exports.export_models_dev, ExportFormat.json: exports.export_json}[fmt]
        text = json.dumps(build(registry, pid), indent=2, ensure_ascii=False, default=str) + "\n"
    if out is None:
        sys.stdout.write(text)
        return
    from ..outputs import write_text_atomic

    write_text_atomic(out, text)
    typer.echo(f"wrote {out}", err=True)


@app.command()
def site(
    out: Path = typer.Option(..., "--out", "-o", help="Directory to write (absent, empty, or a site written before)."),
) -> None:
    """Write a static catalog site (search, filters, model, provider and compare pages, JSON api/) to DIR."""
    from ..site import build_site

    registry = load_cli_registry()
    summary = build_site(registry, out)
    typer.echo(f"wrote {out}: {summary.models} model pages, {summary.providers} provider pages; open {out / 'index.html'}", err=True)
    for note in summary.notes:
        typer.echo(f"note: {note}", err=True)
