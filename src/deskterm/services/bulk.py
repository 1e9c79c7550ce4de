"""Insert many people with their history in one transaction (import, demo, benchmarks).

Rows go in with batched ``executemany`` on SQLite and ``COPY`` on PostgreSQL; each
person's attention summary is computed here in Python (the same rules as
``summary.refresh_summary``) instead of being re-read from the database, so 100,000
people take seconds, not minutes. Times are converted once per distinct value (an
import stamps everyone with the same "now").
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from itertools import islice
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from deskterm.clock import to_epoch
from deskterm.errors import InvalidInput
from deskterm.services import validate as v
from deskterm.services.bulk_mail import COLUMNS as MESSAGE_COLUMNS
from deskterm.services.bulk_mail import NewMessage, mail_summary, message_rows
from deskterm.services.reads import SEARCH_COLUMNS, SUMMARY_COLUMNS
from deskterm.services.summary import ACTIVITY_KINDS, BAD_MOOD, NOTES_CHARS, NOTES_KINDS
from deskterm.storage.engine import writer
from deskterm.storage.faults import storage_error


@dataclass(slots=True)
class NewEntry:
    at: datetime
    kind: str
    text: str = ""
    channel: str = ""
    agent: str | None = None
    data: dict[str, Any] | None = None


@dataclass(slots=True)
class NewFollowUp:
    due_at: datetime
    note: str = ""
    agent: str | None = None
    created_at: datetime | None = None
    done_at: datetime | None = None
    done_by: str | None = None
    outcome: str | None = None
    assignee: str | None = None
    confirmed: bool = False  # done and needing no check-back (stored as check_back_of 0)


@dataclass(slots=True)
class NewMood:
    level: int
    at: datetime
    note: str = ""
    agent: str | None = None


@dataclass(slots=True)
class NewPerson:
    """A person to insert; ``profile`` holds the same fields ``Desk.add_person`` takes."""

    profile: dict[str, Any]
    entries: list[NewEntry] = field(default_factory=list)
    follow_ups: list[NewFollowUp] = field(default_factory=list)
    moods: list[NewMood] = field(default_factory=list)
    created_at: datetime | None = None
    created_by: str | None = None
    owner: str | None = None
    messages: list[NewMessage] = field(default_factory=list)


class PlainPerson(NamedTuple):
    """A person with profile fields and perhaps a note, created by the inserting agent
    at its "now" (a CSV row): stored straight from these values, no entries built.

    ``profile`` is ``plain_profile`` of the clean fields; ``created`` is the text of
    the "created" entry ("imported from FILE"); ``note``, if any, becomes a note.
    """

    profile: tuple[Any, ...]
    note: str = ""
    created: str = ""


def plain_profile(fields: dict[str, Any]) -> tuple[Any, ...]:
    """Clean profile fields (``clean_profile``'s) as ``PlainPerson.profile``: every
    field in the person table's order, defaults filled in, tags JSON-encoded."""
    merged = {**_DEFAULTS, **fields}
    tags = merged["tags"]
    if not isinstance(tags, str):
        merged["tags"] = _tags_json(tags)
    return _profile_values(merged)


@dataclass(slots=True)
class BulkResult:
    people: int = 0
    entries: int = 0
    follow_ups: int = 0
    moods: int = 0
    # Change-feed ids: every change this insert wrote is above the first and at most the
    # second, and nobody else's change to these people is (for ``on_person_rows``).
    changes: tuple[int, int] = (0, 0)


def bulk_insert(
    engine: Engine,
    people: Iterable[NewPerson | PlainPerson],
    *,
    agent: str,
    now: datetime,
    derive_entries: bool = True,
    on_progress: Callable[[int], None] | None = None,
    batch: int = 5000,
    profiles_clean: bool = False,
    on_person_rows: Callable[[list[tuple]], None] | None = None,
) -> BulkResult:
    """Insert everyone in one transaction; all or nothing.

    With ``derive_entries`` each mood and follow-up also gets its timeline entries
    ("mood", "follow_up", and "done" when completed), as the desk service would write.
    Pass False when ``entries`` already hold them (re-importing an export).
    ``profiles_clean`` says the profiles already went through ``clean_profile`` (the
    import parsers do that for every row), so they are not checked twice.
    ``on_person_rows`` is handed everyone's person rows (``PERSON_COLUMNS``), exactly
    as they will be stored, before the first row is written (all rows are prepared
    first): the import indexes them for search and the queue file meanwhile.
    """
    result = BulkResult()
    try:
        with writer(engine).connect() as conn, _own_rows(conn), conn.begin():
            make = partial(
                _chunk_rows,
                conn.dialect.name,
                agent=agent,
                now=now,
                derive=derive_entries,
                clean=profiles_clean,
            )
            prepared: Iterable[_Rows]
            if on_person_rows is None:  # chunk by chunk: ids after the rows stored so far
                chunks = _chunks(iter(people), batch)
                prepared = (make(chunk, _allocate_ids(conn, len(chunk))) for chunk in chunks)
            else:  # every id first, then every row, then the inserts
                people = list(people)
                ids = _allocate_ids(conn, len(people))
                prepared = [
                    make(people[at : at + batch], ids[at : at + batch])
                    for at in range(0, len(people), batch)
                ]
                on_person_rows([p for rows in prepared for p in rows.people])
            floor = _newest_change(conn)
            for rows in prepared:
                _insert_rows(conn, rows, result)
                if on_progress:
                    on_progress(result.people)
            result.changes = (floor, _newest_change(conn))
    except IntegrityError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "constraint failed"
        raise InvalidInput(f"nothing imported: {reason}") from None
    except DBAPIError as exc:
        raise storage_error(exc, "nothing imported") from None
    return result


@contextmanager
def _own_rows(conn: Any) -> Iterator[None]:
    """SQLite, before the transaction: room in the cache for the pages it touches (the
    default 2 MB made SQLite spill and re-read index pages), and no foreign-key lookup
    per row. Every row refers to a person by an id allocated, and that person's row
    inserted, earlier in the same transaction, which holds the write lock: the check
    could only confirm it, and it was a fifth of the time SQLite spent inserting. The
    check is switched on again afterwards (tests run ``foreign_key_check`` on what was
    stored); the cache size goes with the connection (a fresh one for each use)."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.dbapi_connection  # no statement yet: no transaction begun
    raw.execute(f"PRAGMA cache_size = -{_SQLITE_CACHE_KB}")
    raw.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction
    try:
        yield
    finally:
        # A failure here must not hide the insert's own (a raw sqlite3 error would
        # escape as a traceback); the connection is not reused either way (NullPool).
        with suppress(sqlite3.Error):
            raw.execute("PRAGMA foreign_keys = ON")


def person_rows(
    people: list[NewPerson | PlainPerson],
    ids: list[int],
    *,
    agent: str,
    now: datetime,
    backend: str,
) -> list[tuple]:
    """The person rows (``PERSON_COLUMNS``) that ``bulk_insert`` with the same
    ``agent`` and ``now`` stores for ``people`` (their profiles clean, entries not
    derived) with these ``ids`` (those of its ``on_person_rows``): for a process that
    has the people and is told only their ids. ``backend``: the database's dialect."""
    rows = _chunk_rows(backend, people, ids, agent=agent, now=now, derive=False, clean=True)
    return rows.people


def _tags_json(tags: list[str]) -> str:
    """``encode_tags``, without the JSON encoder for plain tags (most of them)."""
    if not tags:
        return "[]"
    if _NEEDS_ESCAPE.search("".join(tags)) is None:  # not the joined text: it has quotes
        return '["' + '", "'.join(tags) + '"]'
    return v.encode_tags(tags)


_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\]')


