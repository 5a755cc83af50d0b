"""`kabot-models scan`: read every configured provider's live model list into the scan database."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from ..errors import KabotModelsError
from .typer_app import app
from .output import console, fail, print_json, print_table


@app.command()
def scan(
    provider: list[str] = typer.Option(None, "--provider", "-p", help="Scan only this provider (id or alias; repeatable). Default: every configured one."),
    base_url: str = typer.Option(None, "--base-url", help="Ask this URL instead of the catalog's api.base_url (needs exactly one --provider)."),
    timeout: float = typer.Option(30.0, "--timeout", min=0.1, max=600, help="Seconds allowed for each request; one provider's whole scan gets 10 times this."),
    concurrency: int = typer.Option(None, "--concurrency", min=1, max=64, help="Providers scanned at once (default: 32)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Scan and compare, but write nothing."),
    db: Path = typer.Option(None, "--db", help="The scan database (default: $KABOT_MODELS_HOME/models.db)."),
    diff: bool = typer.Option(False, "--diff", help="Report where the live lists and the catalog disagree."),
    write: bool = typer.Option(False, "--write", help="Add entries for models the catalog lacks to the provider files, marked for review."),
    details: bool = typer.Option(False, "--details", help="Also ask for each model's details where that is one request per model (OpenRouter's /models/{id}/endpoints)."),
) -> None:
    """Ask each provider's API which models it serves; store, compare and report. Exit 1 if any provider failed.

    A default scan skips (without failing) a local server that is not running.
    """
    from ..catalog import default_catalog_dir
    from ..paths import db_path
    from ..loader import load_registry
    from ..scanner import DEFAULT_CONCURRENCY, Limits, diff_catalog, plan_scan, run_scan, write_proposals

    if write and dry_run:
        fail("--write edits catalog files and --dry-run writes nothing; use one of them")
    try:
        registry = load_registry(db=False)
        targets = plan_scan(registry, provider or (), base_url, details=details)
        if not targets:
            fail("no provider is configured to scan: set a provider's key (e.g. OPENAI_API_KEY) or name one with --provider")
        with _progress(len(targets)) as progress:
            results = run_scan(targets, db or db_path(), concurrency=concurrency or DEFAULT_CONCURRENCY, limits=Limits(timeout=timeout), dry_run=dry_run,
                               on_start=progress.start, on_done=progress.done)
        diffs = diff_catalog(registry, results) if diff or write else []
        written = write_proposals(default_catalog_dir(), results, registry) if write else {}
    except KabotModelsError as exc:
        fail(str(exc))
    for r in results:
        if r.status == "failed":
            typer.echo(f"error: {r.provider}: {r.reason}", err=True)
    if as_json:
        out: dict[str, Any] = {"providers": [r.as_json() for r in results]}
        if diff:
            out["diff"] = [d.as_json() for d in diffs]
        if write:
            out["written"] = written
        print_json(out)
    else:
        _print_table(results)
        if diff:
            _print_diff(diffs)
        catalog_dir = default_catalog_dir()
        for pid, ids in written.items():
            typer.echo(f"{pid}: wrote {len(ids)} scanned model(s) into {catalog_dir / 'providers' / f'{pid}.yaml'} for review")
    if any(r.status == "failed" for r in results):
        raise typer.Exit(1)


def _wide_console() -> Any:
    """The console, without wrapping when the output is not a terminal (one row per provider, reasons whole)."""
    out = console()
    if not out.is_terminal:
        out.width = 10_000
    return out


def _print_table(results: list[Any]) -> None:
    rows = []
    for r in results:
        c = r.counts
        ok = r.status == "ok" and c is not None
        notes = [f"{n} {what}" for n, what in ((r.skipped, "bad entries skipped"), (r.duplicates, "duplicates"),
                                                (r.dropped_fields, "invalid fields dropped"), (r.details_failed, "detail requests failed")) if n]
        rows.append([r.provider, r.status, str(c.seen) if ok else "-", str(c.new) if ok else "-", str(c.gone) if ok else "-",
                     str(c.changed) if ok else "-", f"{r.seconds:.1f}s", r.reason if r.reason else ", ".join(notes)])
    # new / gone / changed compare with the provider's previous scan (the diff compares with the catalog)
    print_table(["provider", "status", "models", "new since last scan", "gone", "changed", "time", "note"], rows,
                right=frozenset({"models", "new since last scan", "gone", "changed", "time"}))


def _print_diff(diffs: list[Any]) -> None:
    out = _wide_console()
    for d in diffs:
        if not (d.new or d.gone or d.differs):
            out.print(f"{d.provider}: live list and catalog agree", markup=False)
            continue
        # "not in the catalog", not "new": the table's new/gone columns compare with the last scan
        out.print(f"{d.provider}: {len(d.new)} served but not in the catalog, {len(d.gone)} in the catalog but not served, "
                  f"{len(d.differs)} differing figure(s)", markup=False)
        for api_id in d.new:
            out.print(f"  + {d.provider}/{api_id}  (served, not in the catalog)", markup=False)
        for api_id in d.gone:
            out.print(f"  - {d.provider}/{api_id}  (in the catalog, not served)", markup=False)
        for x in d.differs:
            out.print(f"  ~ {x['id']} {x['field']}: catalog {x['catalog']}, live {x['live']}", markup=False)


class _progress:
    """A Rich progress bar on stderr while providers are scanned, only when stderr is a terminal."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.bar: Any = None
        self.running: list[str] = []

    def __enter__(self) -> _progress:
        if sys.stderr.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.bar = Progress(SpinnerColumn(), TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                TextColumn("{task.description}"), console=console(stderr=True), transient=True)
            self.bar.__enter__()
            self.task = self.bar.add_task("", total=self.total)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)

    def start(self, target: Any) -> None:
        """A provider's scan began."""
        self.running.append(target.id)
        self._show(0)

    def done(self, result: Any) -> None:
        """A provider's scan ended."""
        if result.provider in self.running:
            self.running.remove(result.provider)
        self._show(1)

    def _show(self, advance: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, advance=advance, description=", ".join(self.running[:4]) + (" ..." if len(self.running) > 4 else ""))
