"""Export people with their whole history as JSON Lines, streaming.

People are read in id order, a chunk at a time; each chunk's entries, follow-ups and
moods come from one query per table over that id range and are merged in Python, so
100,000 people take a handful of queries per thousand, never one per person. Text is
written exactly as stored (``ensure_ascii=False``); times are ISO 8601 in UTC with an
offset. ``import`` reads this format back.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Engine, select

from deskterm.models import Entry, FollowUp, Message, Mood, Person
from deskterm.services.validate import decode_tags

CHUNK = 1000
P, E, F, M, MSG = (model.__table__ for model in (Person, Entry, FollowUp, Mood, Message))  # type: ignore[attr-defined]


def iso(value: datetime | None) -> str | None:
    """``2026-11-23T10:00:00+00:00`` (None stays None)."""
    return None if value is None else value.astimezone(UTC).isoformat()


def export_lines(
    engine: Engine,
    *,
    mood_label: Callable[[int], str],
    person_id: int | None = None,
    chunk: int = CHUNK,
) -> Iterator[str]:
    """One JSON line (with its newline) per person, in id order."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":  # one consistent snapshot for the whole export
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        last = 0
        while True:
            query = select(P).order_by(P.c.id).limit(chunk)
            if person_id is not None:
                query = query.where(P.c.id == person_id)
            else:
                query = query.where(P.c.id > last)
            people = conn.execute(query).all()
            if not people:
                return
            low, high = people[0].id, people[-1].id
            entries = _grouped(conn, E, low, high, (E.c.at, E.c.id))
            follow_ups = _grouped(conn, F, low, high, (F.c.due_at, F.c.id))
            moods = _grouped(conn, M, low, high, (M.c.at, M.c.id))
            messages = _grouped(conn, MSG, low, high, (MSG.c.at, MSG.c.id))
            for p in people:
                obj = person_object(
                    p, entries.get(p.id, []), follow_ups.get(p.id, []), moods.get(p.id, [])
                )
                obj["messages"] = [message_object(m) for m in messages.get(p.id, [])]
                if obj["mood"] is not None:
                    obj["mood"]["label"] = mood_label(obj["mood"]["level"])
                yield json.dumps(obj, ensure_ascii=False) + "\n"
            if person_id is not None or len(people) < chunk:
                return
            last = high


def _grouped(conn: Any, table: Any, low: int, high: int, order: tuple) -> dict[int, list]:
    rows = conn.execute(
        select(table)
        .where(table.c.person_id >= low, table.c.person_id <= high)
        .order_by(table.c.person_id, *order)
    )
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[row.person_id].append(row)
    return grouped


def person_object(p: Any, entries: list, follow_ups: list, moods: list) -> dict[str, Any]:
    """The export object of one person from their rows."""
    latest = max(moods, key=lambda m: (m.at, m.id)) if moods else None
    return {
        "id": p.id,
        "name": p.name,
        "email": p.email,
        "company": p.company,
        "phone": p.phone,
        "tags": list(decode_tags(p.tags)),
        "internal": bool(p.internal),
        "pace": p.pace,
        "channel": p.channel,
        "language": p.language,
        "timezone": p.timezone,
        "matters": p.matters,
        "created_at": iso(p.created_at),
        "created_by": p.created_by,
        "owner": p.owner,
        "mood": None if latest is None else _mood(latest, label=True),
        "moods": [_mood(m) for m in moods],
        "follow_ups": [
            {
                "due": iso(f.due_at),
                "note": f.note,
                "done_at": iso(f.done_at),
                "outcome": f.outcome,
                "agent": f.agent,
                "created_at": iso(f.created_at),
                "done_by": f.done_by,
                "assignee": f.assignee or f.agent,
            }
            for f in follow_ups
        ],
        "entries": [_entry(e) for e in entries],
    }


def message_object(m: Any) -> dict[str, Any]:
    """The export object of one message (its raw bytes stay behind)."""
    try:
        attachments = json.loads(m.attachments or "[]")
    except ValueError:
        attachments = []
    return {
        "message_id": m.message_id,
        "direction": m.direction,
        "at": iso(m.at),
        "from": m.from_addr,
        "to": m.to_addrs,
        "subject": m.subject,
        "text": m.text,
        "attachments": attachments,
        "status": "queued" if m.status == "sending" else m.status,
    }


def _mood(m: Any, *, label: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"level": m.level}
    if label:
        out["label"] = ""
    out.update(note=m.note, at=iso(m.at), agent=m.agent)
    return out


def _entry(e: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"at": iso(e.at), "kind": e.kind, "text": e.text, "agent": e.agent}
    out["channel"] = e.channel
    if e.data:
        try:
            data = json.loads(e.data)
        except ValueError:
            data = {"raw": e.data}
        if isinstance(data, dict) and "message" in data:  # a row id, meaningless elsewhere
            data = {k: v for k, v in data.items() if k != "message"}
        if data:
            out["data"] = data
    return out


def write_lines(lines: Iterator[str], out: Path | None, stdout: BinaryIO) -> int:
    """Write ``lines`` as UTF-8 to ``out`` atomically (or to ``stdout``); the count written."""
    if out is None:
        count = 0
        for count, line in enumerate(lines, start=1):  # noqa: B007
            stdout.write(line.encode("utf-8"))
        stdout.flush()
        return count
    folder = out.parent if str(out.parent) else Path(".")
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{out.name}.", suffix=".tmp")
    try:
        count = 0
        with os.fdopen(fd, "wb") as handle:
            for count, line in enumerate(lines, start=1):  # noqa: B007
                handle.write(line.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return count
