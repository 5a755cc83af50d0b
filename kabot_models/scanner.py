"""The scan runner: asks every configured provider's live API which models it serves.

One runner does the work every flavour shares: choosing providers and their keys, HTTP (httpx,
asyncio, a semaphore bounding concurrency), retries on 429/5xx honouring `Retry-After`, paging with
a page cap, response size and time caps, id validation and de-duplication, storage (`store.py`) and
the comparison with the catalog (`--diff`, `--write`). What differs per flavour, the request and
the mapping of a response into catalog fields, lives in `kabot_models/plugins/`.

Security: a key is sent only to its provider's base URL (redirects are not followed and every
request URL is checked against the base URL's origin), never stored, and scrubbed from every
message; reasons shown to people are one line.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import email.utils
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .configured import provider_configured
from .credentials import load_credentials, mask_key, provider_key
from .errors import ScanError, StoreError
from .plugins.base import ListRequest, ProviderPlugin, ScannedModel, counting
from .store import ScanCounts, Store, compare, encode_fields, now

if TYPE_CHECKING:
    import httpx

    from .registry import Registry

USER_AGENT = "kabot-models-scan/1"


@dataclass(frozen=True)
class Limits:
    """Bounds on what one provider's scan may cost; every response is untrusted."""

    timeout: float = 30.0
    """Seconds for one request, body included (a server trickling bytes cannot hold a scan open)."""
    max_bytes: int = 20 * 1024 * 1024
    """Largest response body read; reading stops there and the provider fails."""
    max_pages: int = 100
    """Most pages followed; paging that never ends fails with a clear reason."""
    max_attempts: int = 4
    """Tries per request when the server answers 429 or 5xx (one try plus three retries)."""
    max_retry_after: float = 30.0
    """Longest wait honoured from a `Retry-After` header."""
    max_id_length: int = 256
    """Longest model id accepted."""
    detail_concurrency: int = 4
    """Follow-up (per-model detail) requests in flight at once for one provider."""
    max_models: int = 20_000
    """Most models one provider may list (the largest gateway lists a few thousand); a provider
    listing more fails and nothing of it is stored. Ollama's per-model detail requests are bounded
    by it too, as there is one per listed model."""
    deadline: float | None = None
    """Seconds one provider's whole scan may take (pages, retries, detail requests); None means
    `DEADLINE_FACTOR` times `timeout`. Past it the provider fails."""

    @property
    def provider_deadline(self) -> float:
        """The deadline in force for one provider."""
        return self.deadline if self.deadline is not None else DEADLINE_FACTOR * self.timeout


DEADLINE_FACTOR = 10
"""A provider's whole scan may take this many times `--timeout` (five minutes at the default 30 s)."""


@dataclass
class Target:
    """One provider to scan: its catalog block, the URL to ask and the key to ask with."""

    provider: dict[str, Any]
    base_url: str
    key: str | None = field(default=None, repr=False)
    key_source: str | None = None
    """Where the key came from (an env var name or `credentials`), for messages; never the key."""
    problem: str | None = None
    """Why this provider cannot be scanned at all (no key, no base URL); it is reported as failed."""
    optional: bool = False
    """A local server picked by a default scan: when nothing listens there it is skipped, not failed."""
    details: bool = False
    """Also send the per-model requests a plugin makes only on request (`scan --details`: OpenRouter's endpoints)."""

    @property
    def id(self) -> str:
        """The provider id."""
        return str(self.provider["id"])


