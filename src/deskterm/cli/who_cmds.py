"""``deskterm who``: the open desks, and who is on whom."""

from __future__ import annotations

import argparse
import json

from deskterm.cli.context import Context
from deskterm.cli.parser import command
from deskterm.cli.safe import say


def register(sub: argparse._SubParsersAction) -> None:
    p = command(
        sub,
        "who",
        who,
        summary="list the open desks and the person each agent is on",
        description="List every open desk on this database: the agent, the person on "
        "their screen, whether they are writing to them (a note, mood, follow-up, contact, "
        "edit or reply window is open) and since when, and the machine. A desk not heard "
        "from for [team] expiry_seconds is not listed.",
        examples=["deskterm who", "deskterm who --json"],
    )
    p.add_argument("--json", action="store_true", help="one JSON object per desk")


def who(ctx: Context) -> int:
    from deskterm.clock import utcnow
    from deskterm.due import humanize_span
    from deskterm.services.team import Team

    settings = ctx.settings()
    desks = Team.for_settings(ctx.engine(), settings).who()
    if ctx.args.json:
        for d in desks:
            record = {
                "agent": d.agent,
                "person_id": d.person_id,
                "person": d.person_name,
                "writing": d.writing,
                "since": d.since.isoformat(),
                "started": d.started.isoformat(),
                "host": d.host,
                "pid": d.pid,
            }
            print(json.dumps(record, ensure_ascii=False))
        return 0
    if not desks:
        say("no desk is open")
        return 0
    tz, now = settings.agent.tz, utcnow()
    rows = [("AGENT", "ON", "DOING", "SINCE", "HOST")]
    for d in desks:
        on = d.person_name or ("(someone erased)" if d.person_id is not None else "-")
        doing = "writing" if d.writing else ("reading" if d.person_id is not None else "-")
        span = humanize_span((now - d.since).total_seconds())
        since = f"{d.since.astimezone(tz):%H:%M} ({span})"
        rows.append((d.agent, on, doing, since, f"{d.host} (pid {d.pid})"))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        say("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) + "  " + r[4])
    return 0
