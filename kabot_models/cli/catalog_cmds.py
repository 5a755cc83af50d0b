"""Commands that read the catalog: `validate`, `list`, `show`, `plugins`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from .typer_app import app
from ..lifecycle import release_day
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
    paths: list[Path] = typer.Argument(None, help="Catalog directories (holding providers/), provider files, or with --config user config files. Default: the packaged catalog."),
    config: bool = typer.Option(False, "--config", help="PATHS are kabot-models config files (config.yaml), not catalog YAML."),
    fmt: ValidateFormat = typer.Option(ValidateFormat.text, "--format", "-f", help="text, json, or github annotations."),
) -> None:
    """Check provider files against the schema and the cross-file rules (or config files); exit 1 on any defect.

    A directory is checked as a whole catalog. Provider files given one by one (a plugin's, in
    pre-commit) are checked together with the packaged catalog, so an alias or id that clashes with
    it is caught too.
    """
    from ..catalog import validate_catalog

    issues: list[Any] = []
    providers = models = 0
    if config:
        if not paths:
            fail("--config needs the config files to check")
        for path in paths:
            issues.extend(_config_issues(path))
    else:
        files = [p for p in paths or () if not p.is_dir()]
        targets: list[tuple[Path | None, list[Path]]] = [(p, []) for p in paths or () if p.is_dir()]
        if files or not paths:
            targets.append((None, files))
        for catalog_dir, extra in targets:
            compiled, found = validate_catalog(catalog_dir, extra)
            issues.extend(found)
            if compiled is not None:
                providers += len(compiled.providers)
                models += len(compiled.models)
    valid = not issues
    if fmt is ValidateFormat.json:
        print_json({
            "valid": valid,
            "issues": [i.as_dict() for i in issues],
            "providers": providers if valid and not config else None,
            "models": models if valid and not config else None,
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
    if not valid:
        if fmt is ValidateFormat.text:
            files_count = len({i.file for i in issues})
            typer.echo(f"{len(issues)} error(s) in {files_count} file(s)", err=True)
        raise typer.Exit(1)
    if fmt is ValidateFormat.text:
        if config:
            typer.echo(f"config valid: {len(paths)} file(s)")
        else:
            typer.echo(f"catalog valid: {providers} providers, {models} models")


def _config_issues(path: Path) -> list[Any]:
    """The defect of one user config file as a `CatalogIssue` (file:line:col: message), or none."""
    import re

    from ..config import load_config
    from ..errors import CatalogIssue, ConfigError

    if not path.is_file():
        return [CatalogIssue(str(path), 1, 1, "", "no such file")]
    try:
        load_config(path)
    except ConfigError as exc:
        text = str(exc)
        place = re.match(r"^(.*?):(\d+):(\d+): ?(.*)$", text)
        if place:
            return [CatalogIssue(place[1], int(place[2]), int(place[3]), "", place[4])]
        return [CatalogIssue(str(path), 1, 1, "", text)]
    return []


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


class StatusChoice(str, Enum):
    """Which lifecycle states `list --status` shows; `all` is every one."""

    all = "all"
    active = "active"
    preview = "preview"
    deprecated = "deprecated"
    retired = "retired"


DEFAULT_STATUSES = ("active", "preview")
"""What `list` shows without `--status`: the models one would pick today."""


def _price(rec: dict[str, Any]) -> Any:
    return (rec.get("pricing") or {}).get("input_1m")


def _sort_rows(rows: list[ModelRow], key: SortKey) -> list[ModelRow]:
    """Cheapest, largest, alphabetical or newest first (ties by id); models missing the figure go last."""
    def figure(row: ModelRow) -> Any:
        rec = row.rec
        if key is SortKey.price:
            return _price(rec)
        if key is SortKey.context:
            return rec.get("context_window")
        if key is SortKey.release:
            return release_day(rec["release_date"]) if rec.get("release_date") else None
        return (rec.get("name") or rec["id"]).casefold()

    known = sorted((r for r in rows if figure(r) is not None), key=lambda r: r.rec["id"])
    known.sort(key=figure, reverse=key in (SortKey.context, SortKey.release))  # stable: ties stay in id order
    return known + sorted((r for r in rows if figure(r) is None), key=lambda r: r.rec["id"])


def _offering_root(registry: Any, rec: dict[str, Any]) -> str:
    """The model an entry offers: follow `base` to its end (a gateway's copy -> the first party's entry)."""
    seen = {rec["id"]}
    while rec.get("base") and rec["base"] not in seen:
        base = registry.record(rec["base"])
        if base is None:
            break
        seen.add(base["id"])
        rec = base
    return rec["id"]


def _cheapest_offerings(registry: Any, rows: list[ModelRow]) -> list[ModelRow]:
    """One row per model: of an entry and the copies based on it, the priced one with the lowest
    input + output price per 1M (ties: the id that sorts first); models with no price are left out."""
    best: dict[str, tuple[Any, str, ModelRow]] = {}
    for row in rows:
        p = row.rec.get("pricing") or {}
        if p.get("input_1m") is None or p.get("output_1m") is None:
            continue
        rank = (p["input_1m"] + p["output_1m"], row.rec["id"])
        root = _offering_root(registry, row.rec)
        if root not in best or rank < best[root][:2]:
            best[root] = (*rank, row)
    return [entry[2] for entry in best.values()]


def _top_per_provider(registry: Any, rows: list[ModelRow], n: int, ordered: bool) -> list[ModelRow]:
    """At most `n` rows of each provider, providers in id order. Within a provider the rows keep the
    `--sort` order when one was given; otherwise the provider's recommended models come first (its
    own order), then the newest."""
    groups: dict[str, list[ModelRow]] = {}
    for row in rows:
        groups.setdefault(row.rec["provider"], []).append(row)
    out: list[ModelRow] = []
    for pid in sorted(groups):
        group = groups[pid]
        if not ordered:
            picks = [f"{pid}/{m}" for m in (registry.provider_record(pid) or {}).get("recommended") or ()]
            group = _sort_rows(group, SortKey.release)
            group.sort(key=lambda r: picks.index(r.rec["id"]) if r.rec["id"] in picks else len(picks))
        out += group[:n]
    return out


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


#: list's columns: (header, right-aligned, give-way order when the terminal is narrow: 1 goes first;
#: the model id never goes and is never cut, since it is what every other command takes).
_COLUMNS = (
    ("model", False, 0),
    ("name", False, 5),
    ("context", True, 7),
    ("max out", True, 3),
    ("in $/1M", True, 9),
    ("out $/1M", True, 8),
    ("cache rd $/1M", True, 2),
    ("capabilities", False, 1),
    ("status", False, 6),
    ("aliases", False, 4),
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
    provider: str = typer.Option(None, "--provider", "-p", metavar="ID", help="Only this provider (id or alias)."),
    capability: list[str] = typer.Option(None, "--capability", "-c", metavar="NAME", help="Only models with this capability (repeatable: all must match)."),
    status: list[StatusChoice] = typer.Option(None, "--status", metavar="STATUS", help="active, preview, deprecated, retired or all (repeatable). Default: active and preview."),
    configured: bool = typer.Option(False, "--configured", help="Only models you can call: your provider has a key (or a local server answers), and its last scan listed the model."),
    min_context: str = typer.Option(None, "--min-context", metavar="TOKENS", help="Only models whose context window is at least this (128000, 200k, 1M)."),
    since: str = typer.Option(None, "--since", metavar="DATE", help="Only models released on or after DATE (YYYY-MM-DD); models with no release date are left out."),
    cheapest: bool = typer.Option(False, "--cheapest", help="One row per model: the cheapest priced offering of it (a gateway's copy or the original); cheapest first unless --sort says otherwise."),
    search: str = typer.Option(None, "--search", "-s", metavar="TEXT", help="Only models whose id, name or an alias contains TEXT (any case)."),
    sort: SortKey = typer.Option(None, "--sort", metavar="KEY", help="price (cheapest input first), context (largest first), name, release (newest first)."),
    top: int = typer.Option(None, "--top", metavar="N", min=1, help="At most N models per provider: the --sort order, else its recommended models, then the newest."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array."),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV with a header row."),
) -> None:
    """List models you could pick today (active and preview; --status widens it): prices, context, capabilities, status."""
    from .output import parse_day, parse_tokens

    if as_json and as_csv:
        fail("choose one of --json and --csv")
    floor = parse_tokens(min_context, "--min-context") if min_context is not None else None
    released = parse_day(since, "--since").isoformat() if since is not None else None
    registry = load_cli_registry()
    statuses = {s.value for s in status} if status else set(DEFAULT_STATUSES)
    rows = list_rows(registry, provider=provider, capability=capability, configured=configured, search=search,
                     statuses=statuses, min_context=floor, since=released)
    total = len(rows)
    if cheapest:
        rows = _cheapest_offerings(registry, rows)
    if sort is not None or cheapest:
        rows = _sort_rows(rows, sort or SortKey.price)
    if top is not None:
        rows = _top_per_provider(registry, rows, top, ordered=sort is not None or cheapest)

    if as_json:
        print_json([row.as_json() for row in rows])
        return
    if as_csv:
        import sys

        write_csv(rows, sys.stdout)
        return
    _print_table(rows)
    if rows:
        count = f"{len(rows)} of {total} matching models" if len(rows) < total else f"{len(rows)} models"
        typer.echo(count + ("" if status else " (active and preview; --status all shows every model)"), err=True)


def check_provider(registry: Any, provider: str) -> str:
    """The provider id for an id or alias; an unknown one is an error naming the closest id."""
    pid = registry.canonical_provider(provider)
    if pid is None:
        import difflib

        close = difflib.get_close_matches(provider, [b["id"] for b in registry.provider_records()], n=1)
        fail(f"unknown provider {provider!r}" + (f"; did you mean {close[0]!r}?" if close else ""))
    return pid


def usable_models(registry: Any, config: dict[str, Any]) -> Any:
    """A predicate: may the user call this model record now? (`kabot_models.configured`)."""
    from .setup_state import SetupState

    return SetupState(registry, config).usable


def list_rows(registry: Any, *, provider: str | None = None, capability: list[str] | None = None,
              configured: bool = False, search: str | None = None, statuses: set[str] | None = None,
              min_context: int | None = None, since: str | None = None) -> list[ModelRow]:
    """The rows `list` shows (catalog order), with what the user's config and keys say about each.
    `statuses` None means every status (`export`); `list` passes active and preview by default."""
    if provider:
        check_provider(registry, provider)
    if capability:
        from ..schema import CAPABILITIES

        for cap in capability:
            if cap not in CAPABILITIES:
                fail(f"unknown capability {cap!r}; known: {', '.join(CAPABILITIES)}")
    from ..config import load_config

    config = load_config()
    usable = usable_models(registry, config)
    default, user_aliases = user_model_settings(registry, config)
    by_model: dict[str, list[str]] = {}
    for alias, target in user_aliases.items():
        by_model.setdefault(target, []).append(alias)

    rows = []
    needle = search.casefold() if search else None
    for rec in registry.filter(provider=provider, capability=capability,
                               status=None if not statuses or "all" in statuses else statuses):
        row = ModelRow(rec, usable(rec), rec["id"] == default, sorted(by_model.get(rec["id"], [])))
        if configured and not row.configured:
            continue
        if min_context is not None and (rec.get("context_window") or 0) < min_context:
            continue
        if since is not None and not (rec.get("release_date") and release_day(rec["release_date"]) >= since):
            continue
        if needle and not any(needle in s.casefold() for s in (rec["id"], rec.get("name") or "", *row.aliases)):
            continue
        rows.append(row)
    return rows


def write_csv(rows: list[ModelRow], out: Any, id_column: str = "id") -> None:
    """The `list` table as CSV with a header row (`list --csv`; `export --format csv` calls the
    first column `catalog_id`, as every export names it)."""
    import csv

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([id_column, "name", "provider", "context_window", "max_output", "input_1m", "output_1m",
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


def fit_columns(widths: list[int], width: int, give_way: list[int]) -> list[int]:
    """The indexes of the columns that fit in `width` (separated by `_GAP`): columns give way in
    `give_way` order (1 first; 0 never) until the rest fit. Nothing is ever cut: a column that
    never gives way is shown whole even when it alone is wider than the terminal."""
    shown = list(range(len(widths)))
    for drop in sorted({d for d in give_way if d}):
        if sum(widths[i] for i in shown) + _GAP * (len(shown) - 1) <= width:
            break
        shown = [i for i in shown if give_way[i] != drop]
    return shown


def table_width() -> int | None:
    """The width to fit a table to: the terminal's, or `COLUMNS` when set; None (every column, whole) when piped."""
    import os
    import sys

    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if sys.stdout.isatty():
        import shutil

        return shutil.get_terminal_size().columns
    return None


