"""``take`` and ``report``: whose person it is, and the team view's numbers, for scripts."""

from __future__ import annotations

import argparse

from deskterm.cli.context import Context
from deskterm.cli.parser import command
from deskterm.cli.safe import say

PERSON_HELP = "an email, an id, or a name that matches exactly one person"


def register(sub: argparse._SubParsersAction) -> None:
    p = command(
        sub,
        "take",
        take,
        summary="make a person yours, or give them to another agent",
        description="Make PERSON yours ([agent] name), or with --to give them to another "
        "agent (--to - : nobody's). The person's timeline gets one handoff entry, "
        '"ana → bo: NOTE". Taking someone who is already yours changes nothing.',
        examples=[
            "deskterm take margo@fairweather.example",
            'deskterm take "Jim Okafor" --to bo --note "he prefers calls after 3pm"',
            "deskterm take 17 --to -",
        ],
    )
    p.add_argument("person", metavar="PERSON", help=PERSON_HELP)
    p.add_argument("--to", metavar="AGENT", help="give the person to AGENT (- for nobody)")
    p.add_argument("--note", metavar="TEXT", default="", help="a note for the new owner")


def take(ctx: Context) -> int:
    desk = ctx.desk()
    person = desk.find_person(ctx.args.person)
    to = desk.agent if ctx.args.to is None else ctx.args.to
    to = None if to.strip() == "-" else to
    if person.owner == (to if to is None else " ".join(to.split())):
        whose = "yours" if to == desk.agent else f"{to}'s" if to else "nobody's"
        say(f"{person.name} is already {whose}")
        return 0
    after = desk.give(person.id, to, ctx.args.note)
    if after.owner == desk.agent:
        say(f"{after.name} is yours now")
    elif after.owner is None:
        say(f"{after.name} is nobody's now")
    else:
        say(f"{after.name} given to {after.owner}")
    return 0
