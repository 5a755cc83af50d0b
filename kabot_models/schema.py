"""The catalog's data model: pydantic v2 classes that are the single source of the file format.

`schemas/provider.schema.json` is generated from `ProviderFile` (`make schema`); a test fails when
the committed file is stale. YAML files use the same names as the Python attributes, one to one.

This module imports pydantic (about 8x a bare interpreter start), so the resolve path never
imports it: the registry keeps plain dicts and builds these objects only when asked for one.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic.json_schema import GenerateJsonSchema

SCHEMA_ID = "https://github.com/kabot-ai/kabot-models/schemas/provider.schema.json"

Capability = Literal[
    "vision",
    "tool_use",
    "parallel_tool_calls",
    "reasoning",
    "json_mode",
    "structured_output",
    "prompt_caching",
    "audio_input",
    "audio_output",
    "video_input",
    "pdf_input",
    "image_output",
    "web_search",
    "computer_use",
    "code_execution",
    "streaming",
    "system_messages",
]
"""The closed vocabulary of capabilities: a typo in a YAML file is an error, not a new capability."""

CAPABILITIES: tuple[str, ...] = Capability.__args__  # type: ignore[attr-defined]

Modality = Literal["text", "image", "audio", "video", "pdf"]
Mode = Literal[
    "chat",
    "completion",
    "responses",
    "embedding",
    "image_generation",
    "audio_transcription",
    "audio_speech",
    "rerank",
    "moderation",
    "video_generation",
    "ocr",
]
Status = Literal["active", "preview", "deprecated", "retired"]
ProviderKind = Literal["first-party", "gateway", "cloud", "local"]
ApiFlavor = Literal["openai", "anthropic", "gemini", "ollama", "openrouter", "together", "groq", "mistral", "deepinfra", "fireworks", "moonshot", "none"]
AuthHeader = Literal["bearer", "x-api-key", "x-goog-api-key", "api-key", "none"]
Dataset = Literal["litellm", "genai-prices", "models-dev", "openrouter"]
"""The outside datasets the catalog is compared with and synced from."""
ProvenanceMethod = Literal["import", "verified", "scan"]
"""How a figure got into the catalog: imported from a dataset, verified on the provider's page, or scanned from its API."""

# Patterns are ECMA-262 compatible so stock JSON Schema validators agree with ours.
from .pricing_terms import STANDARD_TIERS, TIER_NAME_PATTERN, window_minutes  # noqa: E402
from .patterns import (  # noqa: E402 - the patterns live apart so the resolver can use them without pydantic
    ALIAS_PATTERN,
    FULL_ID_PATTERN,
    MAX_ALIAS_LENGTH,
    MAX_MODEL_ID_LENGTH,
    MAX_NAME_LENGTH,
    MAX_PROVIDER_ID_LENGTH,
    MODEL_ID_PATTERN,
    MONTH_PATTERN,
    RELEASE_MONTH_PATTERN,
    NAME_PATTERN,
    PATTERN_HELP,
    PROVIDER_ID_PATTERN,
    TEXT_PATTERN,
)

MAX_PRICE = 100_000
"""Highest price accepted, USD per 1M tokens: far above any model's, and it keeps out infinity."""
MAX_TOKENS = 1_000_000_000_000
"""Largest token count accepted (context, output, thresholds): far above any model's, and it fits SQLite."""
MAX_PRIORITY = 1_000_000
"""Largest provider priority accepted either way (-MAX_PRIORITY..MAX_PRIORITY); it fits SQLite's INTEGER."""
MAX_DISPLAY_NAME = 200
"""Longest display name (a model's or a provider's)."""
MAX_TEXT = 4000
"""Longest free text (descriptions, notes, reasons)."""
MAX_URL = 2048
"""Longest URL."""
MAX_WORD = 200
"""Longest short token: environment variable names, prefixes, keywords, field paths."""


def _not_negative_zero(value: float) -> float:
    if value == 0 and math.copysign(1.0, value) < 0:
        raise ValueError("-0.0 is not a price; write 0")
    return value


Price = Annotated[float, Field(ge=0, le=MAX_PRICE), AfterValidator(_not_negative_zero)]
"""USD per 1M tokens: 0 up to `MAX_PRICE`, never negative zero (which prints as -0 and prices as -0)."""
Url = Annotated[str, Field(pattern=r"^https?://", max_length=MAX_URL)]
Word = Annotated[str, Field(min_length=1, max_length=MAX_WORD, pattern=NAME_PATTERN)]
DisplayName = Annotated[str, Field(min_length=1, max_length=MAX_DISPLAY_NAME, pattern=NAME_PATTERN)]
Text = Annotated[str, Field(max_length=MAX_TEXT, pattern=TEXT_PATTERN)]
FullId = Annotated[str, Field(pattern=FULL_ID_PATTERN, max_length=MAX_NAME_LENGTH)]
TierName = Annotated[str, Field(max_length=MAX_WORD)]
"""A service tier's or a region's name (the validators check its spelling and say what is wrong)."""
ParamNumber = Annotated[int, Field(ge=-MAX_TOKENS, le=MAX_TOKENS)] | Annotated[float, Field(ge=-MAX_TOKENS, le=MAX_TOKENS)]
"""A number among a model's LiteLLM call parameters (a temperature, a token count), bounded like token counts."""


