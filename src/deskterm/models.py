"""The stored data, people first.

A person has a profile and an append-only timeline (``Entry``); follow-ups and moods
are their own rows because they have state (done or not) and levels. ``Person`` also
carries a compact attention summary (``s_*`` columns, epoch seconds) that every write
refreshes, so the queue can be ordered without reading anybody's timeline. ``Change``
is a feed of which people changed, polled by every open desk to stay in sync.
``Presence`` says which open desk is on whom; it is state, never history.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, LargeBinary, Text, text
from sqlmodel import Field, SQLModel

from deskterm.storage.types import UTCDateTime

PACES = ("unhurried", "normal", "brisk")
ENTRY_KINDS = (
    "contact",
    "note",
    "mood",
    "follow_up",
    "done",
    "edit",
    "merge",
    "created",
    "handoff",
    "message",
    "not_sent",
)
DIRECTIONS = ("in", "out")
MESSAGE_STATUSES = ("received", "draft", "queued", "sending", "sent", "failed")


def _where(column: str) -> dict[str, object]:
    """A partial index's condition: only the rows where ``column`` holds a value."""
    where = text(f"{column} IS NOT NULL")
    return {"sqlite_where": where, "postgresql_where": where}


def _time(index: bool = False, nullable: bool = False) -> Column:
    return Column(UTCDateTime(), nullable=nullable, index=index)


def _epoch() -> Column:
    return Column(BigInteger, nullable=True)


