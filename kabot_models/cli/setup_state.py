"""The user's setup as the commands see it: which providers are configured, and which models usable.

`kabot_models.configured` decides; this gathers what it needs once per command: the user config,
the credentials file, the last check of each provider (the scan database), and for a local server
never checked, a short TCP probe (a refused connection on 127.0.0.1 answers at once; an address
that does not answer costs at most `PROBE_SECONDS`).
"""

from __future__ import annotations

from typing import Any

PROBE_SECONDS = 0.3
"""Longest wait for a local server's port to accept a connection."""


def server_answers(url: str, timeout: float = PROBE_SECONDS) -> bool:
    """True when something accepts a TCP connection at the URL's host and port."""
    import socket
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return False
    if not parts.hostname:
        return False
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            return True
    except OSError:
        return False


class SetupState:
    """Every provider's `Configured` answer for one command, and which model records are usable."""

    def __init__(self, registry: Any, config: dict[str, Any], probe: bool = True, db: Any = None) -> None:
        from ..configured import LastCheck, provider_configured
        from ..credentials import load_credentials
        from ..errors import StoreError
        from ..paths import db_path
        from ..store import read_last_checks

        stored = load_credentials()
        settings = config.get("providers") or {}
        try:
            checks = read_last_checks(db or db_path())
        except StoreError:
            checks = {}  # a damaged database is reported by the commands that read it
        borrowed = registry.first_party_env_vars()
        self.providers: dict[str, Any] = {}
        for block in registry.provider_records():
            pid = block["id"]
            mine = settings.get(pid) or {}
            raw = checks.get(pid)
            last = LastCheck(raw["status"] == "ok", raw["started_at"], raw["reason"]) if raw else None
            answers = None
            if probe and last is None and block.get("kind") == "local":
                url = mine.get("api_base") or (block.get("api") or {}).get("base_url")
                answers = server_answers(url) if url else False
            self.providers[pid] = provider_configured(block, settings=mine, stored=stored, borrowed=borrowed,
                                                      last_check=last, server_answers=answers)

    def usable(self, record: dict[str, Any]) -> bool:
        """The model can be called now (`configured.model_usable`)."""
        from ..configured import model_usable

        state = self.providers.get(record["provider"])
        return state is not None and model_usable(record, state)
