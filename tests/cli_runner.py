"""Run the real `kabot-models` entry point (`kabot_models.cli.main`, error handling included) under click's CliRunner."""

from __future__ import annotations

import sys
from typing import Any

from click.testing import CliRunner, Result


class _EntryPoint:
    """What CliRunner needs of a command (`name`, `main`), calling the console script's function."""

    name = "kabot-models"

    def main(self, args: list[str], prog_name: str, **_: Any) -> None:
        from kabot_models.cli import main

        saved = sys.argv
        sys.argv = [prog_name, *args]
        try:
            main()
        finally:
            sys.argv = saved


def run_cli(args: list[str], input: str | None = None, env: dict[str, str] | None = None) -> Result:
    """Invoke `kabot-models ARGS`; `result.stderr` holds the `error: ...` line of an expected failure."""
    return CliRunner().invoke(_EntryPoint(), args, input=input, env=env, catch_exceptions=False)  # type: ignore[arg-type]
