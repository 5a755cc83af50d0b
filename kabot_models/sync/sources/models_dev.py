"""models.dev as catalog offers: its `api.json`, or a checkout of its repository.

`api.json` may be gzipped (`api.json.gz`). A checkout holds `providers/<id>/provider.toml`,
`providers/<id>/models/**.toml` (the model id is the path below `models/`) and `models/<lab>/<id>.toml`, which a provider's model names with
`base_model` and inherits from (less the `base_model_omit` paths). `limit.context` ->
`context_window`, `limit.input` -> `max_input`, `limit.output` -> `max_output`; `cost.*` ->
`pricing.*_1m`, `cost.tiers` and `cost.context_over_200k` -> `pricing.tiers`; `release_date` (a
day, or a month as written; never the 1970-01-01 placeholder), `knowledge` -> `knowledge_cutoff`,
`open_weights`, `modalities`; `reasoning`,
`tool_call`, `structured_output` and image/pdf/audio/video input -> capabilities; `status`
deprecated -> deprecated, alpha/beta -> preview.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import tomllib
import zlib
from pathlib import Path
from typing import Any

from ...files import read_regular
from ..names import tidy_name
from . import Dataset, Offer, ProviderOffer

FLAVORS = {"@ai-sdk/openai-compatible": "openai", "@ai-sdk/openai": "openai", "@ai-sdk/anthropic": "anthropic",
           "@ai-sdk/google": "gemini", "@openrouter/ai-sdk-provider": "openrouter", "@ai-sdk/togetherai": "together"}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
_RELEASE_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
EPOCH = dt.date(1970, 1, 1)
COSTS = {"input": "input_1m", "output": "output_1m", "cache_read": "cache_read_1m", "cache_write": "cache_write_1m",
         "reasoning": "reasoning_1m", "input_audio": "input_audio_1m", "output_audio": "output_audio_1m"}
#: The largest api.json read (today's is about 3 MB).
MAX_API_JSON = 256 * 2**20
INPUT_CAPABILITIES = {"image": "vision", "pdf": "pdf_input", "audio": "audio_input", "video": "video_input"}


def read(path: Path | None, *, live: bool, today: dt.date) -> Dataset:
    """An `api.json` file (gzipped when it ends in `.gz`) or a checkout directory of models.dev."""
    if live or path is None:
        raise ValueError("models-dev needs a path: an api.json file, or a checkout of github.com/anomalyco/models.dev")
    if not path.exists():
        raise ValueError(f"{path}: no such file or directory; models-dev needs its api.json or a checkout")
    if path.is_dir():
        providers = read_checkout(path)
    else:
        try:
            raw = read_regular(path, MAX_API_JSON)
            providers = json.loads(_gunzip(raw) if path.suffix == ".gz" else raw)
        except (OSError, ValueError, EOFError, zlib.error) as exc:
            raise ValueError(f"{path}: not a models.dev api.json ({exc})") from None
        if not isinstance(providers, dict):
            raise ValueError(f"{path}: not a models.dev api.json (a JSON object of providers)")
    offers, blocks = [], {}
    for pid, prov in sorted(providers.items()):
        if not isinstance(prov, dict):
            continue
        api = prov.get("api") if isinstance(prov.get("api"), str) and "${" not in prov["api"] else None
        blocks[pid] = ProviderOffer(pid, str(prov.get("name") or pid), base_url=api,
                                    env=[e for e in prov.get("env") or [] if isinstance(e, str)],
                                    docs_url=prov.get("doc") if isinstance(prov.get("doc"), str) else None,
                                    flavor=FLAVORS.get(prov.get("npm")))
        for mid, model in sorted((prov.get("models") or {}).items()):
            if isinstance(model, dict):
                offers.append(Offer(pid, mid, fields_of(model)))
    return Dataset("models-dev", "", offers, blocks)


def _gunzip(raw: bytes) -> bytes:
    """A gzip file's content, refused past `MAX_API_JSON` bytes (a small file can unpack to gigabytes)."""
    inflate = zlib.decompressobj(wbits=31)
    out = inflate.decompress(raw, MAX_API_JSON + 1)
    if len(out) > MAX_API_JSON or inflate.unconsumed_tail:
        raise ValueError(f"unpacks to more than {MAX_API_JSON // 2**20} MB")
    return out


