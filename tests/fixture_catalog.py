"""Small catalogs for tests, written as real provider YAML files (tests never read the real catalog)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/provider.schema.json\n"

#: A two-provider catalog covering what list, show, cost and auth need: tiers, batch, history,
#: a deprecated and a retired model, a gateway entry with `base`, aliases and recommendations.
SAMPLE: dict[str, dict[str, Any]] = {
    "acme": {
        "provider": {
            "name": "Acme AI",
            "aliases": ["acme-ai"],
            "api": {"base_url": "https://api.acme.test/v1", "flavor": "openai"},
            "auth": {"env": ["KM_TEST_ACME_KEY"], "key_prefix": "ak-"},
            "recommended": ["acme-large", "acme-small"],
        },
        "models": {
            "acme-large": {
                "name": "Acme Large",
                "context_window": 1_000_000,
                "max_output": 64_000,
                "release_date": "2026-03-01",
                "pricing": {
                    "input_1m": 3.0, "output_1m": 15.0, "cache_read_1m": 0.3, "cache_write_1m": 3.75,
                    "since": "2026-06-01",
                    "tiers": [{"above_input_tokens": 200_000, "input_1m": 6.0, "output_1m": 22.5}],
                    "batch": {"input_1m": 1.5, "output_1m": 7.5},
                    "history": [{"since": "2026-03-01", "input_1m": 4.0, "output_1m": 20.0}],
                },
                "capabilities": ["vision", "tool_use", "reasoning"],
                "aliases": ["large"],
                "provenance": {"method": "verified", "url": "https://acme.test/pricing", "date": "2026-11-26"},
            },
            "acme-small": {
                "name": "Acme Small",
                "context_window": 128_000,
                "max_output": 8_192,
                "release_date": "2025-10-01",
                "pricing": {"input_1m": 0.1, "output_1m": 0.4},
                "capabilities": ["tool_use"],
                "aliases": ["small"],
            },
            "acme-old": {
                "name": "Acme Old",
                "context_window": 32_000,
                "pricing": {"input_1m": 1.0, "output_1m": 2.0},
                "status": "deprecated",
                "successor": "acme/acme-large",
            },
            "acme-ancient": {
                "name": "Acme Ancient",
                "context_window": 8_000,
                "status": "retired",
                "successor": "acme/acme-large",
            },
        },
    },
    "relay": {
        "provider": {
            "name": "Relay Gateway",
            "kind": "gateway",
            "api": {"base_url": "https://relay.test/v1", "flavor": "openai"},
            "auth": {"env": ["KM_TEST_RELAY_KEY"]},
        },
        "models": {
            "acme/acme-large": {"base": "acme/acme-large", "pricing": {"input_1m": 3.3, "output_1m": 16.5}},
            "free-thing": {"name": "Free Thing", "context_window": 4_096, "pricing": {"input_1m": 0, "output_1m": 0, "free": True}},
        },
    },
}

#: Environment variables the sample providers read; tests clear them so the host's keys never leak in.
SAMPLE_ENV_VARS = ("KM_TEST_ACME_KEY", "KM_TEST_RELAY_KEY")


def write_catalog(root: Path, files: dict[str, dict[str, Any]] | None = None) -> Path:
    """Write `files` (provider id -> file content; default SAMPLE) under `root/providers/`; returns `root`."""
    providers = root / "providers"
    providers.mkdir(parents=True, exist_ok=True)
    for pid, content in (SAMPLE if files is None else files).items():
        text = yaml.safe_dump(content, sort_keys=False, allow_unicode=True)
        (providers / f"{pid}.yaml").write_text(SCHEMA_LINE + text, encoding="utf-8")
    return root


def use_catalog(monkeypatch: Any, tmp_path: Path, files: dict[str, dict[str, Any]] | None = None) -> Path:
    """Point the package at a fresh catalog and an empty home under `tmp_path`; returns the home."""
    catalog = write_catalog(tmp_path / "catalog", files)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("KABOT_MODELS_CATALOG", str(catalog))
    monkeypatch.setenv("KABOT_MODELS_HOME", str(home))
    for var in SAMPLE_ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    return home