class Person(SQLModel, table=True):
    """Someone we serve: a customer or a colleague from another department."""

    __tablename__ = "person"
    __table_args__ = (
        Index("ix_person_name", "name"),
        Index("ix_person_owner", "owner", **_where("owner")),  # only people with an owner
        {"sqlite_autoincrement": True},  # ids of erased people are never reused
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(Text, nullable=False))
    email: str | None = Field(default=None, sa_column=Column(Text, unique=True, nullable=True))
    phone: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    company: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    internal: bool = False
    pace: str = Field(default="normal", sa_column=Column(Text, nullable=False, default="normal"))
    channel: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    language: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    timezone: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    matters: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    tags: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    version: int = 1
    created_at: datetime = Field(sa_column=_time())
    created_by: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(sa_column=_time())
    updated_by: str = Field(sa_column=Column(Text, nullable=False))
    owner: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # Attention summary, derived from the rows below; epoch seconds (UTC).
    s_mood_level: int | None = None
    s_mood_at: int | None = Field(default=None, sa_column=_epoch())
    s_next_due: int | None = Field(default=None, sa_column=_epoch())
    s_open_follow_ups: int = 0
    s_last_contact: int | None = Field(default=None, sa_column=_epoch())
    s_last_done: int | None = Field(default=None, sa_column=_epoch())
    s_problem_at: int | None = Field(default=None, sa_column=_epoch())
    s_last_activity: int | None = Field(default=None, sa_column=_epoch())
    s_notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    s_unconfirmed: int | None = Field(default=None, sa_column=_epoch())  # done, no check-back
    # Mail: since when the person's latest incoming message waits for an answer (None:
    # nobody is waiting), and the subjects of their latest messages (for search).
    s_waiting_since: int | None = Field(default=None, sa_column=_epoch())
    s_subjects: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class Entry(SQLModel, table=True):
    """One line of a person's timeline. Never updated, never deleted (except erase)."""

    __tablename__ = "entry"
    __table_args__ = (
        Index("ix_entry_person_at", "person_id", "at"),
        Index("ux_entry_write_id", "write_id", unique=True, **_where("write_id")),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    at: datetime = Field(sa_column=_time())
    agent: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(sa_column=Column(Text, nullable=False))
    channel: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    data: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    follow_up_id: int | None = Field(default=None, foreign_key="follow_up.id")
    # The id of the write that appended this entry (chosen when the agent pressed enter);
    # unique, so a retried write is refused instead of stored twice. None for imports.
    write_id: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class FollowUp(SQLModel, table=True):
    """A promise to come back to someone, visible until done with an outcome."""

    __tablename__ = "follow_up"
    __table_args__ = (
        Index("ix_follow_up_person_open", "person_id", "done_at"),
        # The team report reads by time, from the index alone: due per day, open ones
        # per assignee, dones by time (at risk).
        Index("ix_follow_up_due_at", "due_at", "done_at"),
        Index("ix_follow_up_done_at", "done_at", "assignee", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    due_at: datetime = Field(sa_column=_time())
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    agent: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=_time())
    done_at: datetime | None = Field(default=None, sa_column=_time(nullable=True))
    done_by: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    outcome: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    assignee: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # The follow-up whose "done" this one checks; 0: a done that needs no check-back
    # (history from before check-backs existed, or marked confirmed when imported).
    check_back_of: int | None = None


class Mood(SQLModel, table=True):
    """How a person felt, on a scale 1 (very upset) to 5 (delighted), and why."""

    __tablename__ = "mood"
    __table_args__ = (
        Index("ix_mood_person_at", "person_id", "at"),
        Index("ix_mood_at", "at", "level"),  # the team view's weeks, from the index alone
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    level: int
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    agent: str = Field(sa_column=Column(Text, nullable=False))
    at: datetime = Field(sa_column=_time())


class Change(SQLModel, table=True):
    """Which person changed (or was erased); open desks poll this to stay current."""

    __tablename__ = "change"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    op: str = Field(sa_column=Column(Text, nullable=False))
    at: datetime = Field(sa_column=_time())


class Presence(SQLModel, table=True):
    """One open desk: its agent, the person on screen, and whether a writing window is open.

    Refreshed by heartbeats; a row whose heartbeat is older than the expiry is ignored
    (the desk died) and cleaned. Writing it adds no change row and no timeline entry.
    """

    __tablename__ = "presence"

    desk_id: str = Field(sa_column=Column(Text, primary_key=True))
    agent: str = Field(sa_column=Column(Text, nullable=False))
    person_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    writing: bool = False
    host: str = Field(sa_column=Column(Text, nullable=False))
    pid: int
    since_at: datetime = Field(sa_column=_time())  # on this person / writing since
    heartbeat_at: datetime = Field(sa_column=_time())
    started_at: datetime = Field(sa_column=_time())  # the desk opened


class Message(SQLModel, table=True):
    """One mail message, in (received) or out (the outbox and what it sent).

    ``person_id`` is None for incoming mail with no usable sender ("unsorted").
    ``message_id`` is the Message-ID header (angle brackets included), fixed when an
    answer is written; mail that came without one gets ``<sha256-HEX@deskterm.invalid>``
    from its bytes, so the same bytes are never stored twice. ``at`` is when it was
    received (in) or written (out). The raw bytes live in ``message_raw``, never
    loaded by lists.
    """

    __tablename__ = "message"
    __table_args__ = (
        Index("ix_message_person_at", "person_id", "at"),
        Index("ix_message_status", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("person.id"), nullable=True)
    )
    direction: str = Field(sa_column=Column(Text, nullable=False))
    message_id: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    in_reply_to: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    refs: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    subject: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    date_header: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    date_at: datetime | None = Field(default=None, sa_column=_time(nullable=True))
    at: datetime = Field(sa_column=_time())
    from_addr: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    from_email: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    to_addrs: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    cc_addrs: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    fresh: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    html_as_text: bool = False
    attachments: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    size: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    status: str = Field(sa_column=Column(Text, nullable=False))
    failure: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    attempts: int = 0
    claimed_at: datetime | None = Field(default=None, sa_column=_time(nullable=True))
    sent_at: datetime | None = Field(default=None, sa_column=_time(nullable=True))
    agent: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    automatic: bool = False
    write_id: str | None = Field(default=None, sa_column=Column(Text, nullable=True, unique=True))


class MessageRaw(SQLModel, table=True):
    """The bytes of a message exactly as received or sent, apart so lists never read them."""

    __tablename__ = "message_raw"

    message: int = Field(
        sa_column=Column(Integer, ForeignKey("message.id"), primary_key=True, autoincrement=False)
    )
    raw: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
