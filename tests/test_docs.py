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


def _commands() -> list[str]:
    """Every command the CLI has, sub-commands as `group sub`."""
    import typer

    from kabot_models.cli import app

    group = typer.main.get_group(app)
    out = []
    for name, cmd in group.commands.items():
        sub = getattr(cmd, "commands", None)
        out += [f"{name} {s}" for s in sub] if sub else [name]
    return out


def test_every_command_is_in_the_cli_reference_with_an_example() -> None:
    text = (ROOT / "docs/models/cli.md").read_text(encoding="utf-8")
    sections = {m.split("\n", 1)[0].strip(): m for m in text.split("\n## ")[1:]}
    for command in _commands():
        group = command.split()[0]
        section = sections.get(command) or sections.get(group)
        assert section is not None, f"`{command}` has no section in docs/models/cli.md"
        assert f"kabot-models {command}" in section, f"docs/models/cli.md has no example of `kabot-models {command}`"


def test_doc_links_resolve() -> None:
    import re

    for doc in [ROOT / "README.md", *(ROOT / "docs/models").glob("*.md")]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            assert (doc.parent / target).exists(), f"{doc.relative_to(ROOT)} links to missing {target}"