class _Strict(BaseModel):
    """Base for every catalog object: unknown keys are errors, attribute docstrings become descriptions."""

    model_config = ConfigDict(
        extra="forbid", use_attribute_docstrings=True, populate_by_name=True, regex_engine="python-re"
    )


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

_CLOCK = r"^(?!.*\n)(?:[01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$"
MAX_MULTIPLIER = 100
"""Largest price multiplier accepted (fast modes charge a few times the standard rate)."""
MAX_FEE = 100_000
"""Highest non-token price accepted, USD per request, per image or per 1000 web searches."""
Fee = Annotated[float, Field(ge=0, le=MAX_FEE), AfterValidator(_not_negative_zero)]
"""USD per request, image or 1000 searches: 0 up to `MAX_FEE`, never negative zero."""


class PriceSource(_Strict):
    """Where one pricing item came from: imported from a dataset, or verified on the provider's page.

    The fields are those of a model's provenance record (method, source, version, date, url, note).
    """

    method: Literal["import", "verified"]
    """`import` (copied from a dataset: give source and version) or `verified` (a person read the provider's page: give url)."""
    source: Dataset | None = None
    """The dataset imported from."""
    version: str | None = Field(default=None, min_length=1, max_length=MAX_WORD, pattern=TEXT_PATTERN)
    """The dataset's release the figures came from, e.g. `0.2.3`."""
    date: _dt.date
    """The day the figures were imported or read."""
    url: Url | None = None
    """The provider's page that states the figures (required when verified)."""
    note: Text | None = None
    """Anything a reader should know, e.g. the dataset's key for the model."""

    @model_validator(mode="after")
    def _check(self) -> PriceSource:
        if self.method == "import" and (self.source is None or self.version is None):
            raise ValueError("an imported price needs `source` (the dataset) and `version`")
        if self.method == "verified" and self.url is None:
            raise ValueError("a verified price needs the `url` of the provider's page that was read")
        return self


class PriceSet(_Strict):
    """A set of prices: per-token prices in USD per 1M tokens, and per-call fees."""

    input_1m: Price | None = None
    """USD per 1M input (prompt) tokens."""
    output_1m: Price | None = None
    """USD per 1M output (completion) tokens, reasoning tokens included unless reasoning_1m is set."""
    cache_read_1m: Price | None = None
    """USD per 1M input tokens read from the prompt cache."""
    cache_write_1m: Price | None = None
    """USD per 1M input tokens written to the prompt cache (the default, shortest cache lifetime, e.g. 5 minutes)."""
    cache_write_1h_1m: Price | None = None
    """USD per 1M input tokens written to a one-hour prompt cache, where the provider offers one."""
    reasoning_1m: Price | None = None
    """USD per 1M reasoning tokens, when billed apart from output tokens."""
    input_audio_1m: Price | None = None
    """USD per 1M audio input tokens."""
    output_audio_1m: Price | None = None
    """USD per 1M audio output tokens."""
    per_request: Fee | None = None
    """USD per request, charged on top of the tokens."""
    web_search_1k: Fee | None = None
    """USD per 1000 web searches (search tool calls) a request makes."""
    per_image: Fee | None = None
    """USD per image generated."""


class PriceTier(PriceSet):
    """Prices that apply instead of the base ones when the prompt is larger than a threshold."""

    above_input_tokens: int = Field(gt=0, le=MAX_TOKENS)
    """The threshold: these prices apply when the request's input tokens exceed this count."""


def _check_tiers(tiers: list[PriceTier]) -> None:
    thresholds = [t.above_input_tokens for t in tiers]
    if thresholds != sorted(set(thresholds)):
        raise ValueError("tiers must be in ascending order of above_input_tokens, each threshold once")


class ServiceTier(PriceSet):
    """A way of calling the model (batch, flex, priority, fast, ...): its own prices, or a multiplier of the standard ones."""

    multiplier: float | None = Field(default=None, gt=0, le=MAX_MULTIPLIER)
    """Every per-token price of the standard tier (long-context prices included) times this, instead of prices of its own."""
    tiers: list[PriceTier] = Field(default_factory=list)
    """Long-context prices under this service tier, one per threshold of the standard `tiers` it offers."""
    source: PriceSource | None = None
    """Where these prices came from."""

    @model_validator(mode="after")
    def _check(self) -> ServiceTier:
        own = [f for f in PriceSet.model_fields if getattr(self, f) is not None]
        if self.multiplier is not None and (own or self.tiers):
            raise ValueError(f"a service tier has a multiplier or prices of its own, not both (remove {', '.join(own) or 'tiers'})")
        if self.multiplier is None and not own:
            raise ValueError("a service tier needs prices (input_1m, output_1m, ...) or a multiplier")
        _check_tiers(self.tiers)
        return self