@dataclass
class ProviderResult:
    """What scanning one provider produced."""

    provider: str
    base_url: str
    """The URL asked, as `safe_url` shows it (empty when the URL was refused)."""
    status: str
    """`ok`, `failed`, or `skipped` (an optional provider that cannot be reached: a local server that is
    not running, a public list nobody configured; nothing is stored)."""
    reason: str | None = None
    """One line saying why it failed (the key never appears)."""
    failure: str | None = None
    """What kind of failure: `refused` (HTTP 401/403: the key), `unreachable` (nothing answered, or
    too slowly), or `error` (any other answer: a wrong URL, a malformed list)."""
    entries: list[ScannedModel] = field(default_factory=list)
    skipped: int = 0
    """Entries dropped as unusable: not an object, no id, an invalid id."""
    duplicates: int = 0
    """Entries whose id appeared earlier in the same listing."""
    details_failed: int = 0
    """Detail requests asked for on top of the list (`--details`) that failed; those entries keep what the list said."""
    dropped_fields: int = 0
    """Field values left out: present in the response but of a wrong type or unusable, or not fitting the catalog's schema."""
    pages: int = 0
    started_at: str = ""
    seconds: float = 0.0
    counts: ScanCounts | None = None
    """How the listing compares with the previous stored scan (filled by `run_scan`)."""

    def as_json(self) -> dict[str, Any]:
        """The result as `scan --json` prints it."""
        counts = {k: getattr(self.counts, k) if self.counts else None for k in ("seen", "new", "gone", "changed")}
        return {
            "provider": self.provider, "status": self.status, "reason": self.reason, "base_url": self.base_url,
            **counts, "skipped": self.skipped, "duplicates": self.duplicates,
            "dropped_fields": self.dropped_fields, "details_failed": self.details_failed, "pages": self.pages, "seconds": round(self.seconds, 3),
        }


# --- choosing providers and keys -----------------------------------------------------------------


def plan_scan(
    registry: Registry,
    provider_ids: Iterable[str] = (),
    base_url: str | None = None,
    env: Mapping[str, str] | None = None,
    credentials: dict[str, dict[str, Any]] | None = None,
    config: Mapping[str, Any] | None = None,
    details: bool = False,
) -> list[Target]:
    """The providers to scan: the ones named, or every configured one (key set, or none needed:
    `auth.required: false`, or a list endpoint its plugin knows to be public, as OpenRouter's).

    A named provider that cannot be scanned (no key, no base URL, no list API) is still returned,
    with `problem` set, so it is reported as failed; unconfigured ones are left out of a default scan.
    A default scan also leaves out a gateway whose key would come from an environment variable a
    first-party provider names (aihubmix reads OPENAI_API_KEY): sending OpenAI's key to a third
    party takes an explicit `--provider`.

    The user config (`config`, default: `config.load_config()`) is honoured as `auth login` and
    `auth status` honour it: `providers.<id>.api_base` replaces the catalog's base URL (`base_url`,
    from `--base-url`, still wins) and `providers.<id>.key_env` names the variable holding the key.
    `details` asks for the per-model requests a plugin makes only on request (`Target.details`).
    """
    env = os.environ if env is None else env
    credentials = load_credentials() if credentials is None else credentials
    if config is None:
        from .config import load_config

        config = load_config()
    settings = config.get("providers") or {}
    named = list(dict.fromkeys(provider_ids))
    if base_url is not None and len(named) != 1:
        raise ScanError("--base-url needs exactly one --provider")
    blocks: list[dict[str, Any]] = []
    for name in named:
        pid = registry.canonical_provider(name)
        if pid is None:
            import difflib

            known = [p["id"] for p in registry.provider_records()]
            close = difflib.get_close_matches(name, known, n=1)
            raise ScanError(f"unknown provider {name!r}" + (f"; did you mean {close[0]!r}?" if close else ""))
        blocks.append(next(p for p in registry.provider_records() if p["id"] == pid))
    explicit = bool(named)
    if not explicit:
        blocks = list(registry.provider_records())
    first_party_vars = registry.first_party_env_vars()
    targets = []
    for block in blocks:
        api = block.get("api") or {}
        auth = block.get("auth") or {}
        mine = settings.get(block["id"]) or {}
        found = provider_key(block, credentials, mine.get("key_env"), env=env)
        key = found.key if found else None
        source = (found.where if found.source == "env" else "credentials") if found else None
        flavor = api.get("flavor", "openai")
        url = base_url or mine.get("api_base") or api.get("base_url") or ""
        target = Target(block, url, key, source, details=details)
        if flavor == "none":
            target.problem = "the provider has no list-models API (api.flavor: none)"
        elif not url:
            target.problem = "no api.base_url in the catalog; pass --base-url"
        elif key is None and auth.get("required", True) and _list_needs_key(block):
            names = " or ".join(auth.get("env") or ()) or "a key"
            target.problem = f"no API key: set {names} (or store one in the credentials file)"
        if not explicit:
            if target.problem:
                continue
            # configured.provider_configured decides, as for list and resolve (the scan is itself the
            # check, so a failed last check does not keep a provider out, and a local server is tried)
            public = False
            if block.get("kind") != "local":
                answer = provider_configured(block, settings=mine, stored=credentials, env=env, borrowed=first_party_vars)
                public = not answer
                if public:
                    if _list_needs_key(block):
                        continue
                    target.key = target.key_source = None  # a public list (OpenRouter's) is read without a key
                elif answer.key is not None:  # the provider's own key, never a first party's variable it also reads
                    target.key = answer.key.key
                    target.key_source = answer.key.where if answer.key.source == "env" else "credentials"
            # Tried, not required: a local server that is not running, or a public list the user set
            # nothing up for, is skipped when it cannot be reached rather than failing the scan.
            target.optional = (block.get("kind") == "local" and key is None) or public
        targets.append(target)
    return targets


