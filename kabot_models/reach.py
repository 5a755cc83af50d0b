"""How to reach a provider or a model: base URL, API flavour, key variables, pages, LiteLLM string.

`provider_facts` is what `kabot-models providers`, `show PROVIDER` and the site's provider pages
print; `model_reach` is the "how to reach it" part of `show MODEL` and a model page. Whether a key
variable is set is asked only when `keys` (the user's environment and credentials) is given: the
value of a key is never read into these facts, and a published site says nothing about the machine
that built it.

The LiteLLM model string comes from the LiteLLM bridge and needs the `litellm` extra; without it
the string is None and everything else is still answered.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import ExtraMissing

if TYPE_CHECKING:
    from .registry import Registry

STATUSES = ("active", "preview", "deprecated", "retired")
"""The lifecycle states, in the order counts are shown."""


@dataclass(frozen=True)
class UserKeys:
    """What the user has set up, for saying whether each key variable is set (never what it holds)."""

    env: Mapping[str, str]
    """The environment the variables are looked up in."""
    stored: Mapping[str, Any]
    """The credentials file's providers (`credentials.load_credentials()`)."""
    settings: Mapping[str, Any]
    """The user config's `providers` section (api_base, key_env overrides)."""

    @classmethod
    def current(cls) -> UserKeys:
        """The running user's environment, credentials file and config."""
        from .config import load_config
        from .credentials import load_credentials

        return cls(os.environ, load_credentials(), load_config().get("providers") or {})


def status_counts(registry: Registry, provider: str) -> dict[str, int]:
    """How many of a provider's models are in each lifecycle state (every state listed, zeros too)."""
    counts = Counter(rec.get("status", "active") for rec in registry.filter(provider=provider))
    return {status: counts.get(status, 0) for status in STATUSES}


def litellm_string(registry: Registry, full_id: str) -> str | None:
    """The model string the LiteLLM bridge hands LiteLLM for a catalogued model (None without LiteLLM)."""
    from .litellm import litellm_model

    rec = registry.record(full_id)
    if rec is None:
        return None
    block = registry.provider_record(rec["provider"]) or {"id": rec["provider"]}
    try:
        return litellm_model(rec["id"], block, rec)
    except ExtraMissing:
        return None


def provider_facts(registry: Registry, provider: str, keys: UserKeys | None = None) -> dict[str, Any]:
    """Everything about reaching one provider (id or alias; KeyError when unknown), as plain data,
    with its model counts by status (`models`).

    With `keys`, each key variable says whether it is `set`, `stored_key` whether the credentials
    file holds a key, and `configured` whether the provider is usable; without, those are left out.
    """
    block = registry.provider_record(provider)
    if block is None:
        raise KeyError(provider)
    return {**provider_access(block, keys), "models": status_counts(registry, block["id"])}


def provider_access(block: dict[str, Any], keys: UserKeys | None = None) -> dict[str, Any]:
    """`provider_facts` of one provider block without the model counts (which read every model)."""
    pid = block["id"]
    api, auth = block.get("api") or {}, block.get("auth") or {}
    settings = (keys.settings.get(pid) or {}) if keys else {}
    key_vars = [settings["key_env"]] if settings.get("key_env") else list(auth.get("env") or ())
    variables: list[dict[str, Any]] = []
    for var in key_vars:
        entry: dict[str, Any] = {"name": var}
        if keys is not None:
            entry["set"] = bool((keys.env.get(var) or "").strip())
        variables.append(entry)
    out: dict[str, Any] = {
        "id": pid,
        "name": block.get("name", pid),
        "kind": block.get("kind", "first-party"),
        "aliases": list(block.get("aliases") or ()),
        "base_url": settings.get("api_base") or api.get("base_url"),
        "flavor": api.get("flavor", "openai"),
        "auth_header": auth.get("header", "bearer"),
        "key_required": auth.get("required", True),
        "key_variables": variables,
        "docs_url": block.get("docs_url"),
        "pricing_url": block.get("pricing_url"),
    }
    if keys is not None:
        from .credentials import provider_key

        out["stored_key"] = bool(keys.stored.get(pid))
        found = provider_key(block, dict(keys.stored), settings.get("key_env"), env=keys.env)
        out["configured"] = found is not None or not out["key_required"]
    return out


def model_reach(registry: Registry, full_id: str, keys: UserKeys | None = None) -> dict[str, Any]:
    """How to call one catalogued model: its provider's base URL and key variable, the id to send
    the provider's API, and the LiteLLM model string (None without the `litellm` extra)."""
    rec = registry.record(full_id)
    if rec is None:
        raise KeyError(full_id)
    block = registry.provider_record(rec["provider"])
    if block is None:
        raise KeyError(rec["provider"])
    facts = provider_access(block, keys)
    first_key = facts["key_variables"][0] if facts["key_variables"] else None
    return {
        "provider": facts["id"],
        "base_url": facts["base_url"],
        "flavor": facts["flavor"],
        "api_id": rec["id"].split("/", 1)[1],
        "key_variable": first_key,
        "litellm_model": litellm_string(registry, rec["id"]),
    }
