"""What may be a model name at all: one check for the resolver, the user config and the CLI.

Kept apart from the resolver so that the config (which sits above the resolver) can check an
alias target without importing the rules, and apart from `schema` so it needs no pydantic.
"""

from __future__ import annotations

import re

from .errors import UnknownModelError

MAX_NAME_LENGTH = 512
"""Longest name accepted; longer input is refused before any lookup (no model id comes close)."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def check_name(name: object) -> str:
    """The name with surrounding whitespace removed; `UnknownModelError` when it cannot be a model name."""
    if not isinstance(name, str):
        raise UnknownModelError(repr(name), reason=f"a model name must be a string, not {type(name).__name__}")
    if len(name) > MAX_NAME_LENGTH:
        shown = name[:40] + "..."
        raise UnknownModelError(
            shown, reason=f"model name {shown!r} is {len(name):,} characters long; the limit is {MAX_NAME_LENGTH}"
        )
    stripped = name.strip()
    if not stripped:
        raise UnknownModelError(name, reason="model name is empty")
    bad = _CONTROL.search(stripped)
    if bad is not None:
        raise UnknownModelError(
            stripped, reason=f"model name {stripped!r} contains the control character {bad.group()!r}; remove it"
        )
    return stripped
