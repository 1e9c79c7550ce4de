"""The argparse pieces every command module uses: one-line usage errors, examples."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from deskterm.cli.safe import shown

Handler = Callable[[Any], int | None]


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line and exit with code 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{shown(self.prog)}: {shown(message)} (see {self.prog} --help)\n")
        raise SystemExit(2)


def command(
    sub: argparse._SubParsersAction,
    name: str,
    handler: Handler,
    *,
    summary: str,
    description: str,
    examples: list[str],
) -> argparse.ArgumentParser:
    """Add subcommand ``name`` with a description and an examples section in its --help."""
    parser = sub.add_parser(
        name,
        help=summary,
        description=description,
        epilog="examples:\n" + "\n".join(f"  {line}" for line in examples),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(func=handler)
    return parser