def _list_needs_key(block: dict[str, Any]) -> bool:
    """Whether listing the provider's models takes a key (its plugin's `list_needs_key`; True when
    no plugin serves its flavour: the scan then fails with that reason)."""
    from .plugins import plugin_for_provider

    try:
        return getattr(plugin_for_provider(block), "list_needs_key", True) is not False
    except ScanError:
        return True


# --- HTTP ----------------------------------------------------------------------------------------


MASK_MIN = 8
"""Shortest piece of a key that is masked wherever it appears (a server may echo part of a key)."""


class KeyMask:
    """Masks a key, and any piece of it `MASK_MIN` characters or longer, in text and in decoded JSON.

    A key shorter than `MASK_MIN` is masked whole; one shorter than 4 characters (a stand-in, no
    secret) is not masked at all, as it would hide ordinary letters everywhere.
    """

    def __init__(self, key: str | None) -> None:
        self.key = key or ""
        n = min(MASK_MIN, len(self.key)) if len(self.key) >= 4 else 0
        self.grams = {self.key[i:i + n] for i in range(len(self.key) - n + 1)} if n else set()
        self.n = n

    def text(self, text: str) -> str:
        """`text` with every run of key pieces replaced: the whole key by `mask_key`, a part by `****`."""
        if not self.grams or len(text) < self.n:
            return text
        spans: list[tuple[int, int]] = []
        for gram in self.grams:  # str.find runs in C: a pass per piece beats a Python pass per character
            at = text.find(gram)
            while at != -1:
                spans.append((at, at + self.n))
                at = text.find(gram, at + 1)
        if not spans:
            return text
        spans.sort()
        out, last = [], 0
        start, end = spans[0]
        for a, b in spans[1:] + [(len(text) + 1, 0)]:
            if a <= end:
                end = max(end, b)
                continue
            out.append(text[last:start])
            out.append(mask_key(self.key) if text[start:end] == self.key else "****")
            last = end
            start, end = a, b
        out.append(text[last:])
        return "".join(out)

    def found_in(self, value: Any) -> bool:
        """True when a piece of the key appears anywhere in `value` (JSON-like data)."""
        if not self.grams:
            return False
        text = json.dumps(value, ensure_ascii=False, default=str)
        return any(gram in text for gram in self.grams)

    def value(self, value: Any) -> Any:
        """`value` (decoded JSON) with the key masked in every string and key; unchanged objects are returned as they are."""
        if not self.found_in(value):
            return value
        return self._walk(value)

    def _walk(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(k) if isinstance(k, str) else k: self._walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._walk(v) for v in value]
        return value


def _redact(message: str, key: str | None) -> str:
    """One printable line of at most 300 characters, with the key and any piece of it masked."""
    line = " ".join("".join(ch if ch.isprintable() else " " for ch in message).split())
    return KeyMask(key).text(line)[:300]


_KEY_OK = re.compile(r"[\x21-\x7e]{1,4096}")


def check_base_url(url: str, key: str | None = None) -> str | None:
    """Why `url` cannot be a base URL (credentials, query, not http, or a piece of `key` anywhere in
    it, e.g. a key pasted into the path), or None when it is fine. The URL is never quoted when it
    may hold a secret."""
    expected = "expected http(s)://host[:port][/path]"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return f"invalid base URL: {expected}"  # the URL itself is not echoed: it may hold a secret
    if parts.username or parts.password or parts.query or parts.fragment:
        return f"invalid base URL {parts.scheme}://{parts.hostname}...: it may not carry credentials, a query or a fragment"
    if KeyMask(key).found_in(url):
        return (f"invalid base URL {parts.scheme}://{parts.hostname}...: it holds the API key (or part of it); "
                "give the key on standard input or with --key-env, never in the URL")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        shown = f" {url!r}" if "@" not in url else ""  # `user:secret@host` parses as a scheme and a path
        return f"invalid base URL{shown}: {expected}"
    return None