class RegionUplift(_Strict):
    """A surcharge for running a request in one region (data residency): every per-token price times `multiplier`."""

    multiplier: float = Field(gt=0, le=MAX_MULTIPLIER)
    """Factor on every per-token price, e.g. 1.1 for a 10% uplift."""
    service_tiers: list[TierName] | None = None
    """Service tiers the region is offered with (`standard` for the base prices); unset: all of them."""
    source: PriceSource | None = None
    """Where the uplift came from."""


class PriceWindow(PriceSet):
    """Prices for a time of day (peak or off-peak hours), replacing the period's own prices inside the window."""

    name: str | None = Field(default=None, max_length=MAX_WORD, pattern=TIER_NAME_PATTERN)
    """What the provider calls the window, e.g. `peak`."""
    start: str = Field(pattern=_CLOCK, max_length=5)
    """Start time, `HH:MM`, in `timezone` (inclusive)."""
    end: str = Field(pattern=_CLOCK, max_length=5)
    """End time, `HH:MM` or `24:00`, in `timezone` (exclusive); earlier than start for a window past midnight."""
    timezone: str = Field(default="UTC", min_length=1, max_length=MAX_WORD, pattern=TEXT_PATTERN)
    """IANA time zone the times and days are in, e.g. `UTC` or `Asia/Shanghai`."""
    days: list[Weekday] | None = None
    """Weekdays (of the window's start, in `timezone`) the window applies on; unset: every day."""
    source: PriceSource | None = None
    """Where the window came from."""

    @model_validator(mode="after")
    def _check(self) -> PriceWindow:
        if self.start == self.end or (self.start == "00:00" and self.end == "24:00"):
            raise ValueError(f"window {self.start}-{self.end} covers no time or the whole day; a whole-day price is the period's own price")
        if self.days is not None and (not self.days or len(set(self.days)) != len(self.days)):
            raise ValueError("days must name each weekday once, and at least one")
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {self.timezone!r}; use an IANA name such as UTC or Asia/Shanghai") from None
        return self


class PricePeriod(PriceSet):
    """Everything a model costs during one span of days: base prices, long-context tiers, service tiers, regions, time-of-day windows."""

    since: _dt.date | None = None
    """First day (UTC) these prices apply."""
    until: _dt.date | None = None
    """First day (UTC) they no longer apply, when an end is announced and nothing follows."""
    tiers: list[PriceTier] = Field(default_factory=list)
    """Prices above a named input-size threshold, in ascending order of threshold."""
    batch: ServiceTier | None = None
    """Prices through the provider's batch API (the service tier named `batch`)."""
    service_tiers: dict[TierName, ServiceTier] = Field(default_factory=dict)
    """Other service tiers by the name the API uses (`flex`, `priority`, `fast`, ...)."""
    regions: dict[TierName, RegionUplift] = Field(default_factory=dict)
    """Regional or data-residency uplifts by the name the API uses (e.g. `us`); `global` and an unset region pay the base prices."""
    windows: list[PriceWindow] = Field(default_factory=list)
    """Time-of-day prices; outside every window the period's own prices apply. They may not overlap."""
    source: PriceSource | None = None
    """Where this period's prices came from."""

    @field_validator("tiers")
    @classmethod
    def _check_long_context(cls, tiers: list[PriceTier]) -> list[PriceTier]:
        _check_tiers(tiers)
        return tiers

    @field_validator("service_tiers")
    @classmethod
    def _check_service_tiers(cls, tiers: dict[str, ServiceTier]) -> dict[str, ServiceTier]:
        for name in tiers:
            if not re.match(TIER_NAME_PATTERN, name):
                raise ValueError(f"service tier name {name!r} is not allowed: use lowercase letters, digits, '-' and '_'")
            if name == "batch":
                raise ValueError("the batch tier is `pricing.batch`, not `service_tiers.batch`")
            if name in STANDARD_TIERS:
                raise ValueError(f"{name!r} names the base prices; it cannot be a service tier")
        return tiers

    @field_validator("regions")
    @classmethod
    def _check_regions(cls, regions: dict[str, RegionUplift], info: ValidationInfo) -> dict[str, RegionUplift]:
        known = {"standard", *(info.data.get("service_tiers") or {})}
        if info.data.get("batch") is not None:
            known.add("batch")
        for region, uplift in regions.items():
            if not re.match(TIER_NAME_PATTERN, region) or region == "global":
                raise ValueError(f"region name {region!r} is not allowed: lowercase, and `global` is the base price")
            for name in uplift.service_tiers or ():
                if name not in known:
                    raise ValueError(f"region {region!r} names service tier {name!r}, which this pricing does not define (known: {', '.join(sorted(known))})")
        return regions

    @field_validator("windows")
    @classmethod
    def _check_windows(cls, windows: list[PriceWindow]) -> list[PriceWindow]:
        zones = {w.timezone for w in windows}
        if len(zones) > 1:
            raise ValueError(f"all windows of one period use one time zone (found {', '.join(sorted(zones))})")
        taken: list[tuple[int, int, int]] = []
        for i, window in enumerate(windows):
            mine = window_minutes(window.start, window.end, window.days)
            for lo, hi in mine:
                for other, olo, ohi in taken:
                    if lo < ohi and olo < hi:
                        raise ValueError(f"windows[{i}] ({window.start}-{window.end}) overlaps windows[{other}] ({windows[other].start}-{windows[other].end})")
            taken.extend((i, lo, hi) for lo, hi in mine)
        return windows

    @model_validator(mode="after")
    def _check_period(self) -> PricePeriod:
        if self.since and self.until and self.until <= self.since:
            raise ValueError(f"until {self.until} must be after since {self.since}")
        return self


