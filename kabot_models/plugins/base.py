"""The contract between the scanner and a provider plugin, and helpers translators share.

A plugin knows one list-models API *flavour* (the provider block's `api.flavor`). It does no I/O:
it says which request to send (`list_request`) and maps a decoded JSON response into catalog-shaped
entries (`translate`). The runner in `kabot_models.scanner` does the HTTP, retries, paging, size and
time caps, id validation, de-duplication and storage, once for every flavour.

An entry's `fields` use the catalog's own field names (`name`, `context_window`, `max_output`,
`pricing: {input_1m, ...}`, `capabilities`, `input_modalities`, `mode`, `release_date`, `status`,
`aliases`, ...) so the registry can merge them field by field under the curated figures.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple, Protocol, runtime_checkable

from ..errors import ScanError


@dataclass(frozen=True)
class ListRequest:
    """One HTTP request the runner sends on a plugin's behalf.

    `path` is appended to the plugin's `api_root(base_url)`; the runner refuses any request that would leave
    the base URL's scheme, host and port, so a plugin cannot send the key elsewhere.
    """

    path: str
    method: str = "GET"
    headers: Mapping[str, str] = field(default_factory=dict)
    params: Mapping[str, str] = field(default_factory=dict)
    json: Any = None


@dataclass
class ScannedModel:
    """One model as a provider's API lists it."""

    id: str
    """The API id, exactly as the provider spells it (the catalog's `models:` key)."""
    fields: dict[str, Any]
    """Normalised fields under the catalog's names; only what the API said, nothing guessed."""
    raw: Any = None
    """The entry as received, kept (trimmed) for people debugging a translator."""
    misread: int = 0
    """Values of the entry that were present but unusable (a wrong type, a negative count), left out."""


class Page(NamedTuple):
    """What `translate` returns for one response."""

    entries: list[ScannedModel]
    """Models on this page (ids not yet validated; the runner does that)."""
    next_page: str | None = None
    """Token for the next page, None on the last one."""
    skipped: int = 0
    """Entries the translator could not use (not an object, no id), counted in the report."""


@runtime_checkable
class ProviderPlugin(Protocol):
    """What the scanner needs from a plugin. Implementations are small stateless objects."""

    flavor: str
    """The `api.flavor` value this plugin serves."""

    def api_root(self, base_url: str) -> str:
        """The URL that request paths are appended to (usually the base URL itself)."""
        ...

    def list_request(self, provider: Mapping[str, Any], base_url: str, key: str | None, page_token: str | None) -> ListRequest:
        """The request for one page of the model list (`page_token` None for the first page)."""
        ...

    def translate(self, provider_id: str, payload: Any) -> Page:
        """Map one decoded response into entries; raise `ScanError` when its shape is wrong."""
        ...

    def detail_request(self, provider: Mapping[str, Any], base_url: str, key: str | None, entry: ScannedModel) -> ListRequest | None:
        """A follow-up request for one listed model's details, or None when the list says it all."""
        ...

    def translate_detail(self, entry: ScannedModel, payload: Any) -> ScannedModel:
        """Fold a detail response into the entry."""
        ...


@runtime_checkable
class LoginHooks(Protocol):
    """What `kabot-models auth login` asks the plugin of a provider, after the key has been verified
    by listing the provider's models (with `ProviderPlugin.list_request`/`translate`).

    `provider` is the provider's catalog block (with `id`); model ids in and out are API ids unless
    said otherwise. `BasePlugin` holds the defaults, which read the catalog.
    """

    def recommended_models(self, provider: Mapping[str, Any], live_ids: list[str]) -> list[str]:
        """API ids to offer first in the picker, best first (`live_ids`: what the API just listed)."""
        ...

    def suggested_aliases(self, provider: Mapping[str, Any], model: str) -> dict[str, str]:
        """Aliases to add to the user's config (alias -> full id) once `model` (a full id) is picked."""
        ...

    def login_patch(self, provider: Mapping[str, Any], model: str | None, base_url: str | None, aliases: dict[str, str]) -> dict[str, Any]:
        """The user-config patch to apply: `default_model`, `aliases`, `providers: {<id>: {api_base}}`.

        `model` is the picked full id (None: keep the default), `base_url` the `--base-url` given
        (None: none), `aliases` what `suggested_aliases` returned. Existing user aliases are never
        replaced without asking; the command enforces that, whatever the patch says.
        """
        ...


