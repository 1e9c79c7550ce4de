"""Exactly-once writes: a write id stored on the first entry a write appends.

The id is chosen when the agent pressed enter (or by a script) and travels with every
retry. ``ExactlyOnce._once`` runs a write unless its id is stored already, in which case
it answers as the write would have (``replay``) and stores nothing. A unique index on
``entry.write_id`` settles the race between two desks retrying at the same moment.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from deskterm.errors import NotFound
from deskterm.models import Entry, FollowUp, Person
from deskterm.services.reads import follow_up_view, record_of
from deskterm.services.views import FollowUpView, PersonRecord

T = TypeVar("T")
_NOTHING: Any = object()


class ExactlyOnce:
    """The ``_once`` plumbing of ``Desk`` (a mixin: needs ``_write`` and ``_run``)."""

    if TYPE_CHECKING:

        def _write(self) -> AbstractContextManager[Session]: ...
        def _run(self, fn: Any) -> Any: ...

    def _once(
        self,
        write_id: str | None,
        write: Callable[[Session], T],
        replay: Callable[[Session, Entry], T],
    ) -> T:
        """``write`` in one transaction, or ``replay`` if ``write_id`` is stored already.

        Two desks racing with the same id both pass the check on PostgreSQL; the unique
        index then refuses the second entry, and that IntegrityError means "stored".
        """
        try:
            with self._write() as session:
                done = self._written(session, write_id)
                return write(session) if done is None else replay(session, done)
        except IntegrityError:
            if write_id is None:
                raise

            def again(s: Session) -> Any:
                done = self._written(s, write_id)
                return _NOTHING if done is None else replay(s, done)

            result = self._run(again)
            if result is _NOTHING:
                raise
            return result

    @staticmethod
    def _written(session: Session, write_id: str | None) -> Entry | None:
        if write_id is None:
            return None
        query = select(Entry).where(Entry.write_id == write_id)
        return session.execute(query).scalars().first()


def nothing(_session: Session, _entry: Entry) -> None:
    """The answer of a write that returns nothing, when it was stored already."""


def person_of(session: Session, entry: Entry) -> PersonRecord:
    """The answer of a person write stored already: the person as stored now."""
    person = session.get(Person, entry.person_id)
    if person is None:  # pragma: no cover - the entry would have gone with them
        raise NotFound(f"no person with id {entry.person_id}")
    return record_of(person)


def follow_up_of(session: Session, entry: Entry) -> FollowUpView:
    """The answer of a follow-up write stored already: that follow-up as stored now."""
    follow_up = session.get(FollowUp, entry.follow_up_id)
    if follow_up is None:  # pragma: no cover - follow-ups go only with their person
        raise NotFound(f"no follow-up with id {entry.follow_up_id}")
    return follow_up_view(follow_up)
