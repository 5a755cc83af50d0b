"""The sync runner: files, HTTP, matching, diff, writing and rollback, for every source alike.

`plan_sync` reads the catalog's provider files round-trip and a dataset through its translator,
matches the dataset's entries to providers through each provider block's `datasets:` link, and
applies the merge rules (`merge`) in memory. `SyncPlan.write` saves the changed files atomically,
validates the catalog and restores every file when it does not validate.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import KabotModelsError
from ..patterns import MODEL_ID_PATTERN
from ..provenance import field_value
from ..yamlwrite import dump_rt, load_rt, write_atomically
from .merge import ENTRY_ORDER, PERIOD_FIELDS, Change, EntryMerger, Preferences, insert_ordered, offered_fields, plain
from .names import display_name
from .sources import Dataset, Offer, translator

SETTINGS_FILE = "sync.yaml"
"""The catalog-level file (next to `providers/`) that says which source is preferred for which field."""
_MODEL_ID = re.compile(MODEL_ID_PATTERN)
MAX_LIVE_BYTES = 64 * 1024 * 1024
"""Largest live response read (OpenRouter's full list is a few MB)."""


class SyncError(KabotModelsError):
    """A sync that cannot run or whose result does not validate; the catalog is left as it was."""


def load_preferences(catalog_dir: Path) -> Preferences:
    """`catalog/sync.yaml`, checked: `prefer.default` and `prefer.fields` are lists of source names."""
    from ..yamlload import YamlProblem, load_yaml_file

    path = catalog_dir / SETTINGS_FILE
    if not path.is_file():
        raise SyncError(f"{path}: missing; it says which source is preferred for which field (docs/models/sync.md)")
    try:
        data = load_yaml_file(path).data or {}
    except YamlProblem as exc:
        raise SyncError(str(exc)) from None
    prefer = data.get("prefer") if isinstance(data, dict) else None
    if not isinstance(prefer, dict) or not _names(prefer.get("default")):
        raise SyncError(f"{path}: needs `prefer: {{default: [source, ...]}}`")
    fields = prefer.get("fields") or {}
    if not isinstance(fields, dict) or not all(_names(v) for v in fields.values()):
        raise SyncError(f"{path}: `prefer.fields` maps a field to a list of source names")
    fill_only = data.get("fill_only") or []
    if not isinstance(fill_only, list) or not all(isinstance(f, str) for f in fill_only):
        raise SyncError(f"{path}: `fill_only` is a list of field names")
    return Preferences(tuple(prefer["default"]), {k: tuple(v) for k, v in fields.items()}, frozenset(fill_only))


def _names(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def make_node(value: Any, *, flow: bool = True) -> Any:
    """Plain data as ruamel nodes: mappings and lists in flow style (one line), a fresh object per date."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        node = CommentedMap((k, make_node(v, flow=True)) for k, v in value.items())
        if flow:
            node.fa.set_flow_style()
        else:
            node.fa.set_block_style()
        return node
    if isinstance(value, (list, tuple)):
        seq = CommentedSeq(make_node(v, flow=True) for v in value)
        seq.fa.set_flow_style()
        return seq
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.date(value.year, value.month, value.day)  # ruamel anchors a shared object
    return value


@dataclass
class FileState:
    """One provider file being synced: read fast as plain data to plan, round-trip only to write."""

    path: Path
    original: bytes
    doc: Any
    """Plain data (the fast loader) while planning; ruamel nodes once `prepare_write` ran."""
    changed: bool = False
    redo: Any = None
    """Re-applies this file's merge to a round-trip document (set by the planner)."""


@dataclass
class SyncPlan:
    """What a sync found: the changes per provider and model, ready to print or write."""

    source: str
    version: str
    changes: list[Change] = field(default_factory=list)
    files: dict[str, FileState] = field(default_factory=dict)
    catalog_dir: Path | None = None

    @property
    def drift(self) -> list[Change]:
        """Changes that edit the catalog."""
        return [c for c in self.changes if c.drift]

    @property
    def disagreements(self) -> list[Change]:
        """Differences the rules left alone (a verified, acknowledged, hand-edited or preferred value)."""
        return [c for c in self.changes if not c.drift]

    def write(self) -> list[Path]:
        """Save every changed file atomically, then validate; on any defect restore them all and raise."""
        from ..catalog import validate_catalog

        written: list[FileState] = []
        try:
            for state in self.files.values():
                if state.changed and not state.original:
                    write_atomically(state.path, _new_file_text(state.doc))  # nothing to keep: no round trip
                    written.append(state)
                elif state.changed:
                    doc = load_rt(state.path)
                    state.redo(doc)  # the same merge, now on nodes that keep comments and layout
                    write_atomically(state.path, dump_rt(doc))
                    written.append(state)
            if written:
                _, issues = validate_catalog(self.catalog_dir)
                if issues:
                    raise SyncError(f"the synced catalog does not validate, nothing written ({len(issues)} issue(s)): {issues[0]}")
        except BaseException:
            for state in written:
                if state.original:
                    write_atomically(state.path, state.original.decode("utf-8"))
                else:
                    state.path.unlink(missing_ok=True)
            raise
        return [s.path for s in written]


def read_dataset(source: str, path: Path | None, *, live: bool, today: dt.date, url: str | None = None) -> Dataset:
    """Run the source's translator (fetching the live response first for `--live`)."""
    module = translator(source)
    try:
        if live and source == "openrouter":
            return module.read(None, live=True, today=today, body=_fetch(url or module.LIVE_URL))
        return module.read(path, live=live, today=today)
    except ValueError as exc:
        raise SyncError(str(exc)) from None


def _fetch(url: str) -> bytes:
    import httpx

    try:
        with httpx.Client(timeout=30, follow_redirects=False) as client, client.stream("GET", url) as response:
            if response.status_code != 200:
                raise SyncError(f"{url}: HTTP {response.status_code}")
            body = b""
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_LIVE_BYTES:
                    raise SyncError(f"{url}: response larger than {MAX_LIVE_BYTES // 2**20} MB; refused")
            return body
    except httpx.HTTPError as exc:
        raise SyncError(f"{url}: {type(exc).__name__}: {exc}") from None


class Link:
    """A provider block's `datasets.<source>` link, compiled."""

    def __init__(self, raw: Any) -> None:
        ids = raw.get("id")
        self.ids = [str(i) for i in ids] if isinstance(ids, list) else [str(ids)]  # in order: the first listed wins
        self.key_prefix = raw.get("key_prefix")
        self.include = re.compile(raw["include"]) if raw.get("include") else None
        self.exclude = re.compile(raw["exclude"]) if raw.get("exclude") else None
        self.complete = bool(raw.get("complete"))
        self.inclusive_tiers = bool(raw.get("inclusive_tiers"))

    def api_id(self, offer: Offer) -> str | None:
        """The catalog API id of an offer this link takes, or None."""
        if offer.provider not in self.ids:
            return None
        if (self.include and not self.include.search(offer.key)) or (self.exclude and self.exclude.search(offer.key)):
            return None
        api_id = offer.key[len(self.key_prefix):] if self.key_prefix and offer.key.startswith(self.key_prefix) else offer.key
        return api_id if _MODEL_ID.match(api_id) else None


def plan_sync(catalog_dir: Path, dataset: Dataset, *, providers: list[str] | None = None, today: dt.date,
              add_providers: bool = False) -> SyncPlan:
    """Merge `dataset` into the catalog at `catalog_dir`, in memory; `providers` limits it to those ids.

    With `add_providers`, a provider of the dataset that no provider block links to becomes a new
    provider file (its block from what the dataset states: name, API base, flavour, auth env, docs).
    """
    prefs = load_preferences(catalog_dir)
    plan = SyncPlan(dataset.source, dataset.version, catalog_dir=catalog_dir)
    files = sorted((catalog_dir / "providers").glob("*.yaml"))
    if not files:
        raise SyncError(f"{catalog_dir / 'providers'}: no provider files")
    known = {p.stem for p in files}
    for pid in providers or []:
        if pid not in known:
            raise SyncError(f"--provider {pid}: no such provider file in {catalog_dir / 'providers'}")
    docs: dict[str, FileState] = {}
    for path in files:
        try:
            raw = path.read_bytes()
            docs[path.stem] = FileState(path, raw, _load_plain(raw))
        except Exception as exc:  # noqa: BLE001 - any parse failure of an untrusted file is one line
            raise SyncError(f"{path}: cannot be read as YAML ({type(exc).__name__}); run `kabot-models validate`") from None
        if not isinstance(docs[path.stem].doc, dict):
            raise SyncError(f"{path}: not a provider file (a mapping with `provider:` and `models:`); run `kabot-models validate`")
    plan.files = docs
    aliases = {str(a) for state in docs.values() for e in ((state.doc or {}).get("models") or {}).values()
               if isinstance(e, dict) for a in e.get("aliases") or []}
    by_provider: dict[str, list[Offer]] = {}
    for offer in dataset.offers:
        by_provider.setdefault(offer.provider, []).append(offer)
    link_key = dataset.source.replace("-", "_")
    if add_providers:
        _add_providers(plan, docs, dataset, link_key, known)
    vendors = _vendor_index(docs)
    # first parties first, so a gateway's new copy can find the first party's new model as its base
    order = sorted(docs, key=lambda p: (((docs[p].doc or {}).get("provider") or {}).get("kind", "first-party") != "first-party", p))
    for pid in order:
        state = docs[pid]
        if providers and pid not in providers:
            continue
        block = (state.doc or {}).get("provider") or {}
        raw_link = {"id": pid} if dataset.source == "scan" else ((block.get("datasets") or {}).get(link_key))
        if not raw_link:
            continue
        link = Link(raw_link)
        offers: dict[str, Offer] = {}
        for did in link.ids:
            for offer in by_provider.get(did, []):
                api_id = link.api_id(offer)
                if api_id is not None and api_id not in offers:
                    offers[api_id] = offer
        context = _Context(plan.files, dataset, prefs, today, aliases, vendors)
        changes = _sync_provider(context, pid, state.doc, block, link, offers)
        plan.changes.extend(changes)
        state.changed = not state.original or any(c.drift for c in changes)
        state.redo = (lambda doc, pid=pid, link=link, offers=offers, context=context:
                      _sync_provider(context, pid, doc, doc["provider"], link, offers))
    return plan


def _record(dataset: Dataset, offer: Offer, block: Any, today: dt.date) -> dict[str, Any] | None:
    if dataset.source == "scan":
        api = (block.get("api") or {}).get("base_url")
        return {"method": "scan", "api": str(api), "date": offer.seen or today} if api else None
    return {"method": "import", "source": dataset.source, "version": dataset.version, "date": today, "key": offer.key}


def _normalise(fields: dict[str, Any], link: Link, context: int | None) -> dict[str, Any]:
    """Provider facts the link states (inclusive tiers); tiers that can never apply and a max output
    that only repeats the context window (datasets fill one from the other) left out."""
    if fields.get("max_output") is not None and fields.get("max_output") == (fields.get("context_window") or context):
        fields = {k: v for k, v in fields.items() if k != "max_output"}
    pricing = fields.get("pricing")
    if pricing and not pricing.get("free") and (pricing.get("input_1m") or pricing.get("output_1m")):
        # a 0 cache price on a paid model is a dataset's "no separate price" (or unknown); 0 means free here
        pricing = _without_zero_cache(pricing)
        if pricing.get("tiers"):
            pricing = {**pricing, "tiers": [_without_zero_cache(t) for t in pricing["tiers"]]}
        fields = {**fields, "pricing": pricing}
    if not pricing or not pricing.get("tiers"):
        return fields
    tiers = [dict(t) for t in pricing["tiers"]]
    if link.inclusive_tiers:
        for t in tiers:
            t["above_input_tokens"] -= 1
    if context:
        tiers = [t for t in tiers if t["above_input_tokens"] < context]
    pricing = {**pricing, "tiers": tiers} if tiers else {k: v for k, v in pricing.items() if k != "tiers"}
    return {**fields, "pricing": pricing}


def _without_zero_cache(prices: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in prices.items() if not (k in ("cache_read_1m", "cache_write_1m") and v == 0)}


def _load_plain(raw: bytes) -> Any:
    """A provider file as plain data with libyaml (fast; the planner needs no comments)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(raw.decode("utf-8"), Loader=loader)  # noqa: S506 - a safe loader


@dataclass
class _Context:
    """What every provider's merge in one sync shares."""

    files: dict[str, FileState]
    dataset: Dataset
    prefs: Preferences
    today: dt.date
    aliases: set[str]
    vendors: dict[str, str]
    """A vendor's spelling in gateway ids (`moonshotai`) -> its first-party provider id."""


def _sync_provider(ctx: _Context, pid: str, doc: Any, block: Any, link: Link, offers: dict[str, Offer]) -> list[Change]:
    """Apply the merge rules to one provider's document (plain data or round-trip nodes alike)."""
    files, dataset, prefs, today, aliases = ctx.files, ctx.dataset, ctx.prefs, ctx.today, ctx.aliases
    changes: list[Change] = []
    models = doc.get("models")
    if models is None:
        models = doc["models"] = make_node({}, flow=False)
    # An id is one model whatever the case a dataset spells it in (genai-prices' `GLM-4.6` is Z.ai's
    # `glm-4.6`): an offer merges into the entry its id matches case-insensitively, never beside it.
    folded = {str(key).lower(): key for key in models}
    for api_id, offer in offers.items():
        record = _record(dataset, offer, block, today)
        if record is None:
            continue
        if api_id not in models and api_id.lower() in folded:
            api_id = folded[api_id.lower()]
        entry = models.get(api_id)
        context = offer.fields.get("context_window") or (field_value(entry, "context_window") if entry else None)
        fields = _normalise(dict(offer.fields), link, context)
        if offer.successor:
            target = Link({"id": offer.provider, "key_prefix": link.key_prefix}).api_id(Offer(offer.provider, offer.successor, {}))
            if target and target != api_id and target in offers:  # the source names it too: stable whatever else syncs
                fields["successor"] = f"{pid}/{target}"
        if entry is None and api_id in aliases:
            changes.append(Change(pid, api_id, "", "kept", None, None, f"not added: {api_id!r} is a catalog alias, which the new id would hide"))
            continue
        if entry is None:
            if block.get("kind") in ("gateway", "cloud", "local"):
                base = find_base(files, ctx.vendors, api_id)
                if base:
                    fields = _as_copy(files, base, fields)
            models[api_id] = _new_entry(api_id, fields, record, offer, dataset.review)
            folded[api_id.lower()] = api_id
            changes.append(Change(pid, api_id, "", "added", None, plain(fields)))
            continue

        def inherited(path: str, entry: Any = entry) -> Any:
            return _inherited(files, entry, path)

        merger = EntryMerger(pid, api_id, entry, record, prefs, dataset.source, make_node, inherited)
        offered = offered_fields(fields)
        merger.merge_periods({path: value for path, value in offered if path in PERIOD_FIELDS})
        for path, value in offered:
            if path in PERIOD_FIELDS:
                continue
            max_output = field_value(entry, "max_output") or inherited("max_output")
            if path == "context_window" and isinstance(max_output, int) and isinstance(value, int) and max_output > value:
                merger.changes.append(Change(pid, api_id, path, "kept", field_value(entry, path), value,
                                             "below the entry's max_output, so it cannot be the window"))
                continue
            window = field_value(entry, "context_window") or inherited("context_window")
            if path == "max_output" and isinstance(window, int) and isinstance(value, int) and value > window:
                merger.changes.append(Change(pid, api_id, path, "kept", field_value(entry, path), value,
                                             "above the entry's context window, so it cannot be its max output"))
                continue
            merger.merge(path, value)
        unlisted = entry.get("unlisted")
        if unlisted is not None and dataset.source in unlisted:
            del unlisted[dataset.source]
            if not unlisted:
                del entry["unlisted"]
            merger.changes.append(Change(pid, api_id, "unlisted", "relisted", dataset.source, None))
        changes.extend(merger.changes)
    if link.complete:
        offered_ids = {offered.lower() for offered in offers}
        for api_id, entry in models.items():
            if str(api_id).lower() in offered_ids or not _imported_from(entry, dataset.source):
                continue
            unlisted = entry.get("unlisted")
            if unlisted is not None and dataset.source in unlisted:
                continue
            if unlisted is None:
                insert_ordered(entry, "unlisted", make_node({}, flow=True), ENTRY_ORDER)
                unlisted = entry["unlisted"]
            unlisted[dataset.source] = make_node(today)
            changes.append(Change(pid, api_id, "unlisted", "unlisted", None, dataset.source))
    return changes


def _inherited(files: dict[str, FileState], entry: Any, path: str) -> Any:
    """The value an entry inherits for `path` from its `base` chain (None for what is never inherited)."""
    from ..catalog import NOT_INHERITED

    if path.split(".", 1)[0] in NOT_INHERITED:
        return None
    seen: set[str] = set()
    while isinstance(entry, dict) and entry.get("base") and str(entry["base"]) not in seen:
        seen.add(str(entry["base"]))
        pid, _, api_id = str(entry["base"]).partition("/")
        state = files.get(pid)
        entry = ((state.doc or {}).get("models") or {}).get(api_id) if state else None
        value = field_value(entry, path) if entry is not None else None
        if value is not None:
            return value
    return None


def _imported_from(entry: Any, source: str) -> bool:
    """Whether any figure of the entry was imported from `source` (only those can stop being listed by it)."""
    block = entry.get("provenance") or {}
    if block.get("method") == "import" and block.get("source") == source:
        return True
    return any(r.get("method") == "import" and r.get("source") == source for r in (block.get("fields") or {}).values())


def _new_entry(api_id: str, fields: dict[str, Any], record: dict[str, Any], offer: Offer, review: str | None = None) -> Any:
    """A new model entry in the catalog's key order, with the source's provenance as its default
    (and the dataset's `review` flag, when it has one)."""
    from ruamel.yaml.comments import CommentedMap

    if "base" not in fields:
        fields = {"name": display_name(api_id), **fields}
    entry = CommentedMap()
    for key in ENTRY_ORDER:
        if key in fields:
            entry[key] = make_node(fields[key])
    prov = dict(record)
    if offer.url and offer.url.startswith(("http://", "https://")):
        prov["url"] = offer.url
    if offer.notes:
        prov["note"] = "; ".join(offer.notes)
    entry["provenance"] = make_node(prov)
    if review:
        entry["review"] = review
    return entry


def _as_copy(files: dict[str, FileState], base: str, fields: dict[str, Any]) -> dict[str, Any]:
    """A new copy's own fields: `base` first, then only what differs from what it would inherit;
    a context window below the inherited max output is the dataset's slip and is left to the base."""
    probe = {"base": base}
    out: dict[str, Any] = {"base": base}
    for key, value in fields.items():
        if key == "name":
            continue
        inherited = _inherited(files, probe, key)
        if inherited is not None and plain(inherited) == plain(value):
            continue
        out[key] = value
    max_output = out.get("max_output") or _inherited(files, probe, "max_output")
    if isinstance(out.get("context_window"), int) and isinstance(max_output, int) and max_output > out["context_window"]:
        del out["context_window"]
    return out


def _norm(model_id: str) -> str:
    return re.sub(r"[._:]", "-", model_id.lower())


def _vendor_index(files: dict[str, FileState]) -> dict[str, str]:
    """Vendor spelling -> first-party provider id, from each first party's id, aliases and `datasets.vendor`."""
    out: dict[str, str] = {}
    for pid, state in files.items():
        block = (state.doc or {}).get("provider") or {}
        if block.get("kind", "first-party") != "first-party":
            continue
        for name in [pid, *(block.get("aliases") or []), *((block.get("datasets") or {}).get("vendor") or [])]:
            out.setdefault(str(name).lower(), pid)
    return out


def find_base(files: dict[str, FileState], vendors: dict[str, str], api_id: str) -> str | None:
    """The first-party model a gateway or cloud id offers, when the id names it unambiguously:
    `moonshotai/Kimi-K2.5` -> `moonshot/kimi-k2.5` (the vendor part through `datasets.vendor`, the
    model part spelled alike up to case and `.`/`-`/`_`/`:`). A flat id (`claude-sonnet-4-5` at a
    host) is the first parties' model spelled alike when exactly one has it, or exactly one of those
    that do names a keyword the id starts with. After a vendor part nobody claims (`Qwen/Qwen3-32B`,
    a host's `TEE/glm-4.7`) the model part is read as a flat id that must start with its maker's
    keyword; Fireworks' `accounts/<owner>/models/<model>` is read as the flat id after the last `/`,
    with Fireworks' `p` for a version's point (`kimi-k2p6`) read as `.`."""
    fireworks = _FIREWORKS_PATH.match(api_id)
    if fireworks:
        return _flat_base(files, vendors, _POINT.sub(".", fireworks.group(1)))
    parts = api_id.split("/")
    if len(parts) == 1:
        dotted = _DOTTED_VENDOR.match(api_id)  # Bedrock's `us.anthropic.claude-opus-4-20250514-v1:0`
        if dotted and dotted.group(1).lower() in vendors:
            parts = [dotted.group(1), _DOTTED_VERSION.sub("", dotted.group(2))]
        else:
            return _flat_base(files, vendors, api_id)
    if len(parts) != 2:
        return None
    vendor = vendors.get(parts[0].lower())
    state = files.get(vendor) if vendor else None
    if state is None:
        return _flat_base(files, vendors, parts[1], maker_named=True) if vendor is None else None
    want = _norm(parts[1].removesuffix(":free"))
    hits = [m for m, e in ((state.doc or {}).get("models") or {}).items() if _norm(m) == want and isinstance(e, dict) and not e.get("base")]
    return f"{vendor}/{hits[0]}" if len(hits) == 1 else None


_FIREWORKS_PATH = re.compile(r"^accounts/[^/]+/models/([^/]+)$")
"""Fireworks' model path: the model id is its last part."""
_POINT = re.compile(r"(?<=\d)p(?=\d)")
"""Fireworks writes a version's point as `p` (`llama-v3p1-8b`, `kimi-k2p6`)."""
_DOTTED_VENDOR = re.compile(r"^(?:(?:us|eu|apac|au|jp|ca|us-gov|global)\.)?([a-z][a-z-]*)\.(.+)$")
"""A cloud's `[region.]vendor.model` id (Bedrock): the vendor, and the model part."""
_DOTTED_VERSION = re.compile(r"-v\d+(?::\d+)?$")
"""Bedrock's model version suffix (`-v1:0`), which the maker's own id does not carry."""


def _flat_base(files: dict[str, FileState], vendors: dict[str, str], api_id: str, *, maker_named: bool = False) -> str | None:
    """A flat id's first-party model (`find_base`). A first party's keyword that starts the id
    (`deepseek-r1-0528`) names the maker: only its models count, so a first party that also hosts
    the model (Alibaba's DeepSeek) is not taken for it. When several first parties serve the name,
    the maker is the one whose keyword starts a word of it. With `maker_named` (the id came after
    a vendor part nobody claims), the id must start with its maker's keyword."""
    want = _norm(api_id.removesuffix(":free"))
    words = want.split("-")
    hits = []
    for pid in sorted(set(vendors.values())):
        doc = files[pid].doc or {}
        keywords = [str(kw).lower() for kw in (doc.get("provider") or {}).get("keywords") or [] if kw]
        for model, entry in (doc.get("models") or {}).items():
            if "/" not in str(model) and _norm(str(model)) == want and isinstance(entry, dict) and not entry.get("base"):
                hits.append((pid, str(model), keywords))
    makers = {h[0] for h in hits if any(words[0].startswith(kw) for kw in h[2])}
    named = any(words[0].startswith(str(kw).lower()) for pid in set(vendors.values())
                for kw in ((files[pid].doc or {}).get("provider") or {}).get("keywords") or [] if kw)
    if named or maker_named:
        hits = [h for h in hits if h[0] in makers]
    elif len(hits) > 1:  # several first parties serve the name: the maker is the one whose keyword starts a word
        hits = [h for h in hits if any(word.startswith(kw) for kw in h[2] for word in words)]
    return f"{hits[0][0]}/{hits[0][1]}" if len(hits) == 1 else None


_FILE_ID = re.compile(r"[^a-z0-9-]+")


def _new_file_text(doc: dict[str, Any]) -> str:
    """A new provider file's text: libyaml's emitter (fast; it quotes whatever its readers need), lists
    and mappings of scalars on one line, the schema line first."""
    import yaml

    from ..yamlwrite import SCHEMA_LINE

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = yaml.dump(plain_dates(doc), Dumper=dumper, default_flow_style=None, sort_keys=False, width=4096, allow_unicode=True)
    return SCHEMA_LINE + "\n" + body


def plain_dates(value: Any) -> Any:
    """Plain data for PyYAML's dumper (ruamel nodes become dicts and lists; dates stay dates)."""
    if isinstance(value, dict):
        return {str(k): plain_dates(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_dates(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def guess_kind(files: dict[str, FileState], vendors: dict[str, str], model_ids: list[str]) -> str:
    """A new provider's kind, from its model ids: `gateway` when most are spelled `vendor/model`, or
    when at least 3 are the catalog's first parties' models (`find_base`) and no one maker's make up
    more than half its list (a host of others' models); else `first-party`."""
    if sum("/" in m for m in model_ids) * 2 > len(model_ids):
        return "gateway"
    makers = Counter(base.split("/")[0] for m in model_ids if (base := find_base(files, vendors, m)))
    if sum(makers.values()) >= 3 and makers.most_common(1)[0][1] * 2 <= len(model_ids):
        return "gateway"
    return "first-party"


def _add_providers(plan: SyncPlan, docs: dict[str, FileState], dataset: Dataset, link_key: str, known: set[str]) -> None:
    """A provider file for each dataset provider no block links to (ids spelled as catalog ids)."""
    linked: set[str] = set()
    taken = set(known)
    vendors = _vendor_index(docs)  # the catalog's first parties, before any new file joins them
    for state in docs.values():
        block = (state.doc or {}).get("provider") or {}
        raw = (block.get("datasets") or {}).get(link_key) or {}
        ids = raw.get("id")
        linked.update(map(str, ids) if isinstance(ids, list) else [str(ids)] if ids else [])
        taken.update(map(str, block.get("aliases") or []))
    for did, prov in sorted(dataset.providers.items()):
        if did in linked:
            continue
        pid = _FILE_ID.sub("-", did.lower()).strip("-")
        if not pid or pid in taken or not any(o.provider == did for o in dataset.offers):
            continue
        offers = [o for o in dataset.offers if o.provider == did]
        block: dict[str, Any] = {"name": prov.name, "kind": guess_kind(docs, vendors, [o.key for o in offers])}
        api: dict[str, Any] = {}
        if prov.base_url and prov.base_url.startswith(("http://", "https://")):
            api["base_url"] = prov.base_url
        api["flavor"] = prov.flavor or "none"
        block["api"] = api
        block["auth"] = {"env": list(prov.env)}
        if prov.docs_url and prov.docs_url.startswith(("http://", "https://")):
            block["docs_url"] = prov.docs_url
        block["datasets"] = {link_key: {"id": did, "complete": True}}
        path = plan.catalog_dir / "providers" / f"{pid}.yaml" if plan.catalog_dir else Path(f"{pid}.yaml")
        docs[pid] = FileState(path, b"", {"provider": block, "models": {}})
        plan.changes.append(Change(pid, "", "", "added", None, {"provider": did}))
        taken.add(pid)
