"""Every example in README.md and docs/ runs as printed, against the real catalog.

Each Markdown file (README.md and every `*.md` under docs/, found afresh on each run: a new page is
tested without being listed here) is one session, run top to bottom like a newcomer would, in its
own directory laid out like a checkout (`.venv/bin/kabot-models`, `catalog/`, `scripts/`, `tests/fixtures/`) and its
own empty `KABOT_MODELS_HOME`:

- a fenced `sh` block is a list of commands, one a line (`# comments` are kept for bash to drop);
  each must exit 0. A block written as a transcript (`$ command` lines followed by what it prints)
  must print exactly that: lines starting `warning:` or `error:` are standard error, the others
  standard output, and a command whose transcript shows `error:` must exit non-zero.
- a fenced `python` block runs in a fresh interpreter and must exit 0; one written with `>>>`
  prompts is a doctest and must print what it shows.

Providers are played by a stand-in HTTP server on 127.0.0.1: the session's config points
openai, anthropic and together there (`providers.<id>.api_base`), their key variables hold
stand-in keys, and `$OPENAI_BASE_URL` names the stand-in for examples that pass `--base-url`.
`key.txt` holds the stand-in OpenAI key, `saved-response.json` a saved OpenAI response. A page whose examples edit the catalog (`scan --write`,
`sync ... --write`) gets a copy of it.

A line that cannot run here says so where a reader sees it: a trailing `# (not run by the docs
test: REASON)`. `MAX_NOT_RUN` caps how many there are.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from werkzeug.wrappers import Request, Response

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^```(sh|python)\n(.*?)^```", re.S | re.M)
NOT_RUN = re.compile(r"#.*\(not run by the docs test: [^)]+\)\s*$")
MAX_NOT_RUN = 4
"""Examples marked as not run, over all pages: the benchmarks and the test suite itself."""

KEYS = {"OPENAI_API_KEY": "sk-docs-openai-0123456789abcdef", "ANTHROPIC_API_KEY": "sk-ant-docs-0123456789abcdef",
        "TOGETHER_API_KEY": "tgp-docs-0123456789abcdef"}
#: what each stand-in provider lists (real catalog ids, plus one the catalog lacks)
LISTED = {
    "openai": ["gpt-5.4-mini", "gpt-6-luna", "gpt-6.1-sol", "gpt-4o", "gpt-docs-preview"],
    "anthropic": ["claude-sonnet-5-5", "claude-opus-5-5"],
    "together": ["deepseek-ai/DeepSeek-R1", "arcee-ai/trinity-mini"],
}


#: an OpenAI Chat Completions response, as `cost --response saved-response.json` reads one
SAVED_RESPONSE = {"id": "chatcmpl-docs", "object": "chat.completion", "model": "gpt-4o-2024-08-06",
                  "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}],
                  "usage": {"prompt_tokens": 1200, "completion_tokens": 300, "total_tokens": 1500}}


@dataclass
class Block:
    """One fenced example: its language, body, and where it starts."""

    doc: Path
    line: int
    lang: str
    body: str

    @property
    def where(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line}"


def blocks(doc: Path) -> list[Block]:
    """The `sh` and `python` blocks of a Markdown file, in order."""
    text = doc.read_text(encoding="utf-8")
    return [Block(doc, text[: m.start()].count("\n") + 1, m.group(1), m.group(2)) for m in FENCE.finditer(text)]


@dataclass
class Step:
    """A command to run and, for a transcript, what it must print."""

    command: str
    stdout: list[str] | None = None
    stderr: list[str] = field(default_factory=list)


def steps(block: Block) -> tuple[list[Step], int]:
    """The commands of an `sh` block, and how many lines are marked as not run."""
    lines = block.body.rstrip("\n").splitlines()
    skipped = 0
    if any(line.startswith("$ ") for line in lines):
        out: list[Step] = []
        for line in lines:
            if line.startswith("$ "):
                out.append(Step(line[2:], [], []))
            elif out:
                (out[-1].stderr if line.startswith(("warning:", "error:")) else out[-1].stdout).append(line)  # type: ignore[union-attr]
        return out, skipped
    out = []
    pending = ""
    for line in lines:
        if NOT_RUN.search(line):
            skipped += 1
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        command = (pending + line).strip()
        pending = ""
        if command and not command.startswith("#"):
            out.append(Step(command))
    return out, skipped


def standin(request: Request) -> Response:
    """OpenAI-, Anthropic- and Together-shaped model lists, and Anthropic's messages API, by path prefix."""
    path = request.path
    provider = path.strip("/").split("/", 1)[0]
    want = {"openai": f"Bearer {KEYS['OPENAI_API_KEY']}", "together": f"Bearer {KEYS['TOGETHER_API_KEY']}"}
    given = request.headers.get("x-api-key") if provider == "anthropic" else request.headers.get("Authorization")
    expected = KEYS["ANTHROPIC_API_KEY"] if provider == "anthropic" else want.get(provider)
    if expected is None or given != expected:
        return Response(json.dumps({"error": {"message": "invalid key"}}), 401, content_type="application/json")
    if path == "/anthropic/v1/messages":
        body = json.loads(request.get_data())
        reply = {"id": "msg_docs", "type": "message", "role": "assistant", "model": body.get("model"),
                 "content": [{"type": "text", "text": "hello from the stand-in"}], "stop_reason": "end_turn",
                 "usage": {"input_tokens": 8, "output_tokens": 5}}
        return Response(json.dumps(reply), 200, content_type="application/json")
    ids = LISTED[provider]
    if provider == "together":
        data: object = [{"id": m, "type": "chat"} for m in ids]
    elif provider == "anthropic":
        data = {"data": [{"id": m, "type": "model", "display_name": m} for m in ids], "has_more": False}
    else:
        data = {"object": "list", "data": [{"id": m, "object": "model"} for m in ids]}
    return Response(json.dumps(data), 200, content_type="application/json")