class PriceChange(PricePeriod):
    """An earlier or a scheduled price period (`kabot-models cost --at DATE` picks the one in force)."""


class ModelPricing(PricePeriod):
    """What a model costs. An unknown price is left out, never written as 0. The top level is the period in force today."""

    free: bool = False
    """True for a model offered at no charge; its input and output prices must then be 0."""
    history: list[PriceChange] = Field(default_factory=list)
    """Earlier periods, oldest first; only the oldest may leave out `since` (it applied from the start)."""
    scheduled: list[PriceChange] = Field(default_factory=list)
    """Announced future periods, soonest first, each with its `since`."""

    @model_validator(mode="after")
    def _check(self) -> ModelPricing:
        if self.free and (self.input_1m not in (None, 0) or self.output_1m not in (None, 0)):
            raise ValueError("a free model's input_1m and output_1m must be 0")
        for i, h in enumerate(self.history):
            if h.since is None and i > 0:
                raise ValueError(f"history[{i}] needs `since`; only the oldest entry may leave it out")
        for i, s in enumerate(self.scheduled):
            if s.since is None:
                raise ValueError(f"scheduled[{i}] needs `since`, the day it starts")
        periods = [(f"history[{i}]", h) for i, h in enumerate(self.history)] + [("the current prices", self)] + [
            (f"scheduled[{i}]", s) for i, s in enumerate(self.scheduled)
        ]
        for (prev_name, prev), (name, cur) in zip(periods, periods[1:]):
            if prev.since is not None and cur.since is not None and cur.since <= prev.since:
                raise ValueError(f"{name} (since {cur.since}) must start after {prev_name} (since {prev.since}): periods are oldest first, one per date")
            if prev.until is not None and cur.since is not None and prev.until > cur.since:
                raise ValueError(f"{prev_name} runs until {prev.until}, overlapping {name} which starts {cur.since}")
        return self


class Provenance(_Strict):
    """How one figure (or, as a model's default, all its figures) got into the catalog.

    `import`: taken from a dataset (`source`, `version`, `date`; `key` is the dataset's id for the model).
    `verified`: a person read the provider's own page (`url`, `date`). `scan`: the provider's
    list-models API answered it (`api`, `date`). Nothing is `verified` that was only imported.
    """

    method: ProvenanceMethod
    """import, verified or scan."""
    source: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=MAX_WORD)
    """The dataset imported from (`litellm`, `genai-prices`, `models-dev`, `openrouter`, `kabot`); import only."""
    version: str | None = Field(default=None, min_length=1, max_length=MAX_WORD)
    """The dataset's version (a release number, or a commit for a repository); import only."""
    date: _dt.date
    """The day the figure was imported, read or scanned."""
    key: str | None = Field(default=None, min_length=1, max_length=MAX_NAME_LENGTH)
    """The dataset's id for the model, where it is not the catalog's."""
    url: Url | None = None
    """The page read (verified), or the page the dataset cites for its figures (import)."""
    api: Url | None = None
    """The API endpoint that answered; scan only."""
    note: Text | None = None
    """Anything a reader should know about the figures (what was left out, and why)."""

    @model_validator(mode="after")
    def _check(self) -> Provenance:
        need = {"import": ("source", "version"), "verified": ("url",), "scan": ("api",)}[self.method]
        missing = [k for k in need if getattr(self, k) is None]
        if missing:
            raise ValueError(f"a `{self.method}` provenance needs {' and '.join(missing)}")
        return self


class ModelProvenance(Provenance):
    """A model's provenance: the default for every figure, plus `fields` for the figures that came another way."""

    fields: dict[Annotated[str, Field(max_length=MAX_WORD)], Provenance] = Field(default_factory=dict)
    """Per-field exceptions, keyed by the field's path (`pricing.input_1m`, `context_window`)."""

    @model_validator(mode="after")
    def _check_fields(self) -> ModelProvenance:
        from .provenance import FACT_FIELDS

        unknown = sorted(set(self.fields) - set(FACT_FIELDS))
        if unknown:
            raise ValueError(f"provenance.fields: {unknown[0]!r} is not a figure of a model entry; use one of: {', '.join(FACT_FIELDS)}")
        return self


