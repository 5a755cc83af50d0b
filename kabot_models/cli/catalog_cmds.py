"""Commands that read the catalog: `validate`, `list`, `show`, `plugins`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from .typer_app import app
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


def load_cli_registry() -> Any:
    """The registry every command reads: the catalog plus what the user and plugins add."""
    from ..loader import load_registry

    registry = load_registry()
    for problem in registry.plugin_problems:
        typer.echo(f"warning: {problem}", err=True)
    return registry


def find_model(registry: Any, name: str) -> dict[str, Any]:
    """The record a name resolves to (`registry.explain`: user aliases, catalog aliases, short names,
    forgiving forms); a deprecated model's warning goes to stderr, an unknown name is an error."""
    res = registry.explain(name)
    if res.warning:
        typer.echo(f"warning: {res.warning}", err=True)
    rec = registry.record(res.id)
    if rec is None:
        import difflib

        close = difflib.get_close_matches(res.id, list(registry.ids()), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `kabot-models scan` may find it"
        fail(f"unknown model {name!r}: {res.id} is in neither the catalog nor the last scan{hint}")
    return rec


class SortKey(str, Enum):
    """How `list --sort` orders models."""

    price = "price"
    context = "context"
    name = "name"
    release = "release"


def _sort_rows(rows: list[ModelRow], key: SortKey) -> list[ModelRow]:
    """Cheapest, largest, alphabetical or newest first (ties by id); models missing the figure go last."""
    def figure(row: ModelRow) -> Any:
        rec = row.rec
        if key is SortKey.price:
            return (rec.get("pricing") or {}).get("input_1m")
        if key is SortKey.context:
            return rec.get("context_window")
        if key is SortKey.release:
            return str(rec["release_date"]) if rec.get("release_date") else None
        return (rec.get("name") or rec["id"]).casefold()

    known = sorted((r for r in rows if figure(r) is not None), key=lambda r: r.rec["id"])
    known.sort(key=figure, reverse=key in (SortKey.context, SortKey.release))  # stable: ties stay in id order
    return known + sorted((r for r in rows if figure(r) is None), key=lambda r: r.rec["id"])


@dataclass
class ModelRow:
    """One model as `list` shows it: the record plus what the user's setup says about it."""

    rec: dict[str, Any]
    configured: bool
    default: bool
    user_aliases: list[str]

    @property
    def status(self) -> str:
        """deprecated / retired first (a warning matters most), then provisional (only a scan knows it), configured, not configured."""
        lifecycle = self.rec.get("status", "active")
        if lifecycle in ("deprecated", "retired"):
            text = lifecycle
        elif self.rec.get("provisional"):
            text = "provisional"
        else:
            text = "configured" if self.configured else "not configured"
        return f"default, {text}" if self.default else text

    @property
    def aliases(self) -> list[str]:
        """The user's aliases for the model, then the catalog's."""
        return self.user_aliases + [a for a in self.rec.get("aliases", []) if a not in self.user_aliases]

    def as_json(self) -> dict[str, Any]:
        """`model_json` plus `configured`, `default` and `user_aliases`."""
        out = model_json(self.rec)
        out["configured"] = self.configured
        out["default"] = self.default
        out["user_aliases"] = self.user_aliases
        return out


def _fmt_int(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else "-"


def _fmt_price(value: Any) -> str:
    if value is None:
        return "-"
    from ..cost import decimal_text, to_decimal

    return decimal_text(to_decimal(value))


#: list's columns: (header, right-aligned, drop order when the terminal is narrow: 0 = never, 1 = first).
_COLUMNS = (
    ("model", False, 0),
    ("name", False, 5),
    ("context", True, 7),
    ("max out", True, 4),
    ("in $/1M", True, 0),
    ("out $/1M", True, 0),
    ("cache rd $/1M", True, 3),
    ("capabilities", False, 1),
    ("status", False, 0),
    ("aliases", False, 6),
)
_GAP = 2


_STATUS_STYLE = {"configured": "green", "deprecated": "yellow", "retired": "red", "scan-only": "cyan"}


def _cells(row: ModelRow) -> list[str]:
    r = row.rec
    p = r.get("pricing") or {}
    return [
        r["id"], r.get("name") or "", _fmt_int(r.get("context_window")), _fmt_int(r.get("max_output")),
        _fmt_price(p.get("input_1m")), _fmt_price(p.get("output_1m")), _fmt_price(p.get("cache_read_1m")),
        ", ".join(r.get("capabilities") or []), row.status, ", ".join(row.aliases),
    ]


def user_model_settings(registry: Any, config: dict[str, Any]) -> tuple[str | None, dict[str, str]]:
    """(the user's default model, the user's aliases as alias -> full id) of the user `config`, resolved through `registry`.

    A default or alias that no longer resolves is reported on stderr and left out, so `list` still works.
    """
    from ..errors import ResolutionError

    resolved: dict[str, str] = {}
    for alias, target in (config.get("aliases") or {}).items():
        try:
            resolved[alias] = registry.resolve(target)
        except ResolutionError as exc:
            typer.echo(f"warning: your alias {alias!r}: {exc}", err=True)
    default = config.get("default_model")
    if default:
        try:
            default = registry.resolve(default)
        except ResolutionError as exc:
            typer.echo(f"warning: your default_model: {exc}", err=True)
            default = None
    return default, resolved


@app.command("list")
def list_models(
    provider: str = typer.Option(None, "--provider", "-p", help="Only this provider (id or alias)."),
    capability: list[str] = typer.Option(None, "--capability", "-c", help="Only models with this capability (repeatable: all must match)."),
    configured: bool = typer.Option(False, "--configured", help="Only models of providers with a key (or needing none)."),
    search: str = typer.Option(None, "--search", "-s", help="Only models whose id, name or an alias contains TEXT (any case)."),
    sort: SortKey = typer.Option(None, "--sort", help="price (cheapest input first), context (largest first), name, release (newest first)."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array."),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV with a header row."),
) -> None:
    """List models: context, max output, prices, capabilities, status and aliases."""
    from ..credentials import is_configured, load_credentials

    if as_json and as_csv:
        fail("choose one of --json and --csv")
    registry = load_cli_registry()
    if provider and registry.canonical_provider(provider) is None:
        import difflib

        close = difflib.get_close_matches(provider, [b["id"] for b in registry.provider_records()], n=1)
        fail(f"unknown provider {provider!r}" + (f"; did you mean {close[0]!r}?" if close else ""))
    if capability:
        from ..schema import CAPABILITIES

        for cap in capability:
            if cap not in CAPABILITIES:
                fail(f"unknown capability {cap!r}; known: {', '.join(CAPABILITIES)}")
    from ..config import load_config

    config = load_config()
    stored = load_credentials()
    settings = config.get("providers") or {}
    configured_ids = {b["id"] for b in registry.provider_records()
                      if is_configured(b, stored, (settings.get(b["id"]) or {}).get("key_env"))}
    default, user_aliases = user_model_settings(registry, config)
    by_model: dict[str, list[str]] = {}
    for alias, target in user_aliases.items():
        by_model.setdefault(target, []).append(alias)

    rows = []
    needle = search.casefold() if search else None
    for rec in registry.filter(provider=provider, capability=capability):
        row = ModelRow(rec, rec["provider"] in configured_ids, rec["id"] == default, sorted(by_model.get(rec["id"], [])))
        if configured and not row.configured:
            continue
        if needle and not any(needle in s.casefold() for s in (rec["id"], rec.get("name") or "", *row.aliases)):
            continue
        rows.append(row)
    if sort is not None:
        rows = _sort_rows(rows, sort)

    if as_json:
        print_json([row.as_json() for row in rows])
        return
    if as_csv:
        _print_csv(rows)
        return
    _print_table(rows)


def _print_csv(rows: list[ModelRow]) -> None:
    import csv
    import sys

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["id", "name", "provider", "context_window", "max_output", "input_1m", "output_1m",
                     "cache_read_1m", "capabilities", "status", "configured", "default", "aliases"])
    for row in rows:
        r = row.rec
        p = r.get("pricing") or {}
        writer.writerow([
            r["id"], r.get("name") or "", r["provider"], r.get("context_window") or "", r.get("max_output") or "",
            *(_fmt_price(p.get(f)).replace("-", "") for f in ("input_1m", "output_1m", "cache_read_1m")),
            " ".join(r.get("capabilities") or []), r.get("status", "active"),
            str(row.configured).lower(), str(row.default).lower(), " ".join(row.aliases),
        ])


def _fit(widths: list[int], width: int) -> tuple[list[int], list[int]]:
    """(columns shown, their widths) for a terminal `width` wide: drop columns by `_COLUMNS` order, then cut the model column."""
    shown = list(range(len(_COLUMNS)))
    def total() -> int:
        return sum(widths[i] for i in shown) + _GAP * (len(shown) - 1)
    for drop in sorted({d for _, _, d in _COLUMNS if d}):
        if total() <= width:
            break
        shown = [i for i in shown if _COLUMNS[i][2] != drop]
    sizes = [widths[i] for i in shown]
    if total() > width:
        sizes[0] = max(12, sizes[0] - (total() - width))
    return shown, sizes


def _print_table(rows: list[ModelRow]) -> None:
    """Aligned columns sized to the terminal (less important columns drop out when narrow); plain text when piped.

    Rendered line by line rather than with `rich.table.Table`, which measures every cell and takes
    about 1.4 ms a row: 3 s for a 2,000-model catalog. Rich's console still decides about colour
    (NO_COLOR, FORCE_COLOR, not a terminal) and writes the lines.
    """
    from rich.text import Text

    if not rows:
        typer.echo("no models match", err=True)
        return
    out = console()
    piped = not out.is_terminal
    table = [[h for h, _, _ in _COLUMNS]] + [_cells(row) for row in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(_COLUMNS))]
    if piped:
        shown, sizes = list(range(len(_COLUMNS))), widths
    else:
        shown, sizes = _fit(widths, out.width)
    status_col = [h for h, _, _ in _COLUMNS].index("status")

    def line(cells: list[str], row: ModelRow | None) -> Text:
        text = Text(style="bold" if row is None and not piped else "")
        for n, (i, size) in enumerate(zip(shown, sizes)):
            cell = cells[i] if len(cells[i]) <= size else cells[i][: size - 1] + "…"
            is_last = n == len(shown) - 1
            cell = cell.rjust(size) if _COLUMNS[i][1] else (cell if is_last else cell.ljust(size))
            style = _STATUS_STYLE.get(row.status.removeprefix("default, "), "") if row and i == status_col else ""
            text.append(cell, style=style)
            if not is_last:
                text.append(" " * _GAP)
        if row is not None and row.rec.get("status") in ("deprecated", "retired"):
            text.stylize("dim")
        text.rstrip()
        return text

    lines = [line(table[0], None)]
    if not piped:
        lines.append(Text("─" * (sum(sizes) + _GAP * (len(sizes) - 1)), style="dim"))
    lines += [line(cells, row) for cells, row in zip(table[1:], rows)]
    out.print(Text("\n").join(lines), crop=False, overflow="ignore", no_wrap=True)


