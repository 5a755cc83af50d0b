"""The user's config, `$KABOT_MODELS_HOME/config.yaml`: aliases, the default model, per-provider settings.

```yaml
# yaml-language-server: $schema=./config.schema.json
default_model: sonnet
aliases:
  fast: openai/gpt-4o-mini
providers:
  openai:
    api_base: https://my-proxy.example/v1
    key_env: WORK_OPENAI_KEY
```

`UserConfig` is the format (and generates `schemas/config.schema.json`). Reading reports a broken
file as one `ConfigError` naming the file, line and column; writing goes through ruamel.yaml's
round-trip mode so the user's comments and key order survive, and replaces the file atomically.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import ConfigError, ResolutionError, UnsafeFileError
from .names import MAX_ALIAS_DEPTH, check_name

# pydantic, YAML and the schema are imported inside the functions that validate: with the cache
# below, resolving with a user config needs none of them.

CONFIG_CACHE = "config-cache.json"
"""The validated user config as JSON, in the data dir, keyed by the config file's identity."""


def _validate(data: Any, file: str, position: Callable[[tuple[Any, ...], bool], tuple[int, int]]) -> dict[str, Any]:
    """Plain data checked against `UserConfig` (alias names included); `ConfigError` at the first defect."""
    from pydantic import ValidationError

    from .catalog import format_where
    from .schema import ALIAS_PATTERN, UserConfig

    if data is None:
        data = {}
    if not isinstance(data, dict):
        line, col = position((), False)
        raise ConfigError(f"{file}:{line}:{col}: the config must be a mapping (aliases:, providers:, ...), not a {type(data).__name__}")
    try:
        config = UserConfig.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        loc = tuple(first["loc"])
        line, col = position(loc, first["type"] == "extra_forbidden")  # an unknown key: point at the key
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        msg = first["msg"].removeprefix("Value error, ")
        raise ConfigError(f"{file}:{line}:{col}: {format_where(loc)}: {msg}{more}") from None
    for name, target in config.aliases.items():
        if not re.match(ALIAS_PATTERN, name):
            line, col = position(("aliases", name), True)
            raise ConfigError(
                f"{file}:{line}:{col}: aliases: invalid alias name {name!r}: use lowercase letters, digits and . _ : + - (no '/')"
            )
        try:
            check_name(target)
        except ResolutionError as exc:
            line, col = position(("aliases", name), False)
            raise ConfigError(f"{file}:{line}:{col}: aliases.{name}: {exc}") from None
    deep = _too_deep(config.aliases)
    if deep is not None:
        line, col = position(("aliases", deep), False)
        raise ConfigError(f"{file}:{line}:{col}: aliases.{deep}: a chain of more than {MAX_ALIAS_DEPTH} aliases, each naming the "
                          "next; point it at a model id")
    return config.model_dump(mode="json", exclude_none=True)


