"""The team service: live wake-ups, this desk's presence, and who is on whom.

The TUI and the CLI reach ``deskterm.team`` only through here. Database errors become
the desk's one-line ``StorageError`` (the same path as every other read and write).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from deskterm.clock import utcnow
from deskterm.storage.faults import storage_error
from deskterm.team.feed import LiveFeed, open_feed
from deskterm.team.presence import EXPIRY, HEARTBEAT, DeskSeen, PresenceBoard

if TYPE_CHECKING:
    from deskterm.config import Settings

__all__ = ["DeskSeen", "Team"]


class Team:
    """One desk's view of the team on one database."""

    def __init__(
        self,
        engine: Engine,
        agent: str,
        *,
        heartbeat: float = HEARTBEAT,
        expiry: float = EXPIRY,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.engine = engine
        self.heartbeat = heartbeat
        self.board = PresenceBoard(engine, agent, expiry=expiry, clock=clock)

    @classmethod
    def for_settings(cls, engine: Engine, settings: Settings) -> Team:
        """The team layer with the ``[team]`` heartbeat and expiry."""
        return cls(
            engine,
            settings.agent.name,
            heartbeat=settings.team.heartbeat_seconds,
            expiry=settings.team.expiry_seconds,
        )

    @property
    def expiry(self) -> float:
        return self.board.expiry

    @property
    def desk_id(self) -> str:
        return self.board.desk_id

    def open_feed(self) -> LiveFeed:
        """Wake-ups whenever anyone commits (see ``deskterm.team.feed``); never raises."""
        return open_feed(self.engine)

    def beat(self, person_id: int | None, writing: bool = False) -> None:
        """Tell the other desks which person this one is on, and whether it is writing."""
        with _speaking():
            self.board.beat(person_id, writing)

    def leave(self) -> None:
        """Quitting: this desk is no longer shown anywhere."""
        with _speaking():
            self.board.leave()

    def who(self, *, others_only: bool = False) -> list[DeskSeen]:
        """Every open desk: agent, person (with name), writing or not, since, host."""
        with _speaking():
            return self.board.seen(others_only=others_only)


@contextmanager
def _speaking() -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        raise storage_error(exc) from None