@pytest.fixture(scope="module")
def server():  # type: ignore[no-untyped-def]
    from pytest_httpserver import HTTPServer

    srv = HTTPServer(host="127.0.0.1", port=0)
    srv.expect_request(re.compile(r"/.*")).respond_with_handler(standin)
    srv.start()
    yield srv
    srv.clear()
    srv.stop()


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home whose compiled snapshot each session's home starts from (compiling once, not once a page)."""
    home = tmp_path_factory.mktemp("snapshot-home")
    env = {**os.environ, "KABOT_MODELS_HOME": str(home)}
    env.pop("KABOT_MODELS_CATALOG", None)
    subprocess.run([sys.executable, "-m", "kabot_models.cli", "resolve", "gpt-4o"], env=env, check=True, capture_output=True, timeout=300)
    return home


EDITS_CATALOG = re.compile(r"^kabot-models (scan|sync)\b.*--write", re.M)
"""An example that writes the catalog's YAML: its page runs on a copy, never on the checkout's files."""


def session(tmp: Path, base_url: str, snapshot_home: Path, doc_text: str) -> tuple[Path, dict[str, str]]:
    """The page's working directory and environment (module docstring)."""
    work = tmp / "work"
    (work / ".venv" / "bin").mkdir(parents=True)
    for name, target in (("kabot-models", f'"{sys.executable}" -m kabot_models.cli'), ("python", f'"{sys.executable}"')):
        shim = work / ".venv" / "bin" / name
        shim.write_text(f'#!/bin/sh\nexec {target} "$@"\n')
        shim.chmod(0o755)
    (work / "scripts").symlink_to(ROOT / "scripts")
    (work / "tests").mkdir()
    (work / "tests" / "fixtures").symlink_to(ROOT / "tests" / "fixtures")
    if EDITS_CATALOG.search(doc_text):
        shutil.copytree(ROOT / "catalog", work / "catalog")
    else:
        (work / "catalog").symlink_to(ROOT / "catalog")
    (work / "key.txt").write_text(KEYS["OPENAI_API_KEY"] + "\n")
    (work / "saved-response.json").write_text(json.dumps(SAVED_RESPONSE))
    home = tmp / "home"
    shutil.copytree(snapshot_home, home)
    config = {"providers": {"openai": {"api_base": f"{base_url}/openai/v1"}, "anthropic": {"api_base": f"{base_url}/anthropic"},
                            "together": {"api_base": f"{base_url}/together/v1"}}}
    (home / "config.yaml").write_text(json.dumps(config))
    env = {k: v for k, v in os.environ.items()
           if not k.endswith(("_API_KEY", "_API_BASE", "_TOKEN")) and k not in ("COLUMNS", "FORCE_COLOR", "KABOT_MODELS_CATALOG")}
    env.update(KEYS, KABOT_MODELS_HOME=str(home), NO_COLOR="1", OPENAI_BASE_URL=f"{base_url}/openai/v1",
               PATH=f"{work / '.venv' / 'bin'}:{env.get('PATH', '/usr/bin:/bin')}")
    if EDITS_CATALOG.search(doc_text):
        env["KABOT_MODELS_CATALOG"] = str(work / "catalog")
    return work, env


