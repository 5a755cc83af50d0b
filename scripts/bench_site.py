"""Measure the static site on a large synthetic catalog: build time, page weight, and in headless
Chromium the index's load, a search and a sort.

    .venv/bin/python scripts/bench_site.py                 # 6,000 models
    .venv/bin/python scripts/bench_site.py --models 20000

Figures are printed, never asserted (tests/test_site.py checks behaviour, not speed).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
from bench import write_synthetic_catalog  # noqa: E402
from browser import Browser, find_chromium  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", type=int, default=6000)
    args = parser.parse_args()
    from kabot_models.loader import load_registry
    from kabot_models.site import build_site

    with tempfile.TemporaryDirectory() as tmp:
        catalog = os.path.join(tmp, "catalog")
        write_synthetic_catalog(catalog, args.models, per_file=500)
        registry = load_registry(catalog, db=False)
        out = Path(tmp) / "site"
        start = time.perf_counter()
        build_site(registry, out)
        built = time.perf_counter() - start
        data = (out / "data" / "catalog.js").stat().st_size
        print(f"build_site, {args.models:,} models: {built:.1f} s; data/catalog.js {data / 1e6:.2f} MB")
        binary = find_chromium()
        if binary is None:
            print("chromium not installed: browser figures skipped")
            return 0
        browser = Browser(binary, Path(tmp) / "profile")
        try:
            browser.open((out / "index.html").as_uri())
            nav = browser.evaluate("(() => { const n = performance.getEntriesByType('navigation')[0];"
                                   " return [n.domContentLoadedEventEnd, n.loadEventEnd]; })()")
            print(f"index: DOMContentLoaded {nav[0]:.0f} ms, load {nav[1]:.0f} ms (first {min(200, args.models)} rows rendered)")
            for label, script in (
                ("search 'model-12'", "const q = document.getElementById('q'); q.value = 'model-12';"
                                      " q.dispatchEvent(new Event('change', {bubbles: true}));"),
                ("clear the search", "const q = document.getElementById('q'); q.value = '';"
                                     " q.dispatchEvent(new Event('change', {bubbles: true}));"),
                ("sort by input price", "document.querySelector('th[data-sort=input] button').click();"),
                ("status: any", "const s = document.getElementById('status'); s.value = 'all';"
                                " s.dispatchEvent(new Event('change', {bubbles: true}));"),
            ):
                ms = browser.evaluate(f"(() => {{ const t = performance.now(); {script} return performance.now() - t; }})()")
                shown = browser.evaluate("document.getElementById('count').textContent")
                print(f"{label}: {ms:.1f} ms ({shown})")
            if browser.errors:
                print("console errors:", *browser.errors, sep="\n  ")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
