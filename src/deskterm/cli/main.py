"""The ``deskterm`` command: the parser, the dispatch, and the one error boundary.

Every failure ends here as one line ``deskterm: <message>`` on stderr and an exit code:
0 success, 1 failure while working (database, files), 2 bad input (usage, config, data),
75 try again later (the database is unreachable, locked or full), 130 interrupted.
No traceback ever reaches the user.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from deskterm import __version__
from deskterm.cli import (
    config_cmds,
    db_cmds,
    logging_cmds,
    mail_cmds,
    people_cmds,
    search_cmd,
    team_cmds,
    transfer_cmds,
    who_cmds,
)
from deskterm.cli.context import Context
from deskterm.cli.parser import Parser
from deskterm.cli.safe import harden_streams, warn
from deskterm.errors import DeskError

DESCRIPTION = """\
A full-screen terminal support desk, organised around people, not tickets.

Without a command, deskterm opens the desk on the configured database.
Options go before the command: deskterm --db URL note PERSON TEXT."""

EXAMPLES = """\
examples:
  deskterm                                  open the desk
  deskterm --demo                           open it on fresh demo data (nothing is kept)
  deskterm import people.csv --skip-invalid
  deskterm export --out all.jsonl
  deskterm follow-up margo@fairweather.example "2d call back about the delivery"
  deskterm mood "Alecia Brandt" 2 "her cat is at the vet"
  deskterm config show

Each command has its own --help.

exit codes:
  0    ok
  1    failure while working
  2    bad input (usage, settings, data)
  75   try again later: the database is unreachable, locked or full (EX_TEMPFAIL)
  130  interrupted"""


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
    parser = Parser(
        prog="deskterm",
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--config", metavar="FILE", help="the personal settings file (default: $DESKTERM_CONFIG)"
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="the database, overriding [database] url: sqlite:///path/desk.db or "
        "postgresql+psycopg://user@host/db",
    )
    parser.add_argument(
        "--demo", action="store_true", help="open the desk on a fresh, temporary demo database"
    )
    parser.add_argument("--version", action="version", version=f"deskterm {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for module in (
        transfer_cmds, logging_cmds, people_cmds, mail_cmds, search_cmd, who_cmds, team_cmds,
        config_cmds, db_cmds,
    ):  # fmt: skip
        module.register(sub)
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, run the command, and return the exit code."""
    harden_streams()
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    ctx = Context(args)
    try:
        return _dispatch(ctx)
    except KeyboardInterrupt:
        warn("deskterm: interrupted")
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        warn("deskterm: the output was closed before everything was written")
        return 1
    except DeskError as exc:
        warn(f"deskterm: {exc}")
        return exc.exit_code
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        warn(f"deskterm: {where}{exc.strerror or exc}")
        return 1
    except Exception as exc:  # the last resort: never a traceback
        return _unexpected(exc)
    finally:
        ctx.close()


def _dispatch(ctx: Context) -> int:
    args = ctx.args
    if args.command is None:
        from deskterm.cli.app_cmd import open_app, open_demo

        return (open_demo if args.demo else open_app)(ctx)
    if args.demo:
        from deskterm.errors import InvalidInput

        raise InvalidInput(f"--demo opens the desk; it cannot be used with {args.command}")
    return args.func(ctx) or 0


def _unexpected(exc: Exception) -> int:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if type(exc).__module__.startswith(("sqlalchemy", "psycopg", "sqlite3")):
        from deskterm.storage.faults import storage_error

        error = storage_error(exc)
        warn(f"deskterm: {error}")
        return error.exit_code
    warn(f"deskterm: internal error ({type(exc).__name__}: {first}); please report it")
    return 1


def _quiet_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the final flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """The console entry point: run and exit with the command's code."""
    raise SystemExit(run(argv))
