"""``follow-up``, ``mood``, ``note``, ``contact``, ``done``: the logging keys, for scripts."""

from __future__ import annotations

import argparse

from deskterm.cli.context import Context
from deskterm.cli.parser import command
from deskterm.cli.safe import say

PERSON_HELP = "an email, an id, or a name that matches exactly one person"


def _person(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("person", metavar="PERSON", help=PERSON_HELP)
    parser.add_argument(
        "--write-id",
        metavar="ID",
        help="an id unique to this write (a UUID, a mail's Message-ID): run again with the "
        "same id after exit 75 and it is stored once, never twice",
    )


def _write_id(ctx: Context) -> str | None:
    """The script's id for this write, checked: one line of printable text, 1-200 chars."""
    from deskterm.errors import InvalidInput

    raw = ctx.args.write_id
    if raw is None:
        return None
    if not raw.strip() or len(raw) > 200 or not raw.isprintable():
        raise InvalidInput("--write-id: give 1 to 200 printable characters, e.g. a UUID")
    return raw


def register(sub: argparse._SubParsersAction) -> None:
    p = command(
        sub,
        "follow-up",
        follow_up,
        summary="log a follow-up: a due expression, then the note",
        description="Log a follow-up for PERSON. TEXT is one line: when it is due, then what "
        "to do. Due times are read in your time zone ([agent] timezone); a day without a time "
        "is due at [follow_up] default_hour.",
        examples=[
            'deskterm follow-up margo@fairweather.example "2d check the refund arrived"',
            "deskterm follow-up 17 tomorrow 9:00 call Margo back",
            'deskterm follow-up "Jim Hollis" "2026-12-01 14:30 renewal talk"',
        ],
    )
    _person(p)
    p.add_argument("text", nargs="+", metavar="TEXT", help="due expression, then the note")
    p.add_argument(
        "--to", metavar="AGENT", help="assign the follow-up to AGENT (default: yourself)"
    )

    p = command(
        sub,
        "mood",
        mood,
        summary="record how a person feels (1 very upset … 5 delighted)",
        description="Record PERSON's mood: LEVEL from 1 (very upset) to 5 (delighted), "
        "and optionally why.",
        examples=['deskterm mood "Alecia Brandt" 2 "her cat is at the vet"'],
    )
    _person(p)
    p.add_argument("level", metavar="LEVEL", help="1 to 5")
    p.add_argument("note", nargs="*", metavar="NOTE", help="what the mood is about")

    p = command(
        sub,
        "note",
        note,
        summary="add a note to a person's timeline",
        description="Add a note to PERSON's timeline.",
        examples=['deskterm note 17 "prefers calls after 3pm"'],
    )
    _person(p)
    p.add_argument("text", nargs="+", metavar="TEXT", help="the note")

    p = command(
        sub,
        "contact",
        contact,
        summary="log a contact (channel and summary)",
        description="Log a contact with PERSON: the CHANNEL (email, phone, chat, …) and "
        "what was said.",
        examples=['deskterm contact jim@example.org email "sent the comparison he asked for"'],
    )
    _person(p)
    p.add_argument("channel", metavar="CHANNEL", help="email, phone, chat, visit, …")
    p.add_argument("text", nargs="+", metavar="TEXT", help="what was said or done")

    p = command(
        sub,
        "done",
        done,
        summary="mark a person's earliest open follow-up done",
        description="Mark PERSON's earliest open follow-up done, with an optional OUTCOME. "
        "--check-back DAYS also logs a follow-up to check back that many days later (in the "
        "same write); --no-check-back REASON says why there is none. With neither, the "
        "person counts as 'at risk: done, never confirmed' after [queue] confirm_days "
        "unless we hear from them.",
        examples=[
            'deskterm done margo@fairweather.example "delivery confirmed for Friday"',
            'deskterm done 17 "refund sent" --check-back 3',
            'deskterm done 17 "refund sent" --no-check-back "she confirmed on the phone"',
        ],
    )
    _person(p)
    p.add_argument("outcome", nargs="*", metavar="OUTCOME", help="how it ended")
    back = p.add_mutually_exclusive_group()
    back.add_argument(
        "--check-back", type=int, metavar="DAYS", help="check back DAYS days later (1 to 99)"
    )
    back.add_argument("--no-check-back", metavar="REASON", help="why there is no check-back")


def follow_up(ctx: Context) -> int:
    from deskterm.due import describe_due, parse_due

    write_id = _write_id(ctx)  # checked before anything is looked up
    settings, desk = ctx.settings(), ctx.desk()
    person = desk.find_person(ctx.args.person)
    now = desk.clock()
    parsed = parse_due(
        " ".join(ctx.args.text),
        now=now,
        tz=settings.agent.tz,
        default_hour=settings.follow_up.default_hour,
        allow_past=settings.follow_up.allow_past,
    )
    made = desk.log_follow_up(
        person.id, parsed.due, parsed.note, write_id=write_id, assignee=ctx.args.to
    )
    when = describe_due(parsed.due, now=now, tz=settings.agent.tz)
    about = f": {parsed.note}" if parsed.note else ""
    whose = f" (for {made.assignee})" if made.assignee != desk.agent else ""
    say(f"follow-up for {person.name}{whose} {when}{about}")
    return 0


def mood(ctx: Context) -> int:
    write_id = _write_id(ctx)  # checked before anything is looked up
    settings, desk = ctx.settings(), ctx.desk()
    person = desk.find_person(ctx.args.person)
    text = " ".join(ctx.args.note)
    desk.log_mood(person.id, ctx.args.level, text, write_id=write_id)
    level = int(ctx.args.level)
    about = f" — {text.strip()}" if text.strip() else ""
    say(f"mood for {person.name}: {level} ({settings.mood_label(level)}){about}")
    return 0


def note(ctx: Context) -> int:
    write_id = _write_id(ctx)  # checked before anything is looked up
    desk = ctx.desk()
    person = desk.find_person(ctx.args.person)
    desk.log_note(person.id, " ".join(ctx.args.text), write_id=write_id)
    say(f"note added for {person.name}")
    return 0


def contact(ctx: Context) -> int:
    write_id = _write_id(ctx)  # checked before anything is looked up
    desk = ctx.desk()
    person = desk.find_person(ctx.args.person)
    text = " ".join(ctx.args.text)
    desk.log_contact(person.id, ctx.args.channel, text, write_id=write_id)
    say(f"contact ({ctx.args.channel.strip()}) logged for {person.name}")
    return 0


def done(ctx: Context) -> int:
    from deskterm.due import describe_due, parse_due_only
    from deskterm.errors import InvalidInput

    write_id = _write_id(ctx)  # checked before anything is looked up
    settings, desk = ctx.settings(), ctx.desk()
    days, reason = ctx.args.check_back, ctx.args.no_check_back
    check_back = None
    if days is not None:
        if not 1 <= days <= 99:
            raise InvalidInput(f"--check-back: {days} is not a number of days from 1 to 99")
        check_back = parse_due_only(
            f"{days}d",
            now=desk.clock(),
            tz=settings.agent.tz,
            default_hour=settings.follow_up.default_hour,
        )
    if reason is not None and not reason.strip():
        raise InvalidInput("--no-check-back: say why there is no check-back")
    person = desk.find_person(ctx.args.person)
    finished = desk.complete_follow_up(
        person.id,
        " ".join(ctx.args.outcome),
        write_id=write_id,
        check_back=check_back,
        no_check_back=reason or "",
    )
    what = f" “{finished.note}”" if finished.note else ""
    outcome = f": {finished.outcome}" if finished.outcome else ""
    say(f"follow-up{what} for {person.name} done{outcome}")
    if check_back is not None:
        say(f"check back {describe_due(check_back, now=desk.clock(), tz=settings.agent.tz)}")
    return 0