class AcknowledgedDifference(_Strict):
    """A known, sourced disagreement with another dataset, so `kabot-models audit` accepts it."""

    dataset: Dataset
    """The dataset that disagrees with the catalog."""
    field: Word
    """The catalog field that differs, e.g. `pricing.cache_read_1m` or `context_window`."""
    reason: Text
    """Why the catalog's figure is right."""
    source: Url
    """A page that backs the catalog's figure."""


class ModelEntry(_Strict):
    """One model as a provider offers it: the value under `models:` in a provider file."""

    name: DisplayName | None = None
    """Display name, e.g. `GPT-4o`. Required unless inherited from `base`."""
    description: Text | None = None
    """One or two sentences on what the model is for."""
    base: FullId | None = None
    """Full id of the entry this one offers (e.g. a gateway's copy of a first-party model); model facts not set here are inherited from it, prices and lifecycle fields never are."""
    mode: Mode | None = None
    """What kind of endpoint the model serves; `chat` when unset."""
    context_window: int | None = Field(default=None, gt=0, le=MAX_TOKENS)
    """Maximum tokens of input plus output the model accepts."""
    max_input: int | None = Field(default=None, gt=0, le=MAX_TOKENS)
    """Maximum input tokens, where the provider caps input below the context window."""
    max_output: int | None = Field(default=None, gt=0, le=MAX_TOKENS)
    """Maximum tokens the model can produce in one response, where a source states it (never a copy of the context window)."""
    pricing: ModelPricing | None = None
    """Prices in USD per 1M tokens; leave out what is not known."""
    capabilities: list[Capability] | None = None
    """What the model can do, from a closed vocabulary."""
    input_modalities: list[Modality] | None = None
    """Kinds of input the model accepts."""
    output_modalities: list[Modality] | None = None
    """Kinds of output the model produces."""
    release_date: _dt.date | Annotated[str, Field(max_length=7, pattern=RELEASE_MONTH_PATTERN)] | None = None
    """The day the model became available; YYYY-MM when the source gives only the month."""
    knowledge_cutoff: str | None = Field(default=None, max_length=10, pattern=MONTH_PATTERN)
    """Training data cut-off, as YYYY-MM or YYYY-MM-DD."""
    status: Status | None = None
    """Lifecycle state as stated; `active` when unset. The status reported is computed on the day asked: deprecated from `deprecation_date` on or once a `retirement_date` is announced, retired the day after `retirement_date`; a date never softens a stated status."""
    deprecation_date: _dt.date | None = None
    """The day the provider announced the model's end (deprecated from that day on)."""
    retirement_date: _dt.date | None = None
    """The day the provider retires (shuts down) the model, as it states it; from the next day on it is reported retired."""
    successor: FullId | None = None
    """Full id of the model to use instead once this one is deprecated or retired."""
    aliases: list[Annotated[str, Field(max_length=MAX_ALIAS_LENGTH)]] = Field(default_factory=list)
    """Short names that resolve to this model, unique across the catalog (e.g. `sonnet`)."""
    is_premium: bool | None = None
    """A curated flagship: the most capable (and usually most expensive) tier."""
    open_weights: bool | None = None
    """The weights are published for anyone to run."""
    litellm_id: Annotated[str, Field(min_length=1, max_length=MAX_NAME_LENGTH, pattern=NAME_PATTERN)] | None = None
    """The model string LiteLLM knows this model by, when it is not derivable from the provider's prefix."""
    provenance: ModelProvenance | None = None
    """How the figures got here: a default for the entry plus per-field exceptions (see docs/models/sync.md)."""
    unlisted: dict[Annotated[str, Field(max_length=MAX_WORD)], _dt.date] = Field(default_factory=dict)
    """Datasets that speak for this provider but stopped listing the model, with the day sync noticed."""
    review: Literal["scan"] | None = None
    """Set on an entry a tool proposed and no person has reviewed yet: `scan` (a provider's live list named it; `sync scan --write` and `scan --write` add it). Check the figures against the provider's own page, then delete the line."""
    acknowledged: list[AcknowledgedDifference] = Field(default_factory=list)
    """Known disagreements with other datasets, each citing a source."""


class ApiConfig(_Strict):
    """How to reach the provider's API."""

    base_url: Url | None = None
    """The API base URL; unset when LiteLLM's default for the prefix is right."""
    flavor: ApiFlavor = "openai"
    """The shape of the list-models API, which picks the scanner's translator."""
    base_url_keyword: Word | None = None
    """A substring of a configured api_base that identifies this provider."""


