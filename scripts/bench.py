"""Measure kabot-models against LiteLLM and genai-prices, all in one run on this machine: `make bench`.

Prints one table. Every figure is measured in this run; each row names its rival and the ratio to
it, and rows with a target say pass or fail (targets are reported here, never asserted in tests).

Fresh-process rows run in a throwaway venv with the freshly built wheel installed
(scripts/wheel_venv.py): that is what a user gets, and its `python -c pass` is a fair bare start
(the checkout's editable-install hook imports pathlib and more into every interpreter it starts).

    .venv/bin/python scripts/bench.py            # the full table (a few minutes on 2 cores)
    .venv/bin/python scripts/bench.py --quick    # fewer runs and sizes up to 10k, to try changes
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from wheel_venv import REPO, make_wheel_venv  # noqa: E402

RIVAL_MODEL = ("openai", "gpt-4o")
"""The model the rivals look up when the catalog has no litellm id for ours: the issue's `gpt-4o`."""


# --- worker side: code run inside measured subprocesses ------------------------------------------
def _resolver(registry: Any) -> Any:
    """`registry.resolve` once the resolver has landed, else the exact lookup it builds on."""
    return registry.resolve if hasattr(registry, "resolve") else registry.lookup


def _per_op_ns(fn: Any, names: list[str], min_seconds: float = 0.2) -> float:
    """Mean nanoseconds per call of `fn(name)` over `names`, repeated for at least `min_seconds`."""
    for name in names:  # warm: first-use indices are built here, not timed
        fn(name)
    rounds, elapsed = 0, 0.0
    while elapsed < min_seconds:
        start = time.perf_counter()
        for name in names:
            fn(name)
        elapsed += time.perf_counter() - start
        rounds += 1
    return elapsed / (rounds * len(names)) * 1e9


def _maxrss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def worker_ops(name: str) -> dict[str, Any]:
    """Per-call cost of one resolve by each kind of name, and of the rivals' lookups."""
    from kabot_models.loader import load_registry

    registry = load_registry()
    resolve = _resolver(registry)
    full_id = registry.lookup(name)
    out: dict[str, Any] = {"resolver": resolve.__name__}
    if full_id is not None:
        short = full_id.split("/", 1)[1]
        forms = {"full id": full_id, "short id": short, "alias": name}
        if resolve.__name__ == "resolve":
            forms["forgiving"] = short.upper() if short.upper() != short else short.replace("-", ".")
        for kind, form in forms.items():
            try:
                resolve(form)
            except LookupError as exc:
                out[kind] = f"error: {exc}"
                continue
            out[kind] = _per_op_ns(resolve, [form])
    rec = registry.record(full_id) if full_id else None
    provider, api_id = (rec["provider"], rec.get("litellm_id") or rec["id"].split("/", 1)[1]) if rec else RIVAL_MODEL

    os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    import litellm
    import litellm.utils as lu

    try:
        litellm.get_model_info(api_id)
    except Exception:
        provider, api_id = RIVAL_MODEL
    out["rival_model"] = f"{provider}/{api_id}"

    def uncached_model_info(model: str) -> Any:
        for cached in (lu._cached_get_model_info, lu._cached_get_model_info_helper):
            cached.cache_clear()
        return litellm.get_model_info(model)

    out["litellm"] = _per_op_ns(uncached_model_info, [api_id])
    from genai_prices import Usage, calc_price

    usage = Usage(input_tokens=1000, output_tokens=100)
    try:
        calc_price(usage, model_ref=api_id, provider_id=provider)
        out["genai"] = _per_op_ns(lambda m: calc_price(usage, model_ref=m, provider_id=provider), [api_id])
    except Exception as exc:  # genai-prices does not know the model
        out["genai"] = f"error: {exc}"
    return out


def worker_compile(catalog_dir: str, out: str) -> dict[str, Any]:
    """Compile a catalog from YAML and write its snapshot: seconds and peak-memory growth."""
    from kabot_models.catalog import catalog_signature
    from kabot_models.loader import compile_registry
    from kabot_models.snapshot import write_snapshot

    before = _maxrss_kb()
    start = time.perf_counter()
    registry = compile_registry(catalog_dir)
    compile_s = time.perf_counter() - start
    start = time.perf_counter()
    write_snapshot(registry.as_compiled(), out, signature=catalog_signature(catalog_dir))
    write_s = time.perf_counter() - start
    return {"models": len(registry), "compile_s": compile_s, "write_s": write_s,
            "peak_mb": (_maxrss_kb() - before) / 1024, "bytes": os.path.getsize(out)}


