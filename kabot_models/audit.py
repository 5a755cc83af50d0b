"""Check the catalog against three outside datasets: LiteLLM's map, genai-prices and models.dev.

LiteLLM and genai-prices are read from the installed packages, never from the network (litellm
itself is not imported: that takes seconds, and its map is a plain JSON file inside the package).
models.dev is read from a file the caller names: its `api.json` (the repository keeps one as a
fixture, tests/fixtures/models-dev/api.json.gz) or a checkout.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import importlib.util
import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from .errors import KabotModelsError
from .figures import same_figure
from .pricing_import import is_standing

LITELLM_MAP_FILE = "model_prices_and_context_window_backup.json"
LITELLM_REPO_URL = "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json"
GENAI_PRICES_REPO_URL = "https://github.com/pydantic/genai-prices"


class DatasetMissing(KabotModelsError):
    """An outside dataset the command needs is not installed."""


def litellm_map_path() -> Path:
    """Where the installed LiteLLM keeps its bundled model map."""
    spec = importlib.util.find_spec("litellm")
    if spec is None or not spec.submodule_search_locations:
        raise DatasetMissing("LiteLLM is not installed; `pip install 'kabot-models[litellm]'` to audit against it")
    path = Path(next(iter(spec.submodule_search_locations))) / LITELLM_MAP_FILE
    if not path.is_file():
        raise DatasetMissing(f"LiteLLM is installed but has no {LITELLM_MAP_FILE}; reinstall litellm")
    return path


def load_litellm_map() -> dict[str, dict[str, Any]]:
    """LiteLLM's model map: key -> entry (the `sample_spec` documentation entry left out)."""
    return _read_map(litellm_map_path())


@cache
def _read_map(path: Path) -> dict[str, dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if isinstance(v, dict) and k != "sample_spec"}


def dataset_version(dist: str) -> str:
    """The installed version of a distribution, or `unknown`."""
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def per_million(per_token: Any) -> float | None:
    """A per-token USD price as USD per 1M tokens, without float noise (2.5e-06 -> 2.5)."""
    if per_token is None or isinstance(per_token, bool) or not isinstance(per_token, (int, float)):
        return None
    value = (Decimal(repr(float(per_token))) * 1_000_000).normalize()
    return _number(value)


def _number(value: Decimal) -> float | int:
    value = value.quantize(Decimal("1e-9")).normalize() if value.as_tuple().exponent < -9 else value  # type: ignore[operator]
    return int(value) if value == value.to_integral_value() else float(value)


def genai_number(value: Any) -> float | int | None:
    """A genai-prices Decimal (or tiered price's base) as a plain number."""
    if value is None:
        return None
    base = getattr(value, "base", value)
    if not isinstance(base, Decimal):
        return None
    return _number(base.normalize())


def load_genai_providers() -> list[Any]:
    """genai-prices' bundled providers (its own data, not the auto-updated snapshot)."""
    if importlib.util.find_spec("genai_prices") is None:
        raise DatasetMissing("genai-prices is not installed; `pip install genai-prices` to audit against it")
    from genai_prices.data import providers

    return providers


# --- the audit: compare catalog figures with a dataset --------------------------------------------

from dataclasses import dataclass, field  # noqa: E402

DATASETS = ("litellm", "genai-prices", "models-dev")
#: The figures an audit compares, as catalog field paths.
AUDIT_FIELDS = ("pricing.input_1m", "pricing.output_1m", "pricing.cache_read_1m", "pricing.cache_write_1m",
                "context_window", "max_output")


@dataclass(frozen=True)
class Difference:
    """One figure where the catalog and a dataset disagree."""

    dataset: str
    model: str
    field: str
    catalog: Any
    other: Any
    other_key: str
    acknowledged: bool

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"dataset": self.dataset, "model": self.model, "field": self.field, "catalog": self.catalog,
                "other": self.other, "other_key": self.other_key, "acknowledged": self.acknowledged}


@dataclass
class AuditReport:
    """What one audit run found, per dataset."""

    matched: dict[str, int] = field(default_factory=dict)
    """Dataset -> how many catalog models it knows."""
    differences: list[Difference] = field(default_factory=list)

    def agreement(self, dataset: str) -> float | None:
        """The share (0..1) of the models `dataset` knows on which every audited figure agrees."""
        matched = self.matched.get(dataset)
        if not matched:
            return None
        differing = {d.model for d in self.differences if d.dataset == dataset}
        return round(1 - len(differing) / matched, 4)

    @property
    def unacknowledged(self) -> list[Difference]:
        """The differences no `acknowledged` entry accepts: each one fails the audit."""
        return [d for d in self.differences if not d.acknowledged]


