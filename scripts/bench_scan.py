"""Benchmark `kabot-models scan`: concurrency against slow providers, and the cost of merging scan results.

    .venv/bin/python scripts/bench_scan.py [--providers 20] [--delay 1.0] [--models 5000]

1. N providers on a local threaded server, each answering after `--delay` seconds, scanned through
   the real CLI (`kabot-models scan`) in a subprocess: wall time, versus N x delay one after another.
2. `load_registry()` with and without a scan database holding `--models` scanned models.
Nothing here reaches the internet.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
KM = Path(sys.executable).parent / "kabot-models"


def write_providers(catalog: Path, base_urls: dict[str, str]) -> None:
    (catalog / "providers").mkdir(parents=True, exist_ok=True)
    for pid, url in base_urls.items():
        doc = {"provider": {"name": pid, "api": {"flavor": "openai", "base_url": url}, "auth": {"required": False}}, "models": {}}
        (catalog / "providers" / f"{pid}.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")


def bench_concurrency(n: int, delay: float, tmp: Path) -> None:
    from pytest_httpserver import HTTPServer
    from werkzeug import Response

    def slow(_request: object) -> Response:
        time.sleep(delay)
        return Response(json.dumps({"data": [{"id": f"m{i}"} for i in range(50)]}), content_type="application/json")

    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        urls = {}
        for i in range(n):
            server.expect_request(f"/p{i}/v1/models").respond_with_handler(slow)
            urls[f"p{i:03d}"] = server.url_for(f"/p{i}/v1")
        catalog = tmp / "concurrency-catalog"
        write_providers(catalog, urls)
        env = {**os.environ, "KABOT_MODELS_HOME": str(tmp / "home-c"), "KABOT_MODELS_CATALOG": str(catalog)}
        for concurrency in (n, 8):
            started = time.monotonic()
            out = subprocess.run([str(KM), "scan", "--concurrency", str(concurrency), "--json"], env=env, capture_output=True, text=True)
            wall = time.monotonic() - started
            ok = sum(p["status"] == "ok" for p in json.loads(out.stdout)["providers"])
            print(f"scan --concurrency {concurrency}: {n} providers x {delay:g} s each -> {wall:.2f} s wall through the CLI "
                  f"({ok}/{n} ok; one after another would take {n * delay:.0f} s)")
    finally:
        server.stop()


def bench_merge(models: int, tmp: Path) -> None:
    from kabot_models.plugins.base import ScannedModel
    from kabot_models.store import Store, now

    catalog = tmp / "merge-catalog"
    write_providers(catalog, {"openai": "https://api.openai.com/v1"})
    db = tmp / "home-m" / "models.db"
    with Store(db) as store:
        entries = [ScannedModel(f"model-{i}", {"name": f"Model {i}", "context_window": 8192 + i, "pricing": {"input_1m": 1.0, "output_1m": 2.0}}, {"id": f"model-{i}"})
                   for i in range(models)]
        store.save_provider(store.begin_run(), "openai", "https://api.openai.com/v1", now(), 0.0, entries)
    code = ("import time, sys; t = time.perf_counter(); from kabot_models.loader import load_registry; "
            "r = load_registry(db=sys.argv[1] if sys.argv[1] != 'none' else False); print(time.perf_counter() - t, len(r))")
    env = {**os.environ, "KABOT_MODELS_CATALOG": str(catalog)}
    for label, arg in (("no database", "none"), (f"{models:,} scanned models", str(db))):
        times = []
        for _ in range(5):
            out = subprocess.run([sys.executable, "-c", code, arg], env=env, capture_output=True, text=True, check=True).stdout.split()
            times.append(float(out[0]))
        print(f"load_registry() with {label}: median {statistics.median(times) * 1000:.1f} ms ({out[1]} models)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", type=int, default=20)
    parser.add_argument("--delay", type=float, default=1.0)
    parser.add_argument("--models", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench_concurrency(args.providers, args.delay, Path(tmp))
        bench_merge(args.models, Path(tmp))


if __name__ == "__main__":
    main()
