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

    p = command(
        sub,
        "report",
        report,
        summary="print the team view's numbers",
        description="Print what the team view (t) shows: mood per week over 12 weeks, "
        "follow-ups due per day (14 days back, 14 ahead; how many still open), each agent's "
        "people, open and overdue follow-ups and people waiting, people at risk at the end "
        "of each week, and everyone at risk now with the reason. --json prints one object "
        "with stable keys: now, people, mood_weeks, follow_up_days, agents, risk_weeks, "
        "at_risk, at_risk_total.",
        examples=["deskterm report", "deskterm report --json | jq .at_risk_total"],
    )
    p.add_argument("--json", action="store_true", help="one JSON object")


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


def report(ctx: Context) -> int:
    import json

    from deskterm.directory import Directory
    from deskterm.services.report import team_report

    settings, desk = ctx.settings(), ctx.desk()
    rules = Directory.for_settings(desk, settings).settings
    found = team_report(desk, now_fn=desk.clock, tz=settings.agent.tz, settings=rules)
    if ctx.args.json:
        say(json.dumps(found.to_json(), ensure_ascii=False))
        return 0
    for line in report_lines(found):
        say(line)
    return 0


def report_lines(found) -> list[str]:  # type: ignore[no-untyped-def]
    """The report as plain lines for a terminal or a mail."""
    lines = [f"team report · {found.now:%Y-%m-%d %H:%M} UTC · {found.people:,} people", ""]
    lines.append("mood per week (week of · moods · average · bad)")
    for w in found.mood_weeks:
        average = f"{w.average:.2f}" if w.average is not None else "—"
        lines.append(f"  {w.start}  {w.moods:>6,}  {average:>5}  {w.bad:>5,}")
    lines += ["", "follow-ups due per day (day · due · still open)"]
    for d in found.follow_up_days:
        lines.append(f"  {d.day}  {d.due:>6,}  {d.open:>6,}")
    lines += ["", "per agent (agent · people · open follow-ups · overdue · waiting)"]
    for a in found.agents:
        name = a.agent if a.agent is not None else "(nobody)"
        lines.append(
            f"  {name:<16} {a.people:>7,} {a.open_follow_ups:>7,} {a.overdue:>7,} {a.waiting:>7,}"
        )
    lines += ["", "people at risk at the end of each week"]
    lines += [f"  {w.start}  {w.people:>6,}" for w in found.risk_weeks]
    lines += ["", f"at risk now: {found.at_risk_total:,}"]
    for p in found.at_risk:
        owner = f" [{p.owner}]" if p.owner else ""
        lines.append(f"  {p.name} (id {p.id}){owner} — {p.reason}")
    if found.at_risk_total > len(found.at_risk):
        lines.append(f"  … and {found.at_risk_total - len(found.at_risk):,} more")
    return lines
