"""The `kabot-models` command line: a Typer app whose commands live in one module per topic.

Typer (with the click and pydantic it imports) costs about ten bare interpreter starts, so the app
is built on first use (`cli.app`; commands register on `typer_app.app`), and `main()` answers the hottest command,
a plain `kabot-models resolve NAME`, without building it.
"""

from __future__ import annotations

import sys

from ..errors import KabotModelsError


def _build_app():  # type: ignore[no-untyped-def]
    """The Typer app with every command registered, built once."""
    global app
    if "app" in globals():
        return app
    from .typer_app import app

    # Command modules register themselves on `app`; the import order is the help's order.
    from . import catalog_cmds  # noqa: F401
    from . import resolve_cmds  # noqa: F401
    from . import cost_cmds  # noqa: F401
    from . import auth_cmds  # noqa: F401
    from . import audit_cmds  # noqa: F401
    from . import sync_cmds  # noqa: F401
    from . import scan_cmds  # noqa: F401
    from . import changes_cmds  # noqa: F401
    from . import build_cmds  # noqa: F401

    return app


def __getattr__(name: str):  # type: ignore[no-untyped-def]
    if name == "app":
        return _build_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _resolve_fast(args: list[str]) -> bool:
    """Run `resolve NAME` without Typer; False (nothing done) for any other command line.

    Only the plain form is taken: an option (`--json`, `--explain`, `--help`) goes to the Typer
    command, which prints the same for the plain form (tests/test_cli_fast.py holds them to it).
    """
    if len(args) != 2 or args[0] != "resolve" or args[1].startswith("-"):
        return False
    from ..loader import load_registry

    res = load_registry().explain(args[1])
    if res.warning:
        print(f"warning: {res.warning}", file=sys.stderr)
    print(res.id)
    return True


def _show_warning(message, category, filename, lineno, file=None, line=None):  # type: ignore[no-untyped-def]
    """Warnings (a deprecated model, a plugin left out) as one `warning:` line, not Python's source echo."""
    print(f"warning: {message}", file=sys.stderr)


def main() -> None:
    """Console-script entry point: errors the package expects become one line and a non-zero exit."""
    import warnings

    warnings.showwarning = _show_warning
    try:
        if not _resolve_fast(sys.argv[1:]):
            _build_app()()
    except KabotModelsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
