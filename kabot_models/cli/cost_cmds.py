"""`kabot-models cost`: the exact price of a call, from the catalog's prices (kabot_models.cost)."""

from __future__ import annotations

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


def _money(value: object) -> str:
    from ..cost import decimal_text

    return "$" + decimal_text(value)  # type: ignore[arg-type]


def _read_response(path: str) -> bytes:
    """The bytes of a saved response (`-` for standard input), bounded like any untrusted body."""
    import sys

    from ..usage import MAX_BODY_BYTES

    if path == "-":
        data = sys.stdin.buffer.read(MAX_BODY_BYTES + 1)
    else:
        try:
            with open(path, "rb") as fh:
                data = fh.read(MAX_BODY_BYTES + 1)
        except OSError as exc:
            fail(f"cannot read {path}: {exc.strerror or exc}")
    if len(data) > MAX_BODY_BYTES:
        fail(f"{path} is larger than {MAX_BODY_BYTES:,} bytes; a saved response is far smaller")
    return data


_UNITS = {1_000_000: "tokens x {price}/1M", 1_000: "x {price}/1k", 1: "x {price} each"}


@app.command()
def cost(
    model: str = typer.Argument(None, help="Model: full id, short id or alias (not needed with --response)."),
    input_tokens: str = typer.Option(None, "--input", "-i", help="Input tokens not read from or written to the cache (1500, 200k, 1.5M)."),
    output_tokens: str = typer.Option(None, "--output", "-o", help="Output tokens (reasoning tokens included unless given with --reasoning)."),
    reasoning: str = typer.Option(None, "--reasoning", help="Reasoning (thinking) tokens, counted apart from --output."),
    cache_read: str = typer.Option(None, "--cache-read", help="Input tokens read from the prompt cache."),
    cache_write: str = typer.Option(None, "--cache-write", help="Input tokens written to the prompt cache (default lifetime, e.g. 5 minutes)."),
    cache_write_1h: str = typer.Option(None, "--cache-write-1h", help="Input tokens written to a one-hour prompt cache."),
    audio_input: str = typer.Option(None, "--audio-input", help="Audio input tokens."),
    audio_output: str = typer.Option(None, "--audio-output", help="Audio output tokens."),
    requests: str = typer.Option(None, "--requests", help="Requests, for a per-request price."),
    web_searches: str = typer.Option(None, "--web-searches", help="Web searches the call made."),
    images: str = typer.Option(None, "--images", help="Images generated."),
    batch: bool = typer.Option(False, "--batch", help="Price through the provider's batch API (same as --tier batch)."),
    tier: str = typer.Option(None, "--tier", help="Service tier: batch, flex, priority, fast, ... (standard when unset)."),
    region: str = typer.Option(None, "--region", help="Data-residency region whose uplift applies, e.g. us."),
    at: str = typer.Option(None, "--at", help="Moment of the call: YYYY-MM-DD, or YYYY-MM-DDTHH:MM[+HH:MM] for time-of-day prices (default now)."),
    response: str = typer.Option(None, "--response", help="Price the call a saved raw JSON response describes (file, or - for stdin)."),
    provider: str = typer.Option(None, "--provider", help="With --response: the provider that served it, when the response does not say."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (amounts as exact decimal strings)."),
) -> None:
    """Price one call exactly (Decimal arithmetic): long-context, service tiers, regions, time of day, price history."""
    from ..cost import cost as price_call
    from ..cost import cost_from_response, parse_moment
    from .catalog_cmds import find_model, load_cli_registry

    counts = {
        "input_tokens": parse_tokens(input_tokens, "--input"),
        "output_tokens": parse_tokens(output_tokens, "--output"),
        "reasoning_tokens": parse_tokens(reasoning, "--reasoning"),
        "cache_read_tokens": parse_tokens(cache_read, "--cache-read"),
        "cache_write_tokens": parse_tokens(cache_write, "--cache-write"),
        "cache_write_1h_tokens": parse_tokens(cache_write_1h, "--cache-write-1h"),
        "input_audio_tokens": parse_tokens(audio_input, "--audio-input"),
        "output_audio_tokens": parse_tokens(audio_output, "--audio-output"),
        "requests": parse_tokens(requests, "--requests"),
        "web_searches": parse_tokens(web_searches, "--web-searches"),
        "images": parse_tokens(images, "--images"),
    }
    from ..errors import PricingError

    try:
        parse_moment(at)
    except PricingError as exc:
        fail(f"--at {exc}")
    registry = load_cli_registry()
    if response is not None:
        if model is not None or any(counts.values()) or batch or tier or region:
            fail("--response takes the model, counts, tier and region from the response; give only --at, --provider and --json with it")
        if provider and registry.canonical_provider(provider) is None:
            fail(f"unknown provider {provider!r}")
        breakdown = cost_from_response(_read_response(response), provider=registry.canonical_provider(provider) if provider else None, at=at, registry=registry)
    else:
        if model is None:
            fail("give a model, or --response FILE")
        if provider:
            fail("--provider goes with --response; name the model by its full id instead")
        if not any(counts.values()):
            fail("nothing to price: give --input, --output, --cache-read, --cache-write, --reasoning, --requests, --web-searches or --images")
        record = find_model(registry, model)
        breakdown = price_call(record, batch=batch, tier=tier, region=region, at=at, **counts)
    if as_json:
        print_json(breakdown.as_dict())
        return
    notes = []
    if breakdown.service_tier:
        notes.append("batch API" if breakdown.batch else f"{breakdown.service_tier} tier")
    if breakdown.tier is not None:
        notes.append(f"long-context prices: prompt above {breakdown.tier:,} tokens")
    if breakdown.region:
        notes.append(f"region {breakdown.region}")
    if breakdown.window:
        notes.append(f"time-of-day prices: {breakdown.window}")
    if breakdown.at is not None:
        notes.append(f"prices on {breakdown.at}")
    if breakdown.prices_since is not None:
        notes.append(f"in force since {breakdown.prices_since}")
    typer.echo(breakdown.model + (f"  ({'; '.join(notes)})" if notes else ""))
    width = max((len(f"{l.count:,}") for l in breakdown.lines), default=1)
    for line in breakdown.lines:
        unit = _UNITS[line.per].format(price=_money(line.price))
        typer.echo(f"  {line.component:<14} {line.count:>{width},} {unit} = {_money(line.cost)}")
    typer.echo(f"  {'total':<14} {_money(breakdown.total)}")
