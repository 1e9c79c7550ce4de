"""Who is on whom: one heartbeat row per open desk, never part of anyone's history.

A desk says which person its agent has on screen and whether a writing window is open
(``beat``), again every ``heartbeat`` seconds and whenever that changes; quitting
removes its row (``leave``). Rows whose heartbeat is older than ``expiry`` belong to
desks that died (kill -9, a dropped SSH session): they are ignored when read and
deleted by the next beat. Nothing here writes a ``change`` row or a timeline entry;
other desks learn of a beat through the live feed (a trigger on PostgreSQL,
``data_version`` on SQLite). Database errors are SQLAlchemy's own: the service layer
(``services.team``) turns them into the desk's one-line errors.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select, update
from sqlmodel import Session

from deskterm.clock import utcnow
from deskterm.models import Person, Presence
from deskterm.storage.engine import writer

HEARTBEAT = 12.0  # seconds between two beats of an open desk
EXPIRY = 45.0  # seconds without a beat after which a desk counts as gone


@dataclass(frozen=True, slots=True)
class DeskSeen:
    """An open desk as others see it."""

    desk_id: str
    agent: str
    person_id: int | None
    person_name: str | None  # None: on nobody, or the person is gone
    writing: bool
    host: str
    pid: int
    since: datetime  # on this person (and writing or not) since
    started: datetime  # the desk opened
    heartbeat: datetime

    def doing(self) -> str:
        """``bo writing…`` / ``bo here``, as shown on a queue row."""
        return f"{self.agent} writing…" if self.writing else f"{self.agent} here"


class PresenceBoard:
    """This desk's presence row, and everyone's, on one database.

    Thread-safe: beats come from workers; once ``leave`` has run, later beats do nothing,
    so a late heartbeat cannot bring a quitting desk back.
    """

    def __init__(
        self,
        engine: Engine,
        agent: str,
        *,
        expiry: float = EXPIRY,
        clock: Callable[[], datetime] = utcnow,
        desk_id: str | None = None,
    ) -> None:
        self.engine = engine
        self.agent = agent
        self.expiry = expiry
        self.clock = clock  # the wall clock: presence is about now, not the desk's clock
        self.desk_id = desk_id or uuid.uuid4().hex
        self.host = socket.gethostname()
        self.pid = os.getpid()
        self._writer = writer(engine)
        self._lock = threading.Lock()
        self._state: tuple[int | None, bool] | None = None
        self._since: datetime | None = None
        self._started: datetime | None = None
        self._left = False

    def beat(self, person_id: int | None, writing: bool = False) -> None:
        """Say (again) that this desk is on ``person_id``, writing or not."""
        with self._lock:
            if self._left:
                return
            now = self.clock()
            if (person_id, writing) != self._state:
                self._since = now
            self._started = self._started or now
            values = {
                "agent": self.agent,
                "person_id": person_id,
                "writing": writing,
                "host": self.host,
                "pid": self.pid,
                "since_at": self._since,
                "heartbeat_at": now,
            }
            cutoff = now - timedelta(seconds=self.expiry)
            with Session(self._writer) as session, session.begin():
                session.execute(delete(Presence).where(Presence.heartbeat_at < cutoff))
                done = session.execute(
                    update(Presence).where(Presence.desk_id == self.desk_id).values(**values)
                )
                if not done.rowcount:
                    session.add(Presence(desk_id=self.desk_id, started_at=self._started, **values))
            self._state = (person_id, writing)

    def leave(self) -> None:
        """Remove this desk's row at once (quitting); later beats are ignored."""
        with self._lock:
            self._left = True
            if self._state is None:
                return
            with Session(self._writer) as session, session.begin():
                session.execute(delete(Presence).where(Presence.desk_id == self.desk_id))

    def seen(self, *, others_only: bool = False) -> list[DeskSeen]:
        """Every open desk (one query), by agent; ``others_only`` leaves this one out."""
        cutoff = self.clock() - timedelta(seconds=self.expiry)
        query = (
            select(Presence, Person.name)
            .outerjoin(Person, Person.id == Presence.person_id)
            .where(Presence.heartbeat_at >= cutoff)
            .order_by(Presence.agent, Presence.started_at)
        )
        if others_only:
            query = query.where(Presence.desk_id != self.desk_id)
        with Session(self.engine) as session:
            rows = session.execute(query).all()
        return [
            DeskSeen(
                desk_id=p.desk_id,
                agent=p.agent,
                person_id=p.person_id,
                person_name=name,
                writing=bool(p.writing),
                host=p.host,
                pid=p.pid,
                since=p.since_at,
                started=p.started_at,
                heartbeat=p.heartbeat_at,
            )
            for p, name in rows
        ]
