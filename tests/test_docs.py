"""The docs cannot drift: the format's field tables are generated, and every schema field is in them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_format_doc_is_fresh() -> None:
    res = subprocess.run([sys.executable, "scripts/format_doc.py"], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_every_schema_field_is_documented() -> None:
    from kabot_models.schema import provider_json_schema

    text = (ROOT / "docs/models/format.md").read_text(encoding="utf-8")
    schema = provider_json_schema()
    for name, node in [("ProviderFile", schema), *schema["$defs"].items()]:
        assert f"### {name}\n" in text
        for field in node.get("properties", {}):
            assert f"| `{field}` |" in text, f"{name}.{field} is not in docs/models/format.md"