class AuthConfig(_Strict):
    """How the provider authenticates requests."""

    env: list[Word] = Field(default_factory=list)
    """Environment variables that may hold the key, first one preferred."""
    header: AuthHeader = "bearer"
    """How the key is sent."""
    key_prefix: Word | None = None
    """A prefix that identifies this provider's keys (e.g. `sk-or-`)."""
    required: bool = True
    """False when the API works without a key (local servers, public model lists)."""
    env_extras: dict[Word, Annotated[str, Field(max_length=MAX_URL, pattern=TEXT_PATTERN)]] = Field(default_factory=dict)
    """More environment variables LiteLLM reads for this provider, each set from the key or the base URL:
    `{api_key}` and `{api_base}` in the value stand for them (e.g. `ZHIPUAI_API_KEY: "{api_key}"`)."""


class LitellmRouting(_Strict):
    """How LiteLLM is told which provider to call."""

    prefix: Word | None = None
    """The LiteLLM provider prefix added to the model id (e.g. `moonshot`)."""
    skip_prefixes: list[Word] = Field(default_factory=list)
    """Model strings that already start with one of these are passed to LiteLLM unchanged."""
    strip_model_prefix: bool = False
    """A gateway that wants the bare model id: drop the provider part before calling."""
    model_params: dict[Word, dict[Word, bool | ParamNumber | Text]] = Field(default_factory=dict)
    """LiteLLM call parameters some models need, keyed by a lower-case part of the model id: a model
    string containing the key gets them (e.g. `kimi-k2.5: {temperature: 1.0}`; Moonshot accepts no other)."""


class KabotProvider(_Strict):
    """How the Kabot agent's provider layer names and orders this provider (Kabot's `PROVIDERS`)."""

    name: str | None = Field(default=None, max_length=MAX_PROVIDER_ID_LENGTH, pattern=PROVIDER_ID_PATTERN)
    """Kabot's name for the provider, which is also its `providers.<name>` config section (`-` as `_`),
    when it is not the provider id (`gemini` for google, `zhipu` for zai)."""
    order: int | None = Field(default=None, ge=1, le=MAX_PRIORITY)
    """The provider's place in Kabot's `PROVIDERS` (1 first): Kabot matches a model to a configured key
    in this order. Providers without one come after every ordered one, by id."""


class DatasetLink(_Strict):
    """Which of an outside dataset's entries are this provider's models, and how their ids map to the catalog's."""

    id: Word | list[Word]
    """The dataset's id for the provider (LiteLLM's `litellm_provider`, genai-prices' or models.dev's provider id); a list when several."""
    key_prefix: Annotated[str, Field(max_length=MAX_WORD)] | None = None
    """Stripped from the dataset's model key to give the API id (LiteLLM's `together_ai/` in `together_ai/moonshotai/Kimi-K3`)."""
    include: Annotated[str, Field(max_length=MAX_WORD)] | None = None
    """Only keys matching this regular expression (Python `re.search`)."""
    exclude: Annotated[str, Field(max_length=MAX_WORD)] | None = None
    """No keys matching this regular expression."""
    complete: bool = False
    """The dataset lists this provider's whole lineup: a model it stops listing is marked `unlisted`."""
    inclusive_tiers: bool = False
    """The provider bills a long-context tier from its threshold on (">= N"), where the dataset writes N: the catalog writes N - 1."""


class ProviderDatasets(_Strict):
    """This provider's ids in the outside datasets `kabot-models sync` reads."""

    litellm: DatasetLink | None = None
    """LiteLLM's model map."""
    genai_prices: DatasetLink | None = None
    """pydantic's genai-prices."""
    models_dev: DatasetLink | None = None
    """models.dev."""
    openrouter: DatasetLink | None = None
    """OpenRouter's model list (`id` is the vendor slug, e.g. `anthropic`)."""
    vendor: list[Word] = Field(default_factory=list)
    """How gateways spell this first party in their model ids (`moonshotai/...`), so their copies get a `base`."""


class ProviderBlock(_Strict):
    """The `provider:` block of a provider file. The provider's id is the file's name."""

    name: DisplayName
    """Display name, e.g. `Moonshot AI`."""
    aliases: list[Annotated[str, Field(max_length=MAX_PROVIDER_ID_LENGTH)]] = Field(default_factory=list)
    """Other ids for this provider (e.g. `kimi` for `moonshot`), unique across providers."""
    kind: ProviderKind = "first-party"
    """first-party (serves its own models), gateway (routes to others), cloud (hosts others' models), local."""
    api: ApiConfig = Field(default_factory=ApiConfig)
    """How to reach the provider's API."""
    auth: AuthConfig = Field(default_factory=AuthConfig)
    """How to authenticate."""
    litellm: LitellmRouting = Field(default_factory=LitellmRouting)
    """LiteLLM routing rules."""
    keywords: list[Word] = Field(default_factory=list)
    """Words in a model name that suggest this provider (e.g. `claude` for anthropic)."""
    priority: int = Field(default=100, ge=-MAX_PRIORITY, le=MAX_PRIORITY)
    """Tie-break between providers offering the same short name: lower wins."""
    kabot: KabotProvider | None = None
    """The Kabot agent's name and order for this provider, where Kabot knows it."""
    docs_url: Url | None = None
    """The provider's API documentation."""
    pricing_url: Url | None = None
    """The provider's pricing page."""
    recommended: list[Annotated[str, Field(max_length=MAX_MODEL_ID_LENGTH)]] = Field(default_factory=list)
    """API ids of models this provider suggests after login, best first."""
    datasets: ProviderDatasets = Field(default_factory=ProviderDatasets)
    """This provider's ids in the outside datasets (`kabot-models sync`)."""


