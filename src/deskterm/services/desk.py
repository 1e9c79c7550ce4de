"""The desk service: the one API the TUI and the CLI both call.

Every write is one transaction that locks the person it touches (``BEGIN IMMEDIATE``
on SQLite, ``SELECT … FOR UPDATE`` on PostgreSQL), appends to the timeline, refreshes
the person's attention summary and records a change for other desks to pick up.
Edits quote the version the agent saw; a stale edit raises ``Conflict``.

Writes are exactly-once when given a ``write_id`` (chosen when the agent pressed enter):
the first entry the write appends carries it, a unique index refuses a second copy, and
a write whose id is already stored stores nothing and answers as if it had just worked.
So a retry after an ambiguous failure (COMMIT sent, answer lost) is always safe.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlmodel import Session

from deskterm.clock import utcnow
from deskterm.errors import Conflict, InvalidInput, NotFound
from deskterm.models import Change, Entry, FollowUp, Message, MessageRaw, Mood, Person
from deskterm.services import validate as v
from deskterm.services.once import ExactlyOnce, follow_up_of, nothing, person_of
from deskterm.services.reads import Reads, follow_up_view, record_of
from deskterm.services.summary import refresh_summary
from deskterm.services.views import PROFILE_FIELDS, FollowUpView, PersonRecord
from deskterm.storage.engine import writer
from deskterm.storage.faults import is_unavailable, storage_error
from deskterm.team import owners


class Desk(ExactlyOnce, Reads):
    """Reads and writes for one agent on one database."""

    def __init__(self, engine: Engine, agent: str, clock: Callable[[], datetime] = utcnow):
        super().__init__(engine)
        self.agent = agent
        self.clock = clock
        self._writer = writer(engine)

    # -- plumbing ---------------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[Session]:
        try:
            with Session(self._writer, expire_on_commit=False) as session, session.begin():
                yield session
        except OperationalError as exc:
            raise storage_error(exc) from None
        except DBAPIError as exc:  # e.g. the connection lost at COMMIT; IntegrityError stays
            if not is_unavailable(exc):
                raise
            raise storage_error(exc) from None

    def _lock(self, session: Session, person_id: int) -> Person:
        person = (
            session.execute(select(Person).where(Person.id == person_id).with_for_update())
            .scalars()
            .first()
        )
        if person is None:
            raise NotFound(f"no person with id {person_id}")
        return person

    def _append(
        self,
        session: Session,
        person: Person,
        kind: str,
        text: str = "",
        *,
        channel: str = "",
        data: Mapping[str, Any] | None = None,
        follow_up_id: int | None = None,
        at: datetime | None = None,
        write_id: str | None = None,
    ) -> Entry:
        entry = Entry(
            person_id=person.id,
            at=at or self.clock(),
            agent=self.agent,
            kind=kind,
            channel=channel,
            text=text,
            data=json.dumps(data, ensure_ascii=False) if data else "",
            follow_up_id=follow_up_id,
            write_id=write_id,
        )
        session.add(entry)
        return entry

    def _finish(self, session: Session, person: Person) -> None:
        session.flush()
        refresh_summary(session, person)
        session.add(Change(person_id=person.id, op="upsert", at=self.clock()))

    # -- people -----------------------------------------------------------------------
    def add_person(self, values: Mapping[str, Any], write_id: str | None = None) -> PersonRecord:
        """Add someone new; ``values`` holds profile fields (name required)."""
        fields = v.clean_profile(values)
        now = self.clock()
        tags = fields.pop("tags", [])

        def create(session: Session) -> PersonRecord:
            self._check_email_free(session, fields.get("email"), None)
            person = Person(
                **fields,
                tags=v.encode_tags(tags),
                created_at=now,
                created_by=self.agent,
                updated_at=now,
                updated_by=self.agent,
            )
            session.add(person)
            session.flush()
            self._append(session, person, "created", f"added {person.name}", write_id=write_id)
            self._finish(session, person)
            return record_of(person)

        try:
            return self._once(write_id, create, person_of)
        except IntegrityError:  # another desk took the email between check and commit
            raise self._email_taken(fields.get("email")) from None

    def edit_person(
        self,
        person_id: int,
        expected_version: int,
        changes: Mapping[str, Any],
        write_id: str | None = None,
    ) -> PersonRecord:
        """Change profile fields if nobody else changed the person since ``expected_version``."""
        fields = v.clean_profile(changes, partial=True)
        if "tags" in fields:
            fields["tags"] = v.encode_tags(fields["tags"])
        try:
            return self._once(
                write_id,
                lambda s: self._edit(s, person_id, expected_version, fields, write_id),
                person_of,
            )
        except IntegrityError:  # another desk took the email between check and commit
            raise self._email_taken(fields.get("email")) from None

    def _edit(
        self,
        session: Session,
        person_id: int,
        expected_version: int,
        fields: dict[str, Any],
        write_id: str | None,
    ) -> PersonRecord:
        person = self._lock(session, person_id)
        if person.version != expected_version:
            raise self._conflict(session, person, expected_version)
        diff = {
            k: (getattr(person, k), new) for k, new in fields.items() if getattr(person, k) != new
        }
        if not diff:
            return record_of(person)
        if "email" in diff:
            self._check_email_free(session, fields["email"], person.id)
        for name, (_old, new) in diff.items():
            setattr(person, name, new)
        person.version += 1
        person.updated_at = self.clock()
        person.updated_by = self.agent
        shown = {k: [_plain(k, old), _plain(k, new)] for k, (old, new) in diff.items()}
        self._append(
            session,
            person,
            "edit",
            "changed " + ", ".join(diff),
            data={"version": person.version, "changes": shown},
            write_id=write_id,
        )
        self._finish(session, person)
        return record_of(person)

    def _check_email_free(self, session: Session, email: str | None, own_id: int | None) -> None:
        if not email:
            return
        other = session.execute(select(Person.id, Person.name).where(Person.email == email)).first()
        if other is not None and other[0] != own_id:
            raise InvalidInput(f"email: {email} is already used by {other[1]} (id {other[0]})")

    def _email_taken(self, email: str | None) -> InvalidInput:
        owner = self._run(
            lambda s: s.execute(select(Person.id, Person.name).where(Person.email == email)).first()
        )
        who = f" by {owner[1]} (id {owner[0]})" if owner else ""
        return InvalidInput(f"email: {email} is already used{who}")

    def _conflict(self, session: Session, person: Person, seen: int) -> Conflict:
        edits = (
            session.execute(
                select(Entry)
                .where(Entry.person_id == person.id, Entry.kind == "edit")
                .order_by(Entry.id.desc())
                .limit(20)
            )
            .scalars()
            .all()
        )
        lines = []
        for entry in reversed(edits):
            data = json.loads(entry.data or "{}")
            if data.get("version", 0) <= seen:
                continue
            for name, (old, new) in data.get("changes", {}).items():
                lines.append(f"{entry.agent} changed {name}: {old!r} → {new!r}")
        who = person.updated_by
        summary = "; ".join(lines) if lines else f"{who} changed this person"
        return Conflict(
            f"{person.name} was changed by {who} while you were editing "
            f"({summary}); nothing was saved — reload and try again",
            lines,
        )

    # -- timeline ---------------------------------------------------------------------
    def log_note(self, person_id: int, text: str, write_id: str | None = None) -> None:
        text = v.required_text(text, "note")

        def write(session: Session) -> None:
            person = self._lock(session, person_id)
            self._append(session, person, "note", text, write_id=write_id)
            self._finish(session, person)

        self._once(write_id, write, nothing)

    def log_contact(
        self, person_id: int, channel: str, text: str, write_id: str | None = None
    ) -> None:
        channel = v.required_text(channel, "channel")
        text = v.required_text(text, "summary")

        def write(session: Session) -> None:
            person = self._lock(session, person_id)
            self._append(session, person, "contact", text, channel=channel, write_id=write_id)
            self._finish(session, person)

        self._once(write_id, write, nothing)

    def log_mood(
        self, person_id: int, level: int, note: str = "", write_id: str | None = None
    ) -> None:
        level = v.clean_level(level)
        note = v.clean_text(note, "mood note").strip()

        def write(session: Session) -> None:
            person = self._lock(session, person_id)
            now = self.clock()
            session.add(Mood(person_id=person.id, level=level, note=note, agent=self.agent, at=now))
            data = {"level": level}
            self._append(session, person, "mood", note, data=data, at=now, write_id=write_id)
            self._finish(session, person)

        self._once(write_id, write, nothing)

    def log_follow_up(
        self,
        person_id: int,
        due_at: datetime,
        note: str,
        write_id: str | None = None,
        *,
        assignee: str | None = None,
    ) -> FollowUpView:
        """A follow-up, assigned to ``assignee`` (default: the agent logging it)."""
        if due_at.tzinfo is None:
            raise InvalidInput("follow-up: the due time needs a time zone")
        note = v.clean_text(note, "follow-up note").strip()
        assignee = self.agent if assignee is None else owners.clean_agent(assignee, "assignee")

        def write(session: Session) -> FollowUpView:
            person = self._lock(session, person_id)
            follow_up = self._new_follow_up(
                session, person, due_at, note, assignee, write_id=write_id
            )
            self._finish(session, person)
            return follow_up_view(follow_up)

        return self._once(write_id, write, follow_up_of)

    def _new_follow_up(
        self,
        session: Session,
        person: Person,
        due_at: datetime,
        note: str,
        assignee: str,
        *,
        check_back_of: int | None = None,
        write_id: str | None = None,
    ) -> FollowUp:
        now = self.clock()
        follow_up = FollowUp(
            person_id=person.id,
            due_at=due_at,
            note=note,
            agent=self.agent,
            created_at=now,
            assignee=assignee,
            check_back_of=check_back_of,
        )
        session.add(follow_up)
        session.flush()
        data: dict[str, Any] = {"due": due_at.isoformat()}
        if assignee != self.agent:
            data["assignee"] = assignee
        if check_back_of is not None:
            data["check_back_of"] = check_back_of
        self._append(
            session,
            person,
            "follow_up",
            note,
            follow_up_id=follow_up.id,
            data=data,
            at=now,
            write_id=write_id,
        )
        return follow_up

    def complete_follow_up(
        self,
        person_id: int,
        outcome: str = "",
        follow_up_id: int | None = None,
        write_id: str | None = None,
        *,
        check_back: datetime | None = None,
        no_check_back: str = "",
    ) -> FollowUpView:
        """Mark a follow-up done (the earliest open one unless ``follow_up_id`` is given).

        With ``check_back`` a follow-up "check back: <note>" due then is logged in the
        same transaction; ``no_check_back`` is the agent's reason for not checking back,
        stored with the done entry. Without a check-back the person counts as "done,
        never confirmed" until we hear from them (``attention.risk``).
        """
        outcome = v.clean_text(outcome, "outcome").strip()
        reason = v.clean_text(no_check_back, "reason").strip()
        if check_back is not None and check_back.tzinfo is None:
            raise InvalidInput("check-back: the due time needs a time zone")
        if check_back is not None and reason:
            raise InvalidInput("check-back: either a check-back or a reason not to, not both")

        def write(session: Session) -> FollowUpView:
            person = self._lock(session, person_id)
            query = select(FollowUp).where(
                FollowUp.person_id == person.id, FollowUp.done_at.is_(None)
            )
            if follow_up_id is not None:
                query = query.where(FollowUp.id == follow_up_id)
            follow_up = (
                session.execute(
                    query.order_by(FollowUp.due_at, FollowUp.id).limit(1).with_for_update()
                )
                .scalars()
                .first()
            )
            if follow_up is None:
                raise InvalidInput(f"{person.name} has no open follow-up to mark done")
            now = self.clock()
            follow_up.done_at, follow_up.done_by, follow_up.outcome = now, self.agent, outcome
            session.add(follow_up)
            data: dict[str, Any] = {"note": follow_up.note}
            if reason:
                data["no_check_back"] = reason
            self._append(
                session,
                person,
                "done",
                outcome,
                follow_up_id=follow_up.id,
                data=data,
                at=now,
                write_id=write_id,
            )
            if check_back is not None:
                note = f"check back: {follow_up.note}" if follow_up.note else "check back"
                session.flush()
                self._new_follow_up(
                    session, person, check_back, note, self.agent, check_back_of=follow_up.id
                )
            self._finish(session, person)
            return follow_up_view(follow_up)

        return self._once(write_id, write, follow_up_of)

    # -- owners -----------------------------------------------------------------------
    def take(self, person_id: int, note: str = "", write_id: str | None = None) -> PersonRecord:
        """Make the person this agent's own (a handoff from whoever had them)."""
        return self.give(person_id, self.agent, note, write_id)

    def give(
        self, person_id: int, to: str | None, note: str = "", write_id: str | None = None
    ) -> PersonRecord:
        """Give the person to agent ``to`` (None: nobody's) with one "handoff" entry.

        Giving someone to the agent who already has them writes nothing.
        """
        new = None if to is None else owners.clean_agent(to, "to")
        note = v.clean_text(note, "note").strip()

        def write(session: Session) -> PersonRecord:
            person = self._lock(session, person_id)
            old = person.owner
            if old == new:
                return record_of(person)
            person.owner = new
            session.add(person)
            self._append(
                session,
                person,
                "handoff",
                owners.handoff_text(old, new, note),
                data={"from": old, "to": new, "note": note},
                write_id=write_id,
            )
            self._finish(session, person)
            return record_of(person)

        return self._once(write_id, write, person_of)

    def agents(self) -> list[str]:
        """Agent names seen on this database (for completion), this agent included."""
        return self._run(lambda s: owners.agents_seen(s, also=(self.agent,)))

    # -- merge and erase --------------------------------------------------------------
    def merge(self, keep_id: int, other_id: int, write_id: str | None = None) -> PersonRecord:
        """Fold ``other`` into ``keep``: history, follow-ups, moods and messages move;
        nothing is lost."""
        if keep_id == other_id:
            raise InvalidInput("merge: cannot merge a person into themselves")
        return self._once(
            write_id, lambda s: self._merge(s, keep_id, other_id, write_id), person_of
        )

    def _merge(
        self, session: Session, keep_id: int, other_id: int, write_id: str | None
    ) -> PersonRecord:
        first, second = sorted((keep_id, other_id))
        locked = {first: self._lock(session, first), second: self._lock(session, second)}
        keep, other = locked[keep_id], locked[other_id]
        old = {k: _plain(k, getattr(other, k)) for k in PROFILE_FIELDS}
        filled = {}
        for name in PROFILE_FIELDS:
            mine, theirs = getattr(keep, name), getattr(other, name)
            if name == "tags":
                merged = list(dict.fromkeys(v.decode_tags(mine) + v.decode_tags(theirs)))
                if merged != list(v.decode_tags(mine)):
                    filled[name] = v.encode_tags(merged)
            elif name not in ("name", "internal", "pace") and not mine and theirs:
                filled[name] = theirs
        for model in (Entry, FollowUp, Mood, Message):
            session.execute(
                update(model).where(model.person_id == other_id).values(person_id=keep_id)
            )
        session.delete(other)
        session.flush()
        for name, value in filled.items():
            setattr(keep, name, value)
        keep.version += 1
        keep.updated_at, keep.updated_by = self.clock(), self.agent
        self._append(
            session,
            keep,
            "merge",
            f"merged {other.name} (id {other_id}) into this person",
            data={"merged_id": other_id, "profile": old, "filled": sorted(filled)},
            write_id=write_id,
        )
        self._finish(session, keep)
        session.add(Change(person_id=other_id, op="delete", at=self.clock()))
        return record_of(keep)

    def erase(self, person_id: int) -> str:
        """Delete a person and everything about them, their mail byte for byte
        (a request to be forgotten).

        No ``write_id``: erase leaves no entry to carry one, and a repeated erase already
        stores nothing (it finds nobody).
        """
        with self._write() as session:
            person = self._lock(session, person_id)
            name = person.name
            theirs = select(Message.id).where(Message.person_id == person_id)
            session.execute(delete(MessageRaw).where(MessageRaw.message.in_(theirs)))
            for model in (Entry, Mood, FollowUp, Message):
                session.execute(delete(model).where(model.person_id == person_id))
            session.delete(person)
            session.add(Change(person_id=person_id, op="delete", at=self.clock()))
            return name


def _plain(name: str, value: Any) -> Any:
    return list(v.decode_tags(value)) if name == "tags" and isinstance(value, str) else value