def safe_url(url: str, key: str | None = None) -> str:
    """`url` as it may be stored and printed: itself when `check_base_url` accepts it, else empty
    (a refused URL may carry a password, a key in its path or query, or anything else)."""
    return url if check_base_url(url, key) is None else ""


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port


class _Unreachable(ScanError):
    """Nothing answered at the base URL."""


class _TimedOut(ScanError):
    """The server took too long to answer."""


class _Refused(ScanError):
    """The server answered 401 or 403: the key (or its absence) was refused."""


class _Fetcher:
    """Sends one provider's requests: origin check, retries, size and time caps, one-line failures."""

    def __init__(self, client: httpx.AsyncClient, target: Target, plugin: ProviderPlugin, limits: Limits) -> None:
        self.client = client
        self.target = target
        self.root = plugin.api_root(target.base_url)
        self.limits = limits

    async def json(self, request: ListRequest) -> Any:
        """The decoded JSON of a 2xx answer to `request`; `ScanError` with a one-line reason otherwise."""
        import httpx

        url = self.root + request.path
        if not request.path.startswith("/") or "/../" in request.path + "/" or _origin(url) != _origin(self.target.base_url):
            raise ScanError(f"refusing to send the key outside {self.target.base_url}: plugin asked for {request.path!r}")
        attempt = 0
        while True:
            attempt += 1
            try:
                async with asyncio.timeout(self.limits.timeout):
                    status, headers, body = await self._send(request, url)
            except (TimeoutError, httpx.TimeoutException):
                raise _TimedOut(f"timed out after {self.limits.timeout:g}s ({request.method} {url})") from None
            except httpx.ConnectError as exc:
                raise _Unreachable(f"cannot connect to {self.target.base_url}: {_redact(str(exc), self.target.key) or 'connection failed'}") from None
            except httpx.HTTPError as exc:
                raise ScanError(f"{type(exc).__name__} from {url}: {_redact(str(exc), self.target.key)}") from None
            if 200 <= status < 300:
                try:
                    return json.loads(body)
                except (ValueError, RecursionError):  # RecursionError: nesting deeper than the decoder allows
                    start = _redact(body[:40].decode("utf-8", "replace"), self.target.key)
                    raise ScanError(f"response is not valid JSON (it starts {start!r})") from None
            if status == 429 or status >= 500:
                if attempt < self.limits.max_attempts:
                    await asyncio.sleep(self._wait(headers.get("retry-after"), attempt))
                    continue
                raise ScanError(f"HTTP {status}{self._detail(body)} (gave up after {attempt} attempts)")
            error = _Refused if status in (401, 403) else ScanError
            raise error(self._status_reason(status, headers, url) + self._detail(body))

    async def _send(self, request: ListRequest, url: str) -> tuple[int, Any, bytes]:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **request.headers}
        async with self.client.stream(request.method, url, headers=headers, params=dict(request.params), json=request.json) as resp:
            cap = self.limits.max_bytes
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > cap:
                raise ScanError(f"response is {int(declared) >> 20} MB; the limit is {cap >> 20} MB")
            chunks, size = [], 0
            async for chunk in resp.aiter_bytes():
                size += len(chunk)
                if size > cap:
                    raise ScanError(f"response is larger than {cap >> 20} MB; stopped reading")
                chunks.append(chunk)
            return resp.status_code, resp.headers, b"".join(chunks)

    def _wait(self, retry_after: str | None, attempt: int) -> float:
        """Seconds before the next try: the server's `Retry-After` (capped), else exponential backoff."""
        if retry_after:
            value = retry_after.strip()
            if re.fullmatch(r"\d+(\.\d+)?", value):
                return min(float(value), self.limits.max_retry_after)
            try:
                when = email.utils.parsedate_to_datetime(value)
                return min(max((when - _dt.datetime.now(_dt.timezone.utc)).total_seconds(), 0.0), self.limits.max_retry_after)
            except (TypeError, ValueError):
                pass
        return min(0.5 * 2 ** (attempt - 1), self.limits.max_retry_after)

    def _status_reason(self, status: int, headers: Any, url: str) -> str:
        if 300 <= status < 400:
            where = headers.get("location", "")
            try:
                host = urlsplit(where).hostname or where[:80]
            except ValueError:
                host = where[:80]
            return f"HTTP {status} redirect to {host!r} not followed (the key goes only to the provider's base URL); fix api.base_url"
        if status == 401:
            if self.target.key:
                return f"HTTP 401 Unauthorized: the key from {self.target.key_source} was rejected"
            return "HTTP 401 Unauthorized: this API needs a key"
        if status == 403:
            return "HTTP 403 Forbidden: the key may not list models"
        if status == 404:
            return f"HTTP 404 Not Found at {url}: is the base URL right?"
        return f"HTTP {status}"

    def _detail(self, body: bytes) -> str:
        """`: <the server's own error message>`, one line and bounded, when the body has one."""
        try:
            data = json.loads(body[:65536])
        except ValueError:
            return ""
        message: Any = data
        for key in ("error", "message", "detail"):
            if isinstance(message, dict) and key in message:
                message = message[key]
        if isinstance(message, dict):
            message = message.get("message")
        if not isinstance(message, str) or not message.strip():
            return ""
        return ": " + _redact(message, self.target.key)[:160]


