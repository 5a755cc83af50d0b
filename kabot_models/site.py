"""`kabot-models site`: the catalog as a static site that works from `file://`, with no server and no CDN.

    out/index.html              every model: search, filters, sortable columns; the view lives in the URL hash
    out/compare.html            2 to 4 models side by side (`#m=id,id`)
    out/providers.html          every provider
    out/models/<id>.html        one page per model: every field with its provenance, price history, how to reach it
    out/providers/<id>.html     one page per provider: what `kabot-models show PROVIDER` prints
    out/data/catalog.js         the rows the index and compare pages read (a script, since file:// cannot fetch JSON)
    out/api/...                 the catalog as JSON: all, per provider, per model; models.dev's api.json; the change feed

The markup, style and scripts are package data under `site_assets/`; this module fills the page
templates (`string.Template`) with escaped values and writes the directory through
`outputs.new_dir_beside` / `outputs.replace_dir`, so a failed build leaves the previous site whole.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any

from .audit import dataset_version
from .export import export_json, export_models_dev, model_export, provider_export
from .reach import STATUSES, model_reach, provider_facts

if TYPE_CHECKING:
    from .registry import Registry

ASSETS = ("site.css", "index.js", "compare.js")
"""Files copied as they are to `assets/`."""

_SAFE = re.compile(r"[A-Za-z0-9_.-]")
_SAFE_SEGMENT = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*")


@dataclass
class SiteSummary:
    """What `build_site` wrote."""

    models: int
    providers: int
    notes: list[str] = field(default_factory=list)
    """Things the reader of the command's output should know (e.g. no change feed)."""


def _segment(part: str) -> str:
    """One path segment of an id, safe on any file system and unambiguous: every character outside
    `[A-Za-z0-9_.-]` (and a leading dot) becomes `~` and its UTF-8 bytes in hex."""
    if _SAFE_SEGMENT.fullmatch(part):
        return part
    out = []
    for i, ch in enumerate(part):
        if _SAFE.fullmatch(ch) and not (i == 0 and ch == "."):
            out.append(ch)
        else:
            out.append("".join(f"~{b:02x}" for b in ch.encode("utf-8")))
    return "".join(out) or "~"


def id_path(full_id: str) -> str:
    """`openrouter/meta-llama/llama-3.3-70b:free` -> `openrouter/meta-llama/llama-3.3-70b~3afree` (no suffix)."""
    return "/".join(_segment(p) for p in full_id.split("/"))


def model_page(full_id: str) -> str:
    """The site path of a model's page."""
    return f"models/{id_path(full_id)}.html"


def provider_page(pid: str) -> str:
    """The site path of a provider's page."""
    return f"providers/{_segment(pid)}.html"


