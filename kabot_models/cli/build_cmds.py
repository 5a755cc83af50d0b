"""`kabot-models build`: write the registry as an SQLite snapshot anyone can query with `sqlite3`."""

from __future__ import annotations

from pathlib import Path

import typer

from .typer_app import app
from .output import fail


@app.command()
def build(
    catalog_dir: Path = typer.Argument(None, help="Directory holding providers/ (default: the packaged catalog)."),
    out: Path = typer.Option(None, "--out", "-o", help="Snapshot file to write (default: registry.sqlite in the data directory)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing file that is not a kabot-models snapshot."),
) -> None:
    """Compile the registry (catalog plus scan results) into an SQLite snapshot; tables: docs/snapshot.md."""
    import sqlite3

    from ..paths import data_dir
    from ..loader import load_registry, load_scan_results
    from ..snapshot import is_snapshot, write_snapshot

    registry = load_registry(catalog_dir, db=False)
    scanned = load_scan_results(registry)  # the user's scan results, merged under the catalog
    path = out if out is not None else data_dir() / "registry.sqlite"
    if path.is_dir():
        fail(f"cannot write {path}: it is a directory; give a file name with --out")
    if path.exists() and not path.is_file():
        fail(f"cannot write {path}: it is not a regular file (a device, socket or pipe)")
    if path.is_file() and not force and not is_snapshot(path):
        fail(f"{path} exists and is not a kabot-models snapshot; pass --force to replace it")
    try:
        write_snapshot(registry.as_compiled(), path)
    except (OSError, sqlite3.Error) as exc:
        fail(f"cannot write {path}: {getattr(exc, 'strerror', None) or exc}")
    typer.echo(f"wrote {path}: {len(registry)} models, {len(list(registry.provider_records()))} providers, "
               f"{len(registry.aliases())} aliases" + (f" ({scanned} from scans)" if scanned else ""))
