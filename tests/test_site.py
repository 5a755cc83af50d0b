"""`kabot-models site`: the static site, built from the packaged catalog and browsed in headless Chromium.

Chromium comes from Debian's package (`.ci/run` installs it). In CI (`CI` set) a missing Chromium
fails the test; on a developer machine it skips with a message saying how to install it.
Screenshots of the index, a model page and a compare page land in build/screenshots/.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from browser import Browser, find_chromium
from cli_runner import run_cli
from kabot_models.loader import load_registry
from kabot_models.site import model_page

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "build" / "screenshots"


@pytest.fixture(scope="module")
def registry() -> Any:
    return load_registry(db=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    res = run_cli(["site", "--out", str(out)])
    assert res.exit_code == 0, res.stderr
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Any:
    binary = find_chromium()
    if binary is None:
        message = "chromium is not installed (apt-get install -y chromium; .ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    profile = tmp_path_factory.mktemp("chromium") / "profile"
    b = Browser(binary, profile)
    yield b
    b.close()


def url(site: Path, page: str, fragment: str = "") -> str:
    return (site / page).as_uri() + (f"#{fragment}" if fragment else "")


def rows(browser: Any) -> list[dict[str, Any]]:
    """The index table's rows that a reader sees (a row with the `hidden` attribute is not seen)."""
    return browser.evaluate(
        "Array.from(document.querySelectorAll('#models tbody tr')).filter(r => !r.hidden)"
        ".map(r => ({id: r.dataset.id, text: r.innerText}))")


def test_index_loads_without_console_errors(site: Path, browser: Any, registry: Any) -> None:
    browser.open(url(site, "index.html"))
    shown = rows(browser)
    assert 0 < len(shown) <= 200
    count = browser.evaluate("document.getElementById('count').textContent")
    assert f"of {len(registry):,} models" in count
    assert browser.evaluate("document.querySelectorAll('#provider option').length") == 1 + len(list(registry.provider_records()))
    assert browser.errors == []
    browser.screenshot(SHOTS / "index.png")


def test_search_in_the_hash_keeps_only_matching_rows(site: Path, browser: Any, registry: Any) -> None:
    browser.open(url(site, "index.html", "q=sonnet"))
    shown = rows(browser)
    assert shown, "no row matches sonnet"
    for row in shown:
        rec = registry.record(row["id"])
        names = " ".join([rec["id"], rec.get("name") or "", *rec.get("aliases", [])]).lower()
        assert "sonnet" in names, row
    assert registry.resolve("sonnet") in {r["id"] for r in shown}
    assert browser.evaluate("document.getElementById('q').value") == "sonnet"
    assert browser.errors == []


def test_filters_and_sorting_live_in_the_hash(site: Path, browser: Any, registry: Any) -> None:
    browser.open(url(site, "index.html", "provider=anthropic&cap=vision&sort=input"))
    shown = rows(browser)
    expected = [r for r in registry.filter(provider="anthropic", capability="vision")
                if r.get("status", "active") in ("active", "preview")]
    assert {r["id"] for r in shown} == {r["id"] for r in expected}
    prices = [registry.record(r["id"])["pricing"]["input_1m"] for r in shown]
    assert prices == sorted(prices)
    assert browser.evaluate("document.querySelector('th[data-sort=input]').getAttribute('aria-sort')") == "ascending"
    # Typing in the search box rewrites the hash, so the view can be shared.
    browser.evaluate("(() => { const q = document.getElementById('q'); q.value = 'opus';"
                     " q.dispatchEvent(new Event('input', {bubbles: true})); return new Promise(r => setTimeout(r, 200)); })()")
    assert "q=opus" in browser.evaluate("location.hash")
    assert all("opus" in r["text"].lower() for r in rows(browser))
    assert browser.errors == []


def test_keyboard_search_shortcut_and_sort(site: Path, browser: Any) -> None:
    browser.open(url(site, "index.html", "status=all"))
    browser.evaluate("document.body.focus()")
    browser.key("/", "Slash", "/")
    assert browser.evaluate("document.activeElement.id") == "q"
    browser.evaluate("document.querySelector('th[data-sort=context] button').focus()")
    browser.key("Enter", "Enter", "\r")
    assert "sort=context" in browser.evaluate("location.hash")
    contexts = browser.evaluate("Array.from(document.querySelectorAll('#models tbody tr td:nth-child(4)')).map(td => td.textContent)")
    assert contexts[0] != "—"
    assert browser.errors == []