def _template(name: str) -> Template:
    return Template(resources.files("kabot_models").joinpath("site_assets", name).read_text(encoding="utf-8"))


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _fmt_int(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else "—"


def _fmt_price(value: Any) -> str:
    if value is None:
        return "—"
    from .cost import decimal_text, to_decimal

    return "$" + decimal_text(to_decimal(value))


class _Writer:
    """Fills the page shell and writes files under one build directory."""

    def __init__(self, root: Path, generated: str, source_hash: str) -> None:
        self.root = root
        self.page = _template("page.html")
        self.generated = generated
        self.source_hash = source_hash

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def json(self, rel: str, data: Any) -> None:
        self.write(rel, json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n")

    def html(self, rel: str, title: str, body: str, scripts: tuple[str, ...] = (), nav: str = "") -> None:
        up = "../" * rel.count("/")
        tags = "\n".join(f'<script src="{up}{_e(s)}"></script>' for s in scripts)
        self.write(rel, self.page.substitute(
            title=_e(title), root=up, body=body, scripts=tags, generated=_e(self.generated),
            hash=_e(self.source_hash[:12]), version=_e(dataset_version("kabot-models")),
            **{f"nav_{n}": ' aria-current="page"' if n == nav else "" for n in ("models", "providers", "compare", "api")},
        ))


# -- the rows the scripts read -----------------------------------------------------------------


def _row(rec: dict[str, Any], caps: dict[str, int]) -> dict[str, Any]:
    """A model as the index and compare pages read it (short keys: ~6,000 of these load at once)."""
    p = rec.get("pricing") or {}
    row: dict[str, Any] = {"i": rec["id"], "n": rec.get("name") or rec["id"], "p": rec["provider"],
                           "s": rec.get("status", "active"), "u": model_page(rec["id"])}
    for key, value in (("c", rec.get("context_window")), ("o", rec.get("max_output")), ("pi", p.get("input_1m")),
                       ("po", p.get("output_1m")), ("pr", p.get("cache_read_1m")), ("pw", p.get("cache_write_1m")),
                       ("r", str(rec["release_date"]) if rec.get("release_date") else None),
                       ("k", str(rec["knowledge_cutoff"]) if rec.get("knowledge_cutoff") else None),
                       ("m", rec.get("mode", "chat"))):
        if value is not None:
            row[key] = value
    if rec.get("capabilities"):
        row["f"] = [caps[c] for c in rec["capabilities"] if c in caps]
    if rec.get("aliases"):
        row["a"] = list(rec["aliases"])
    if p.get("tiers"):
        row["t"] = [[t["above_input_tokens"], t.get("input_1m"), t.get("output_1m")] for t in p["tiers"]]
    if rec.get("input_modalities"):
        row["mi"] = list(rec["input_modalities"])
    return row


def catalog_script(registry: Registry) -> str:
    """`data/catalog.js`: the rows and the vocabularies, as one assignment the pages' scripts read."""
    from .schema import CAPABILITIES

    caps = {c: n for n, c in enumerate(CAPABILITIES)}
    data = {
        "caps": list(CAPABILITIES),
        "statuses": list(STATUSES),
        "providers": {b["id"]: {"n": b.get("name", b["id"]), "u": provider_page(b["id"]), "k": b.get("kind", "first-party")}
                      for b in sorted(registry.provider_records(), key=lambda b: b["id"])},
        "models": [_row(rec, caps) for rec in registry.records()],
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    # `</` would end the script element early in an inline script; escaped it is the same JSON.
    return "window.KM_CATALOG = " + text.replace("</", "<\\/") + ";\n"


# -- model pages -------------------------------------------------------------------------------


def _flatten(prefix: str, value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict) and value:
        return [item for k, v in value.items() for item in _flatten(f"{prefix}.{k}", v)]
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [item for n, v in enumerate(value) for item in _flatten(f"{prefix}[{n}]", v)]
    return [(prefix, value)]


def _value_html(key: str, value: Any, registry: Registry, up: str) -> str:
    if isinstance(value, list):
        return ", ".join(_e(v) for v in value) or "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and re.match(r"^https?://", value):
        return f'<a href="{_e(value)}" rel="noopener">{_e(value)}</a>'
    if key in ("base", "successor") and isinstance(value, str) and registry.record(value) is not None:
        return f'<a href="{up}{_e(model_page(value))}">{_e(value)}</a>'
    if key.startswith("pricing.") and key.endswith("_1m") and isinstance(value, (int, float)):
        return _e(_fmt_price(value)) + " <small>per 1M tokens</small>"
    if isinstance(value, int) and (key in ("context_window", "max_output") or key.endswith("above_input_tokens")):
        return _e(_fmt_int(value))
    return _e(value)


def _fields_table(rec: dict[str, Any], registry: Registry, up: str) -> str:
    """Every field of the record with where it came from: the record's `field_sources` and each
    figure's provenance (dataset and version, the page read, or the scan), linked to its source page."""
    from .provenance import expand, field_source, provenance_of

    sources = rec.get("field_sources") or {}
    provenance = expand(rec, registry.record)
    rows = []
    for key, value in rec.items():
        if key in ("id", "field_sources", "provenance") or value in (None, [], {}, ""):
            continue
        origin = sources.get(key) or ("derived" if key in ("provider", "mode", "status", "origin") else "")
        if isinstance(origin, dict):
            origin = ", ".join(f"{k}: {v}" for k, v in origin.items())
        for path, leaf in _flatten(key, value):
            record = provenance_of(provenance, path)
            notes = _e(field_source(origin, record))
            url = (record or {}).get("url")
            if isinstance(url, str) and url.startswith(("https://", "http://")):
                notes += f' <a href="{_e(url)}" rel="nofollow">{_e(url)}</a>'
            rows.append(f'<tr><th scope="row"><code>{_e(path)}</code></th><td>{_value_html(path, leaf, registry, up)}</td>'
                        f'<td class="origin">{notes}</td></tr>')
    return "\n".join(rows)


def _history_points(pricing: dict[str, Any]) -> list[tuple[_dt.date | None, Any, Any]]:
    """(first day, input, output) of each recorded price set, oldest first; the current one last
    (its day None when the catalog does not say since when it applies)."""
    # The oldest period may leave out `since` (it applied from the start): it has no place on a time axis.
    points = [(_dt.date.fromisoformat(str(h["since"])), h.get("input_1m"), h.get("output_1m"))
              for h in pricing.get("history") or () if h.get("since")]
    since = pricing.get("since")
    points.append((_dt.date.fromisoformat(str(since)) if since else None, pricing.get("input_1m"), pricing.get("output_1m")))
    return points


def price_chart(pricing: dict[str, Any], today: _dt.date) -> str:
    """An inline SVG step chart of input and output prices over time, or a sentence when the
    catalog records no earlier prices."""
    points = _history_points(pricing)
    if len(points) < 2:
        if pricing.get("since"):
            return f'<p class="muted">The current prices apply since {_e(pricing["since"])}; no earlier prices are recorded.</p>'
        return '<p class="muted">No earlier prices are recorded for this model.</p>'
    if points[-1][0] is None:
        return ('<p class="muted">Earlier prices are recorded, but not the day the current ones began, '
                'so the history cannot be drawn; the table above lists them.</p>')
    width, height, left, right, top, bottom = 560, 180, 56, 16, 12, 28
    first = points[0][0]
    end = max(today, points[-1][0] + _dt.timedelta(days=30))  # type: ignore[operator]
    start = first - _dt.timedelta(days=max(7, (end - first).days // 12))  # type: ignore[operator]
    span = max((end - start).days, 1)
    prices = [float(v) for _, i, o in points for v in (i, o) if v is not None]
    high = max(prices) * 1.15 or 1.0

    def x(day: _dt.date) -> float:
        return left + (width - left - right) * (day - start).days / span  # type: ignore[operator]

    def y(price: float) -> float:
        return top + (height - top - bottom) * (1 - price / high)

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title">',
             '<title id="chart-title">Input and output price per 1M tokens over time</title>']
    for n in range(5):
        price = high * n / 4
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(price):.1f}" y2="{y(price):.1f}"/>'
                     f'<text class="axis" x="{left - 6}" y="{y(price) + 4:.1f}" text-anchor="end">${price:.3g}</text>')
    for series, idx in (("input", 1), ("output", 2)):
        d, last = [], None
        for n, point in enumerate(points):
            price = point[idx]
            if price is None:
                continue
            px, py = x(point[0]), y(float(price))  # type: ignore[arg-type]
            d.append(f"M{px:.1f},{py:.1f}" if last is None else f"H{px:.1f}V{py:.1f}")
            last = py
        if d:
            d.append(f"H{x(end):.1f}")
            parts.append(f'<path class="line {series}" d="{"".join(d)}"/>')
    labelled: list[float] = []
    for day in [p[0] for p in points] + [today]:
        px = x(day)  # type: ignore[arg-type]
        parts.append(f'<line class="tick" x1="{px:.1f}" x2="{px:.1f}" y1="{height - bottom}" y2="{height - bottom + 4}"/>')
        if all(abs(px - other) > 80 for other in labelled):  # dates closer than a label's width share one
            label = "today" if day == today and day not in [p[0] for p in points] else str(day)
            anchor = "end" if px > width - right - 40 else "middle"
            parts.append(f'<text class="axis" x="{px:.1f}" y="{height - 8}" text-anchor="{anchor}">{_e(label)}</text>')
            labelled.append(px)
    parts.append("</svg>")
    legend = '<p class="legend"><span class="key input"></span>input <span class="key output"></span>output, USD per 1M tokens</p>'
    return "".join(parts) + legend


def _price_cards(rec: dict[str, Any]) -> str:
    p = rec.get("pricing") or {}
    cards = [("Input", _fmt_price(p.get("input_1m")), "per 1M tokens"), ("Output", _fmt_price(p.get("output_1m")), "per 1M tokens"),
             ("Context", _fmt_int(rec.get("context_window")), "tokens"), ("Max output", _fmt_int(rec.get("max_output")), "tokens")]
    if p.get("cache_read_1m") is not None:
        cards.insert(2, ("Cache read", _fmt_price(p["cache_read_1m"]), "per 1M tokens"))
    return "".join(f'<div class="card"><div class="label">{_e(a)}</div><div class="big" data-field="{_e(a.lower())}">{_e(b)}</div>'
                   f'<div class="unit">{_e(c)}</div></div>' for a, b, c in cards)


def _reach_rows(reach: dict[str, Any]) -> str:
    from .litellm import INSTALL_HINT

    key = reach["key_variable"]
    rows = [("Base URL", f"<code>{_e(reach['base_url'])}</code>" if reach["base_url"] else "— (LiteLLM's default for the provider)"),
            ("API flavour", _e(reach["flavor"])),
            ("Model id to send", f"<code>{_e(reach['api_id'])}</code>"),
            ("Key variable", f"<code>{_e(key['name'])}</code>" if key else "none"),
            ("LiteLLM model", f"<code>{_e(reach['litellm_model'])}</code>" if reach["litellm_model"]
             else f"not computed: the site was built without LiteLLM (<code>{_e(INSTALL_HINT)}</code>)")]
    return "\n".join(f'<tr><th scope="row">{a}</th><td>{b}</td></tr>' for a, b in rows)


def _status_badge(status: str) -> str:
    return f'<span class="badge status-{_e(status)}">{_e(status)}</span>'


def _model_html(rec: dict[str, Any], registry: Registry, up: str, today: _dt.date) -> str:
    reach = model_reach(registry, rec["id"])
    provider = registry.provider_record(rec["provider"]) or {"id": rec["provider"]}
    return _template("model.html").substitute(
        name=_e(rec.get("name") or rec["id"]), id=_e(rec["id"]), up=up, status=_status_badge(rec.get("status", "active")),
        provider_link=f'<a href="{up}{_e(provider_page(provider["id"]))}">{_e(provider.get("name", provider["id"]))}</a>',
        description=f'<p class="lead">{_e(rec["description"])}</p>' if rec.get("description") else "",
        cards=_price_cards(rec), chart=price_chart(rec.get("pricing") or {}, today), reach=_reach_rows(reach),
        fields=_fields_table(rec, registry, up), json_link=f"{up}api/{_e(model_page(rec['id']).removesuffix('.html'))}.json",
        compare_link=f"{up}compare.html#m={_e(rec['id'])}",
    )


# -- provider pages ----------------------------------------------------------------------------


def _provider_facts_rows(facts: dict[str, Any]) -> str:
    keys = ", ".join(f"<code>{_e(v['name'])}</code>" for v in facts["key_variables"]) or "none"
    link = lambda url: f'<a href="{_e(url)}" rel="noopener">{_e(url)}</a>' if url else "—"  # noqa: E731
    counts = ", ".join(f"{n} {s}" for s, n in facts["models"].items() if n) or "no models"
    rows = [("Id", f"<code>{_e(facts['id'])}</code>"), ("Kind", _e(facts["kind"])),
            ("Aliases", ", ".join(f"<code>{_e(a)}</code>" for a in facts["aliases"]) or "—"),
            ("Base URL", f"<code>{_e(facts['base_url'])}</code>" if facts["base_url"] else "—"),
            ("API flavour", _e(facts["flavor"])), ("Auth header", _e(facts["auth_header"])),
            ("Key variables", keys if facts["key_required"] else f"{keys} (a key is optional)"),
            ("Docs", link(facts["docs_url"])), ("Pricing", link(facts["pricing_url"])), ("Models", _e(counts))]
    return "\n".join(f'<tr><th scope="row">{a}</th><td>{b}</td></tr>' for a, b in rows)


def _model_rows(records: list[dict[str, Any]], up: str) -> str:
    rows = []
    for rec in records:
        p = rec.get("pricing") or {}
        rows.append(
            f'<tr><td><a href="{up}{_e(model_page(rec["id"]))}">{_e(rec.get("name") or rec["id"])}</a>'
            f'<div class="id">{_e(rec["id"])}</div></td>'
            f'<td class="num">{_e(_fmt_int(rec.get("context_window")))}</td>'
            f'<td class="num">{_e(_fmt_price(p.get("input_1m")))}</td><td class="num">{_e(_fmt_price(p.get("output_1m")))}</td>'
            f'<td>{_status_badge(rec.get("status", "active"))}</td></tr>')
    return "\n".join(rows)


def _provider_html(facts: dict[str, Any], records: list[dict[str, Any]], up: str) -> str:
    return _template("provider.html").substitute(
        name=_e(facts["name"]), id=_e(facts["id"]), up=up, facts=_provider_facts_rows(facts),
        count=len(records), models=_model_rows(records, up), json_link=f"{up}api/providers/{_e(_segment(facts['id']))}.json",
        list_link=f"{up}index.html#provider={_e(facts['id'])}",
    )


def _providers_index(registry: Registry) -> str:
    rows = []
    for block in sorted(registry.provider_records(), key=lambda b: b["id"]):
        facts = provider_facts(registry, block["id"])
        total = sum(facts["models"].values())
        rows.append(f'<tr><td><a href="{_e(provider_page(block["id"]))}">{_e(facts["name"])}</a><div class="id">{_e(block["id"])}</div></td>'
                    f'<td>{_e(facts["kind"])}</td><td>{_e(facts["flavor"])}</td>'
                    f'<td><code>{_e(facts["base_url"] or "—")}</code></td><td class="num">{total:,}</td>'
                    f'<td class="num">{facts["models"]["active"]:,}</td></tr>')
    return _template("providers.html").substitute(rows="\n".join(rows), count=len(rows))


# -- the site ----------------------------------------------------------------------------------


def _change_feed(notes: list[str]) -> dict[str, Any] | None:
    """The change feed (`kabot_models.changes`), when this install has it."""
    import importlib.util

    if importlib.util.find_spec("kabot_models.changes") is None:
        notes.append("no change feed: this kabot-models has no `changes` module yet, so api/changes.json is not written")
        return None
    from importlib import import_module

    # The catalog's own history only: the scan history of whoever builds the site is not the catalog's news.
    return import_module("kabot_models.changes").changes(db=False)  # type: ignore[no-any-return]


def build_site(registry: Registry, out: str | Path, today: _dt.date | None = None) -> SiteSummary:
    """Write the whole site to `out` (absent, empty, or a site written before; see `outputs.replace_dir`)."""
    from .outputs import new_dir_beside, replace_dir

    today = today or _dt.date.today()
    generated = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    built = new_dir_beside(out)
    try:
        w = _Writer(built, generated, registry.source_hash)
        notes: list[str] = []
        for name in ASSETS:
            w.write(f"assets/{name}", resources.files("kabot_models").joinpath("site_assets", name).read_text(encoding="utf-8"))
        w.write("data/catalog.js", catalog_script(registry))
        w.html("index.html", "LLM model catalog", _template("index.html").substitute(count=f"{len(registry):,}"),
               ("data/catalog.js", "assets/index.js"), nav="models")
        w.html("compare.html", "Compare models", _template("compare.html").substitute(),
               ("data/catalog.js", "assets/compare.js"), nav="compare")
        w.html("providers.html", "Providers", _providers_index(registry), nav="providers")

        w.json("api/catalog.json", export_json(registry))
        w.json("api/models-dev.json", export_models_dev(registry))
        providers = sorted(registry.provider_records(), key=lambda b: b["id"])
        for block in providers:
            pid = block["id"]
            records = registry.filter(provider=pid)
            page = provider_page(pid)
            w.html(page, f"{block.get('name', pid)}: provider", _provider_html(provider_facts(registry, pid), records, "../"), nav="providers")
            w.json(f"api/providers/{_segment(pid)}.json", {**provider_export(registry, block), "model_ids": [r["id"] for r in records]})
        count = 0
        for rec in registry.records():
            page = model_page(rec["id"])
            up = "../" * page.count("/")
            w.html(page, f"{rec.get('name') or rec['id']}: {rec['id']}", _model_html(rec, registry, up, today), nav="models")
            w.json(f"api/{page.removesuffix('.html')}.json", model_export(rec))
            count += 1
        feed = _change_feed(notes)
        if feed is not None:
            w.json("api/changes.json", feed)
        w.html("api/index.html", "JSON API", _template("api.html").substitute(
            feed='<li><a href="changes.json"><code>api/changes.json</code></a>: the change feed (models added, removed, deprecated, retired; prices changed)</li>'
            if feed is not None else "<li>No change feed in this build.</li>"), nav="api")
    except BaseException:
        import shutil

        shutil.rmtree(built, ignore_errors=True)
        raise
    replace_dir(built, out)
    return SiteSummary(models=count, providers=len(providers), notes=notes)