# --- one provider --------------------------------------------------------------------------------


def valid_id(api_id: str, max_length: int) -> bool:
    """A usable model id: bounded, no whitespace or control characters, no empty/`.`/`..` path segments."""
    from .schema import MODEL_ID_PATTERN

    if not 0 < len(api_id) <= max_length or not re.fullmatch(MODEL_ID_PATTERN, api_id):
        return False
    return all(part not in ("", ".", "..") for part in api_id.split("/"))


def clean_fields(fields: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """The fields the catalog's schema accepts (values as given), and how many were dropped.

    The schema (`ModelEntry`) is the one judge of a value; a field it rejects is dropped, the
    rest kept. Aliases are held to the catalog's alias pattern (they are kept as the provider's
    data only: the registry never merges them, so a provider cannot claim a name), and a max
    output above the context window is dropped as the catalog's cross-check would refuse it.
    """
    from pydantic import ValidationError

    from .schema import ALIAS_PATTERN, ModelEntry

    fields = {k: v for k, v in fields.items() if k in ModelEntry.model_fields and k not in ("base", "successor", "acknowledged")}
    dropped = 0
    if isinstance(fields.get("aliases"), list):
        good = [a for a in fields["aliases"] if isinstance(a, str) and re.fullmatch(ALIAS_PATTERN, a)]
        dropped += len(fields["aliases"]) != len(good)
        fields["aliases"] = good
    for _ in range(len(fields) + 1):
        try:
            ModelEntry.model_validate(fields)
            break
        except ValidationError as exc:
            bad = {e["loc"][0] for e in exc.errors() if e["loc"]} & set(fields) or set(fields)
            for key in bad:
                fields.pop(key)
                dropped += 1
    ctx, out = fields.get("context_window"), fields.get("max_output")
    if isinstance(ctx, int) and isinstance(out, int) and out > ctx:
        fields.pop("max_output")
        dropped += 1
    return fields, dropped


async def scan_provider(client: httpx.AsyncClient, target: Target, limits: Limits = Limits()) -> ProviderResult:
    """Scan one provider; never raises for the provider's faults (the result says `failed` and why)."""
    started, clock = now(), time.monotonic()
    result = ProviderResult(target.id, safe_url(target.base_url, target.key), "ok", started_at=started)
    deadline = limits.provider_deadline
    try:
        try:
            async with asyncio.timeout(deadline):
                await _scan_into(result, client, target, limits)
        except TimeoutError:
            raise _TimedOut(f"the scan took longer than {deadline:g}s (10 x --timeout) and was stopped; "
                            f"{result.pages} page(s) read, the server may be slow or holding retries open") from None
    except ScanError as exc:
        status = "skipped" if target.optional and isinstance(exc, _Unreachable) else "failed"
        result.status, result.reason, result.entries = status, _redact(str(exc), target.key), []
        result.failure = ("refused" if isinstance(exc, _Refused)
                          else "unreachable" if isinstance(exc, (_Unreachable, _TimedOut)) else "error")
    result.seconds = time.monotonic() - clock
    return result


async def _scan_into(result: ProviderResult, client: httpx.AsyncClient, target: Target, limits: Limits) -> None:
    from .plugins import plugin_for_provider

    if target.problem:
        raise ScanError(target.problem)
    problem = check_base_url(target.base_url, target.key)
    if problem:
        raise ScanError(problem)
    if target.key is not None and not _KEY_OK.fullmatch(target.key):
        raise ScanError(f"the key from {target.key_source} holds spaces or characters a header cannot carry")
    plugin = plugin_for_provider(target.provider)
    fetch = _Fetcher(client, target, plugin, limits)
    mask = KeyMask(target.key)  # a model whose id holds a piece of the key is skipped; other fields are masked
    seen: dict[str, ScannedModel] = {}
    token: str | None = None
    tokens: set[str] = set()
    while True:
        if result.pages >= limits.max_pages:
            raise ScanError(f"paging did not end after {limits.max_pages} pages; stopped (the API keeps returning a next-page token)")
        result.pages += 1
        payload = await fetch.json(plugin.list_request(target.provider, target.base_url, target.key, token))
        page = _guarded(plugin.flavor, plugin.translate, target.id, payload)
        if len(seen) + len(page.entries) > limits.max_models:
            raise ScanError(f"lists more than {limits.max_models:,} models (the limit per provider, scanner.Limits.max_models); nothing stored")
        result.skipped += page.skipped
        for entry in page.entries:
            if not isinstance(entry.id, str) or not valid_id(entry.id, limits.max_id_length) or mask.found_in(entry.id):
                result.skipped += 1
            elif entry.id in seen:
                result.duplicates += 1
            else:
                seen[entry.id] = entry
        token = page.next_page
        if token is None:
            break
        if token in tokens:
            raise ScanError(f"paging loops: page token {token[:40]!r} came back")
        tokens.add(token)
    entries = list(seen.values())
    entries = await _details(fetch, plugin, target, entries, limits, result)
    for entry in entries:
        entry.fields, dropped = clean_fields(entry.fields)
        entry.fields, entry.raw = mask.value(entry.fields), mask.value(entry.raw)
        result.dropped_fields += dropped + entry.misread
    result.entries = entries


def _guarded(flavor: str, translate: Callable[..., Any], *args: Any) -> Any:
    """Run a translator; any error of its own becomes this provider's one-line failure, not a crash of the scan."""
    try:
        return translate(*args)
    except ScanError:
        raise
    except Exception as exc:
        raise ScanError(f"the {flavor} translator could not read this response ({type(exc).__name__}: {exc})") from None


async def _details(fetch: _Fetcher, plugin: ProviderPlugin, target: Target, entries: list[ScannedModel], limits: Limits,
                   result: ProviderResult) -> list[ScannedModel]:
    """Fold each entry's detail response in (Ollama's `/api/show`; OpenRouter's endpoints when
    `target.details`), a few requests at a time.

    A failed detail request fails the provider when the details are part of every scan (the list
    alone lacks the context length); when they were asked for on top (`details_on_request`), the
    entry keeps what the list said and the failure is counted in `result.details_failed`.
    """
    gate = asyncio.Semaphore(limits.detail_concurrency)
    optional = bool(getattr(plugin, "details_on_request", False))
    if optional and not target.details:
        return entries

    async def one(entry: ScannedModel) -> ScannedModel:
        request = plugin.detail_request(target.provider, target.base_url, target.key, entry)
        if request is None:
            return entry
        async with gate:
            try:
                payload = await fetch.json(request)
                detailed, misread = counting(_guarded, plugin.flavor, plugin.translate_detail, entry, payload)
            except ScanError as exc:
                if optional:
                    result.details_failed += 1
                    return entry
                raise ScanError(f"details of {entry.id!r}: {exc}") from None
        detailed.misread = entry.misread + misread
        return detailed

    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(e)) for e in entries]
    except* ScanError as failures:
        raise failures.exceptions[0] from None
    return [t.result() for t in tasks]


