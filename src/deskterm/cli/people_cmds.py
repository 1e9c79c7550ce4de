"""``merge`` and ``erase``: fold a duplicate into another person, or forget someone."""

from __future__ import annotations

import argparse

from deskterm.cli.context import Context
from deskterm.cli.logging_cmds import PERSON_HELP
from deskterm.cli.parser import command
from deskterm.cli.safe import say
from deskterm.errors import InvalidInput


def register(sub: argparse._SubParsersAction) -> None:
    p = command(
        sub,
        "merge",
        merge,
        summary="fold a duplicate person into another; nothing is lost",
        description="Fold OTHER into KEEP: OTHER's timeline, follow-ups and moods move to "
        "KEEP, KEEP's empty profile fields are filled from OTHER, tags are combined, and "
        "OTHER is removed. The merge is recorded on KEEP's timeline.",
        examples=[
            "deskterm merge margo@fairweather.example 212",
            'deskterm merge 17 "Margo F."',
        ],
    )
    p.add_argument("keep", metavar="KEEP", help=f"the person to keep: {PERSON_HELP}")
    p.add_argument("other", metavar="OTHER", help=f"the duplicate to fold in: {PERSON_HELP}")

    p = command(
        sub,
        "erase",
        erase,
        summary="erase a person and all their history (permanent)",
        description="Delete PERSON and everything about them: profile, timeline, follow-ups "
        "and moods. This cannot be undone, so it needs --yes.",
        examples=["deskterm erase jim@example.org --yes"],
    )
    p.add_argument("person", metavar="PERSON", help=PERSON_HELP)
    p.add_argument("--yes", action="store_true", help="confirm: erasing is permanent")


def _history_counts(ctx: Context, person_id: int) -> dict[str, int]:
    from sqlalchemy import func, select

    from deskterm.models import Entry, FollowUp, Mood

    with ctx.engine().connect() as conn:
        return {
            label: conn.execute(
                select(func.count()).select_from(model).where(model.person_id == person_id)
            ).scalar_one()
            for label, model in (("entries", Entry), ("follow-ups", FollowUp), ("moods", Mood))
        }


def merge(ctx: Context) -> int:
    desk = ctx.desk()
    keep = desk.find_person(ctx.args.keep)
    other = desk.find_person(ctx.args.other)
    if keep.id == other.id:
        raise InvalidInput(f"merge: KEEP and OTHER are the same person ({keep.label()})")
    moved = _history_counts(ctx, other.id)
    merged = desk.merge(keep.id, other.id)
    before, after = keep.profile(), merged.profile()
    filled = [name for name in after if after[name] != before[name]]
    counts = ", ".join(f"{n} {_plural(label, n)}" for label, n in moved.items())
    extra = f"; filled in {', '.join(filled)}" if filled else ""
    say(f"merged {other.label()} into {merged.label()}: moved {counts}{extra}")
    return 0


def erase(ctx: Context) -> int:
    desk = ctx.desk()
    person = desk.find_person(ctx.args.person)
    if not ctx.args.yes:
        raise InvalidInput(
            f"erase is permanent: it deletes {person.label()} and all their history; "
            "run again with --yes to confirm"
        )
    desk.erase(person.id)
    say(f"erased {person.label()} and all their history")
    return 0


def _plural(label: str, count: int) -> str:
    """``entries`` → ``entry`` and ``moods`` → ``mood`` when there is one."""
    if count != 1:
        return label
    return label[:-3] + "y" if label.endswith("ies") else label[:-1]