class BasePlugin:
    """Defaults for the optional parts of `ProviderPlugin`, the auth header every flavour needs,
    and the `LoginHooks` defaults."""

    flavor = ""
    list_needs_key = True
    """False when the provider's list-models endpoint is public (OpenRouter): it is then scanned
    without a key, and with one only when one is configured."""
    details_on_request = False
    """True when `detail_request` asks for extra figures only `scan --details` wants (one request per
    model: OpenRouter's endpoints), False when the details are part of every scan (Ollama's context length)."""

    def api_root(self, base_url: str) -> str:
        """The base URL without a trailing slash."""
        return base_url.rstrip("/")

    def auth_headers(self, provider: Mapping[str, Any], key: str | None) -> dict[str, str]:
        """Headers carrying `key` the way the provider block's `auth.header` says (nothing without a key)."""
        if not key:
            return {}
        scheme = (provider.get("auth") or {}).get("header", "bearer")
        if scheme == "none":
            return {}
        if scheme == "bearer":
            return {"Authorization": f"Bearer {key}"}
        return {scheme: key}  # x-api-key, x-goog-api-key, api-key are header names as written

    def detail_request(self, provider: Mapping[str, Any], base_url: str, key: str | None, entry: ScannedModel) -> ListRequest | None:
        """No follow-up requests by default."""
        return None

    def translate_detail(self, entry: ScannedModel, payload: Any) -> ScannedModel:
        """Nothing to fold in by default."""
        return entry

    # -- login hooks (`LoginHooks`) -------------------------------------------------------------
    def recommended_models(self, provider: Mapping[str, Any], live_ids: list[str]) -> list[str]:
        """The catalog's `provider.recommended`."""
        return list(provider.get("recommended") or ())

    def suggested_aliases(self, provider: Mapping[str, Any], model: str) -> dict[str, str]:
        """None: the catalog's own aliases already name its models."""
        return {}

    def login_patch(self, provider: Mapping[str, Any], model: str | None, base_url: str | None, aliases: dict[str, str]) -> dict[str, Any]:
        """The picked model as default, the suggested aliases, and `--base-url` as the provider's api_base."""
        patch: dict[str, Any] = {"aliases": dict(aliases)}
        if model:
            patch["default_model"] = model
        if base_url:
            patch["providers"] = {provider["id"]: {"api_base": base_url}}
        return patch


# --- helpers for translators: each returns None for a value it cannot use, never guesses ---------
# A value that is present but unusable is also counted (`counting`), so the scan report can say how
# many it left out; a translator that reads every value through these helpers never raises on one.

_MISREAD: ContextVar[list[int] | None] = ContextVar("misread", default=None)


def counting(call: Callable[..., Any], *args: Any) -> tuple[Any, int]:
    """`call(*args)` and how many present-but-unusable values the helpers met during it."""
    box = [0]
    token = _MISREAD.set(box)
    try:
        return call(*args), box[0]
    finally:
        _MISREAD.reset(token)


def _misread(value: Any, result: Any) -> Any:
    """`result`, counting `value` as misread when it was there but gave nothing."""
    if result is None and value is not None:
        box = _MISREAD.get()
        if box is not None:
            box[0] += 1
    return result


def obj(value: Any) -> dict[str, Any]:
    """`value` when it is a JSON object, else {} (a value of another type is counted)."""
    return value if isinstance(value, dict) else _misread(value, None) or {}


def seq(value: Any) -> list[Any]:
    """`value` when it is a JSON array, else [] (a value of another type is counted)."""
    return value if isinstance(value, list) else _misread(value, None) or []


def items_of(payload: Any, key: str | None, what: str) -> list[Any]:
    """The list under `payload[key]` (or `payload` itself when `key` is None), else `ScanError`."""
    items = payload
    if key is not None:
        if not isinstance(payload, dict):
            raise ScanError(f"unexpected response: expected a JSON object with {key!r} ({what}), got {_kind(payload)}")
        if key not in payload:
            keys = ", ".join(repr(k)[:40] for k in list(payload)[:5]) or "none"
            raise ScanError(f"unexpected response: expected a JSON object with {key!r} ({what}); its keys are {keys}")
        items = payload[key]
    if not isinstance(items, list):
        where = f"{key!r}" if key else "the response"
        raise ScanError(f"unexpected response: expected {where} to be a list of {what}, got {_kind(items)}")
    return items