def _chunks(
    items: Iterator[NewPerson | PlainPerson], size: int
) -> Iterator[list[NewPerson | PlainPerson]]:
    while chunk := list(islice(items, size)):
        yield chunk


@dataclass(slots=True)
class _Rows:
    """Driver-ready rows of one chunk of people, table by table."""

    people: list[tuple] = field(default_factory=list)
    entries: list[tuple] = field(default_factory=list)
    follow_ups: list[tuple] = field(default_factory=list)
    moods: list[tuple] = field(default_factory=list)
    changes: list[tuple] = field(default_factory=list)
    messages: list[tuple] = field(default_factory=list)


def _chunk_rows(
    backend: str,
    chunk: list[NewPerson | PlainPerson],
    ids: list[int],
    agent: str,
    now: datetime,
    derive: bool,
    clean: bool,
) -> _Rows:
    to_db = _time_adapter(backend)
    out = _Rows()
    people, entries, follow_ups, moods = out.people, out.entries, out.follow_ups, out.moods
    messages: list[tuple[int, list[NewMessage]]] = []
    entry_tails: dict[int, tuple] = {}  # id(entry) -> its row after the person id
    stamp = to_db(now)
    change = ("upsert", stamp)
    pairs = list(zip(ids, chunk, strict=True))
    plain = [(pid, person) for pid, person in pairs if type(person) is PlainPerson]
    if plain:
        _plain_rows(plain, out, stamp, agent, now)
        if len(plain) == len(pairs):
            return out
    for pid, person in pairs:
        if type(person) is PlainPerson:
            continue
        if derive:
            person.entries = person.entries + _derived_entries(person, agent)
        fields = {**_DEFAULTS, **(person.profile if clean else v.clean_profile(person.profile))}
        tags = fields["tags"]
        fields["tags"] = tags if isinstance(tags, str) else _tags_json(tags)
        created = to_db(person.created_at or now)
        by = person.created_by or agent
        people.append(
            (
                pid,
                *_profile_values(fields),
                1,
                created,
                by,
                created,
                by,
                *_summary_values(summary_of(person)),
                person.owner,
            )
        )
        for e in person.entries:
            tail = entry_tails.get(id(e))
            if tail is None:
                tail = entry_tails[id(e)] = (
                    to_db(e.at),
                    e.agent or agent,
                    e.kind,
                    v.storable(e.channel),
                    v.storable(e.text),
                    json.dumps(e.data, ensure_ascii=False) if e.data else "",
                )
            entries.append((pid, *tail))
        if person.follow_ups:
            follow_ups += [
                (
                    pid,
                    to_db(f.due_at),
                    v.storable(f.note),
                    f.agent or agent,
                    to_db(f.created_at or now),
                    to_db(f.done_at),
                    f.done_by,
                    None if f.outcome is None else v.storable(f.outcome),
                    f.assignee or f.agent or agent,
                    0 if f.confirmed and f.done_at is not None else None,
                )
                for f in person.follow_ups
            ]
        if person.moods:
            moods += [
                (pid, v.clean_level(m.level), v.storable(m.note), m.agent or agent, to_db(m.at))
                for m in person.moods
            ]
        out.changes.append((pid, *change))
        if person.messages:
            messages.append((pid, person.messages))
    out.messages = message_rows(messages, agent, to_db)
    return out


