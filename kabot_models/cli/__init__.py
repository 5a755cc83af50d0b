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
    from . import provider_cmds  # noqa: F401
    from . import export_cmds  # noqa: F401

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
    from ..patterns import printable

    print(f"warning: {printable(str(message))}", file=sys.stderr)


def readable_metavars(command) -> None:  # type: ignore[no-untyped-def]
    """Help shows `--timeout TIMEOUT`, not Typer's `<float range>`, and a flag shows no value at all.

    Applied to every command (and sub-command) once the Click commands exist, so a command added
    later gets the same without repeating `metavar=` on each option; an explicit `metavar=` stays.
    """
    for param in getattr(command, "params", ()):
        if getattr(param, "param_type_name", "") == "argument":
            param.display_type_rich = lambda ctx: None  # the argument's NAME is shown already, not `<str>`
        elif getattr(param, "is_flag", False) or getattr(param, "count", False):
            param.metavar = ""
        elif param.metavar is None and param.name:
            param.metavar = param.name.upper()
    make_help = command.get_help_option

    def help_option(ctx):  # type: ignore[no-untyped-def]
        option = make_help(ctx)
        if option is not None:
            option.metavar = ""
        return option

    command.get_help_option = help_option
    for sub in (getattr(command, "commands", None) or {}).values():
        readable_metavars(sub)


USAGE_EXIT = 2
"""Exit status of a command line the CLI cannot parse (an unknown option, a bad value), as Click's."""


def _run_app(args: list[str]) -> int:
    """Run the Typer app on `args`; a usage error becomes one `error:` line and exit `USAGE_EXIT`
    (Click's own rendering is a framed box over several lines)."""
    import typer

    from ..patterns import printable  # a usage error may echo what was typed, escape sequences included

    try:  # Typer 0.29 carries its own copy of Click; older ones use Click itself
        from typer._click import exceptions as click
    except ImportError:  # pragma: no cover - depends on the installed Typer
        from click import exceptions as click  # type: ignore[no-redef]

    command = typer.main.get_command(_build_app())
    readable_metavars(command)
    try:
        rc = command.main(args=args, prog_name="kabot-models", standalone_mode=False)
    except getattr(click, "NoArgsIsHelpError", ()) as exc:  # a bare `kabot-models` or `kabot-models auth`
        message = exc.format_message()  # Typer's Rich help has printed itself already
        if message:
            print(message)
        return 0
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx is not None else "kabot-models"
        message = " ".join(exc.format_message().split())
        print(f"error: {printable(message)} (see `{printable(where)} --help`)", file=sys.stderr)
        return USAGE_EXIT
    except click.ClickException as exc:
        print(f"error: {printable(' '.join(exc.format_message().split()))}", file=sys.stderr)
        return exc.exit_code
    except typer.Abort:
        print("aborted", file=sys.stderr)
        return 1
    return rc if isinstance(rc, int) else 0


def main() -> None:
    """Console-script entry point: errors the package expects become one line and a non-zero exit;
    a closed or broken standard output (`| head`, `>&-`) ends the run quietly with exit 1."""
    import warnings

    from ..patterns import printable

    warnings.showwarning = _show_warning
    try:
        if sys.stdout is None:  # started with standard output closed: nothing could be written
            _quiet_exit()
        rc = 0 if _resolve_fast(sys.argv[1:]) else _run_app(sys.argv[1:])
        sys.stdout.flush()  # a broken pipe shows on the last write: report it here, not at shutdown
        if rc:
            sys.exit(rc)
    except KabotModelsError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:  # `kabot-models list | head`: the reader has all it wants
        _quiet_exit()


def _quiet_exit() -> None:
    """Exit 1 without a word: whoever reads the output has gone. Standard output is pointed at
    /dev/null first, so Python's flush at shutdown does not report the broken pipe either."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
    except OSError:
        pass
    sys.exit(1)
