"""What "configured" means, decided in one place for `resolve`, `list`, `scan` and `auth status`.

A provider is configured when the user really has a way in, and nothing says it is shut:

- a remote provider: a key in one of its `auth.env` variables (or the variable the user config's
  `providers.<id>.key_env` names), or in the credentials file (`auth login`). A gateway or cloud
  reading a variable a first-party provider names (aihubmix reads `OPENAI_API_KEY`) is not
  configured by it: that key is the first party's, not a wish to use the gateway. Naming the
  variable in `key_env` says the wish, and then it counts.
- a local provider (`kind: local`: ollama, lmstudio, vllm, ...): its server answers. The answer
  is the last scan's (`auth login` saves one too), else a probe the caller made (`server_answers`);
  `resolve` never probes, so it adds no network time.
- either way, when the provider's last check (its latest scan or login) failed, it is not
  configured until a check succeeds again: a rejected key is not a way in.

The inputs are plain data (a provider record, the user's provider settings, the stored keys, the
environment, the last check), so the resolver, the scanner and the CLI all call this one function
with what they already hold. Which models of a configured provider are usable is the registry's
`served` mark from the last scan (`model_usable`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .credentials import KeySource, find_key


@dataclass(frozen=True)
class LastCheck:
    """The latest time kabot-models asked a provider's API (a scan, or a login's verification)."""

    ok: bool
    when: str
    """When the check started (ISO 8601, UTC)."""
    reason: str | None = None
    """Why it failed, as the scanner said it (never a key)."""


@dataclass(frozen=True)
class Configured:
    """The answer for one provider: `ok` and the one-line reason a person can act on."""

    provider: str
    ok: bool
    reason: str
    key: KeySource | None = None
    """The key in effect (None for a key-less local server, or when there is none)."""

    def __bool__(self) -> bool:
        return self.ok


def _env_vars(block: Mapping[str, Any], key_env: str | None, borrowed: Iterable[str]) -> list[str]:
    """The variables whose value counts as this provider's key: `key_env` when the user set it, else
    its `auth.env` less the ones a first-party provider names (for a provider that is not first-party)."""
    if key_env:
        return [key_env]
    names = list((block.get("auth") or {}).get("env") or ())
    if block.get("kind") != "first-party":
        taken = set(borrowed)
        names = [n for n in names if n not in taken]
    return names


def provider_configured(
    block: Mapping[str, Any],
    *,
    settings: Mapping[str, Any] | None = None,
    stored: dict[str, dict[str, Any]] | None = None,
    env: Mapping[str, str] | None = None,
    borrowed: Iterable[str] = (),
    last_check: LastCheck | None = None,
    server_answers: bool | None = None,
) -> Configured:
    """Is this provider configured (module docstring), and why or why not.

    `settings` is the user config's `providers.<id>` entry, `stored` the credentials file's
    providers (`credentials.load_credentials()`; None reads the file), `env` stands in for
    `os.environ`, `borrowed` is the first-party providers' variables
    (`ModelRegistry.first_party_env_vars()`), `last_check` the provider's latest scan or login,
    `server_answers` a probe of a local server made by the caller (None: not probed).
    """
    pid = block["id"]
    settings = settings or {}
    env = os.environ if env is None else env
    auth = block.get("auth") or {}
    key = find_key(pid, _env_vars(block, settings.get("key_env"), borrowed), stored=stored, env=env)
    if last_check is not None and not last_check.ok:
        why = f": {last_check.reason}" if last_check.reason else ""
        return Configured(pid, False, f"its last check failed ({last_check.when}){why}; `kabot-models scan -p {pid}` checks again", key)
    if block.get("kind") == "local":
        if last_check is not None:
            return Configured(pid, True, f"its server answered ({last_check.when})", key)
        if server_answers:
            return Configured(pid, True, "its server answers", key)
        where = settings.get("api_base") or (block.get("api") or {}).get("base_url") or "its base URL"
        probed = "does not answer" if server_answers is False else "has not been checked"
        return Configured(pid, False, f"no server answers at {where}" if server_answers is False
                          else f"its server at {where} {probed}; `kabot-models scan -p {pid}` checks it", key)
    if key is not None:
        return Configured(pid, True, key.describe(), key)
    if not auth.get("required", True):
        return Configured(pid, True, "needs no key", None)
    own = _env_vars(block, settings.get("key_env"), borrowed)
    if not own and auth.get("env"):
        return Configured(pid, False, f"no key of its own ({', '.join(auth['env'])} belongs to a first-party provider; "
                                      f"set providers.{pid}.key_env to use it here)")
    names = " or ".join(own) or "a key"
    return Configured(pid, False, f"no key: set {names}, or run `kabot-models auth login {pid}`")


def model_usable(record: Mapping[str, Any], provider: Configured) -> bool:
    """A model can be called: its provider is configured and the last scan of that provider, if
    any, listed it (`served` is only set on providers a scan answered for)."""
    return provider.ok and record.get("served") is not False
