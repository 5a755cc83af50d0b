"""OpenRouter's model list (`GET /api/v1/models`: a saved response, or the live API) as catalog offers.

Prices are USD per token as strings (`"0.000003"`) -> `*_1m`; `context_length` -> `context_window`;
`top_provider.max_completion_tokens` -> `max_output`; `architecture.input_modalities` /
`output_modalities` -> modalities; `supported_parameters` (tools, reasoning, structured_outputs)
-> capabilities; `created` (Unix time) -> `release_date`. A negative price (OpenRouter's "varies",
as for its router) is left out. Every offer belongs to the dataset provider `openrouter`.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..names import tidy_name
from . import Dataset, Offer

LIVE_URL = "https://openrouter.ai/api/v1/models"
"""The endpoint `--live` reads."""
PRICES = {"prompt": "input_1m", "completion": "output_1m", "input_cache_read": "cache_read_1m",
          "input_cache_write": "cache_write_1m", "internal_reasoning": "reasoning_1m"}
PARAMETERS = {"tools": "tool_use", "reasoning": "reasoning", "structured_outputs": "structured_output",
              "web_search_options": "web_search"}
INPUT_CAPABILITIES = {"image": "vision", "file": "pdf_input", "audio": "audio_input", "video": "video_input"}
MODALITIES = {"text": "text", "image": "image", "audio": "audio", "video": "video", "file": "pdf"}


def read(path: Path | None, *, live: bool, today: dt.date, body: bytes | None = None) -> Dataset:
    """A saved response at `path`, or `body` as the runner fetched it live."""
    if body is None:
        if path is None:
            raise ValueError("openrouter needs a saved /api/v1/models response, or --live")
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise ValueError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        data = json.loads(body)
    except ValueError:
        raise ValueError("the OpenRouter response is not JSON") from None
    rows = data.get("data") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise ValueError("the OpenRouter response has no `data` list of models")
    offers = [Offer("openrouter", row["id"], fields_of(row)) for row in rows
              if isinstance(row, dict) and isinstance(row.get("id"), str) and row["id"]]
    return Dataset("openrouter", f"api {today.isoformat()}" if live else "saved response", offers)


def _per_million(value: Any) -> float | int | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or number < 0:
        return None
    number = (number * 1_000_000).normalize()
    return int(number) if number == number.to_integral_value() else float(number)


def fields_of(row: dict[str, Any]) -> dict[str, Any]:
    """One OpenRouter model in the catalog's shape."""
    out: dict[str, Any] = {}
    if isinstance(row.get("name"), str) and row["name"].strip():
        out["name"] = tidy_name(row["name"].split(": ", 1)[-1])
    ctx = row.get("context_length")
    if isinstance(ctx, int) and not isinstance(ctx, bool) and ctx > 0:
        out["context_window"] = ctx
    top = row.get("top_provider") if isinstance(row.get("top_provider"), dict) else {}
    mo = top.get("max_completion_tokens")
    if isinstance(mo, int) and not isinstance(mo, bool) and mo > 0 and (not ctx or mo <= ctx):
        out["max_output"] = mo
    prices = row.get("pricing") if isinstance(row.get("pricing"), dict) else {}
    pricing = {dst: _per_million(prices.get(src)) for src, dst in PRICES.items() if _per_million(prices.get(src)) is not None}
    if "input_1m" in pricing and "output_1m" in pricing:
        if pricing["input_1m"] == 0 and pricing["output_1m"] == 0 and row["id"].endswith(":free"):
            pricing = {"input_1m": 0, "output_1m": 0, "free": True}
        out["pricing"] = pricing
    arch = row.get("architecture") if isinstance(row.get("architecture"), dict) else {}
    inputs = [MODALITIES[m] for m in arch.get("input_modalities") or [] if m in MODALITIES]
    outputs = [MODALITIES[m] for m in arch.get("output_modalities") or [] if m in MODALITIES]
    caps = [PARAMETERS[p] for p in row.get("supported_parameters") or [] if p in PARAMETERS]
    caps += [INPUT_CAPABILITIES[m] for m in arch.get("input_modalities") or [] if m in INPUT_CAPABILITIES]
    if caps:
        out["capabilities"] = list(dict.fromkeys(caps))
    if inputs:
        out["input_modalities"] = inputs
    if outputs:
        out["output_modalities"] = outputs
    created = row.get("created")
    if isinstance(created, int) and not isinstance(created, bool) and 0 < created < 32503680000:
        out["release_date"] = dt.datetime.fromtimestamp(created, dt.timezone.utc).date()
    return out
