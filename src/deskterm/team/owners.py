"""Whose person it is: owners, handoffs and the agents known to a database.

Plain rules and queries on an open session; the desk service (``services.desk``) wraps
each in its write transaction with the timeline entry and the change-feed row.
"""

from __future__ import annotations

from sqlalchemy import func, select, union
from sqlmodel import Session

from deskterm.errors import InvalidInput
from deskterm.models import Entry, FollowUp, Person
from deskterm.textsafe import one_line

MAX_AGENT = 100
AGENTS_SEEN = 200  # the most names offered for completion
RECENT_ENTRIES = 50_000  # agents of this many newest entries (an index range, not a scan)


def clean_agent(value: object, field: str = "agent") -> str:
    """An agent name as stored: one line, trimmed, not empty."""
    if not isinstance(value, str):
        raise InvalidInput(f"{field}: expected an agent name")
    name = " ".join(value.split())
    if not name:
        raise InvalidInput(f"{field}: an agent name is needed")
    if len(name) > MAX_AGENT or one_line(name) != name:
        raise InvalidInput(f"{field}: {one_line(name, 40)!r} is not a usable agent name")
    return name


def handoff_text(old: str | None, new: str | None, note: str = "") -> str:
    """The timeline line of a handoff: "ana → bo: call her before Friday"."""
    text = f"{old or 'nobody'} → {new or 'nobody'}"
    return f"{text}: {note}" if note else text


def agents_seen(session: Session, *, also: tuple[str, ...] = ()) -> list[str]:
    """Agent names this database has seen, sorted: who added people, owns them, is
    assigned follow-ups or wrote the newest entries (a bounded read at any size)."""
    top = session.execute(select(func.max(Entry.id))).scalar() or 0
    query = union(
        select(Entry.agent.label("name")).where(Entry.id > top - RECENT_ENTRIES).distinct(),
        select(Person.created_by.label("name")).distinct(),
        select(Person.owner.label("name")).where(Person.owner.is_not(None)).distinct(),
        select(FollowUp.assignee.label("name")).where(FollowUp.assignee.is_not(None)).distinct(),
    )
    names = {str(n) for n in session.execute(query).scalars() if n} | {a for a in also if a}
    return sorted(names, key=str.casefold)[:AGENTS_SEEN]
