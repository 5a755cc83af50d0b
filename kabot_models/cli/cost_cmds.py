"""`kabot-models cost`: the exact price of a call, from the catalog's prices (kabot_models.cost)."""

from __future__ import annotations

import datetime as _dt
import re

import typer

from .typer_app import app
from .output import fail, print_json

# ASCII digits only (`\d` would take Arabic-Indic ones), at most 15 of them: no model's window comes close.
_TOKENS = re.compile(r"^([0-9]{1,15}(?:\.[0-9]{1,15})?)([kKmM]?)\Z")
_SCALE = {"": 1, "k": 1_000, "m": 1_000_000}


def parse_tokens(text: str | None, option: str) -> int:
    """`"1500"`, `"1_500"`, `"1,500"`, `"200k"`, `"1.5M"` -> a whole token count; anything else is an error."""
    if text is None:
        return 0
    raw = text.strip().replace("_", "").replace(",", "")
    m = _TOKENS.match(raw)
    if m is None:
        fail(f"{option} {text!r} is not a token count; give a whole number >= 0 such as 1500, 200k or 1.5M")
    from decimal import Decimal

    value = Decimal(m.group(1)) * _SCALE[m.group(2).lower()]
    if value != value.to_integral_value():
        fail(f"{option} {text!r} is not a whole number of tokens")
    return int(value)


def _parse_date(text: str | None) -> _dt.date | None:
    if text is None:
        return None
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        fail(f"--at {text!r} is not a date; use YYYY-MM-DD")


def _money(value: object) -> str:
    from ..cost import decimal_text

    return "$" + decimal_text(value)  # type: ignore[arg-type]


@app.command()
def cost(
    model: str = typer.Argument(..., help="Model: full id, short id or alias."),
    input_tokens: str = typer.Option(None, "--input", "-i", help="Input tokens not read from or written to the cache (1500, 200k, 1.5M)."),
    output_tokens: str = typer.Option(None, "--output", "-o", help="Output tokens (reasoning included)."),
    cache_read: str = typer.Option(None, "--cache-read", help="Input tokens read from the prompt cache."),
    cache_write: str = typer.Option(None, "--cache-write", help="Input tokens written to the prompt cache."),
    batch: bool = typer.Option(False, "--batch", help="Price through the provider's batch API."),
    at: str = typer.Option(None, "--at", help="Price at this date (YYYY-MM-DD) from the price history."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (amounts as exact decimal strings)."),
) -> None:
    """Price one call exactly (Decimal arithmetic), with long-context tiers, batch prices and price history."""
    from ..cost import cost as price_call
    from .catalog_cmds import find_model, load_cli_registry

    counts = {
        "input_tokens": parse_tokens(input_tokens, "--input"),
        "output_tokens": parse_tokens(output_tokens, "--output"),
        "cache_read_tokens": parse_tokens(cache_read, "--cache-read"),
        "cache_write_tokens": parse_tokens(cache_write, "--cache-write"),
    }
    if not any(counts.values()):
        fail("nothing to price: give --input, --output, --cache-read or --cache-write")
    when = _parse_date(at)
    registry = load_cli_registry()
    record = find_model(registry, model)
    breakdown = price_call(record, batch=batch, at=when, **counts)
    if as_json:
        print_json(breakdown.as_dict())
        return
    notes = []
    if breakdown.batch:
        notes.append("batch API")
    if breakdown.tier is not None:
        notes.append(f"long-context prices: prompt above {breakdown.tier:,} tokens")
    if breakdown.at is not None:
        notes.append(f"prices on {breakdown.at}")
    if breakdown.prices_since is not None:
        notes.append(f"in force since {breakdown.prices_since}")
    typer.echo(breakdown.model + (f"  ({'; '.join(notes)})" if notes else ""))
    width = max(len(f"{l.tokens:,}") for l in breakdown.lines)
    for line in breakdown.lines:
        typer.echo(f"  {line.component:<12} {line.tokens:>{width},} tokens x {_money(line.price_1m)}/1M = {_money(line.cost)}")
    typer.echo(f"  {'total':<12} {_money(breakdown.total)}")