def _plain_rows(
    plain: list[tuple[int, PlainPerson]], out: _Rows, stamp: str, agent: str, now: datetime
) -> None:
    """The rows of ``PlainPerson``s (with their ids): everything but the id, the
    profile and the note is the same for all of them (what ``summary_of`` makes of a
    "created" entry and a note, both at ``now``)."""
    # version, created and updated (at, by); s_mood_level .. s_last_activity
    head = (1, stamp, agent, stamp, agent, None, None, None, 0, None, None, None)
    head += (int(now.timestamp()),)
    tail = (None, None, "", None)  # s_unconfirmed, s_waiting_since, s_subjects, owner
    note_head = (stamp, agent, "note", "")
    change = ("upsert", stamp)
    made: dict[str, tuple] = {}  # "created" entry text -> the entry's row
    add_person, add_entry, add_change = out.people.append, out.entries.append, out.changes.append
    for pid, (profile, note, created) in plain:
        if "\x00" in note:
            note = v.storable(note)
        add_person((pid, *profile, *head, note[:NOTES_CHARS], *tail))
        entry = made.get(created)
        if entry is None:
            entry = made[created] = (stamp, agent, "created", "", v.storable(created), "")
        add_entry((pid, *entry))
        if note:
            add_entry((pid, *note_head, note, ""))
        add_change((pid, *change))


def _insert_rows(conn: Any, rows: _Rows, result: BulkResult) -> None:
    _raw_insert(conn, "person", PERSON_COLUMNS, rows.people)
    _raw_insert(
        conn, "entry", ("person_id", "at", "agent", "kind", "channel", "text", "data"), rows.entries
    )
    _raw_insert(
        conn,
        "follow_up",
        (
            "person_id",
            "due_at",
            "note",
            "agent",
            "created_at",
            "done_at",
            "done_by",
            "outcome",
            "assignee",
            "check_back_of",
        ),
        rows.follow_ups,
    )
    _raw_insert(conn, "mood", ("person_id", "level", "note", "agent", "at"), rows.moods)
    _raw_insert(conn, "change", ("person_id", "op", "at"), rows.changes)
    _raw_insert(conn, "message", MESSAGE_COLUMNS, rows.messages)
    result.people += len(rows.people)
    result.entries += len(rows.entries)
    result.follow_ups += len(rows.follow_ups)
    result.moods += len(rows.moods)