def test_model_page_shows_its_price_and_how_to_reach_it(site: Path, browser: Any, registry: Any) -> None:
    full_id = registry.resolve("sonnet")
    rec = registry.record(full_id)
    browser.open(url(site, model_page(full_id)))
    price = browser.evaluate("document.querySelector('[data-field=input]').textContent")
    assert price == f"${rec['pricing']['input_1m']:g}"
    text = browser.evaluate("document.body.innerText")
    assert full_id in text and "ANTHROPIC_API_KEY" in text and "https://api.anthropic.com/v1" in text
    # Each figure says where it came from: the dataset and version it was imported from, and the page.
    provenance = rec["provenance"]
    assert provenance["url"] in text and f"{provenance['method']} " in text
    if provenance["method"] == "import":
        assert f"import {provenance['source']} {provenance['version']}" in text
    link = browser.evaluate("document.querySelector('td.origin a[href^=\"https://\"]').getAttribute('href')")
    assert link.startswith("https://")
    assert browser.errors == []
    browser.screenshot(SHOTS / "model.png", full_page=True)


def test_price_history_is_an_inline_chart(site: Path, browser: Any, registry: Any) -> None:
    rec = next(r for r in registry.records() if (r.get("pricing") or {}).get("since")
               and any(h.get("since") for h in (r.get("pricing") or {}).get("history") or ()))
    browser.open(url(site, model_page(rec["id"])))
    assert browser.evaluate("document.querySelectorAll('svg.chart path.line').length") == 2
    assert browser.errors == []
    browser.screenshot(SHOTS / "model-history.png", full_page=True)


def test_compare_page_holds_two_to_four_models(site: Path, browser: Any, registry: Any) -> None:
    ids = [registry.resolve("sonnet"), "openai/gpt-4o", registry.resolve("gemini-2.5-pro")]
    browser.open(url(site, "compare.html", "m=" + ",".join(ids)))
    heads = browser.evaluate("Array.from(document.querySelectorAll('#compare thead .id')).map(e => e.textContent)")
    assert heads == ids
    cheapest = min(ids, key=lambda i: registry.record(i)["pricing"]["input_1m"])
    best = browser.evaluate("document.querySelector('#compare tbody tr:nth-child(2) td.best').cellIndex")
    assert heads[best - 1] == cheapest
    assert browser.errors == []
    browser.screenshot(SHOTS / "compare.png", full_page=True)


def test_dark_mode_and_provider_page(site: Path, browser: Any, registry: Any) -> None:
    browser.open(url(site, "providers/openai.html"))
    light = browser.evaluate("getComputedStyle(document.body).backgroundColor")
    text = browser.evaluate("document.body.innerText")
    assert "https://api.openai.com/v1" in text and "OPENAI_API_KEY" in text
    assert f"Models ({len(registry.filter(provider='openai'))})" in text
    browser.color_scheme("dark")
    try:
        browser.open(url(site, "index.html", "q=sonnet"))
        assert browser.evaluate("getComputedStyle(document.body).backgroundColor") != light
        browser.screenshot(SHOTS / "index-dark.png")
    finally:
        browser.color_scheme("light")
    assert browser.errors == []


def test_api_holds_the_catalog_per_provider_and_per_model(site: Path, registry: Any) -> None:
    whole = json.loads((site / "api" / "catalog.json").read_text())
    assert len(whole["models"]) == len(registry)
    openai = json.loads((site / "api" / "providers" / "openai.json").read_text())
    assert openai["catalog_id"] == "openai" and len(openai["model_ids"]) == len(registry.filter(provider="openai"))
    odd = next(r["id"] for r in registry.records() if ":" in r["id"])
    one = json.loads((site / ("api/" + model_page(odd).removesuffix(".html") + ".json")).read_text())
    assert one["catalog_id"] == odd
    assert (site / model_page(odd)).is_file() and ":" not in model_page(odd)
    assert json.loads((site / "api" / "models-dev.json").read_text())["openai"]["catalog_id"] == "openai"


def test_site_replaces_only_a_directory_it_wrote(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    res = run_cli(["site", "--out", str(mine)])
    assert res.exit_code == 1 and res.stderr.startswith("error: ") and "did not write" in res.stderr
    assert (mine / "notes.txt").read_text() == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["mine"]  # no half-built directory left