def translate_items(items: Iterable[Any], one: Callable[[dict[str, Any]], ScannedModel | None], id_key: str = "id") -> tuple[list[ScannedModel], int]:
    """Run `one` over each item that is an object with a string id; count the rest as skipped.

    `one` returns None for an item it deliberately leaves out (e.g. an embedding-only model).
    """
    entries: list[ScannedModel] = []
    skipped = 0
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get(id_key), str):
            skipped += 1
            continue
        entry, misread = counting(one, item)
        if entry is not None:
            entry.misread += misread
            entries.append(entry)
    return entries, skipped


def positive_int(value: Any) -> int | None:
    """A token count: a positive int (or integral float/str), else None."""
    given = value
    if isinstance(value, bool):
        return _misread(given, None)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _misread(given, value if isinstance(value, int) and value > 0 else None)


def text(value: Any, limit: int = 500) -> str | None:
    """A non-empty single-line string, bounded, else None."""
    if not isinstance(value, str):
        return _misread(value, None)
    value = " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())  # no escapes reach a terminal
    return value[:limit] if value else None


def price_1m(value: Any, per_token: bool = False) -> float | None:
    """A price in USD per 1M tokens from a number or numeric string; None when absent or negative.

    `per_token` multiplies by 10^6 in Decimal, so "0.000003" becomes exactly 3.0 and not 2.9999999999999996.
    """
    if value is None or isinstance(value, bool):
        return _misread(value, None)
    try:
        amount = Decimal(str(value).strip())
        if not amount.is_finite() or amount < 0:
            return _misread(value, None)
        result = float(amount * 1_000_000 if per_token else amount)
    except ArithmeticError:  # not a number, or beyond Decimal's exponent range
        return _misread(value, None)
    return _misread(value, result if math.isfinite(result) else None)


def date_of(value: Any) -> str | None:
    """An ISO date (YYYY-MM-DD) from a Unix timestamp or an ISO date/datetime string, else None.

    Dates before `EARLIEST_DATE` are None: APIs send the epoch for "unknown" (Anthropic documents it).
    """
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if value <= 0:
                return _misread(value, None)
            day = _dt.datetime.fromtimestamp(value, tz=_dt.timezone.utc).date()
        elif isinstance(value, str) and len(value) >= 10:
            day = _dt.date.fromisoformat(value[:10])
        else:
            return _misread(value, None)
    except (ValueError, OverflowError, OSError):
        return _misread(value, None)
    return _misread(value, day.isoformat() if day >= EARLIEST_DATE else None)


EARLIEST_DATE = _dt.date(2000, 1, 1)
"""No model any API lists was released, or is retired, before this day; earlier dates are placeholders."""


def flags(value: Any, mapping: Mapping[str, str]) -> list[str]:
    """The catalog capabilities whose provider flag is `true` in the object `value` (`{"supports_tools": true}`), sorted."""
    value = obj(value)
    return sorted({cap for flag, cap in mapping.items() if value.get(flag) is True})


def compact(fields: dict[str, Any]) -> dict[str, Any]:
    """`fields` without the keys whose value is None or empty, so a field is present only when known."""
    return {k: v for k, v in fields.items() if v not in (None, [], {}, "")}


def mode_from_id(api_id: str) -> str | None:
    """The endpoint kind an OpenAI-style id implies (`text-embedding-3-small` -> embedding), else None.

    OpenAI-compatible lists carry no type; these id conventions are OpenAI's own and widely copied.
    """
    lowered = api_id.lower()
    for needle, mode in _ID_MODES:
        if needle in lowered:
            return mode
    return None


_ID_MODES = (
    ("embed", "embedding"),
    ("tts", "audio_speech"),
    ("whisper", "audio_transcription"),
    ("transcribe", "audio_transcription"),
    ("dall-e", "image_generation"),
    ("gpt-image", "image_generation"),
    ("moderation", "moderation"),
    ("sora", "video_generation"),
    ("rerank", "rerank"),
)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"a {type(value).__name__}"