def run_sh(step: Step, work: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    cwd = ROOT if step.command.startswith("make ") else work  # the Makefile's targets run in the checkout
    return subprocess.run(["bash", "-c", step.command], cwd=cwd, env=env, input=KEYS["OPENAI_API_KEY"] + "\n",
                          capture_output=True, text=True, timeout=600)


DOCTEST_RUNNER = """
import doctest, sys
text = open(sys.argv[1], encoding="utf-8").read()
test = doctest.DocTestParser().get_doctest(text, {}, sys.argv[2], sys.argv[2], 0)
runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
runner.run(test)
sys.exit(1 if runner.failures else 0)
"""


def run_python(block: Block, work: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = work / f"example_{block.line}.py"
    script.write_text(block.body, encoding="utf-8")
    if ">>> " in block.body:
        args = [sys.executable, "-c", DOCTEST_RUNNER, str(script), block.where]
    else:
        args = [sys.executable, str(script)]
    return subprocess.run(args, cwd=work, env=env, capture_output=True, text=True, timeout=300)


def not_run_total() -> int:
    return sum(steps(b)[1] for doc in DOCS for b in blocks(doc) if b.lang == "sh")


def test_few_examples_are_left_out() -> None:
    assert not_run_total() <= MAX_NOT_RUN, f"{not_run_total()} examples are marked as not run; at most {MAX_NOT_RUN}"


def test_there_are_examples_to_run() -> None:
    assert sum(len(blocks(doc)) for doc in DOCS) >= 20


@pytest.mark.parametrize("doc", [d for d in DOCS if blocks(d)], ids=lambda d: str(d.relative_to(ROOT)))
def test_examples_run_as_printed(doc: Path, tmp_path: Path, server, snapshots: Path) -> None:
    work, env = session(tmp_path, server.url_for("").rstrip("/"), snapshots, doc.read_text(encoding="utf-8"))
    failures = []  # every failing example of the page, not only the first
    for block in blocks(doc):
        if block.lang == "python":
            res = run_python(block, work, env)
            if res.returncode != 0:
                failures.append(f"{block.where}: the python example failed:\n{res.stdout}{res.stderr}")
            continue
        for step in steps(block)[0]:
            res = run_sh(step, work, env)
            context = f"{block.where}: `{step.command}`\n--- stdout\n{res.stdout[-1500:]}--- stderr\n{res.stderr[-1500:]}"
            if step.stdout is None:
                if res.returncode != 0:
                    failures.append(f"exit {res.returncode}: {context}")
                continue
            wants_error = any(line.startswith("error:") for line in step.stderr)
            if (res.returncode != 0) != wants_error:
                failures.append(f"exit {res.returncode}: {context}")
            elif res.stdout.splitlines() != step.stdout or res.stderr.splitlines() != step.stderr:
                shown = "\n".join(["$ " + step.command, *step.stderr, *step.stdout])
                failures.append(f"output differs from the page; the page shows\n{shown}\n{context}")
    assert not failures, "\n\n".join(failures)