def _flatten(prefix: str, value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict) and value:
        return [item for k, v in value.items() for item in _flatten(f"{prefix}.{k}", v)]
    return [(prefix, value)]


def describe_provenance(record: dict[str, Any]) -> str:
    """One provenance record as a short phrase: `import litellm 1.110.2 2026-11-26`, `verified <url> 2026-12-01`."""
    method = record.get("method", "unknown")
    parts = [method]
    if method == "import":
        parts += [record.get("source", "?"), record.get("version", "?")]
    elif method == "verified":
        parts.append(record.get("url", "?"))
    elif method == "scan" and record.get("api"):
        parts.append(record["api"])
    if record.get("date"):
        parts.append(str(record["date"]))
    if record.get("via"):
        parts.append(f"via {record['via']}")
    return " ".join(parts)


@app.command()
def show(
    name: str = typer.Argument(..., help="Full id, short id or alias."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show every field of one model, where each came from (catalog, scan, base:<id>, plugin:<name>) and its provenance."""
    from ..provenance import expand

    registry = load_cli_registry()
    rec = find_model(registry, name)
    provenance = expand(rec, registry.record)
    data = model_json(rec)
    data["provenance"] = provenance
    if as_json:
        print_json(data)
        return
    from rich.text import Text

    sources = data.pop("field_sources", {})
    data.pop("provenance")
    out = console()
    out.print(Text(data.pop("id"), style="bold"))
    for key, value in data.items():
        if value in (None, [], {}):
            continue
        origin = sources.get(key) or ("derived" if key in ("provider", "mode", "status") else "")
        for field, leaf in _flatten(key, value):
            if isinstance(leaf, list):
                leaf = ", ".join(map(str, leaf)) if leaf and not isinstance(leaf[0], dict) else leaf
            line = Text(f"  {field}: {leaf}")  # values are data, never markup
            record = provenance.get(".".join(field.split(".")[:2])) or provenance.get(field.split(".")[0])
            notes = [n for n in (origin, describe_provenance(record) if record else "") if n]
            if notes:
                line.append(f"  ({'; '.join(notes)})", style="dim")
            out.print(line)


@app.command("plugins")
def list_plugins(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List installed third-party plugins (entry-point group kabot_models.plugins) and any that failed to load."""
    from ..plugins.base import ProviderPlugin
    from ..plugins.third_party import ENTRY_POINT_GROUP

    registry = load_cli_registry()
    from ..plugins.third_party import plugins

    found = plugins()
    rows = [
        {
            "name": p.name,
            "entry_point": p.value,
            "distribution": p.dist,
            "providers": list(p.providers),
            "translator": isinstance(p.plugin, ProviderPlugin),
            "catalog_files": [str(f) for f in p.catalog_files],
            "models": sum(1 for r in registry.records() if r["provider"] in {f.stem for f in p.catalog_files}),
        }
        for p in found.plugins
    ]
    problems = [{"name": p.name, "error": p.error} for p in found.problems]
    if as_json:
        print_json({"plugins": rows, "problems": problems})
        return
    if not rows and not problems:
        typer.echo(f"no plugins installed (entry-point group {ENTRY_POINT_GROUP})")
        return
    for row in rows:
        parts = [f"from {row['distribution']}"]
        if row["providers"]:
            parts.append("login hooks for " + ", ".join(row["providers"]))
        if row["translator"]:
            parts.append("lists their models")
        if row["catalog_files"]:
            parts.append(f"{len(row['catalog_files'])} catalog file(s), {row['models']} model(s)")
        typer.echo(f"{row['name']}: " + "; ".join(parts))
    for problem in problems:
        typer.echo(f"{problem['name']}: NOT LOADED: {problem['error']}")
