"""The user's config, `$KABOT_MODELS_HOME/config.yaml`: aliases, the default model, per-provider settings.

```yaml
# yaml-language-server: $schema=https://github.com/kabot-ai/kabot-models/schemas/config.schema.json
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

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import ConfigError, ResolutionError
from .names import check_name

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
    return config.model_dump(mode="json", exclude_none=True)


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The config at `path` (default: `paths.config_path()`) as plain data; `{}` keys filled when absent.

    Raises `ConfigError` (one line: file:line:col and what is wrong) for a file that is not YAML,
    not a mapping, or has unknown keys or wrong types.
    """
    from .paths import config_path
    from .yamlload import YamlProblem, load_yaml_file

    from .schema import UserConfig

    path = path or config_path()
    if not path.exists():
        return UserConfig().model_dump(mode="json", exclude_none=True)
    try:
        doc = load_yaml_file(path)
    except YamlProblem as exc:
        raise ConfigError(str(exc)) from None
    return _validate(doc.data, doc.file, lambda loc, key: doc.position(loc, key=key))


def read_user_config() -> dict[str, Any]:
    """The user's config as plain data (`{}` when there is none).

    Parsing and validating YAML takes YAML and pydantic (a quarter second cold), so the validated
    result is cached as JSON beside the database and reused while the file's path, inode, size and
    mtime are unchanged: a user with a config still resolves without importing either.
    """
    from .paths import config_path_str, data_dir_str

    path = config_path_str()
    try:
        st = os.stat(path)
    except OSError:
        return {}

    signature = [path, st.st_ino, st.st_size, st.st_mtime_ns]
    cache = os.path.join(data_dir_str(), CONFIG_CACHE)
    try:
        with open(cache, encoding="utf-8") as fh:
            cached = json.load(fh)
        if cached["signature"] == signature and isinstance(cached["config"].get("aliases"), dict):
            return cached["config"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass  # no cache, or one from another file or version: validate afresh
    config = load_config(Path(path))
    try:
        os.makedirs(os.path.dirname(cache), mode=0o700, exist_ok=True)
        tmp = os.path.join(os.path.dirname(cache), f".{CONFIG_CACHE}.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump({"signature": signature, "config": config}, fh)
        os.replace(tmp, cache)
    except OSError:
        pass  # a read-only data dir only costs the next start the validation again
    return config


def update_config(change: Callable[[Any], None], path: Path | None = None) -> dict[str, Any]:
    """Apply `change` to the config's round-trip document and write it back; returns the new config.

    `change` receives a ruamel `CommentedMap` (create missing sections with `setdefault`). The result
    is validated before anything is written, so a change never leaves a broken file; the file is
    replaced atomically (temp file in the same directory, then `os.replace`), comments and order kept.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    from io import StringIO

    from .paths import config_path
    from .schema import CONFIG_SCHEMA_ID

    path = path or config_path()
    load_config(path)  # refuse to edit a file that is already broken: say where it is broken instead
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    doc = yaml.load(text) if text.strip() else None
    prefix = ""
    if doc is None:
        # A new file gets the schema line; a file of comments only keeps them (ruamel would drop them).
        doc = CommentedMap()
        prefix = text if text.strip() else f"# yaml-language-server: $schema={CONFIG_SCHEMA_ID}\n"
        prefix += "" if prefix.endswith("\n") else "\n"
    change(doc)
    result = _validate(json.loads(json.dumps(doc, default=str)), str(path), lambda loc, key: (1, 1))
    out = StringIO(prefix)
    out.seek(0, 2)
    if doc:
        yaml.dump(doc, out)
    _write_atomic(path, out.getvalue())
    return result


def _write_atomic(path: Path, text: str) -> None:
    try:
        _replace_file(path, text)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the config: {exc.strerror or exc}") from None


def _replace_file(path: Path, text: str) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    import tempfile

    mode = path.stat().st_mode & 0o777 if path.exists() else None
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