def _print_table(rows: list[ModelRow]) -> None:
    """Aligned columns sized to the terminal (less important columns give way when narrow; the id is
    never cut); plain text when piped.

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
    width = out.width if out.is_terminal else table_width()
    shown = list(range(len(_COLUMNS))) if width is None else fit_columns(widths, width, [d for _, _, d in _COLUMNS])
    sizes = [widths[i] for i in shown]
    status_col = [h for h, _, _ in _COLUMNS].index("status")

    def line(cells: list[str], row: ModelRow | None) -> Text:
        text = Text(style="bold" if row is None and not piped else "")
        for n, (i, size) in enumerate(zip(shown, sizes)):
            cell = cells[i]
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
    """(dotted path, leaf) pairs; list items that are mappings (price tiers, price history) get an index."""
    if isinstance(value, dict) and value:
        return [item for k, v in value.items() for item in _flatten(f"{prefix}.{k}", v)]
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return [item for n, v in enumerate(value) for item in _flatten(f"{prefix}[{n}]", v)]
    return [(prefix, value)]


_TOKEN_FIELDS = ("context_window", "max_output", "max_input", "above_input_tokens")


def show_value(field: str, value: Any) -> str:
    """A leaf as `show` prints it, with its unit: `$2.5 per 1M tokens`, `128,000 tokens`, `a, b`."""
    leaf = field.rsplit(".", 1)[-1]
    if leaf.endswith("_1m") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"${_fmt_price(value)} per 1M tokens"
    if leaf in _TOKEN_FIELDS and isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,} tokens"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


@app.command()
def show(
    name: str = typer.Argument(..., help="A model (full id, short id or alias) or a provider (id or alias)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show every field of one model, with units, where each came from and how to reach the model; or one provider.

    A provider id or alias (`openai`, `gemini`) shows the provider: base URL, API flavour, key
    variables (set or not), docs and pricing pages, model counts. Any other name is a model.
    """
    from ..reach import UserKeys, model_reach, provider_facts
    from ..provenance import expand, field_source, provenance_of

    registry = load_cli_registry()
    if registry.canonical_provider(name) is not None:
        facts = provider_facts(registry, name, UserKeys.current())
        if as_json:
            print_json(facts)
            return
        from .provider_view import print_provider

        print_provider(facts)
        return
    rec = find_model(registry, name)
    provenance = expand(rec, registry.record)
    data = model_json(rec)
    data["provenance"] = provenance
    known_provider = registry.provider_record(rec["provider"]) is not None  # a registered model may name none
    data["reach"] = model_reach(registry, rec["id"], UserKeys.current()) if known_provider else None
    if as_json:
        print_json(data)
        return
    from rich.text import Text

    sources = data.pop("field_sources", {})
    reach = data.pop("reach")
    data.pop("provenance")
    out = console()
    out.print(Text(data.pop("id"), style="bold"))
    for key, value in data.items():
        if value in (None, [], {}):
            continue
        origin = sources.get(key) or ("derived" if key in ("provider", "mode", "status") else "")
        for field, leaf in _flatten(key, value):
            line = Text(f"  {field}: {show_value(field, leaf)}")  # values are data, never markup
            notes = field_source(origin, provenance_of(provenance, field))
            if notes:
                line.append(f"  ({notes})", style="dim")
            out.print(line, no_wrap=True, crop=False, overflow="ignore")
    if reach:
        from ..litellm import INSTALL_HINT

        key = reach["key_variable"]
        out.print(Text("how to reach it", style="bold"))
        for label, value in (
            ("base URL", reach["base_url"] or "-"),
            ("API flavour", reach["flavor"]),
            ("model id to send", reach["api_id"]),
            ("key variable", f"{key['name']} ({'set' if key.get('set') else 'not set'})" if key else "none"),
            ("LiteLLM model", reach["litellm_model"] or f"needs LiteLLM: {INSTALL_HINT}"),
        ):
            out.print(Text(f"  {label}: {value}"), no_wrap=True, crop=False, overflow="ignore")


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
