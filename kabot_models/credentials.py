"""API keys: where each provider's key comes from, and the private credentials file `auth login` writes.

A key is looked up in the provider's environment variables first (in the order its catalog entry
lists them: the process environment is the usual way to override a stored setting), then in the
credentials file (`paths.credentials_path()`). The file is created with mode 0600 in the same system
call that creates it (`os.open(..., 0o600)`), then moved into place atomically, so there is no moment
when another user could read it; each change is a read-modify-write under a lock (`files.locked`), so
parallel logins keep every key. A file (or directory) that another user owns or could change is
refused, as ssh refuses one, since whoever can change it can take the key. Keys are never written
anywhere else, and never appear in an error message: errors name the file and the place, not the value.

The file holds `{providers: {<id>: {api_key: ...}}}`, written as JSON, which is also valid YAML:
any YAML tool reads it, while loading it needs only the standard library (so asking which providers
have a key stays cheap). A hand-edited YAML file is read too.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import paths
from .errors import CredentialsError

FILE_MODE = 0o600
MAX_BYTES = 1024 * 1024
"""Largest credentials file read (a key is a few hundred bytes at most)."""


@dataclass(frozen=True)
class KeySource:
    """A provider's key and where it was found."""

    key: str
    """The key itself: never print it, use `masked`."""
    source: str
    """`env` or `credentials`."""
    where: str
    """The environment variable's name, or the credentials file's path."""

    @property
    def masked(self) -> str:
        """The key masked for display: `sk-...abcd`."""
        return mask_key(self.key)

    def describe(self) -> str:
        """`env OPENAI_API_KEY` or `credentials file /home/me/.config/kabot-models/credentials.yaml`."""
        return f"env {self.where}" if self.source == "env" else f"credentials file {self.where}"


def mask_key(key: str) -> str:
    """Enough of a key to recognise it, never enough to use it: `sk-...abcd`, `...wxyz`, or `****` when short."""
    if len(key) < 16:  # four characters of a short key are too large a share of it
        return "****"
    dash = key.find("-", 0, 8)
    return f"{key[: dash + 1] if dash != -1 else ''}...{key[-4:]}"


def _parse(raw: bytes, file: str) -> dict[str, dict[str, Any]]:
    """Provider id -> entry from the file's bytes; `CredentialsError` (never quoting the file) when malformed."""
    try:
        data: Any = json.loads(raw) if raw.strip() else {}
    except ValueError:
        from .yamlload import YamlProblem, parse_yaml

        try:
            data = parse_yaml(raw, file).data or {}
        except YamlProblem as exc:
            # exc.message may quote the offending text, which may be a key: the position is enough
            raise CredentialsError(f"{file}:{exc.line}:{exc.column}: invalid YAML (or JSON) in the credentials file; fix it, or remove it and log in again") from None
    providers = data.get("providers", {}) if isinstance(data, dict) else None
    if not isinstance(providers, dict) or set(data) - {"providers"}:
        raise CredentialsError(f"{file}: expected `providers:` mapping each provider id to {{api_key: ...}}; fix it, or remove it and log in again")
    for provider, entry in providers.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("api_key"), str) or not entry["api_key"].strip():
            raise CredentialsError(f"{file}: providers.{provider} must be a mapping with a non-empty string `api_key`; fix it, or run `kabot-models auth logout {provider}`")
    return providers