class ProviderFile(_Strict):
    """A file under `catalog/providers/`: one provider and the models it serves."""

    provider: ProviderBlock
    """The provider block."""
    models: dict[str, ModelEntry] = Field(default_factory=dict)
    """Models keyed by the id exactly as the provider's API spells it."""


# --- Runtime objects (what Kabot builds and reads) -------------------------------------------------


KABOT_CAPABILITY_WORDS: dict[str, str | None] = {
    "tools": "tool_use",
    "json": "json_mode",
    "chat": None,
    "coding": None,
    "fast": None,
    "long-context": None,
}
"""Words Kabot's own code puts in `capabilities` -> the capability they mean, or None for words that
name no capability (`chat` is a mode; `coding`, `fast` and `long-context` describe use, speed and
the context window, which have fields of their own). Accepted on `ModelMetadata` only; catalog
YAML takes the closed vocabulary alone."""


class ScanSighting(_Strict):
    """When a scan saw a model: the `scan` provenance of a provisional model."""

    first_seen: Annotated[str, Field(max_length=MAX_WORD)]
    """When a scan first listed it (ISO 8601, UTC)."""
    last_seen: Annotated[str, Field(max_length=MAX_WORD)]
    """When a scan last listed it."""


class ModelMetadata(ModelEntry):
    """A model as the registry hands it out: the catalog entry plus its ids and where it came from.

    Code that builds one itself (Kabot's catalog, scanner and plugins) may use Kabot's capability
    words (`KABOT_CAPABILITY_WORDS`); they are mapped onto the closed vocabulary. `pricing` is never
    None: a model without known prices has a `ModelPricing` whose prices are all None (unknown, not 0).
    """

    id: str
    """Full id, `<provider>/<api id>`."""
    name: str = ""
    provider: str = ""
    """Provider id (derived from `id` when not given)."""
    pricing: ModelPricing = Field(default_factory=ModelPricing)
    """Prices in USD per 1M tokens; each price the catalog does not know is None."""
    is_premium: bool = False
    origin: Literal["catalog", "scan", "plugin", "user"] = "catalog"
    """Where the entry came from."""
    field_sources: dict[str, str] = Field(default_factory=dict)
    """For each field, where its value came from: catalog, scan, base:<id>, or plugin:<name>."""
    served: bool | None = None
    """True when the provider's live API listed the model in the last scan, False when it did not."""
    provisional: bool = False
    """True for a model only a scan knows: callable now, not yet reviewed into the catalog (`sync scan --write` proposes it)."""
    scanned: ScanSighting | None = None
    """For a provisional model: when the provider's API first and last listed it."""

    @field_validator("pricing", mode="before")
    @classmethod
    def _unknown_pricing(cls, value: Any) -> Any:
        return ModelPricing() if value is None else value

    @field_validator("capabilities", mode="before")
    @classmethod
    def _kabot_words(cls, value: Any) -> Any:
        if not isinstance(value, (list, tuple)):
            return value
        mapped = (KABOT_CAPABILITY_WORDS.get(v, v) if isinstance(v, str) else v for v in value)
        return list(dict.fromkeys(v for v in mapped if v is not None))

    @model_validator(mode="after")
    def _fill_provider(self) -> ModelMetadata:
        if not self.provider and "/" in self.id:
            self.provider = self.id.split("/", 1)[0]
        return self

    @property
    def short_id(self) -> str:
        """The id without the provider part (`gpt-4o` for `openai/gpt-4o`)."""
        return self.id.split("/", 1)[1] if "/" in self.id else self.id



class ProviderMetadata(ProviderBlock):
    """A provider as the registry hands it out."""

    id: str
    """Provider id (the catalog file's name)."""
    name: str = ""


# --- JSON Schema generation ----------------------------------------------------------------------


class _NoNullSchema(GenerateJsonSchema):
    """Optional fields are written as their inner type: leaving a key out is how YAML says 'unknown'."""

    def nullable_schema(self, schema: Any) -> dict[str, Any]:
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema: Any) -> dict[str, Any]:
        out = super().default_schema(schema)
        if out.get("default") is None:
            out.pop("default", None)
        return out

    def dict_schema(self, schema: Any) -> dict[str, Any]:
        # Pydantic writes a mapping whose keys have a pattern as `patternProperties`, which lets a key
        # that misses the pattern through with any value; a stock validator should refuse it, as we do.
        out = super().dict_schema(schema)
        by_pattern = out.pop("patternProperties", None)
        if by_pattern:
            ((pattern, value),) = by_pattern.items()
            out["propertyNames"] = {**out.get("propertyNames", {}), "pattern": pattern}
            out["additionalProperties"] = value
        return out