DEFAULT_CONCURRENCY = 32
"""Providers scanned at once by default. Each is a different host answering one small request per
page, so a high bound costs little, and forty-odd providers finish in about the slowest one's time."""


# --- every provider ------------------------------------------------------------------------------


async def scan_all(
    targets: list[Target],
    concurrency: int = DEFAULT_CONCURRENCY,
    limits: Limits = Limits(),
    on_start: Callable[[Target], None] | None = None,
    on_done: Callable[[ProviderResult], None] | None = None,
) -> list[ProviderResult]:
    """Scan `targets` concurrently (at most `concurrency` at once); results in the targets' order.

    `on_done` is called as each provider finishes (the runner stores it there, so an interrupted
    run keeps what finished).
    """
    import httpx

    gate = asyncio.Semaphore(max(1, concurrency))
    client_limits = httpx.Limits(max_connections=max(1, concurrency) * limits.detail_concurrency)
    async with httpx.AsyncClient(follow_redirects=False, timeout=limits.timeout, limits=client_limits) as client:

        async def one(target: Target) -> ProviderResult:
            async with gate:
                if on_start:
                    on_start(target)
                result = await scan_provider(client, target, limits)
            if on_done:
                on_done(result)
            return result

        return list(await asyncio.gather(*(one(t) for t in targets)))


