"""Round-trip YAML editing for catalog files: what `kabot-models sync` and `scan --write` use to change them.

ruamel.yaml keeps comments, key order, flow style and quoting of what it does not touch, so an edit
is line-local and a hand edit survives. The writer quotes every string a YAML reader could take for
something else (`?` in a flow mapping, `: ` or ` #` inside a value, a leading indicator, text that
reads as a number, date or boolean), so the files load alike with PyYAML's pure-Python and libyaml
loaders, ruamel and check-jsonschema. Files are replaced atomically.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/provider.schema.json"
"""First line of every provider file: editors with the YAML language server check it as you type."""

#: A plain scalar that is safe in block and flow context alike: it starts with a letter, a digit or
#: one of `_./(~+=$<^` (not an indicator such as `-?:,[]{}#&*!|>'"%@` or a backtick) and holds no flow
#: indicator and no `?` (PyYAML's pure-Python scanner stops at one inside a flow mapping).
_SAFE_PLAIN = re.compile(r"^[A-Za-z0-9_./(~+=$<^][^,\[\]{}?]*$")
_READS_AS_OTHER = re.compile(
    r"^(?:[-+]?(?:\d[\d_]*)?(?:\.\d*)?(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|\d{4}-\d\d?-\d\d?.*|"
    r"(?i:y|n|yes|no|true|false|on|off|null|~|\.inf|\.nan))$"
)


def needs_quotes(text: str) -> bool:
    """True when `text` written plain could be read as something else, or not at all, by some YAML reader."""
    if not text or text != text.strip() or "\n" in text:
        return True
    if not _SAFE_PLAIN.match(text) or ": " in text or text.endswith(":") or " #" in text:
        return True
    return bool(_READS_AS_OTHER.match(text))


def yaml_rt() -> Any:
    """A ruamel.yaml round-trip instance with the catalog's layout (the one its files are written in)."""
    from ruamel.yaml import YAML

    y = YAML()
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096
    y.preserve_quotes = True
    y.representer.ignore_aliases = lambda *_: True  # no &id001 anchors for a date used twice
    return y


def _strings(node: Any) -> Iterator[tuple[Any, Any, str]]:
    """(container, key or index, text) for every plain (unquoted) string value under `node`."""
    from ruamel.yaml.scalarstring import ScalarString

    if isinstance(node, dict):
        items: Any = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return
    for key, value in list(items):
        if isinstance(value, str) and not isinstance(value, ScalarString):
            yield node, key, value
        elif isinstance(value, (dict, list)):
            yield from _strings(value)


def quote_where_needed(doc: Any) -> int:
    """Double-quote every plain string value of `doc` that `needs_quotes`; returns how many."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    count = 0
    for container, key, text in _strings(doc):
        if needs_quotes(text):
            container[key] = DoubleQuotedScalarString(text)
            count += 1
    return count


def load_rt(path: Path) -> Any:
    """A catalog file as ruamel round-trip nodes."""
    return yaml_rt().load(path.read_text(encoding="utf-8"))


def dump_rt(doc: Any) -> str:
    """The text of a round-trip document, strings quoted where needed, schema line first."""
    quote_where_needed(doc)
    buffer = io.StringIO()
    yaml_rt().dump(doc, buffer)
    text = buffer.getvalue()
    return text if text.startswith(SCHEMA_LINE) else SCHEMA_LINE + "\n" + text


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step: a reader sees the old file or the new one, never half."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