def _too_deep(aliases: dict[str, str]) -> str | None:
    """The first alias whose chain (an alias naming another alias ...) is longer than `MAX_ALIAS_DEPTH`, else None.

    Linear in the number of aliases: each alias's depth is worked out once. A loop is left to the
    resolver, which names every alias on it.
    """
    depth: dict[str, int] = {}
    for start in aliases:
        walk = []
        name = start
        while name in aliases and name not in depth and name not in walk:
            walk.append(name)
            name = aliases[name]
        below = depth.get(name, 0)
        for alias in reversed(walk):
            below += 1
            depth[alias] = below
        if depth.get(start, 0) > MAX_ALIAS_DEPTH:
            return start
    return None


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The config at `path` (default: `paths.config_path()`) as plain data; `{}` keys filled when absent.

    Raises `ConfigError` (one line: file:line:col and what is wrong) for a file that is not YAML,
    not a mapping, or has unknown keys or wrong types.
    """
    from .paths import config_path
    from .yamlload import YamlProblem, load_yaml_file

    from .schema import UserConfig

    from .files import check_owned_path

    path = path or config_path()
    if not path.exists():
        return UserConfig().model_dump(mode="json", exclude_none=True)
    check_owned_path(str(path.parent), is_dir=True)  # whoever can replace the file can point api_base anywhere
    try:
        doc = load_yaml_file(path, owned=True)
    except YamlProblem as exc:
        raise ConfigError(str(exc)) from None
    return _validate(doc.data, doc.file, lambda loc, key: doc.position(loc, key=key))


def read_user_config() -> dict[str, Any]:
    """The user's config as plain data (`{}` when there is none).

    Parsing and validating YAML takes YAML and pydantic (a quarter second cold), so the validated
    result is cached as JSON beside the database and reused while the file's path, inode, size and
    mtime are unchanged: a user with a config still resolves without importing either.
    """
    from .paths import config_path, data_dir

    path = str(config_path())
    try:
        st = os.stat(path)
    except OSError:
        return {}
    from .files import MAX_FILE_BYTES, check_owned, check_owned_path, read_regular, write_atomic

    # The file and its directory are refused when another user owns or could change them, on this
    # path too (cached or not): whoever can write them can redirect a name or an api_base.
    check_owned_path(os.path.dirname(path), is_dir=True)
    if stat.S_ISREG(st.st_mode):
        check_owned(path, st)

    import json  # only with a config file: without one, nothing on the load path reads JSON

    signature = [path, st.st_ino, st.st_size, st.st_mtime_ns]
    cache = os.path.join(data_dir(), CONFIG_CACHE)
    try:
        cached = json.loads(read_regular(cache, MAX_FILE_BYTES, owned=True))
        if cached["signature"] == signature and isinstance(cached["config"].get("aliases"), dict):
            return cached["config"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, UnsafeFileError):
        pass  # no cache, one from another file or version, or one we did not write: validate afresh
    config = load_config(Path(path))
    try:
        write_atomic(cache, json.dumps({"signature": signature, "config": config}).encode("utf-8"))
    except OSError:
        pass  # a read-only data dir only costs the next start the validation again
    return config


def update_config(change: Callable[[Any], None], path: Path | None = None) -> dict[str, Any]:
    """Apply `change` to the config's round-trip document and write it back; returns the new config.

    `change` receives a ruamel `CommentedMap` (create missing sections with `setdefault`). The result
    is validated before anything is written, so a change never leaves a broken file; the file is
    replaced atomically (temp file in the same directory, then `os.replace`), comments and order kept.
    """
    import ruamel.yaml  # noqa: F401 - imported before the lock is taken: importing takes longer than the edit

    from . import schema  # noqa: F401 - pydantic too
    from .files import locked, private_dir
    from .paths import config_path

    path = path or config_path()
    try:
        private_dir(path.parent)
        with locked(path):  # read, change and write under the lock: a parallel run's change is never lost
            return _update_locked(change, path)
    except OSError as exc:  # the directory or the lock (reading and writing raise ConfigError themselves)
        raise ConfigError(f"{path}: cannot write the config: {exc.strerror or exc}") from None


def _update_locked(change: Callable[[Any], None], path: Path) -> dict[str, Any]:
    """`update_config`'s work, with the lock held."""
    import json
    from io import StringIO

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    from .files import MAX_FILE_BYTES, read_regular
    from .schema import config_json_schema_text

    load_config(path)  # refuse to edit a file that is already broken: say where it is broken instead
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    text = read_regular(path, MAX_FILE_BYTES).decode("utf-8") if path.exists() else ""
    doc = yaml.load(text) if text.strip() else None
    prefix = ""
    if doc is None:
        # A new file gets the schema line; a file of comments only keeps them (ruamel would drop them).
        doc = CommentedMap()
        prefix = text if text.strip() else f"# yaml-language-server: $schema=./{SCHEMA_FILE}\n"
        prefix += "" if prefix.endswith("\n") else "\n"
    change(doc)
    result = _validate(json.loads(json.dumps(doc, default=str)), str(path), lambda loc, key: (1, 1))
    out = StringIO(prefix)
    out.seek(0, 2)
    if doc:
        yaml.dump(doc, out)
    _write_atomic(path, out.getvalue())
    # The schema the header names, beside the file: the project publishes no URL for it, and a copy
    # written by this version always describes what this version accepts.
    _write_atomic(path.with_name(SCHEMA_FILE), config_json_schema_text())
    return result


SCHEMA_FILE = "config.schema.json"
"""The config's JSON Schema, written next to `config.yaml`; the file's `$schema` line points at it."""


def _write_atomic(path: Path, text: str) -> None:
    try:
        _replace_file(path, text)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the config: {exc.strerror or exc}") from None


def _replace_file(path: Path, text: str) -> None:
    from .files import write_atomic

    # A new file is 0600; an existing one keeps its mode, less any write bits for others.
    mode = path.stat().st_mode & 0o755 if path.exists() else 0o600
    write_atomic(path, text.encode("utf-8"), mode)


def set_alias(name: str, target: str, path: Path | None = None) -> dict[str, Any]:
    """Write `aliases.<name>: <target>` into the config (the caller checks the target first)."""

    def change(doc: Any) -> None:
        from ruamel.yaml.comments import CommentedMap

        if not isinstance(doc.get("aliases"), dict):
            doc["aliases"] = CommentedMap()
        doc["aliases"][name] = target

    return update_config(change, path)


def remove_alias(name: str, path: Path | None = None) -> dict[str, Any]:
    """Delete `aliases.<name>` from the config (a no-op when it is not there)."""

    def change(doc: Any) -> None:
        aliases = doc.get("aliases")
        if isinstance(aliases, dict) and name in aliases:
            del aliases[name]

    return update_config(change, path)