def _describe_refs(schema: dict[str, Any], root: type[BaseModel]) -> None:
    """Pydantic leaves `$ref` properties bare; give each the description of the field that holds it."""
    classes: dict[str, type[BaseModel]] = {root.__name__: root}
    stack = [root]
    while stack:
        cls = stack.pop()
        for info in cls.model_fields.values():
            for arg in _model_args(info.annotation):
                if arg.__name__ not in classes:
                    classes[arg.__name__] = arg
                    stack.append(arg)
    for name, node in [(root.__name__, schema), *schema.get("$defs", {}).items()]:
        fields = classes[name].model_fields
        for key, prop in node.get("properties", {}).items():
            if "description" not in prop and fields[key].description:
                prop["description"] = fields[key].description


def _model_args(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _model_args(arg)]


def provider_json_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of a provider file, generated from `ProviderFile`."""
    schema = ProviderFile.model_json_schema(schema_generator=_NoNullSchema)
    _describe_refs(schema, ProviderFile)
    schema["properties"]["models"]["propertyNames"] = {"pattern": MODEL_ID_PATTERN, "maxLength": MAX_MODEL_ID_LENGTH}
    block = schema["$defs"]["ModelEntry"]["properties"]
    block["aliases"]["items"]["pattern"] = ALIAS_PATTERN
    block["aliases"]["uniqueItems"] = True
    block["capabilities"]["uniqueItems"] = True
    provider_props = schema["$defs"]["ProviderBlock"]["properties"]
    provider_props["aliases"]["items"]["pattern"] = PROVIDER_ID_PATTERN
    provider_props["aliases"]["uniqueItems"] = True
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }


def provider_json_schema_text() -> str:
    """The schema as the committed file holds it."""
    return json.dumps(provider_json_schema(), indent=2, sort_keys=False) + "\n"


# -- the user config file (`config.py` reads and writes it) --------------------------------------
CONFIG_SCHEMA_ID = "https://github.com/kabot-ai/kabot-models/schemas/config.schema.json"
ENV_VAR_PATTERN = r"^(?!.*\n)[A-Za-z_][A-Za-z0-9_]*$"


class ProviderSettings(_Strict):
    """What the user sets for one provider, over the catalog's defaults."""

    api_base: Url | None = None
    """API base URL to call instead of the catalog's `api.base_url` (a proxy, a regional endpoint)."""
    key_env: str | None = Field(default=None, pattern=ENV_VAR_PATTERN, max_length=MAX_WORD)
    """Environment variable that holds the API key, instead of the catalog's `auth.env`."""
    headers: dict[Word, Annotated[str, Field(max_length=MAX_TEXT)]] = Field(default_factory=dict)
    """Extra HTTP headers sent with every request to this provider."""


class UserConfig(_Strict):
    """The user config file."""

    default_model: str | None = Field(default=None, min_length=1, max_length=MAX_NAME_LENGTH)
    """The model to use when none is named: any name `kabot-models resolve` understands."""
    aliases: dict[Annotated[str, Field(max_length=MAX_ALIAS_LENGTH)], Annotated[str, Field(min_length=1, max_length=MAX_NAME_LENGTH)]] = Field(default_factory=dict)
    """Alias -> model name (a full id, or another name); these win over the catalog's aliases."""
    providers: dict[Annotated[str, Field(max_length=MAX_PROVIDER_ID_LENGTH)], ProviderSettings] = Field(default_factory=dict)
    """Provider id -> settings for that provider."""


def config_json_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of the config file, generated from `UserConfig`."""
    schema = UserConfig.model_json_schema(schema_generator=_NoNullSchema)
    schema["properties"]["aliases"]["propertyNames"] = {"pattern": ALIAS_PATTERN, "maxLength": MAX_ALIAS_LENGTH}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": CONFIG_SCHEMA_ID, **schema}


def config_json_schema_text() -> str:
    """The config schema as the committed file holds it."""
    return json.dumps(config_json_schema(), indent=2) + "\n"


#: Committed schema files and the functions that generate them (`python -m kabot_models.schema --write`).
SCHEMA_FILES = {"provider.schema.json": provider_json_schema_text, "config.schema.json": config_json_schema_text}


def _main(argv: list[str]) -> int:
    from pathlib import Path

    out_dir = Path(__file__).resolve().parent.parent / "schemas"
    stale = []
    for name, text in SCHEMA_FILES.items():
        path = out_dir / name
        fresh = text()
        if "--write" in argv:
            path.write_text(fresh, encoding="utf-8")
            print(f"wrote {path}")
        elif not path.exists() or path.read_text(encoding="utf-8") != fresh:
            stale.append(name)
    for name in stale:
        print(f"schemas/{name} is stale; run `make schema`")
    return 1 if stale else 0


if __name__ == "__main__":
    import sys

    sys.exit(_main(sys.argv[1:]))
