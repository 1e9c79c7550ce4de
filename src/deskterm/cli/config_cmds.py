"""``config show | path | set KEY VALUE``: the layered settings and the personal file."""

from __future__ import annotations

import argparse
import os
import sys

from deskterm.cli.context import Context
from deskterm.cli.parser import command
from deskterm.cli.safe import say, shown_lines


def register(sub: argparse._SubParsersAction) -> None:
    p = command(
        sub,
        "config",
        _missing,
        summary="show or change settings",
        description="Settings are layered: defaults < team file < personal file < "
        "environment (DESKTERM_<SECTION>_<KEY>) < flags (--db).",
        examples=[
            "deskterm config show",
            "deskterm config path",
            'deskterm config set agent.name "Ana"',
            "deskterm config set follow_up.default_hour 10",
        ],
    )
    actions = p.add_subparsers(dest="config_action", metavar="ACTION")
    command(
        actions,
        "show",
        show,
        summary="every effective setting and which file (or variable, or flag) set it",
        description="Print every effective setting as TOML, each line saying where it came "
        "from. A database password is shown as ***.",
        examples=["deskterm config show", "deskterm --db sqlite:///other.db config show"],
    )
    command(
        actions,
        "path",
        path,
        summary="the personal settings file",
        description="Print the path of your personal settings file (--config, else "
        "$DESKTERM_CONFIG, else the user config folder). It need not exist yet.",
        examples=["deskterm config path", '"$EDITOR" "$(deskterm config path)"'],
    )
    s = command(
        actions,
        "set",
        set_value,
        summary="set one key in the personal file",
        description="Set KEY (section.name, e.g. agent.name) to VALUE in your personal file. "
        "The value is checked first; a bad one changes nothing.",
        examples=[
            'deskterm config set agent.name "Ana"',
            "deskterm config set agent.timezone Europe/Berlin",
            'deskterm config set follow_up.quick "1h, tomorrow, 2d"',
            "deskterm config set keys.quit ctrl+q",
        ],
    )
    s.add_argument("key", metavar="KEY", help="section.name, e.g. agent.name")
    s.add_argument("value", metavar="VALUE", help="the new value (TOML or plain text)")


def _missing(ctx: Context) -> int:
    from deskterm.errors import InvalidInput

    raise InvalidInput("config: give an action: show, path or set KEY VALUE")


def show(ctx: Context) -> int:
    from deskterm.config import render_settings

    sys.stdout.write(shown_lines(render_settings(ctx.settings())))
    return 0


def path(ctx: Context) -> int:
    from deskterm.config import personal_config_path

    say(personal_config_path(ctx.config_path, os.environ))
    return 0


def set_value(ctx: Context) -> int:
    from deskterm.config import personal_config_path, set_personal_value

    target = personal_config_path(ctx.config_path, os.environ)
    set_personal_value(target, ctx.args.key, ctx.args.value)
    say(f"set {ctx.args.key} = {ctx.args.value} in {target}")
    return 0