def worker_load(catalog_dir: str, snapshot: str) -> dict[str, Any]:
    """Load a snapshot (freshness check included) and resolve by each kind of name."""
    start = time.perf_counter()
    from kabot_models.loader import new_registry
    from kabot_models.snapshot import read_snapshot

    imported = _maxrss_kb()
    compiled = read_snapshot(snapshot, catalog_dir)
    assert compiled is not None, "the snapshot was not current"
    registry = new_registry()
    registry.load_compiled(compiled)
    load_s = time.perf_counter() - start
    peak_mb = (_maxrss_kb() - imported) / 1024
    resolve = _resolver(registry)
    rng = random.Random(7)
    ids = rng.sample(list(registry.ids()), min(1000, len(registry)))
    aliases = list(registry.aliases())
    out = {"load_s": load_s, "peak_mb": peak_mb}
    for kind, names in (("full id", ids), ("short id", [i.split("/", 1)[1] for i in ids]),
                        ("alias", rng.sample(aliases, min(1000, len(aliases))))):
        out[kind] = _per_op_ns(resolve, names, 0.1)
    from kabot_models.errors import UnknownModelError

    def suggest(name: str) -> list[str]:
        try:
            resolve(name)
        except UnknownModelError as exc:
            return exc.suggestions
        raise AssertionError(f"{name!r} resolved; the bench wants a miss")

    misspelt = [f"modle-{i}x" for i in rng.sample(range(len(registry)), 20)]  # unknown names near real ones
    start = time.perf_counter()
    suggest(misspelt[0])  # the first miss builds the suggestion index
    out["suggest_first_s"] = time.perf_counter() - start
    out["suggest"] = _per_op_ns(suggest, misspelt, 0.2)
    return out


def worker_bridge(name: str, register_all: str = "") -> dict[str, Any]:
    """The LiteLLM bridge's first `completion(name)` in a fresh process, LiteLLM already imported,
    in its phases: loading the registry (imports included), the catalog work of the call (resolve,
    route, the called model's price entry), LiteLLM's `register_model` of that one entry, and the
    whole call."""
    os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    import litellm

    start = time.perf_counter()
    from kabot_models import litellm as bridge
    from kabot_models.loader import default_registry

    registry = default_registry()
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    target = bridge.route(name, registry)
    entries = bridge._price_entries(registry, [registry.record(target.id)])
    catalog_s = time.perf_counter() - start
    start = time.perf_counter()
    bridge.register_price(target.id, registry)
    register_s = time.perf_counter() - start
    start = time.perf_counter()
    bridge.completion(name, [{"role": "user", "content": "hi"}], mock_response="hi")
    call_s = time.perf_counter() - start
    out = {"load_s": load_s, "catalog_s": catalog_s, "register_s": register_s, "call_s": call_s,
           "entries": len(entries), "model_cost": len(litellm.model_cost)}
    if register_all:
        start = time.perf_counter()
        out["all_count"] = bridge.register_prices(registry)
        out["all_s"] = time.perf_counter() - start
    return out


def worker_first_miss(catalog_dir: str, snapshot: str, name: str) -> dict[str, Any]:
    """A fresh process's first unknown name: load the snapshot, then time the one miss (what
    `kabot-models resolve typo` pays after loading, suggestion index included)."""
    from kabot_models.errors import UnknownModelError
    from kabot_models.loader import new_registry
    from kabot_models.snapshot import read_snapshot

    compiled = read_snapshot(snapshot, catalog_dir)
    assert compiled is not None, "the snapshot was not current"
    registry = new_registry()
    registry.load_compiled(compiled)
    registry.use_user_config({})
    start, cpu_start = time.perf_counter(), time.process_time()
    try:
        registry.resolve(name)
    except UnknownModelError as exc:
        suggestions = exc.suggestions
    else:
        raise AssertionError(f"{name!r} resolved; the bench wants a miss")
    return {"first_miss_s": time.perf_counter() - start, "first_miss_cpu_s": time.process_time() - cpu_start,
            "suggestions": suggestions}