def load_credentials(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """Provider id -> `{api_key: ...}` from the credentials file (`{providers: {<id>: {api_key: ...}}}`);
    empty when there is none.

    Raises `CredentialsError` (naming the file, never a key) when the file is unreadable or malformed.
    """
    from .files import check_owned_path, read_regular

    path = path or paths.credentials_path()
    try:
        raw = read_regular(path, MAX_BYTES, owned=True)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise CredentialsError(f"{path}: cannot read credentials file: {exc.strerror or exc}") from None
    check_owned_path(str(path.parent), is_dir=True)  # whoever can replace the file can take the key
    return _parse(raw, str(path))


def is_private(path: Path | None = None) -> bool:
    """True when the credentials file is missing or readable by its owner only."""
    path = path or paths.credentials_path()
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return True
    return not mode & (stat.S_IRWXG | stat.S_IRWXO)


def _write(data: dict[str, Any], path: Path) -> None:
    """Replace the file atomically with a new one created 0600 (never chmod-ed after the fact) holding `providers: data`."""
    from .files import write_atomic

    text = json.dumps({"providers": data}, indent=2, sort_keys=True) + "\n"
    try:
        write_atomic(path, text.encode("utf-8"), FILE_MODE)
    except OSError as exc:  # the message names the file, never a key
        raise CredentialsError(f"{path}: cannot write the credentials file: {exc.strerror or exc}") from None


def _change(path: Path, change: Any) -> Any:
    """Run `change(entries)` on the file's entries and write them back (unless it returns False),
    under the file's lock, in a directory that is the user's own."""
    from .files import locked, private_dir

    try:
        private_dir(path.parent)
        with locked(path):
            data = load_credentials(path)
            result = change(data)
            if result is not False:
                _write(data, path)
            return result
    except OSError as exc:  # the directory or the lock; reading and writing raise CredentialsError themselves
        raise CredentialsError(f"{path}: cannot write the credentials file: {exc.strerror or exc}") from None


def store_key(provider: str, key: str, path: Path | None = None) -> Path:
    """Save `key` for `provider`, keeping every other entry; returns the file's path.

    A malformed existing file is refused (`CredentialsError`), not overwritten: the keys it holds
    would otherwise be lost.
    """
    if not key.strip() or any(c.isspace() for c in key.strip()):
        raise CredentialsError("the key is empty or contains whitespace; paste it again")
    path = path or paths.credentials_path()

    def change(data: dict[str, Any]) -> None:
        data[provider] = {"api_key": key.strip()}

    _change(path, change)
    return path


def remove_key(provider: str, path: Path | None = None) -> bool:
    """Forget `provider`'s stored key; True when there was one."""
    def change(data: dict[str, Any]) -> bool:
        if provider not in data:
            return False
        del data[provider]
        return True

    return bool(_change(path or paths.credentials_path(), change))


def find_key(
    provider_id: str,
    env_vars: list[str] | tuple[str, ...] = (),
    path: Path | None = None,
    stored: dict[str, dict[str, Any]] | None = None,
    env: Mapping[str, str] | None = None,
) -> KeySource | None:
    """The key in effect for a provider: its first set environment variable, else the credentials file.

    Pass `stored` (from `load_credentials`) when asking about many providers, to read the file once;
    `env` stands in for `os.environ`.
    """
    env = os.environ if env is None else env
    for var in env_vars:
        value = (env.get(var) or "").strip()
        if value:
            return KeySource(value, "env", var)
    path = path or paths.credentials_path()
    entry = (load_credentials(path) if stored is None else stored).get(provider_id)
    if entry:
        return KeySource(entry["api_key"], "credentials", str(path))
    return None


def provider_key(block: Mapping[str, Any], stored: dict[str, dict[str, Any]] | None = None, key_env: str | None = None,
                 env: Mapping[str, str] | None = None) -> KeySource | None:
    """`find_key` for a provider record: its `auth.env` variables, or `key_env` (the user config's
    `providers.<id>.key_env`) instead when set, then the credentials file."""
    env_vars = [key_env] if key_env else (block.get("auth") or {}).get("env", ())
    return find_key(block["id"], env_vars, stored=stored, env=env)


def is_configured(block: dict[str, Any], stored: dict[str, dict[str, Any]] | None = None, key_env: str | None = None) -> bool:
    """A provider is usable: it needs no key (`auth.required: false`), or a key is set for it."""
    if not block.get("auth", {}).get("required", True):
        return True
    return provider_key(block, stored, key_env) is not None