def read_checkout(root: Path) -> dict[str, Any]:
    """A checkout's providers and models in `api.json`'s shape: provider id -> provider, with `models`."""
    if not (root / "providers").is_dir():
        raise ValueError(f"{root}: no providers/ directory; point at a models.dev checkout (or its api.json)")
    bases: dict[str, dict[str, Any]] = {}
    for file in sorted((root / "models").glob("**/*.toml")) if (root / "models").is_dir() else []:
        bases[file.relative_to(root / "models").with_suffix("").as_posix()] = _toml(file)
    out: dict[str, Any] = {}
    for pdir in sorted((root / "providers").iterdir()):
        if not (pdir / "provider.toml").is_file():
            continue
        prov = _toml(pdir / "provider.toml")
        models = {}
        for file in sorted((pdir / "models").glob("**/*.toml")):
            target = file.resolve()
            if not target.is_file() or not target.is_relative_to(root.resolve()):
                continue  # a dangling link, or one out of the checkout: not this provider's data
            model = _toml(target)
            base = bases.get(model.get("base_model")) if isinstance(model.get("base_model"), str) else None
            if base is not None:
                model = _merge(copy.deepcopy(base), model)
                for omitted in model.get("base_model_omit") or []:
                    _drop(model, str(omitted).split("."))
            models[file.relative_to(pdir / "models").with_suffix("").as_posix()] = model
        prov["models"] = models
        out[pdir.name] = prov
    return out


def _toml(file: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{file}: not readable TOML ({exc})") from None


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value
    return base


def _drop(node: Any, parts: list[str]) -> None:
    for part in parts[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(parts[-1], None)


def _count(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else None


def _price(value: Any) -> float | int | None:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _release(value: Any) -> dict[str, Any]:
    """models.dev's `release_date`: a day, or a month (`2026-01`) kept as written. A day that is not
    real (2025-02-30) and the Unix epoch (1970-01-01, a placeholder) are left out, not guessed."""
    if not isinstance(value, str):
        return {}
    if _RELEASE_MONTH.match(value):
        return {"release_date": value}
    if not _DAY.match(value):
        return {}
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return {}
    return {} if day == EPOCH else {"release_date": day}


def fields_of(model: dict[str, Any]) -> dict[str, Any]:
    """One models.dev model's fields in the catalog's shape."""
    out: dict[str, Any] = {}
    if isinstance(model.get("name"), str) and model["name"].strip():
        out["name"] = tidy_name(model["name"])
    limit = model.get("limit") if isinstance(model.get("limit"), dict) else {}
    for src, dst in (("context", "context_window"), ("input", "max_input"), ("output", "max_output")):
        if _count(limit.get(src)):
            out[dst] = _count(limit.get(src))
    if out.get("max_input") and out.get("context_window") and out["max_input"] >= out["context_window"]:
        del out["max_input"]  # no cap below the window
    if out.get("max_output") and out.get("context_window") and out["max_output"] > out["context_window"]:
        del out["max_output"]
    cost = model.get("cost") if isinstance(model.get("cost"), dict) else {}
    pricing = {dst: _price(cost.get(src)) for src, dst in COSTS.items() if _price(cost.get(src)) is not None}
    if pricing.get("input_1m") or pricing.get("output_1m"):  # 0/0 is a plan's or a free tier's, not a per-token price
        tiers = []
        over = cost.get("context_over_200k")
        if isinstance(over, dict):
            tiers.append({"above_input_tokens": 200_000, **{d: _price(over.get(s)) for s, d in COSTS.items()
                                                           if d in ("input_1m", "output_1m", "cache_read_1m", "cache_write_1m") and _price(over.get(s)) is not None}})
        for tier in cost.get("tiers") or []:
            size = _count((tier.get("tier") or {}).get("size")) if isinstance(tier, dict) else None
            if size:
                tiers.append({"above_input_tokens": size, **{d: _price(tier.get(s)) for s, d in COSTS.items()
                                                            if d in ("input_1m", "output_1m", "cache_read_1m", "cache_write_1m") and _price(tier.get(s)) is not None}})
        tiers = sorted({t["above_input_tokens"]: t for t in tiers if len(t) > 1}.values(), key=lambda t: t["above_input_tokens"])
        if tiers:
            pricing["tiers"] = tiers
        out["pricing"] = pricing
    caps = []
    if model.get("reasoning") is True:
        caps.append("reasoning")
    if model.get("tool_call") is True:
        caps.append("tool_use")
    if model.get("structured_output") is True:
        caps.append("structured_output")
    mods = model.get("modalities") if isinstance(model.get("modalities"), dict) else {}
    inputs = [m for m in mods.get("input") or [] if m in ("text", "image", "audio", "video", "pdf")]
    outputs = [m for m in mods.get("output") or [] if m in ("text", "image", "audio", "video", "pdf")]
    caps += [INPUT_CAPABILITIES[m] for m in inputs if m in INPUT_CAPABILITIES]
    if caps:
        out["capabilities"] = caps
    if inputs:
        out["input_modalities"] = inputs
    if outputs:
        out["output_modalities"] = outputs
    out.update(_release(model.get("release_date")))
    if isinstance(model.get("knowledge"), str) and _MONTH.match(model["knowledge"]):
        out["knowledge_cutoff"] = model["knowledge"]
    if isinstance(model.get("open_weights"), bool):
        out["open_weights"] = model["open_weights"]
    status = {"deprecated": "deprecated", "alpha": "preview", "beta": "preview"}.get(model.get("status"))
    if status:
        out["status"] = status
    return out
