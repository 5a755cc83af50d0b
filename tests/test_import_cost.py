"""Resolving pays only for what it uses: no heavy import, no record read, when the snapshot is current."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from test_snapshot import ACME, RELAY, write_catalog

#: Modules the resolve path must never import (top-level package names).
HEAVY = ("litellm", "httpx", "rich", "pydantic", "yaml", "ruamel", "jsonschema", "typer", "click")

PROBE = """
import json, sys
import kabot_models
registry = kabot_models.load_registry(sys.argv[1])
full_id = registry.resolve(sys.argv[2])
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[3].split(",")))
loaded = getattr(registry._models, "_loaded", None)
print(json.dumps({"id": full_id, "heavy": heavy, "snapshot": loaded is not None,
                  "records_read": sorted(loaded) if loaded is not None else None, "objects": len(registry._objects)}))
"""


def probe(catalog: Path, name: str, home: Path) -> dict:
    env = {"KABOT_MODELS_HOME": str(home), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", PROBE, str(catalog), name, ",".join(HEAVY)],
                         check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout)


@pytest.mark.parametrize(("name", "expected"), [
    ("rocket", "acme/rocket-1"),
    ("acme/rocket-mini", "acme/rocket-mini"),
    ("acme-ai/rocket-mini", "acme/rocket-mini"),
    ("rocket-mini", "acme/rocket-mini"),
    ("ROCKET-MINI", "acme/rocket-mini"),  # a forgiving form: its index is built from ids alone
])
def test_resolve_from_a_current_snapshot_imports_nothing_heavy(tmp_path: Path, name: str, expected: str) -> None:
    catalog = write_catalog(tmp_path / "catalog", {"acme": ACME, "relay": RELAY})
    home = tmp_path / "home"
    first = probe(catalog, name, home)  # compiles the YAML and writes the snapshot
    assert first["id"] == expected and not first["snapshot"]
    assert "yaml" in first["heavy"]  # the probe does see imports: compiling needed YAML

    second = probe(catalog, name, home)
    # At most the answer's own record is read (the resolver checks its status to warn about
    # deprecation); no other record, and no ModelMetadata object, is built.
    assert second["records_read"] in ([], [expected])
    assert second == {"id": expected, "heavy": [], "snapshot": True, "records_read": second["records_read"], "objects": 0}
