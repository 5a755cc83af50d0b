"""Untrusted YAML in, plain data plus source positions out.

Used for catalog files and the user's config. PyYAML composes the node graph (linear in the file's
size; anchors are shared nodes, not copies), then this module builds plain Python data from it while
recording where each value sits, refusing duplicate keys, documents that expand past a node budget
(the "billion laughs" attack) and files past a size cap. Timestamps stay strings so JSON Schema's
`format: date` sees what the author wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .files import MAX_FILE_BYTES as MAX_BYTES  # one limit for reading and for hashing a catalog file

MAX_NODES = 1_000_000
"""Most values one document may expand to once anchors are followed."""

Path_ = tuple[str | int, ...]


@dataclass
class YamlProblem(Exception):
    """A file that cannot be read as YAML: where and why, ready to print."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


@dataclass
class YamlDocument:
    """Parsed data plus the position of every value and mapping key in it (1-based line and column)."""

    file: str
    data: Any
    value_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Best known position for `path`: the exact node, else its nearest recorded ancestor."""
        marks = self.key_marks if key else self.value_marks
        p = tuple(path)
        while p:
            if p in marks:
                return marks[p]
            if not key and p in self.key_marks:
                return self.key_marks[p]
            p = p[:-1]
        return self.value_marks.get((), (1, 1))


class _Loader(yaml.SafeLoader):
    """SafeLoader whose resolver leaves timestamps as strings."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

try:  # the C composer is ~10x faster; fall back to pure Python where libyaml is missing
    class _CLoader(yaml.CSafeLoader):
        """CSafeLoader with the same resolver rules as `_Loader`."""

    _CLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _FAST_LOADER: type = _CLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _FAST_LOADER = _Loader


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    """Builds plain data from a composed node graph, with a node budget and position records."""

    def __init__(self, doc: YamlDocument, loader: yaml.SafeLoader) -> None:
        self.doc = doc
        self.loader = loader
        self.count = 0

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            line, col = _mark(node)
            raise YamlProblem(
                self.doc.file, line, col,
                f"document expands to more than {MAX_NODES:,} values (anchors/aliases used as a bomb?); refused",
            )
        self.doc.value_marks.setdefault(path, _mark(node))
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    line, col = _mark(key_node)
                    raise YamlProblem(self.doc.file, line, col, "merge keys (<<) are not supported; write the keys out")
                key = self.build_scalar_key(key_node)
                if key in out:
                    line, col = _mark(key_node)
                    first = self.doc.key_marks.get(path + (key,), (0, 0))[0]
                    raise YamlProblem(
                        self.doc.file, line, col,
                        f"duplicate key {key!r} (first defined on line {first}); each key may appear once in a mapping",
                    )
                self.doc.key_marks[path + (key,)] = _mark(key_node)
                out[key] = self.build(value_node, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def scalar(self, node: yaml.Node) -> Any:
        """The value of a scalar node; a tag it cannot satisfy (`!!float abc`, a 5,000-digit int) is a
        problem at its place. The value itself is never quoted: the file may hold a secret."""
        try:
            return self.loader.construct_object(node, deep=True)
        except Exception:  # PyYAML raises ValueError, KeyError, OverflowError... for bad tagged scalars
            line, col = _mark(node)
            tag = node.tag.rsplit(":", 1)[-1]
            raise YamlProblem(self.doc.file, line, col, f"this value cannot be read as {tag}") from None

    def build_scalar_key(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            line, col = _mark(node)
            raise YamlProblem(self.doc.file, line, col, "mapping keys must be plain scalars")
        key = self.scalar(node)
        if not isinstance(key, str):
            # `null:`, `yes:` or `0x10:` would silently become "None", "True", "16".
            line, col = _mark(node)
            raise YamlProblem(
                self.doc.file, line, col,
                f"key {node.value!r} reads as {type(key).__name__}, not text; put it in quotes",
            )
        return key


def _line_col(text: bytes, offset: int) -> tuple[int, int]:
    before = text[:offset]
    line = before.count(b"\n") + 1
    return line, offset - (before.rfind(b"\n") + 1) + 1


def parse_yaml(raw: bytes, file: str) -> YamlDocument:
    """Parse one YAML document from bytes. Raises `YamlProblem` with a position on any defect."""
    if len(raw) > MAX_BYTES:
        raise YamlProblem(file, 1, 1, f"file is {len(raw) / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(raw, exc.start)
        raise YamlProblem(file, line, col, f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded; save the file as UTF-8") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    doc = YamlDocument(file=file, data=None)
    loader = _FAST_LOADER(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            doc.data = _Builder(doc, loader).build(node, ())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context_mark is not None and "end of stream" in problem:
            # An unclosed quote or bracket: where it opened is what the author needs to see.
            mark = exc.context_mark
            problem = f"{exc.context}: {problem}" if exc.context else problem
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        bad_line = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
        if "\t" in bad_line[: len(bad_line) - len(bad_line.lstrip())] or "tab" in problem.lower():
            problem += " (a tab in the indentation: YAML indents with spaces only)"
        raise YamlProblem(file, line, col, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(file, 1, 1, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise YamlProblem(file, 1, 1, "invalid YAML: nesting too deep") from None
    finally:
        loader.dispose()
    return doc


def load_yaml_file(path: Path, display: str | None = None, *, owned: bool = False) -> YamlDocument:
    """Read and parse a YAML file: only a regular file (a FIFO or a device is refused at once, never
    read), its size checked before reading. With `owned`, a file another user owns or could change
    is refused too (`errors.UnsafeFileError`, see `files.check_owned`)."""
    import errno

    from .files import read_regular

    name = display or str(path)
    try:
        raw = read_regular(path, MAX_BYTES, owned=owned)
    except OSError as exc:
        if exc.errno == errno.EFBIG:
            raise YamlProblem(name, 1, 1, exc.strerror) from None
        raise YamlProblem(name, 1, 1, f"cannot read file: {exc.strerror or exc}") from None
    return parse_yaml(raw, name)
