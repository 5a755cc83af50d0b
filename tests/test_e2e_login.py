"""The README's quick start, end to end, as a new user runs it: log in (hidden key, arrow keys in the
picker), see the picked model as default and configured in `list`, price a call with `cost`.

The commands are read from the README's quickstart block, so the README cannot drift from what
works. They run as real processes against a fixture catalog, with the provider's API played by a
stand-in on 127.0.0.1; only the provider and model names are swapped for the fixture's.
"""

from __future__ import annotations

import io
import os
import re
import shlex
import stat
import subprocess
from pathlib import Path

import pytest

from auth_standin import GOOD_KEY, serve_models
from fixture_catalog import SAMPLE_ENV_VARS, write_catalog

ROOT = Path(__file__).resolve().parent.parent
#: README name -> fixture name
SWAP = {"openai": "acme", "gpt-5.4-mini": "acme-small"}


def quickstart() -> list[list[str]]:
    """The argv of each command in the README's quickstart block (comments dropped)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- quickstart.*?-->\s*```sh\n(.*?)```\s*<!-- /quickstart -->", text, re.S)
    assert block, "README.md lost its quickstart block"
    commands = []
    for line in block.group(1).splitlines():
        argv = shlex.split(line, comments=True)
        assert argv[0] == ".venv/bin/kabot-models"
        commands.append([str(ROOT / argv[0])] + [SWAP.get(a, a) for a in argv[1:]])
    return commands


def test_readme_quickstart(tmp_path, httpserver) -> None:
    pexpect = pytest.importorskip("pexpect")
    login, listing, pricing = quickstart()
    assert login[1:3] == ["auth", "login"] and listing[1] == "list" and pricing[1] == "cost"

    url = serve_models(httpserver)
    home = tmp_path / "home"
    env = {**os.environ, "KABOT_MODELS_CATALOG": str(write_catalog(tmp_path / "catalog")), "KABOT_MODELS_HOME": str(home),
           "TERM": "xterm", "NO_COLOR": "1"}
    for var in SAMPLE_ENV_VARS:
        env.pop(var, None)

    # 1. log in: the key at the hidden prompt, then one arrow down (acme-small) and Enter in the picker
    transcript = io.StringIO()
    child = pexpect.spawn(login[0], login[1:] + ["--base-url", url], env=env, encoding="utf-8", timeout=30, dimensions=(30, 120))
    child.logfile_read = transcript
    child.expect_exact("(input hidden): ")
    child.sendline(GOOD_KEY)
    child.expect_exact("Pick the default model (acme):")
    child.expect_exact("acme/acme-experimental")
    child.send("\x1b[B")
    child.send("\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, transcript.getvalue()
    assert GOOD_KEY not in transcript.getvalue()
    assert "default model: acme/acme-small" in transcript.getvalue()
    assert stat.S_IMODE((home / "credentials.yaml").stat().st_mode) == 0o600

    # 2. the picked model is the default, and the provider's models are configured
    res = subprocess.run(listing, env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    rows = {line.split()[0]: line for line in res.stdout.splitlines()[1:]}
    assert re.search(r"\bdefault, configured\b", rows["acme/acme-small"])
    assert re.search(r"\bconfigured\b", rows["acme/acme-large"]) and "default" not in rows["acme/acme-large"]
    assert "relay/free-thing" not in rows  # --configured: the provider without a key is left out

    # 3. price a call: 12,000 x $0.1/1M + 800 x $0.4/1M, exactly
    res = subprocess.run(pricing, env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert re.search(r"total +\$0\.00152$", res.stdout, re.M), res.stdout