def run_scan(
    targets: list[Target],
    db_path: str | Path | None,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    limits: Limits = Limits(),
    dry_run: bool = False,
    on_start: Callable[[Target], None] | None = None,
    on_done: Callable[[ProviderResult], None] | None = None,
) -> list[ProviderResult]:
    """Scan and store: each provider's results are saved (one transaction) as soon as it finishes.

    With `dry_run`, nothing is written; counts are still compared with what the database holds.
    A failure to store one provider's results marks that provider failed and keeps the others.
    """
    db = Path(db_path) if db_path is not None else None
    store = None
    if db is not None and (not dry_run or db.exists()):
        store = Store(db)
    try:
        run_id = store.begin_run() if store and not dry_run else 0

        def done(result: ProviderResult) -> None:
            _record(store, run_id, result, dry_run)
            if on_done:
                on_done(result)

        results = asyncio.run(scan_all(targets, concurrency, limits, on_start, done))
        if store and not dry_run:
            store.finish_run(run_id)
        return results
    finally:
        if store:
            store.close()


def _record(store: Store | None, run_id: int, result: ProviderResult, dry_run: bool) -> None:
    try:
        if result.status == "skipped":
            return
        if result.status != "ok":
            if store and not dry_run:
                store.save_failure(run_id, result.provider, result.base_url, result.started_at, result.seconds, result.reason or "")
            return
        if store is None or dry_run:
            previous = store.previous(result.provider) if store else {}
            result.counts = compare(previous, {e.id: encode_fields(e.fields) for e in result.entries})
            return
        result.counts = store.save_provider(run_id, result.provider, result.base_url, result.started_at, result.seconds,
                                            result.entries, result.skipped, result.duplicates)
    except StoreError as exc:
        result.status, result.reason = "failed", f"could not store the results: {exc}"


# --- the catalog and the live lists --------------------------------------------------------------

#: Fields `--diff` compares, as paths into a model record.
DIFF_FIELDS = (("context_window",), ("max_output",), ("pricing", "input_1m"), ("pricing", "output_1m"),
               ("pricing", "cache_read_1m"), ("pricing", "cache_write_1m"))


@dataclass
class ProviderDiff:
    """Where one provider's live list and the catalog disagree."""

    provider: str
    new: list[str] = field(default_factory=list)
    """API ids the provider serves that the catalog lacks."""
    gone: list[str] = field(default_factory=list)
    """API ids in the catalog the provider no longer lists."""
    differs: list[dict[str, Any]] = field(default_factory=list)
    """`{id, field, catalog, live}` for each figure that differs."""

    def as_json(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"provider": self.provider, "new": self.new, "gone": self.gone, "differs": self.differs}


def diff_catalog(registry: Registry, results: Iterable[ProviderResult]) -> list[ProviderDiff]:
    """Compare each successful scan with the catalog's entries for that provider."""
    catalog_by_provider: dict[str, dict[str, dict[str, Any]]] = {}
    for rec in registry.records():
        if rec.get("origin", "catalog") == "catalog":
            catalog_by_provider.setdefault(rec["provider"], {})[rec["id"].split("/", 1)[1]] = rec
    diffs = []
    for result in results:
        if result.status != "ok":
            continue
        catalog = catalog_by_provider.get(result.provider, {})
        live = {e.id: e.fields for e in result.entries}
        diff = ProviderDiff(result.provider, sorted(set(live) - set(catalog)), sorted(set(catalog) - set(live)))
        for api_id in sorted(set(live) & set(catalog)):
            for path in DIFF_FIELDS:
                ours, theirs = _dig(catalog[api_id], path), _dig(live[api_id], path)
                if ours is not None and theirs is not None and not _same_number(ours, theirs):
                    diff.differs.append({"id": f"{result.provider}/{api_id}", "field": ".".join(path), "catalog": ours, "live": theirs})
        diffs.append(diff)
    return diffs


