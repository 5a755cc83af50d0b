#!/usr/bin/env python3
"""Draft catalog entries for one provider from LiteLLM's bundled model map, for a person to curate.

    python scripts/draft_from_litellm.py PROVIDER [--litellm-provider NAME] [--out FILE] [--only-missing]

PROVIDER is a catalog provider id (`moonshot`); its file's `litellm.prefix` (or the id itself) picks
the LiteLLM entries, unless `--litellm-provider` names LiteLLM's provider (`together_ai`). The drafts
are merged into `catalog/providers/PROVIDER.yaml` (or `--out`) with ruamel.yaml round-trip: existing
entries, comments and order stay; new entries are appended, each under a
`# DRAFT: review against <source url>` comment. Without `--only-missing`, the figures of entries
already in the file are refreshed from the map too (their other keys and comments are kept).

LiteLLM has known errors (wrong cache prices, stale models): every draft needs a person's review.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from io import StringIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kabot_models.litellm import CAPABILITY_FLAGS  # noqa: E402
from kabot_models.audit import (  # noqa: E402
    LITELLM_REPO_URL,
    DatasetMissing,
    dataset_version,
    load_litellm_map,
    per_million,
)

SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/provider.schema.json"
MODES = {"chat", "completion", "responses", "embedding", "image_generation", "audio_transcription",
         "audio_speech", "rerank", "moderation", "video_generation", "ocr"}
MODALITIES = {"text", "image", "audio", "video", "pdf"}

#: LiteLLM per-token price key -> catalog price field.
PRICE_KEYS = {
    "input_cost_per_token": "input_1m",
    "output_cost_per_token": "output_1m",
    "cache_read_input_token_cost": "cache_read_1m",
    "cache_creation_input_token_cost": "cache_write_1m",
}
EXTRA_PRICE_KEYS = {
    "cache_creation_input_token_cost_above_1hr": "cache_write_1h_1m",
    "output_cost_per_reasoning_token": "reasoning_1m",
    "input_cost_per_audio_token": "input_audio_1m",
    "output_cost_per_audio_token": "output_audio_1m",
}
_TIER_KEY = re.compile(r"^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|cache_creation_input_token_cost)_above_(\d+)k_tokens$")
_NAME_WORDS = {"gpt": "GPT", "glm": "GLM", "oss": "OSS", "vl": "VL", "ai": "AI", "api": "API", "tts": "TTS",
               "llama": "Llama", "qwq": "QwQ", "r1": "R1", "v3": "V3", "v4": "V4", "xl": "XL", "fp8": "FP8",
               "it": "IT", "moe": "MoE", "mimo": "MiMo", "minimax": "MiniMax", "deepseek": "DeepSeek"}


class DraftError(Exception):
    """Bad input to the script: printed as one line, exit 1."""


def today() -> dt.date:
    """The check date written into drafts (the machine's date)."""
    return dt.date.today()


_VENDOR_PREFIX = re.compile(r"^(?:[a-z]{2,6}\.)?[a-z]+\.(?=[a-z])")
_BEDROCK_VERSION = re.compile(r"-v\d+(?::\d+)?$")
_DATE8 = re.compile(r"^(20\d\d)(\d\d)(\d\d)$")
_DASHED_DATE = re.compile(r"-(20\d\d)-(\d\d)-(\d\d)(?=$|-)")
_SHORT_VERSION = re.compile(r"^\d{1,2}(\.\d{1,2})*$")


def display_name(api_id: str) -> str:
    """A readable name from an API id, a starting point to curate.

    `claude-sonnet-5-5` -> `Claude Sonnet 5.5`; `us.anthropic.claude-opus-4-20250514-v1:0` ->
    `Claude Opus 4 (2025-05-14)`: vendor and region prefixes and Bedrock's `-v1:0` go, runs of short
    numbers become a version, an eight-digit date becomes a suffix.
    """
    last = api_id.rsplit("/", 1)[-1].removeprefix("hf:")
    free = last.endswith(":free")
    last = last.removesuffix(":free")
    last = _BEDROCK_VERSION.sub("", _VENDOR_PREFIX.sub("", last))
    last = _DASHED_DATE.sub(r"-\1\2\3", last)
    words = [w for w in re.split(r"[-_ ]+", last) if w]
    out: list[str] = []
    date = ""
    for w in words:
        low = w.lower()
        if _DATE8.match(w):
            date = "-".join(_DATE8.match(w).groups())  # type: ignore[union-attr]
        elif w.isdigit() and len(w) <= 2 and out and _SHORT_VERSION.match(out[-1]):
            out[-1] += "." + w  # 4-5 -> 4.5
        elif low in _NAME_WORDS:
            out.append(_NAME_WORDS[low])
        elif w[0].isalpha() and w.islower():
            out.append(w[0].upper() + w[1:])
        else:
            out.append(w)
    name = " ".join(out) or api_id
    return tidy_name(f"{name} ({date})" if date else name) + (" (free)" if free else "")


#: (pattern, replacement) applied in order by `tidy_name`.
_TIDY = [
    (re.compile(r":free$"), " (free)"),
    # sizes as words of their own (a hyphenated all-lower-case name like `gpt-oss-120b` is the vendor's spelling)
    (re.compile(r"(?<![\w.-])(\d+(?:\.\d+)?|\d+x\d+)([bt])(?![\w-])"), lambda m: m.group(1) + m.group(2).upper()),  # 70b -> 70B
    (re.compile(r"(?<![\w.-])[aAeE](\d+(?:\.\d+)?)[bB](?![\w-])"), lambda m: m.group(0)[0].upper() + m.group(1) + "B"),  # a22b -> A22B
    (re.compile(r"(\d[BT]) (A\d+(?:\.\d+)?B)\b"), r"\1-\2"),  # 235B A22B -> 235B-A22B
    (re.compile(r"^GPT (\d[\w.]*)"), r"GPT-\1"),  # GPT 5.6 -> GPT-5.6
    (re.compile(r"^(GPT-[\w.]+) (Mini|Nano)\b"), lambda m: f"{m.group(1)} {m.group(2).lower()}"),  # GPT-5 Mini -> GPT-5 mini
    (re.compile(r"^(GPT-[\w.]+) Codex\b"), r"\1-Codex"),  # GPT 5.2 Codex -> GPT-5.2-Codex (OpenAI's spelling)
    (re.compile(r"-Codex (Max|Mini|Spark)\b"), r"-Codex-\1"),
    (re.compile(r"^[oO](\d) ([Mm]ini|[Pp]ro|[Pp]review)\b"), lambda m: f"o{m.group(1)}-{m.group(2).lower()}"),  # O3 Pro -> o3-pro
    (re.compile(r"^O(\d)\b"), r"o\1"),  # O3 Deep Research -> o3 Deep Research
    (re.compile(r"^(?:Zai|Z\.ai|Z\.AI) (?=GLM)"), ""),  # a vendor word before the model's own name
    (re.compile(r"^Gemini (?=Gemma\b)"), ""),
    (re.compile(r"\bGLM (\d)"), r"GLM-\1"),  # GLM 5.3 -> GLM-5.3 (Z.ai's spelling)
    (re.compile(r"\bRobotics Er\b"), "Robotics-ER"),
    (re.compile(r"\bCustomtools\b"), "Custom Tools"),
    (re.compile(r"\bLearnlm\b"), "LearnLM"),
]


def tidy_name(name: str) -> str:
    """A display name in the vendors' own style: `Qwen3 VL 235b A22b` -> `Qwen3 VL 235B-A22B`, `GPT 5 Mini` ->
    `GPT-5 mini`, `O3 Pro` -> `o3-pro`, `Llama 3.3 70b:free` -> `Llama 3.3 70B (free)`. Used on names the
    datasets give too, so a catalog's names read alike whichever source they came from."""
    name = re.sub(r"\s+", " ", name).strip()
    for pattern, repl in _TIDY:
        name = pattern.sub(repl, name)
    return name


def entry_from_litellm(key: str, info: dict[str, Any], *, checked: dt.date, note_extra: str = "") -> dict[str, Any]:
    """One catalog model entry (plain dict, schema field names) from a LiteLLM map entry.

    Figures LiteLLM does not have are left out. `successor` is not set here: the caller knows which
    catalog ids exist and sets it (LiteLLM's successor is returned under `_successor`).
    """
    entry: dict[str, Any] = {}
    mode = info.get("mode")
    if mode and mode != "chat" and mode in MODES:
        entry["mode"] = mode
    notes: list[str] = []
    ctx = info.get("max_input_tokens")
    if isinstance(ctx, int) and ctx > 0:
        entry["context_window"] = ctx
    out = info.get("max_output_tokens")
    if isinstance(out, int) and out > 0:
        if isinstance(ctx, int) and out > ctx:
            notes.append(f"LiteLLM's max_output_tokens {out} is above its max_input_tokens {ctx}; left out")
        else:
            entry["max_output"] = out
    pricing = pricing_from_litellm(info, notes)
    if pricing is None and (info.get("input_cost_per_token") == 0 and info.get("output_cost_per_token") == 0):
        notes.append("LiteLLM lists 0 prices, which it also uses for unknown; pricing left out")
    if pricing:
        entry["pricing"] = pricing
    caps = [cap for flag, cap in CAPABILITY_FLAGS.items() if info.get(flag) is True]
    if caps:
        entry["capabilities"] = caps
    ins = [m for m in info.get("supported_modalities") or [] if m in MODALITIES]
    if ins:
        entry["input_modalities"] = ins
    outs = [m for m in info.get("supported_output_modalities") or [] if m in MODALITIES]
    if outs:
        entry["output_modalities"] = outs
    dep = info.get("deprecation_date")
    if isinstance(dep, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", dep):
        day = dt.date.fromisoformat(dep)
        entry["status"] = "retired" if day <= checked else "deprecated"
        entry["deprecation_date"] = day
    if info.get("successor_model"):
        entry["_successor"] = info["successor_model"]
    url = info.get("source") if isinstance(info.get("source"), str) and str(info.get("source")).startswith("http") else LITELLM_REPO_URL
    note = f"figures from LiteLLM {dataset_version('litellm')} map key `{key}`"
    if notes:
        note += "; " + "; ".join(notes)
    if note_extra:
        note += "; " + note_extra
    entry["source"] = {"url": url, "checked": checked, "note": note}
    return entry


def _litellm_tiered(info: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """LiteLLM's `tiered_pricing` list as (range start, tier) pairs, lowest start first.

    LiteLLM bills a whole request at the one tier whose `range` holds its input tokens, with
    `start < input tokens <= end` (its `select_tier_for_input`): the tier starting at N is the
    catalog's `above_input_tokens: N`, and the tier starting at 0 is the base price.
    """
    out = []
    for tier in info.get("tiered_pricing") or []:
        rng = tier.get("range") if isinstance(tier, dict) else None
        if isinstance(rng, (list, tuple)) and len(rng) == 2 and all(isinstance(x, (int, float)) for x in rng):
            out.append((int(rng[0]), tier))
    return sorted(out, key=lambda t: t[0])


def _drop_zero_cache(prices: dict[str, Any], notes: list[str] | None, where: str = "") -> None:
    """LiteLLM writes 0 for a cache price that is no surcharge (cache writes billed as input) or
    unknown; in the catalog 0 means free, so a 0 cache price on a paid model is left out."""
    if not prices.get("input_1m"):
        return
    for field, key in (("cache_write_1m", "cache_creation_input_token_cost"), ("cache_read_1m", "cache_read_input_token_cost")):
        if prices.get(field) == 0:
            del prices[field]
            if notes is not None:
                notes.append(f"LiteLLM's {key}{where} is 0, which it uses for no separate price (or unknown), "
                             f"not for free; {field} left out")


def pricing_from_litellm(info: dict[str, Any], notes: list[str] | None = None) -> dict[str, Any] | None:
    """The `pricing` mapping for a LiteLLM entry, or None when it carries no real token price.

    Notes for the entry's `source.note` (figures left out and why) are appended to `notes`.
    """
    tiered = _litellm_tiered(info)
    flat = info
    if tiered and tiered[0][0] == 0 and per_million(tiered[0][1].get("input_cost_per_token")) is not None:
        # a `tiered_pricing` table wins over flat rates in LiteLLM's cost calculator
        flat = {**info, **{k: v for k, v in tiered[0][1].items() if k != "range"}}
    pricing: dict[str, Any] = {}
    for src, dst in {**PRICE_KEYS, **EXTRA_PRICE_KEYS}.items():
        value = per_million(flat.get(src))
        if value is not None:
            pricing[dst] = value
    if not pricing.get("input_1m") and not pricing.get("output_1m"):
        return None
    _drop_zero_cache(pricing, notes)
    tiers: dict[int, dict[str, Any]] = {}
    for k, v in info.items():
        match = _TIER_KEY.match(k)
        if match and per_million(v) is not None:
            threshold = int(match.group(2)) * 1000
            tiers.setdefault(threshold, {"above_input_tokens": threshold})[PRICE_KEYS[match.group(1)]] = per_million(v)
    if flat is not info:
        for start, tier in tiered[1:]:
            for src, dst in PRICE_KEYS.items():
                value = per_million(tier.get(src))
                if value is not None:
                    tiers.setdefault(start, {"above_input_tokens": start})[dst] = value
            reasoning = per_million(tier.get("output_cost_per_reasoning_token"))
            if reasoning is not None and notes is not None:
                notes.append(f"LiteLLM prices reasoning output at {reasoning} per 1M above {start} input tokens; "
                             "a tier carries no reasoning price")
    if tiers:
        order = ["above_input_tokens", *PRICE_KEYS.values()]
        for tier in tiers.values():  # a 0 cache price in a tier of a paid model: no separate price, as above
            for field in ("cache_write_1m", "cache_read_1m"):
                if tier.get(field) == 0 and (tier.get("input_1m") or pricing.get("input_1m")):
                    del tier[field]
        pricing["tiers"] = [{k: tiers[t][k] for k in order if k in tiers[t]} for t in sorted(tiers)]
    batch = {dst: per_million(info.get(f"{src}_batches")) for src, dst in PRICE_KEYS.items()}
    batch = {k: v for k, v in batch.items() if v is not None}
    if batch:
        _drop_zero_cache(batch, notes, "_batches")
        pricing["batch"] = batch
    return pricing


def litellm_keys_for(litellm_provider: str, lmap: dict[str, dict[str, Any]], modes: set[str] | None = None) -> list[str]:
    """The map keys whose `litellm_provider` is `litellm_provider`, in the map's order."""
    modes = modes or {"chat", "responses"}
    return [k for k, v in lmap.items() if v.get("litellm_provider") == litellm_provider and v.get("mode") in modes]


def api_id_for(key: str, prefix: str | None) -> str:
    """The provider's API id for a LiteLLM key: the key without its `prefix/`."""
    if prefix and key.startswith(prefix + "/"):
        return key[len(prefix) + 1:]
    return key


# --- YAML writing (ruamel round-trip, shared with whoever writes catalog files) -----------------------


def yaml_rt() -> Any:
    """A ruamel.yaml round-trip instance with the catalog's layout."""
    from ruamel.yaml import YAML

    y = YAML()
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096
    y.preserve_quotes = True
    y.representer.ignore_aliases = lambda *_: True  # no &id001 anchors for repeated dates
    return y


def to_yaml_node(entry: dict[str, Any]) -> Any:
    """A model entry as ruamel nodes: block style for the entry, flow style for short maps and lists."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def flow(value: Any) -> Any:
        if isinstance(value, dict):
            cm = CommentedMap((k, flow(v)) for k, v in value.items())
            cm.fa.set_flow_style()
            return cm
        if isinstance(value, list):
            cs = CommentedSeq(flow(v) for v in value)
            cs.fa.set_flow_style()
            return cs
        return value

    node = CommentedMap()
    for k, v in entry.items():
        if k.startswith("_"):
            continue
        if k == "acknowledged":
            seq = CommentedSeq(flow(a) for a in v)
            node[k] = seq
        else:
            node[k] = flow(v)
    return node


def merge_drafts(path: Path, provider_block: dict[str, Any] | None, drafts: dict[str, dict[str, Any]], *, only_missing: bool) -> tuple[int, int]:
    """Merge `drafts` (api id -> entry) into the provider file at `path`; returns (added, updated)."""
    from ruamel.yaml.comments import CommentedMap

    y = yaml_rt()
    if path.exists():
        doc = y.load(path.read_text(encoding="utf-8"))
    else:
        doc = CommentedMap()
        doc["provider"] = to_yaml_node(provider_block or {"name": path.stem})
        doc["models"] = CommentedMap()
    models = doc.setdefault("models", CommentedMap())
    if models is None:
        models = doc["models"] = CommentedMap()
    added = updated = 0
    for api_id, entry in drafts.items():
        node = to_yaml_node(entry)
        if api_id in models:
            if only_missing:
                continue
            for k, v in node.items():
                if k in ("name",) and k in models[api_id]:
                    continue  # a curated name wins over the id-derived one
                models[api_id][k] = v
            updated += 1
            continue
        models[api_id] = node
        models.yaml_set_comment_before_after_key(api_id, before=f"DRAFT: review against {entry['source']['url']}", indent=2)
        added += 1
    buf = StringIO()
    y.dump(doc, buf)
    text = buf.getvalue()
    if not text.startswith(SCHEMA_LINE):
        text = SCHEMA_LINE + "\n" + text
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return added, updated


def provider_block_of(path: Path) -> dict[str, Any] | None:
    """The `provider:` block of an existing provider file, or None."""
    if not path.exists():
        return None
    doc = yaml_rt().load(path.read_text(encoding="utf-8")) or {}
    return dict(doc.get("provider") or {})


def draft(provider: str, *, litellm_provider: str | None, out: Path | None, only_missing: bool, checked: dt.date | None = None) -> tuple[Path, int, int]:
    """Draft every chat entry LiteLLM has for `provider` into its file. Raises DraftError on bad input."""
    if not re.match(r"^[a-z0-9][a-z0-9-]*$", provider):
        raise DraftError(f"{provider!r} is not a provider id (lowercase letters, digits and '-')")
    catalog_file = ROOT / "catalog" / "providers" / f"{provider}.yaml"
    path = out or catalog_file
    block = provider_block_of(catalog_file)
    prefix = ((block or {}).get("litellm") or {}).get("prefix")
    name = litellm_provider or prefix or provider
    lmap = load_litellm_map()
    keys = litellm_keys_for(name, lmap)
    if not keys:
        known = sorted({str(v.get("litellm_provider")) for v in lmap.values() if v.get("litellm_provider")})
        import difflib

        hint = difflib.get_close_matches(name, known, n=1)
        tip = f"; did you mean --litellm-provider {hint[0]}?" if hint else "; pass --litellm-provider NAME"
        raise DraftError(f"LiteLLM's map has no chat models for provider {name!r}{tip}")
    checked = checked or today()
    key_prefix = prefix or name
    drafts: dict[str, dict[str, Any]] = {}
    for key in keys:
        api_id = api_id_for(key, key_prefix)
        entry = {"name": display_name(api_id), **entry_from_litellm(key, lmap[key], checked=checked)}
        if key != (f"{prefix}/{api_id}" if prefix else api_id):
            entry["litellm_id"] = key
        successor = entry.pop("_successor", None)
        if successor:
            succ_api = api_id_for(successor, key_prefix)
            if succ_api in [api_id_for(k, key_prefix) for k in keys]:
                entry["successor"] = f"{provider}/{succ_api}"
            else:
                entry["source"]["note"] += f"; LiteLLM names successor `{successor}`, not drafted here"
        drafts[api_id] = entry
    added, updated = merge_drafts(path, block or {"name": provider, "litellm": {"prefix": name}}, drafts, only_missing=only_missing)
    return path, added, updated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("provider", help="catalog provider id, e.g. moonshot")
    parser.add_argument("--litellm-provider", help="LiteLLM's provider name when it differs, e.g. together_ai")
    parser.add_argument("--out", type=Path, help="file to write (default: catalog/providers/PROVIDER.yaml)")
    parser.add_argument("--only-missing", action="store_true", help="add new models only; leave existing entries as they are")
    args = parser.parse_args(argv)
    try:
        path, added, updated = draft(args.provider, litellm_provider=args.litellm_provider, out=args.out, only_missing=args.only_missing)
    except (DraftError, DatasetMissing) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{path}: {added} drafted, {updated} refreshed; review every `# DRAFT` entry before committing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
