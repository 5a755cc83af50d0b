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
import tempfile
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError

from .errors import ConfigError, ResolutionError
from .schema import ALIAS_PATTERN, _NoNullSchema, _Strict

CONFIG_SCHEMA_ID = "https://github.com/kabot-ai/kabot-models/schemas/config.schema.json"
ENV_VAR_PATTERN = r"^(?!.*\n)[A-Za-z_][A-Za-z0-9_]*$"
HEADER = f"# yaml-language-server: $schema={CONFIG_SCHEMA_ID}\n"


class ProviderSettings(_Strict):
    """What the user sets for one provider, over the catalog's defaults."""

    api_base: str | None = Field(default=None, pattern=r"^https?://")
    """API base URL to call instead of the catalog's `api.base_url` (a proxy, a regional endpoint)."""
    key_env: str | None = Field(default=None, pattern=ENV_VAR_PATTERN)
    """Environment variable that holds the API key, instead of the catalog's `auth.env`."""
    headers: dict[str, str] = Field(default_factory=dict)
    """Extra HTTP headers sent with every request to this provider."""


class UserConfig(_Strict):
    """The user config file."""

    default_model: str | None = Field(default=None, min_length=1, max_length=512)
    """The model to use when none is named: any name `kabot-models resolve` understands."""
    aliases: dict[str, Annotated[str, Field(min_length=1, max_length=512)]] = Field(default_factory=dict)
    """Alias -> model name (a full id, or another name); these win over the catalog's aliases."""
    providers: dict[str, ProviderSettings] = Field(default_factory=dict)
    """Provider id -> settings for that provider."""


def config_json_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of the config file, generated from `UserConfig`."""
    schema = UserConfig.model_json_schema(schema_generator=_NoNullSchema)
    schema["properties"]["aliases"]["propertyNames"] = {"pattern": ALIAS_PATTERN}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": CONFIG_SCHEMA_ID, **schema}


def config_json_schema_text() -> str:
    """The config schema as the committed file holds it."""
    return json.dumps(config_json_schema(), indent=2) + "\n"


def _validate(data: Any, file: str, position: Callable[[tuple[Any, ...], bool], tuple[int, int]]) -> dict[str, Any]:
    """Plain data checked against `UserConfig` (alias names included); `ConfigError` at the first defect."""
    from .catalog import format_where
    from .resolver import check_name

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

    path = path or config_path()
    if not path.exists():
        return UserConfig().model_dump(mode="json", exclude_none=True)
    try:
        doc = load_yaml_file(path)
    except YamlProblem as exc:
        raise ConfigError(str(exc)) from None
    return _validate(doc.data, doc.file, lambda loc, key: doc.position(loc, key=key))


def update_config(change: Callable[[Any], None], path: Path | None = None) -> dict[str, Any]:
    """Apply `change` to the config's round-trip document and write it back; returns the new config.

    `change` receives a ruamel `CommentedMap` (create missing sections with `setdefault`). The result
    is validated before anything is written, so a change never leaves a broken file; the file is
    replaced atomically (temp file in the same directory, then `os.replace`), comments and order kept.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    from .paths import config_path

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
        prefix = text if text.strip() else HEADER
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