def _dig(record: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = record
    for part in path:
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _same_number(a: Any, b: Any) -> bool:
    from decimal import Decimal

    try:
        return Decimal(str(a)) == Decimal(str(b))
    except ArithmeticError:
        return a == b


#: Fields a proposed entry takes from the scan, in the order they are written.
PROPOSED_FIELDS = ("name", "description", "mode", "context_window", "max_output", "pricing", "capabilities",
                   "input_modalities", "output_modalities", "release_date", "status", "deprecation_date", "retirement_date",
                   "open_weights")


def write_proposals(catalog_dir: Path, results: Iterable[ProviderResult], registry: Registry, today: _dt.date | None = None) -> dict[str, list[str]]:
    """Add an entry for every scanned model the catalog lacks to its provider's YAML file.

    The files are edited round-trip (ruamel.yaml: comments, order and quoting kept); each new
    entry is preceded by `# scanned <date>, review` and carries `review: scan` (the schema's flag
    for an entry no person has reviewed) for the person curating the pull request.
    The catalog is validated afterwards; on any defect every file is restored and `ScanError`
    names the first one. Returns provider id -> API ids added.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    from .catalog import validate_catalog

    today = today or _dt.date.today()
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    diffs = {d.provider: d for d in diff_catalog(registry, results)}
    originals: dict[Path, bytes] = {}
    added: dict[str, list[str]] = {}
    try:
        for result in results:
            diff = diffs.get(result.provider)
            if diff is None or not diff.new:
                continue
            path = catalog_dir / "providers" / f"{result.provider}.yaml"
            if not path.is_file():
                raise ScanError(f"{path}: no such provider file to add {len(diff.new)} scanned model(s) to")
            originals[path] = path.read_bytes()
            doc = yaml.load(originals[path].decode("utf-8"))
            models = doc.get("models")
            if not isinstance(models, CommentedMap):
                models = doc["models"] = CommentedMap()
            live = {e.id: e.fields for e in result.entries}
            for api_id in diff.new:
                models[api_id] = _proposed_entry(live[api_id], api_id, result, today)
                models.yaml_set_comment_before_after_key(api_id, before=f"scanned {today.isoformat()}, review", indent=2)
            _write_atomically(path, yaml, doc)
            added[result.provider] = list(diff.new)
        if originals:
            _, issues = validate_catalog(catalog_dir)
            if issues:
                raise ScanError(f"the proposed entries do not validate, nothing written: {issues[0]}")
    except BaseException:
        for path, raw in originals.items():
            path.write_bytes(raw)
        raise
    return added


def _proposed_entry(fields: Mapping[str, Any], api_id: str, result: ProviderResult, today: _dt.date) -> Any:
    from ruamel.yaml.comments import CommentedMap

    entry = CommentedMap()
    entry["name"] = fields.get("name") or api_id
    for key in PROPOSED_FIELDS[1:]:
        value = fields.get(key)
        if value is None:
            continue
        if key in ("release_date", "deprecation_date", "retirement_date"):
            value = _dt.date.fromisoformat(value)
        if isinstance(value, (dict, list)):
            value = _flow(value)
        entry[key] = value
    # A fresh date object per entry: ruamel would turn one shared object into a YAML anchor and aliases.
    provenance = CommentedMap(method="scan", api=result.base_url, date=_dt.date.fromordinal(today.toordinal()),
                              note="from the provider's live list-models API; review before merging")
    provenance.fa.set_flow_style()
    entry["provenance"] = provenance
    entry["review"] = "scan"
    return entry


def _flow(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    out: Any = CommentedMap(value) if isinstance(value, dict) else CommentedSeq(value)
    out.fa.set_flow_style()
    return out


def _write_atomically(path: Path, yaml: Any, doc: Any) -> None:
    import io

    buffer = io.BytesIO()
    yaml.dump(doc, buffer)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(buffer.getvalue())
    os.replace(tmp, path)