WORKERS = {"ops": worker_ops, "compile": worker_compile, "load": worker_load, "first_miss": worker_first_miss, "bridge": worker_bridge}


# --- driver side ---------------------------------------------------------------------------------
CPU: dict[str, float] = {}
"""Median CPU seconds (user + system) of each command `timed_runs` timed: on a shared machine the
wall time includes waiting for a core, the CPU time much less so."""
FASTEST: dict[str, float] = {}
"""The fastest wall seconds of each command `timed_runs` timed: the run least disturbed by the rest
of the machine. Shown beside the median ratio, which the targets judge, so a reader can tell the
code's cost from the machine's noise (on this VM a bare start's quartiles span 10.6-13.6 ms)."""
LOADS: list[float] = []
"""The one-minute load average before each round of `timed_runs`."""


def timed_runs(commands: dict[str, list[str] | tuple[list[str], dict[str, str]]], runs: int,
               env: dict[str, str]) -> dict[str, float]:
    """Median wall seconds of each command, runs interleaved so drift hits them all alike (CPU
    seconds go to `CPU`). A command given as `(argv, env)` runs with its own environment.

    Each round runs the commands in a new order (seeded, so a rerun repeats it): a process runs
    faster after a short one than after a long one (a start measured 3.06x a bare start when it
    followed `python -c pass`, 3.29x when it followed itself, in one run), so a fixed order would
    favour whichever command always came after the bare start."""
    times: dict[str, list[float]] = {k: [] for k in commands}
    cpu: dict[str, list[float]] = {k: [] for k in commands}
    order = random.Random(len(commands) * 1000 + runs)
    for _ in range(runs):
        LOADS.append(os.getloadavg()[0])
        keys = list(commands)
        order.shuffle(keys)
        for key in keys:
            command = commands[key]
            cmd, cmd_env = command if isinstance(command, tuple) else (command, env)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(cmd, check=True, env=cmd_env, cwd="/", stdout=subprocess.DEVNULL)
            times[key].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[key].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    CPU.update({k: statistics.median(v) for k, v in cpu.items()})
    FASTEST.update({k: min(v) for k, v in times.items()})
    return {k: statistics.median(v) for k, v in times.items()}


