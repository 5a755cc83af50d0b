"""The provider view `show PROVIDER` prints, and the key and count texts `providers` shares with it."""

from __future__ import annotations

from typing import Any

from .output import console


def keys_text(facts: dict[str, Any]) -> str:
    """`OPENAI_API_KEY (set)`, `-` when the provider names none; never a key's value."""
    parts = [f"{v['name']} ({'set' if v.get('set') else 'not set'})" for v in facts["key_variables"]]
    if facts.get("stored_key"):
        parts.append("stored key")
    return ", ".join(parts) or "-"


def counts_text(counts: dict[str, int]) -> str:
    """`12 active, 2 deprecated` (states with no model left out)."""
    return ", ".join(f"{n} {status}" for status, n in counts.items() if n) or "no models"


def print_provider(facts: dict[str, Any]) -> None:
    """The `show PROVIDER` view: one fact a line."""
    from rich.text import Text

    out = console()
    out.print(Text(f"{facts['id']}  {facts['name']}", style="bold"))
    lines = [
        ("kind", facts["kind"]),
        ("aliases", ", ".join(facts["aliases"]) or None),
        ("base URL", facts["base_url"]),
        ("API flavour", facts["flavor"]),
        ("auth header", facts["auth_header"]),
        ("key variables", keys_text(facts) if facts["key_required"] else "none needed"),
        ("configured", "yes" if facts.get("configured") else "no"),
        ("docs", facts["docs_url"]),
        ("pricing", facts["pricing_url"]),
        ("models", counts_text(facts["models"])),
    ]
    for label, value in lines:
        if value is not None:
            out.print(Text(f"  {label}: {value}"))  # values are data, never markup