def _catalog_value(record: dict[str, Any], path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def litellm_key_for(record: dict[str, Any], provider: dict[str, Any], lmap: dict[str, dict[str, Any]]) -> str | None:
    """The LiteLLM map key a catalog model matches: its `litellm_id`, else `<prefix>/<api id>`,
    else the bare api id when LiteLLM files that entry under this provider."""
    if record.get("litellm_id"):
        return record["litellm_id"] if record["litellm_id"] in lmap else None
    api_id = record["id"].split("/", 1)[1]
    prefix = (provider.get("litellm") or {}).get("prefix")
    if prefix and f"{prefix}/{api_id}" in lmap:
        return f"{prefix}/{api_id}"
    entry = lmap.get(api_id)
    if entry is not None and entry.get("litellm_provider") in {prefix, record["provider"]}:
        return api_id
    return None


def litellm_figures(info: dict[str, Any]) -> dict[str, Any]:
    """The audited figures of a LiteLLM entry, as catalog field paths.

    An entry with a `tiered_pricing` table is priced by it (LiteLLM's cost calculator prefers it to
    flat rates): its base prices are those of the tier whose range starts at 0."""
    for tier in info.get("tiered_pricing") or []:
        rng = tier.get("range") if isinstance(tier, dict) else None
        if isinstance(rng, (list, tuple)) and rng and rng[0] == 0 and tier.get("input_cost_per_token") is not None:
            info = {**info, **{k: v for k, v in tier.items() if k != "range"}}
            break
    out = {
        "pricing.input_1m": per_million(info.get("input_cost_per_token")),
        "pricing.output_1m": per_million(info.get("output_cost_per_token")),
        "pricing.cache_read_1m": per_million(info.get("cache_read_input_token_cost")),
        "pricing.cache_write_1m": per_million(info.get("cache_creation_input_token_cost")),
        "context_window": info.get("max_input_tokens") if isinstance(info.get("max_input_tokens"), int) and info["max_input_tokens"] > 0 else None,
        "max_output": info.get("max_output_tokens") if isinstance(info.get("max_output_tokens"), int) else None,
    }
    for price in ("pricing.input_1m", "pricing.output_1m"):
        if out[price] == 0:
            out[price] = None  # LiteLLM's 0 is "unknown" as often as "free": not a statement of a price
    if out["max_output"] is not None and out["max_output"] == out["context_window"]:
        out["max_output"] = None  # LiteLLM fills the output limit from the input one: not a statement of it
    return {k: v for k, v in out.items() if v is not None}


def genai_provider_ids(provider_id: str, provider: dict[str, Any]) -> list[str]:
    """The genai-prices provider ids whose models are this provider's: its `datasets.genai_prices`
    link (the one sync imports from), else its own id and aliases where genai-prices uses the same
    id. genai-prices' loose provider matching (any id containing `google` is Google) is not used:
    it would compare Vertex's prices with the Gemini API's."""
    link = (provider.get("datasets") or {}).get("genai_prices") or {}
    ids = link.get("id")
    if ids:
        return [str(i) for i in ids] if isinstance(ids, list) else [str(ids)]
    return [provider_id, *provider.get("aliases", [])]


def _genai_lookup(record: dict[str, Any], provider: dict[str, Any], by_id: dict[str, Any]) -> tuple[str, Any] | None:
    """The genai-prices model that prices calls to this record's API id at this provider, or None.

    Only the provider's own models count: genai-prices falls back to a first party's price for a
    model it does not list at a host (Azure -> OpenAI, DeepSeek...), an assumption, not a figure."""
    api_id = record["id"].split("/", 1)[1]
    for pid in genai_provider_ids(record["provider"], provider):
        gp = by_id.get(pid)
        if gp is None:
            continue
        try:
            model = gp.find_model(api_id)  # no all_providers: no fallback to another provider's price
        except Exception:  # noqa: BLE001 - a matcher error is a non-match, not a crash
            model = None
        if model is not None:
            return f"{gp.id}:{model.id}", model
    return None


def genai_standing_prices(model: Any, when: Any) -> Any:
    """A genai-prices model's standing price at `when`: the last one listed with no constraint or a
    start date on or before `when`, as genai-prices picks it, leaving out its time-of-day prices.

    The catalog holds those in `pricing.windows` and the audit compares base prices only, so
    DeepSeek's peak-hour rate is not set against its off-peak base price during its peak hours;
    otherwise the same catalog and datasets would pass or fail by the hour of the day.
    """
    if not isinstance(model.prices, list):
        return model.prices
    standing = [entry.prices for entry in model.prices
                if is_standing(entry.constraint) and (entry.constraint is None or entry.constraint.active(when))]
    return standing[-1] if standing else model.prices[0].prices


def genai_figures(model: Any, when: Any) -> dict[str, Any]:
    """The audited figures of a genai-prices model at time `when` (its standing price, `genai_standing_prices`)."""
    prices = genai_standing_prices(model, when)
    out = {
        "pricing.input_1m": genai_number(getattr(prices, "input_mtok", None)),
        "pricing.output_1m": genai_number(getattr(prices, "output_mtok", None)),
        "pricing.cache_read_1m": genai_number(getattr(prices, "cache_read_mtok", None)),
        "pricing.cache_write_1m": genai_number(getattr(prices, "cache_write_mtok", None)),
        "context_window": model.context_window,
    }
    return {k: v for k, v in out.items() if v is not None}


def models_dev_figures(fields: dict[str, Any]) -> dict[str, Any]:
    """The audited figures of a models.dev model (its fields in the catalog's shape), read as sync
    reads them: a 0 cache price on a paid model and a max output that repeats the window say nothing."""
    pricing = fields.get("pricing") or {}
    out = {path: _catalog_value(fields, path) for path in AUDIT_FIELDS}
    if pricing.get("input_1m") or pricing.get("output_1m"):
        for cache in ("pricing.cache_read_1m", "pricing.cache_write_1m"):
            if out[cache] == 0:
                out[cache] = None
    if out["max_output"] is not None and out["max_output"] == out["context_window"]:
        out["max_output"] = None
    return {k: v for k, v in out.items() if v is not None}


def _models_dev_index(catalog: Any, path: Path) -> dict[str, dict[str, Any]]:
    """Catalog provider id -> {lower-case API id: (key, fields)} for the models.dev models each
    provider's `datasets.models_dev` link takes, matched as `sync` matches them."""
    from .sync.runner import Link
    from .sync.sources import models_dev

    try:
        dataset = models_dev.read(path, live=False, today=dt.date.today())
    except ValueError as exc:
        raise DatasetMissing(str(exc)) from None
    by_provider: dict[str, list[Any]] = {}
    for offer in dataset.offers:
        by_provider.setdefault(offer.provider, []).append(offer)
    index: dict[str, dict[str, Any]] = {}
    for pid, block in catalog.providers.items():
        raw = (block.get("datasets") or {}).get("models_dev")
        if not raw:
            continue
        link, found = Link(raw), {}
        for did in link.ids:
            for offer in by_provider.get(did, []):
                api_id = link.api_id(offer)
                if api_id is not None:
                    found.setdefault(api_id.lower(), (f"{did}:{offer.key}", offer.fields))
        index[pid] = found
    return index


def audit(catalog: Any, against: str = "litellm", *, models_dev: Path | None = None,
          at: dt.datetime | None = None) -> AuditReport:
    """Compare every catalog model the dataset(s) know; `against` is litellm, genai-prices,
    models-dev (read from `models_dev`: an api.json or a checkout) or all. genai-prices' prices
    are those in force at `at` (default: now, UTC)."""
    datasets = DATASETS if against == "all" else (against,)
    report = AuditReport()
    for ds in datasets:
        if ds == "litellm":
            lmap = load_litellm_map()

            def lookup(rec: dict[str, Any], prov: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
                key = litellm_key_for(rec, prov, lmap)
                return (key, litellm_figures(lmap[key])) if key else None
        elif ds == "genai-prices":
            load_genai_providers()
            from genai_prices.data_snapshot import get_snapshot

            by_id = {gp.id: gp for gp in get_snapshot().providers}
            now = at or dt.datetime.now(dt.timezone.utc)

            def lookup(rec: dict[str, Any], prov: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
                hit = _genai_lookup(rec, prov, by_id)
                return (hit[0], genai_figures(hit[1], now)) if hit else None
        elif ds == "models-dev":
            if models_dev is None:
                raise DatasetMissing("models.dev is read from a file: pass --models-dev PATH (its api.json, "
                                     "e.g. tests/fixtures/models-dev/api.json.gz, or a checkout)")
            index = _models_dev_index(catalog, models_dev)

            def lookup(rec: dict[str, Any], prov: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
                hit = index.get(rec["provider"], {}).get(rec["id"].split("/", 1)[1].lower())
                return (hit[0], models_dev_figures(hit[1])) if hit else None
        else:
            raise KabotModelsError(f"unknown dataset {ds!r}; use litellm, genai-prices, models-dev or all")
        matched = 0
        for full_id, rec in catalog.models.items():
            found = lookup(rec, catalog.providers[rec["provider"]])
            if found is None:
                continue
            matched += 1
            key, figures = found
            acked = {a["field"] for a in rec.get("acknowledged", []) if a.get("dataset") == ds}
            for path in AUDIT_FIELDS:
                mine, theirs = _catalog_value(rec, path), figures.get(path)
                if path == "context_window" and ds == "litellm" and theirs is not None and same_figure(path, rec.get("max_input") or -1, theirs):
                    continue  # LiteLLM's one max_input_tokens is the window for some models, the input cap for others
                if mine is None or theirs is None or same_figure(path, mine, theirs):
                    continue
                report.differences.append(Difference(ds, full_id, path, mine, theirs, key, path in acked))
        report.matched[ds] = matched
    return report