def _newest_change(conn: Any) -> int:
    """The highest change id this transaction sees."""
    return conn.exec_driver_sql('SELECT coalesce(max(id), 0) FROM "change"').scalar() or 0


def _allocate_ids(conn: Any, count: int) -> list[int]:
    """Person ids for a chunk: from the sequence on PostgreSQL, after max(id) on SQLite
    (safe there: the transaction holds the write lock; ids of erased people stay
    retired, as AUTOINCREMENT promises)."""
    if conn.dialect.name == "postgresql":
        found = conn.exec_driver_sql(
            "SELECT nextval(pg_get_serial_sequence('person', 'id')) "
            f"FROM generate_series(1, {int(count)})"
        )
        return [row[0] for row in found.fetchall()]
    top = (
        conn.exec_driver_sql(
            "SELECT max(coalesce((SELECT max(id) FROM person), 0),"
            " coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'person'), 0))"
        ).scalar()
        or 0
    )
    return list(range(top + 1, top + 1 + count))


def _time_adapter(backend: str) -> Callable[[datetime | None], Any]:
    """Times as the driver wants them, UTC text (each distinct time formatted once):
    for ``timestamptz`` with its offset on PostgreSQL (COPY parses text; psycopg's own
    conversion of each datetime was most of the time spent writing rows)."""
    form = _PG_FORMAT if backend == "postgresql" else _SQLITE_FORMAT
    seen: dict[datetime, str] = {}

    def text(t: datetime | None) -> str | None:
        if t is None:
            return None
        got = seen.get(t)
        if got is None:
            if len(seen) > 10_000:
                seen.clear()
            got = seen[t] = t.astimezone(UTC).strftime(form)
        return got

    return text


