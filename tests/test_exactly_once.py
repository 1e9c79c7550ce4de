"""Exactly-once writes: a write id stored once, whatever retries or races happen.

A desk (or a script) chooses the write id when the agent presses enter and sends it with
every retry; a second write with the same id stores nothing and answers as the first.
Runs on both backends (the ``desk`` fixture).
"""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select, text
from sqlmodel import Session

from deskterm.models import Entry, FollowUp, Mood
from deskterm.services import Desk


def count(desk: Desk, model, **where) -> int:
    with Session(desk.engine) as s:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return s.execute(query).one()[0]


def test_the_same_note_twice_is_stored_once(desk):
    jim = desk.add_person({"name": "Jim"})
    desk.log_note(jim.id, "called about the refund", write_id="w-1")
    desk.log_note(jim.id, "called about the refund", write_id="w-1")
    assert count(desk, Entry, kind="note") == 1
    assert count(desk, Entry, write_id="w-1") == 1


def test_different_ids_store_twice(desk):
    jim = desk.add_person({"name": "Jim"})
    desk.log_note(jim.id, "same words", write_id="w-1")
    desk.log_note(jim.id, "same words", write_id="w-2")
    desk.log_note(jim.id, "same words")  # no id: every call stores
    desk.log_note(jim.id, "same words")
    assert count(desk, Entry, kind="note") == 4


def test_add_person_twice_answers_with_the_person_created_then(desk):
    first = desk.add_person({"name": "Margo", "email": "m@example.com"}, write_id="w-a")
    again = desk.add_person({"name": "Margo", "email": "m@example.com"}, write_id="w-a")
    assert again.id == first.id and again.name == "Margo"
    assert desk.count_people() == 1


def test_a_replayed_edit_is_not_a_conflict(desk):
    """The first try was stored (answer lost); the retry quotes the old version again."""
    jim = desk.add_person({"name": "Jim"})
    edited = desk.edit_person(jim.id, jim.version, {"phone": "555"}, write_id="w-e")
    again = desk.edit_person(jim.id, jim.version, {"phone": "555"}, write_id="w-e")
    assert again.version == edited.version == jim.version + 1
    assert count(desk, Entry, kind="edit") == 1


def test_mood_contact_follow_up_and_done_are_stored_once(desk, clock):
    jim = desk.add_person({"name": "Jim"})
    for _ in range(2):
        desk.log_mood(jim.id, 2, "rushed", write_id="w-m")
        desk.log_contact(jim.id, "phone", "called", write_id="w-c")
    first = desk.log_follow_up(jim.id, clock() + timedelta(days=1), "call back", write_id="w-f")
    again = desk.log_follow_up(jim.id, clock() + timedelta(days=1), "call back", write_id="w-f")
    assert again == first
    desk.log_follow_up(jim.id, clock() + timedelta(days=2), "second", write_id="w-f2")
    done = desk.complete_follow_up(jim.id, "refund arrived", write_id="w-d")
    done_again = desk.complete_follow_up(jim.id, "refund arrived", write_id="w-d")
    assert done_again.id == done.id == first.id and done_again.done_at is not None
    assert count(desk, Mood) == 1
    assert count(desk, Entry, kind="contact") == 1
    assert count(desk, FollowUp) == 2
    assert count(desk, FollowUp, outcome="refund arrived") == 1
    assert len(desk.detail(jim.id).open_follow_ups) == 1  # the second one stays open


def test_a_replayed_merge_answers_with_the_person_kept(desk):
    keep = desk.add_person({"name": "Jim"})
    other = desk.add_person({"name": "Jim (dup)", "phone": "555"})
    merged = desk.merge(keep.id, other.id, write_id="w-g")
    again = desk.merge(keep.id, other.id, write_id="w-g")  # other is gone: not NotFound
    assert again.id == keep.id and again.phone == merged.phone == "555"
    assert count(desk, Entry, kind="merge") == 1


def test_concurrent_duplicates_store_once(desk):
    """Two threads send the same write at the same moment (a retry racing the original)."""
    jim = desk.add_person({"name": "Jim"})
    rounds = 5
    errors: list[BaseException] = []

    def send(n: int, start: threading.Barrier) -> None:
        start.wait()
        try:
            desk.log_note(jim.id, f"note {n}", write_id=f"race-{n}")
        except BaseException as exc:  # reported below, not swallowed
            errors.append(exc)

    for n in range(rounds):
        start = threading.Barrier(2)
        threads = [threading.Thread(target=send, args=(n, start)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert count(desk, Entry, kind="note") == rounds


def test_concurrent_duplicate_people_store_one_person(desk):
    """add_person has no row to lock: the unique index alone settles the race."""
    start = threading.Barrier(2)
    ids: list[int] = []

    def send() -> None:
        start.wait()
        ids.append(desk.add_person({"name": "Alecia"}, write_id="race-p").id)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ids) == 2 and ids[0] == ids[1]
    assert desk.count_people() == 1


def test_the_database_refuses_a_second_copy(desk, engine):
    """The unique index is there for writers that skip the check (another version)."""
    import pytest
    from sqlalchemy.exc import IntegrityError

    jim = desk.add_person({"name": "Jim"})
    desk.log_note(jim.id, "once", write_id="w-x")
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO entry (person_id, at, agent, kind, channel, text, data, write_id) "
                "VALUES (:p, :at, 'x', 'note', '', 'twice', '', 'w-x')"
            ),
            {"p": jim.id, "at": "2026-11-23 10:00:00.000000"},
        )
