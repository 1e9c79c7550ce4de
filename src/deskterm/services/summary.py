"""Keep each person's attention summary (the ``s_*`` columns) in step with their rows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from deskterm.clock import to_epoch
from deskterm.models import Entry, FollowUp, Message, Mood, Person

BAD_MOOD = 2  # moods at or below this level count as an open problem
NOTES_KINDS = ("note", "contact")
ACTIVITY_KINDS = ("contact", "note", "mood", "follow_up", "done", "created")
NOTES_CHARS = 500
SUBJECTS = 10  # the subjects of this many latest messages are searched
SUBJECTS_CHARS = 500


def refresh_summary(session: Session, person: Person) -> None:
    """Recompute the summary columns of one person from their stored rows."""
    pid = person.id
    mood = session.execute(
        select(Mood.level, Mood.at)
        .where(Mood.person_id == pid)
        .order_by(Mood.at.desc(), Mood.id.desc())
        .limit(1)
    ).first()
    bad_at = session.execute(
        select(func.max(Mood.at)).where(Mood.person_id == pid, Mood.level <= BAD_MOOD)
    ).one()[0]
    due, open_count, last_done = session.execute(
        select(
            func.min(FollowUp.due_at).filter(FollowUp.done_at.is_(None)),
            func.count(FollowUp.id).filter(FollowUp.done_at.is_(None)),
            func.max(FollowUp.done_at),
        ).where(FollowUp.person_id == pid)
    ).one()
    last_contact, last_activity = session.execute(
        select(
            func.max(Entry.at).filter(Entry.kind == "contact"),
            func.max(Entry.at).filter(Entry.kind.in_(ACTIVITY_KINDS)),
        ).where(Entry.person_id == pid)
    ).one()
    latest_done = session.execute(
        select(FollowUp.done_at, FollowUp.check_back_of)
        .where(FollowUp.person_id == pid, FollowUp.done_at.is_not(None))
        .order_by(FollowUp.done_at.desc(), FollowUp.id.desc())
        .limit(1)
    ).first()
    # Done without a check-back, unless it was itself the check-back (then confirmed). A
    # check-back still open keeps the person out of "at risk" by being a follow-up.
    unconfirmed = latest_done[0] if latest_done and latest_done[1] is None else None
    notes = (
        session.execute(
            select(Entry.text)
            .where(Entry.person_id == pid, Entry.kind.in_(NOTES_KINDS))
            .order_by(Entry.at.desc(), Entry.id.desc())
            .limit(3)
        )
        .scalars()
        .all()
    )
    person.s_mood_level = mood[0] if mood else None
    person.s_mood_at = to_epoch(mood[1]) if mood else None
    person.s_next_due = to_epoch(_aware(due))
    person.s_open_follow_ups = int(open_count or 0)
    person.s_last_done = to_epoch(_aware(last_done))
    person.s_last_contact = to_epoch(_aware(last_contact))
    person.s_last_activity = to_epoch(_aware(last_activity))
    problems = [t for t in (_aware(last_contact), _aware(bad_at)) if t is not None]
    person.s_problem_at = to_epoch(max(problems)) if problems else None
    person.s_notes = " ".join(notes)[:NOTES_CHARS]
    person.s_unconfirmed = to_epoch(_aware(unconfirmed))
    wrote = session.execute(
        select(func.max(Message.at)).where(
            Message.person_id == pid,
            Message.direction == "in",
            Message.automatic == False,  # noqa: E712  (SQL, not Python)
        )
    ).one()[0]
    subjects = (
        session.execute(
            select(Message.subject)
            .where(Message.person_id == pid)
            .order_by(Message.at.desc(), Message.id.desc())
            .limit(SUBJECTS)
        )
        .scalars()
        .all()
    )
    person.s_waiting_since = waiting_since(_aware(wrote), _aware(last_contact))
    person.s_subjects = subjects_text(subjects)
    session.add(person)


def waiting_since(wrote: datetime | None, answered: datetime | None) -> int | None:
    """Epoch of the latest incoming mail when no contact (a sent answer, a call) came after."""
    if wrote is None or (answered is not None and answered >= wrote):
        return None
    return to_epoch(wrote)


def subjects_text(subjects: Iterable[str]) -> str:
    """Distinct subjects, newest first, for search (``Re:`` and the like dropped)."""
    from deskterm.mail.compose import reply_subject

    seen = dict.fromkeys(reply_subject(s).removeprefix("Re:").strip() for s in subjects)
    return " ".join(s for s in seen if s)[:SUBJECTS_CHARS]


def _aware(value):  # type: ignore[no-untyped-def]
    """Aggregates bypass the column type on SQLite; give them their UTC zone back."""
    from datetime import UTC, datetime

    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