def run_worker(python: str, name: str, *args: str, env: dict[str, str]) -> dict[str, Any]:
    out = subprocess.run([python, os.path.abspath(__file__), "--worker", name, *args], env=env,
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def write_synthetic_catalog(root: str, models: int, per_file: int = 1000) -> None:
    """`models` models over ceil(models/per_file) provider files, every tenth with an alias."""
    os.makedirs(os.path.join(root, "providers"))
    for p in range(0, (models + per_file - 1) // per_file):
        lines = [f"provider:\n  name: Synthetic {p}\n  api: {{base_url: \"https://p{p}.example/v1\"}}\nmodels:\n"]
        for m in range(p * per_file, min(models, (p + 1) * per_file)):
            alias = f"    aliases: [alias-{m}]\n" if m % 10 == 0 else ""
            lines.append(
                f"  model-{m}:\n    name: Model {m}\n    context_window: {8192 * (1 + m % 16)}\n    max_output: 4096\n"
                f"    pricing: {{input_1m: {0.1 + m % 50 / 10}, output_1m: {0.4 + m % 50 / 5}}}\n"
                f"    capabilities: [tool_use{', vision' if m % 3 == 0 else ''}]\n{alias}"
            )
        with open(os.path.join(root, "providers", f"p{p:04d}.yaml"), "w") as fh:
            fh.writelines(lines)


class _SlowModels(BaseHTTPRequestHandler):
    """An OpenAI-style `/models` endpoint that answers after one second."""

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        time.sleep(1.0)
        body = json.dumps({"object": "list", "data": [{"id": f"local-{i}", "object": "model"} for i in range(5)]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    """A threaded server whose listen backlog takes every provider's connection at once (the
    default of 5 drops the rest, and their retry a second later would be charged to the scanner)."""

    request_queue_size = 64
    daemon_threads = True


def bench_scan(km: str, env: dict[str, str], tmp: str, providers: int = 20) -> list[tuple[str, str, float]]:
    """Wall seconds of `kabot-models scan` over `providers` local endpoints that each answer after 1 s:
    (label, detail, seconds) at the default concurrency and with one slot per provider."""
    if subprocess.run([km, "scan", "--help"], env=env, capture_output=True).returncode != 0:
        return []
    server = _Server(("127.0.0.1", 0), _SlowModels)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        catalog = os.path.join(tmp, "scan-catalog")
        os.makedirs(os.path.join(catalog, "providers"))
        for i in range(providers):
            with open(os.path.join(catalog, "providers", f"local{i:02d}.yaml"), "w") as fh:
                fh.write(f"provider:\n  name: Local {i}\n"
                         f"  api: {{base_url: \"http://127.0.0.1:{server.server_port}/p{i}/v1\", flavor: openai}}\n"
                         f"  auth: {{required: false}}\nmodels: {{}}\n")
        scan_env = {**env, "KABOT_MODELS_CATALOG": catalog, "KABOT_MODELS_HOME": os.path.join(tmp, "scan-home")}
        # Compile and cache this catalog's snapshot first: the rows time the scan, not a first compile.
        subprocess.run([km, "list", "--json"], env=scan_env, check=True, stdout=subprocess.DEVNULL, cwd="/")
        out = []
        for label, extra in (("default concurrency", []), (f"--concurrency {providers}", ["--concurrency", str(providers)])):
            start = time.perf_counter()
            run = subprocess.run([km, "scan", "--json", *extra], env=scan_env, capture_output=True, text=True, cwd="/")
            seconds = time.perf_counter() - start
            try:
                ok = sum(p["status"] == "ok" for p in json.loads(run.stdout)["providers"])
                detail = f"{ok}/{providers} providers ok"
            except (ValueError, KeyError, TypeError):
                detail = f"scan failed: {run.stderr.strip()[:80]}"
            out.append((label, detail, seconds))
        return out
    finally:
        server.shutdown()


class Table:
    """Rows of (measure, ours, rival, ratio, target, verdict), printed as one Markdown table."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []

    def add(self, measure: str, ours: str, rival: str = "", ratio: str = "", target: str = "", ok: bool | None = None) -> None:
        verdict = "" if ok is None else ("pass" if ok else "FAIL")
        self.rows.append((measure, ours, rival, ratio, target, verdict))

    def section(self, title: str) -> None:
        self.rows.append((f"**{title}**", "", "", "", "", ""))

    def print(self) -> None:
        head = ("measure", "kabot-models", "rival", "ratio", "target", "")
        widths = [max(len(r[i]) for r in [head, *self.rows]) for i in range(len(head))]
        fmt = "| " + " | ".join(f"{{:{w}}}" for w in widths) + " |"
        print(fmt.format(*head))
        print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        for row in self.rows:
            print(fmt.format(*row))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def ns(value: Any) -> str:
    return f"{value:,.0f} ns" if isinstance(value, float) else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, sizes up to 10k")
    parser.add_argument("--name", default="sonnet", help="the name to resolve (default: sonnet)")
    parser.add_argument("--runs", type=int, default=None, help="runs per fresh-process figure (median reported)")
    parser.add_argument("--kabot", action="store_true", help="stop after the fresh-process and Kabot rows")
    args = parser.parse_args()
    runs = args.runs or (5 if args.quick else 31)
    rival_runs = 3 if args.quick else 5  # LiteLLM's import takes seconds
    genai_runs = max(3, runs // 3)
    sizes = [1000, 10_000] if args.quick else [1000, 10_000, 100_000]
    started = time.perf_counter()
    tmp = tempfile.mkdtemp(prefix="kabot-bench-")
    table = Table()
    try:
        print(f"building the wheel and a venv for it in {tmp} ...", file=sys.stderr)
        py = make_wheel_venv(os.path.join(tmp, "venv"))
        km = os.path.join(os.path.dirname(py), "kabot-models")
        # A user's environment: no KABOT_MODELS_HOME (so the platform's directories are looked up), an empty home.
        env = {"PATH": f"{os.path.dirname(py)}:/usr/bin:/bin", "HOME": os.path.join(tmp, "home"),
               "LITELLM_LOCAL_MODEL_COST_MAP": "True", "NO_COLOR": "1"}

        # Which name and rival model: the issue's `sonnet`, or the catalog's first alias until it has one.
        probe = ("import json; from kabot_models.loader import load_registry; r = load_registry(); "
                 "a = r.aliases(); n = {name!r}; f = r.lookup(n)\n"
                 "if f is None and a: n, f = next(iter(a.items()))\n"
                 "rec = r.record(f); print(json.dumps([n, f, rec.get('litellm_id') or f.split('/', 1)[1], rec['provider'],"
                 " hasattr(r, 'resolve')]))").format(name=args.name)
        name, full_id, _, _, has_resolve = json.loads(subprocess.run(
            [py, "-c", probe], env=env, check=True, capture_output=True, text=True, cwd="/").stdout)
        if name != args.name:
            print(f"note: the catalog has no {args.name!r}; resolving its alias {name!r} ({full_id}) instead", file=sys.stderr)
        call = "resolve" if has_resolve else "lookup"
        cli = [km, "resolve", name] if _has_command(km, "resolve", env) else [km, "show", name, "--json"]
        ops = run_worker(py, "ops", name, env=env)
        rival_provider, rival_model = ops["rival_model"].split("/", 1)

        print(f"fresh processes, {runs} runs each ...", file=sys.stderr)
        fresh_cmd = [py, "-c", f"import kabot_models; kabot_models.load_registry().{call}({name!r})"]
        fresh = timed_runs({
            "bare": [py, "-c", "pass"],
            "ours": fresh_cmd,
            # Kabot can set KABOT_MODELS_HOME; then no platform directory lookup is needed.
            "ours_home": (fresh_cmd, {**env, "KABOT_MODELS_HOME": os.path.join(tmp, "km-home")}),
            "cli": cli,
            "kabot": [py, "-c", KABOT_LOOKUP],
        }, runs, env)
        # The rivals run in batches of their own: a process that follows one of theirs (genai-prices
        # peaks at 40 MB, a start of ours at 14 MB) starts slower, which in one batch with them moved
        # the ratio of our start from 3.3x to 3.8x between runs of the same code.
        fresh.update(timed_runs({"genai": [py, "-c", "from genai_prices import Usage, calc_price; calc_price(Usage("
                                           f"input_tokens=1000, output_tokens=100), model_ref={rival_model!r}, "
                                           f"provider_id={rival_provider!r})"]}, genai_runs, env))
        fresh.update(timed_runs({"litellm": [py, "-c", f"import litellm; litellm.get_model_info({rival_model!r})"]},
                                rival_runs, env))
        bare = fresh["bare"]
        bare_cpu = CPU["bare"]
        table.section(f"fresh process, median of {runs} runs ({genai_runs} for genai-prices, {rival_runs} for LiteLLM), "
                      f"load average {min(LOADS):.1f}-{max(LOADS):.1f}")
        table.add("`python -c pass` (bare start)", ms(bare), f"CPU time {ms(bare_cpu)}")
        for key, label, limit in (("ours", f"import kabot_models + load_registry() + {call}({name!r})", 3.5),
                                  ("ours_home", "the same with KABOT_MODELS_HOME set", 3.5),
                                  ("cli", "`kabot-models " + " ".join(cli[1:]) + "`", 10)):
            table.add(label, ms(fresh[key]), f"bare start (CPU time: {CPU[key] / bare_cpu:.2f}x; fastest runs: "
                      f"{FASTEST[key] / FASTEST['bare']:.2f}x)", f"{fresh[key] / bare:.2f}x", f"<= {limit}x", fresh[key] / bare <= limit)
            table.add("", "", f"import litellm + get_model_info({rival_model!r}): {ms(fresh['litellm'])}",
                      f"{fresh['litellm'] / fresh[key]:.0f}x faster")
            table.add("", "", f"genai-prices import + calc_price: {ms(fresh['genai'])}",
                      f"{fresh['genai'] / fresh[key]:.1f}x faster")
        table.add("LiteLLM: import + get_model_info", ms(fresh["litellm"]), "bare start", f"{fresh['litellm'] / bare:.0f}x")
        table.add("genai-prices: import + calc_price", ms(fresh["genai"]), "bare start", f"{fresh['genai'] / bare:.1f}x")
        bench_kabot(py, env, fresh["kabot"], bare, name, table, args.quick)
        if args.kabot:
            report(started, table)
            return

        table.section(f"one {call} in a warm process (ns/op)")
        for kind in ("full id", "short id", "alias", "forgiving"):
            value = ops.get(kind, f"n/a ({call} has no forgiving forms)")
            if isinstance(value, float):
                table.add(f"{call} by {kind}", ns(value), f"LiteLLM get_model_info, uncached: {ns(ops['litellm'])}",
                          f"{ops['litellm'] / value:.0f}x faster", "< 2 us, >= 50x", value < 2000 and ops["litellm"] / value >= 50)
            else:
                table.add(f"{call} by {kind}", value)
        genai = ops["genai"]
        table.add("", "", f"genai-prices calc_price: {ns(genai)}",
                  f"{genai / ops['alias']:.0f}x faster (alias)" if isinstance(genai, float) and isinstance(ops.get("alias"), float) else "")

        print("compiling the catalog ...", file=sys.stderr)
        compile_runs = [run_worker(sys.executable, "compile", os.path.join(REPO, "catalog"),
                                   os.path.join(tmp, "catalog.sqlite"), env=env) for _ in range(3 if args.quick else 5)]
        validate = timed_runs({"validate": [km, "validate"]}, 3 if args.quick else 5, env)["validate"]
        table.section("the packaged catalog")
        models = compile_runs[0]["models"]
        table.add(f"compile from YAML ({models} models), median", ms(statistics.median(r["compile_s"] for r in compile_runs)))
        table.add("write its snapshot, median", ms(statistics.median(r["write_s"] for r in compile_runs)))
        table.add("`kabot-models validate`, fresh process", ms(validate), "bare start", f"{validate / bare:.0f}x")

        table.section("synthetic catalogs (one fresh process per phase)")
        per_model: dict[str, list[float]] = {"compile": [], "write": [], "load": [], "memory": []}
        resolve_ok = True
        for size in sizes:
            print(f"synthetic catalog of {size:,} models ...", file=sys.stderr)
            cdir = os.path.join(tmp, f"synthetic-{size}")
            write_synthetic_catalog(cdir, size)
            snap = os.path.join(tmp, f"synthetic-{size}.sqlite")
            built = run_worker(py, "compile", cdir, snap, env=env)  # the same install as the loads: a snapshot is current only for the code that wrote it
            loads = [run_worker(py, "load", cdir, snap, env=env) for _ in range(3)]
            typo = f"modle-{size // 2 + 1}x"
            misses = [run_worker(py, "first_miss", cdir, snap, typo, env=env) for _ in range(3)]
            first_miss = statistics.median(r["first_miss_s"] for r in misses)
            first_miss_cpu = statistics.median(r["first_miss_cpu_s"] for r in misses)
            load = {"load_s": statistics.median(r["load_s"] for r in loads), "peak_mb": max(r["peak_mb"] for r in loads),
                    "suggest": statistics.median(r["suggest"] for r in loads),
                    "suggest_first_s": statistics.median(r["suggest_first_s"] for r in loads)}
            worst = max(max(r[k] for r in loads) for k in ("full id", "short id", "alias"))
            resolve_ok &= worst < 2000
            per_model["compile"].append(built["compile_s"] / size * 1e6)
            per_model["write"].append(built["write_s"] / size * 1e6)
            per_model["load"].append(load["load_s"] / size * 1e6)
            per_model["memory"].append(load["peak_mb"] * 1024 / size)
            table.add(f"{size:,} models: compile YAML", f"{built['compile_s']:.2f} s", f"{per_model['compile'][-1]:.1f} us/model")
            table.add(f"{size:,} models: write snapshot", f"{built['write_s']:.2f} s",
                      f"{per_model['write'][-1]:.1f} us/model; {built['bytes'] / size:.0f} B/model on disk")
            table.add(f"{size:,} models: load snapshot (fresh process)", ms(load["load_s"]),
                      f"{per_model['load'][-1]:.2f} us/model",
                      "", "<= 2 s" if size == 100_000 else "", load["load_s"] <= 2 if size == 100_000 else None)
            table.add(f"{size:,} models: peak memory of the load", f"{load['peak_mb']:.1f} MB", f"{per_model['memory'][-1]:.2f} KB/model")
            table.add(f"{size:,} models: {call} (worst of full id, short id, alias)", ns(worst), "", "", "< 2 us", worst < 2000)
            table.add(f"{size:,} models: suggestions for an unknown name", ms(load["suggest"] / 1e9),
                      f"first miss after the resolves: {ms(load['suggest_first_s'])}", "",
                      "<= 10 ms" if size == 100_000 else "", load["suggest"] <= 10e6 if size == 100_000 else None)
            table.add(f"{size:,} models: first miss in a fresh process ({typo!r}), median of 3", ms(first_miss),
                      f"CPU time {ms(first_miss_cpu)}; suggests {', '.join(misses[0]['suggestions'][:2])}", "",
                      "<= 10 ms" if size == 100_000 else "", first_miss <= 10e-3 if size == 100_000 else None)
        for phase, costs in per_model.items():
            growth = costs[-1] / costs[-2] if costs[-2] else 0.0
            table.add(f"growth of {phase} per model, {sizes[-2]:,} -> {sizes[-1]:,}", f"{growth:.2f}x", "", "",
                      "<= 1.5x (linear)", growth <= 1.5)

        print("scanning 20 slow local providers ...", file=sys.stderr)
        table.section("scan")
        scans = bench_scan(km, env, tmp)
        if not scans:
            table.add("scan of 20 local providers answering after 1 s", "scanner not available (no `kabot-models scan`)")
        for label, detail, seconds in scans:
            table.add(f"`kabot-models scan`, {label}: 20 providers answering after 1 s", f"{seconds:.2f} s", detail, "",
                      "<= 2 s", seconds <= 2)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report(started, table)


def report(started: float, table: Table) -> None:
    """Print the machine line and the table."""
    print(f"\n{sys.platform}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; "
          f"bench took {time.perf_counter() - started:.0f} s; `make bench` reproduces it.\n")
    table.print()


KABOT_LOOKUP = ("import sys; from kabot_models.providers import PROVIDERS, find_by_model; "
                "find_by_model('claude-sonnet-4-5'); assert 'litellm' not in sys.modules")
"""Kabot's start: its provider lookup, which must not import LiteLLM (timed with the other fresh processes)."""


def bench_kabot(py: str, env: dict[str, str], start: float, bare: float, name: str, table: Table, quick: bool) -> None:
    """Kabot's start (`start`: median seconds of `KABOT_LOOKUP`, timed beside `bare`) and the bridge's first call."""
    table.section("Kabot's provider layer and the LiteLLM bridge")
    table.add("`from kabot_models.providers import PROVIDERS` + find_by_model, fresh process", ms(start),
              "bare start", f"{start / bare:.1f}x", "<= 5x, no LiteLLM", start / bare <= 5)
    print("first bridge calls ...", file=sys.stderr)
    calls = [run_worker(py, "bridge", name, "" if quick or i else "all", env=env) for i in range(3 if quick else 5)]

    def median(key: str) -> float:
        return statistics.median(c[key] for c in calls)

    table.add(f"first completion({name!r}): load the registry (imports included), median", ms(median("load_s")),
              "bare start", f"{median('load_s') / bare:.1f}x")
    table.add(f"first completion({name!r}): catalog work (resolve, route, its one price entry), median",
              ms(median("catalog_s")), f"price entries built: {calls[0]['entries']}", "", "<= 20 ms",
              median("catalog_s") <= 0.020)
    table.add(f"first completion({name!r}): LiteLLM's register_model of that entry, median", ms(median("register_s")))
    table.add(f"first completion({name!r}) with mock_response, whole call, median", ms(median("call_s")))
    if "all_s" in calls[0]:
        table.add(f"register_prices(): all {calls[0]['all_count']} catalog prices (what the first call did before)",
                  ms(calls[0]["all_s"]))


def _has_command(km: str, command: str, env: dict[str, str]) -> bool:
    out = subprocess.run([km, command, "--help"], env=env, capture_output=True, text=True, cwd="/")
    return out.returncode == 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        print(json.dumps(WORKERS[sys.argv[2]](*sys.argv[3:])))
    else:
        main()
