"""`kabot-models sync SOURCE`: merge an outside dataset into the catalog's YAML (docs/models/sync.md)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from .typer_app import app
from .output import fail, parse_day, print_json


class Source(str, Enum):
    litellm = "litellm"
    genai_prices = "genai-prices"
    models_dev = "models-dev"
    openrouter = "openrouter"
    scan = "scan"


def _dataset_version(path: Path | None, given: str | None) -> str | None:
    """`--dataset-version`, else the commit of a git checkout at `path`, else None."""
    if given:
        return given
    if path is not None and path.is_dir() and (path / ".git").exists():
        import subprocess

        out = subprocess.run(["git", "-C", str(path), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    return None


def _shown(value: Any) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, (dict, list)) else str(value)
    return text if len(text) <= 100 else text[:97] + "..."


@app.command()
def sync(
    source: Source = typer.Argument(..., help="litellm, genai-prices, models-dev, openrouter or scan."),
    path: Path = typer.Argument(None, help="models-dev: an api.json or a checkout; openrouter: a saved /api/v1/models response; scan: the database (default: yours); litellm: a map file (default: the installed one)."),
    provider: list[str] = typer.Option(None, "--provider", "-p", help="Only this catalog provider (repeatable)."),
    diff: bool = typer.Option(False, "--diff", help="Print what would change (the default)."),
    write: bool = typer.Option(False, "--write", help="Edit the YAML (round-trip: comments, order and hand edits kept), then validate; nothing is kept if it does not validate."),
    check: bool = typer.Option(False, "--check", help="Exit 1 when the source would change the catalog (for CI)."),
    as_json: bool = typer.Option(False, "--json", help="Print the changes as JSON."),
    live: bool = typer.Option(False, "--live", help="openrouter: read the live API instead of a saved response."),
    url: str = typer.Option(None, "--url", help="openrouter --live: the endpoint to read (default: OpenRouter's)."),
    dataset_version: str = typer.Option(None, "--dataset-version", help="The dataset's version to record (models-dev: default the checkout's commit)."),
    add_providers: bool = typer.Option(False, "--add-providers", help="Add a provider file for each provider of the dataset that no provider block links to."),
    date: str = typer.Option(None, "--date", help="The date to record in provenance (YYYY-MM-DD; default today)."),
    catalog_dir: Path = typer.Option(None, "--catalog", help="Directory holding providers/ and sync.yaml (default: the packaged catalog)."),
) -> None:
    """Merge an outside dataset into the catalog: a verified figure is never overwritten, a disagreement is reported."""
    from ..catalog import default_catalog_dir
    from ..sync.runner import SyncError, plan_sync, read_dataset

    if write and check:
        fail("choose one of --write and --check")
    today = parse_day(date, "--date") if date else dt.date.today()
    if url and not live:
        fail("--url goes with --live")
    if path is not None and not path.exists():
        fail(f"{path}: no such file or directory")
    catalog = Path(catalog_dir) if catalog_dir else default_catalog_dir()
    try:
        dataset = read_dataset(source.value, path, live=live, today=today, url=url)
        if not dataset.version:
            dataset.version = _dataset_version(path, dataset_version) or "unknown"
        elif dataset_version:
            dataset.version = dataset_version
        plan = plan_sync(catalog, dataset, providers=provider or None, today=today, add_providers=add_providers)
        written = plan.write() if write else []
    except SyncError as exc:
        fail(str(exc))
    drift, kept = plan.drift, plan.disagreements
    if as_json:
        print_json({"source": plan.source, "version": plan.version, "written": [str(p) for p in written],
                    "drift": len(drift), "disagreements": len(kept), "changes": [c.as_dict() for c in plan.changes]})
    else:
        current = None
        for change in sorted(plan.changes, key=lambda c: (c.provider, c.model, c.field)):
            if change.provider != current:
                current = change.provider
                typer.echo(current)
                model = None
            if change.model != model:
                model = change.model
                if model:
                    typer.echo(f"  {model}" + ("  (new model)" if change.action == "added" else ""))
            if change.action == "added" and not change.model:
                typer.echo(f"  new provider, from {plan.source} {change.new['provider']!r}")
            elif change.action == "added":
                typer.echo(f"    + {', '.join(sorted(change.new))}")
            elif change.action in ("unlisted", "relisted"):
                typer.echo(f"    {change.action} by {change.old or change.new}")
            elif change.action == "kept":
                typer.echo(f"    kept     {change.field}: catalog {_shown(change.old)}, {plan.source} {_shown(change.new)} ({change.reason})")
            else:
                typer.echo(f"    {change.action:8} {change.field}: {_shown(change.old)} -> {_shown(change.new)}")
        verb = "changed" if write else "would change"
        models = len({(c.provider, c.model) for c in drift})
        typer.echo(f"{plan.source} {plan.version}: {len(drift)} change(s) to {models} model(s) {verb}"
                   f"{', files written: ' + str(len(written)) if write else ''}; {len(kept)} disagreement(s) kept")
    if check and drift:
        raise typer.Exit(1)