def _raw_insert(conn: Any, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """executemany straight on the driver (SQLAlchemy's per-value processing is the
    bottleneck at this volume, and these values are already in driver form); COPY on
    PostgreSQL, several times faster than even batched INSERTs."""
    if not rows:
        return
    cols = ", ".join(f'"{c}"' for c in columns)
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.dbapi_connection.cursor()
        try:
            with cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        finally:
            cursor.close()
        return
    shared = _shared_values(rows)
    marks = ", ".join(shared.get(i, "?") for i in range(len(columns)))
    bound = [i for i in range(len(columns)) if i not in shared]
    if not bound:  # every row alike (a single row, say)
        rows = [()] * len(rows)
    elif len(bound) == 1:
        rows = [(row[bound[0]],) for row in rows]
    elif shared:  # bound once in the statement, not once a row
        rows = list(map(itemgetter(*bound), rows))
    conn.exec_driver_sql(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', rows)


def _shared_values(rows: list[tuple]) -> dict[int, str]:
    """SQL literals for the columns that hold one value in every row (an import stamps
    most columns alike: the same times, agent, defaults); binding them per row was a
    third of the cost of inserting a person on SQLite. Text, integers and None only."""
    shared: dict[int, str] = {}
    for i, column in enumerate(zip(*rows, strict=True)):
        first = column[0]
        kind = type(first)
        if column.count(first) != len(column):
            continue
        if first is None:  # nothing else equals None, nor a text anything but text
            shared[i] = "NULL"
        elif kind is str:
            if "\x00" not in first:
                shared[i] = "'" + first.replace("'", "''") + "'"
        elif (kind is int or kind is bool) and len(set(map(type, column))) == 1:  # 1 == True
            shared[i] = str(int(first))
    return shared


_SQLITE_CACHE_KB = 256 * 1024
_SQLITE_FORMAT = "%Y-%m-%d %H:%M:%S.%f"
_PG_FORMAT = "%Y-%m-%d %H:%M:%S.%f+00"
_SUMMARY = (
    "s_mood_level",
    "s_mood_at",
    "s_next_due",
    "s_open_follow_ups",
    "s_last_contact",
    "s_last_done",
    "s_problem_at",
    "s_last_activity",
    "s_notes",
    "s_unconfirmed",
    "s_waiting_since",
    "s_subjects",
)


_DEFAULTS: dict[str, Any] = {
    "name": "",
    "email": None,
    "phone": "",
    "company": "",
    "internal": False,
    "pace": "normal",
    "channel": "",
    "language": "",
    "timezone": "",
    "matters": "",
    "tags": "[]",
}
_profile_values = itemgetter(*_DEFAULTS)
_summary_values = itemgetter(*_SUMMARY)
PERSON_COLUMNS = (
    "id",
    *_DEFAULTS,
    "version",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    *_SUMMARY,
    "owner",
)
# A person row's ``Reads.search_rows`` and ``Reads.summary_rows`` tuples.
search_row = itemgetter(*(PERSON_COLUMNS.index(c.key) for c in SEARCH_COLUMNS))
summary_row = itemgetter(*(PERSON_COLUMNS.index(c.key) for c in SUMMARY_COLUMNS))


def _derived_entries(person: NewPerson, agent: str) -> list[NewEntry]:
    out = [
        NewEntry(m.at, "mood", m.note, agent=m.agent or agent, data={"level": m.level})
        for m in person.moods
    ]
    for f in person.follow_ups:
        created = f.created_at or f.due_at
        out.append(
            NewEntry(
                created,
                "follow_up",
                f.note,
                agent=f.agent or agent,
                data={"due": f.due_at.isoformat()},
            )
        )
        if f.done_at is not None:
            out.append(
                NewEntry(
                    f.done_at,
                    "done",
                    f.outcome or "",
                    agent=f.done_by or agent,
                    data={"note": f.note},
                )
            )
    return out


def summary_of(person: NewPerson) -> dict[str, Any]:
    """The ``s_*`` summary columns for a person about to be inserted."""
    if not person.moods and not person.follow_ups and len(person.entries) <= 2:
        out = _summary_of_entries(person.entries)
    else:
        out = _summary_general(person)
    if person.messages:
        out.update(mail_summary(person.messages, out["s_last_contact"]))
    else:
        out["s_waiting_since"], out["s_subjects"] = None, ""  # mail_summary of no mail
    return out


def _summary_general(person: NewPerson) -> dict[str, Any]:
    moods = sorted(person.moods, key=lambda m: m.at)
    latest = moods[-1] if moods else None
    open_due = [f.due_at for f in person.follow_ups if f.done_at is None]
    done = [f.done_at for f in person.follow_ups if f.done_at is not None]
    contacts = [e.at for e in person.entries if e.kind == "contact"]
    activity = [e.at for e in person.entries if e.kind in ACTIVITY_KINDS]
    bad = [m.at for m in person.moods if m.level <= BAD_MOOD]
    problems = [t for t in (max(contacts, default=None), max(bad, default=None)) if t]
    notes = sorted(
        (e for e in person.entries if e.kind in NOTES_KINDS), key=lambda e: e.at, reverse=True
    )[:3]
    closed = [f for f in person.follow_ups if f.done_at is not None]
    last = max(closed, key=lambda f: f.done_at, default=None)  # type: ignore[arg-type,return-value]
    unconfirmed = last.done_at if last is not None and not last.confirmed else None
    return {
        "s_mood_level": latest.level if latest else None,
        "s_mood_at": to_epoch(latest.at) if latest else None,
        "s_next_due": to_epoch(min(open_due, default=None)),
        "s_open_follow_ups": len(open_due),
        "s_last_contact": to_epoch(max(contacts, default=None)),
        "s_last_done": to_epoch(max(done, default=None)),
        "s_problem_at": to_epoch(max(problems)) if problems else None,
        "s_last_activity": to_epoch(max(activity, default=None)),
        "s_notes": v.storable(" ".join(e.text for e in notes))[:NOTES_CHARS],
        "s_unconfirmed": to_epoch(unconfirmed),
    }


def _summary_of_entries(entries: list[NewEntry]) -> dict[str, Any]:
    """``summary_of`` for a person with at most two entries and no mood or follow-up
    (an imported CSV row: "created" and perhaps a note), without the general sorting."""
    contact = activity = None
    notes: list[NewEntry] = []
    for e in entries:
        kind = e.kind
        if kind in ACTIVITY_KINDS:
            activity = e.at if activity is None or e.at > activity else activity
            if kind == "contact":
                contact = e.at if contact is None or e.at > contact else contact
        if kind in NOTES_KINDS:
            notes.append(e)
    if len(notes) == 2 and notes[1].at > notes[0].at:
        notes.reverse()
    text = notes[0].text if len(notes) == 1 else " ".join(e.text for e in notes)
    last_contact = None if contact is None else int(contact.timestamp())
    return {
        "s_mood_level": None,
        "s_mood_at": None,
        "s_next_due": None,
        "s_open_follow_ups": 0,
        "s_last_contact": last_contact,
        "s_last_done": None,
        "s_problem_at": last_contact,
        "s_last_activity": None if activity is None else int(activity.timestamp()),
        "s_notes": v.storable(text)[:NOTES_CHARS],
        "s_unconfirmed": None,
    }
