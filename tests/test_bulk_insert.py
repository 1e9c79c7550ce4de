"""``bulk_insert`` stores every value exactly, whether rows differ or are all alike
(on SQLite, values shared by every row of a batch go into the statement as literals)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from deskterm.services import Desk
from deskterm.services import validate as v
from deskterm.services.bulk import (
    NewEntry,
    NewFollowUp,
    NewMood,
    NewPerson,
    PlainPerson,
    bulk_insert,
    plain_profile,
)
from deskterm.services.bulk_mail import NewMessage

ODD = 'O\'Brien "quoted" -- ; DROP TABLE person; Zoë 小明 \\ back\x00slash'


def test_values_shared_by_every_row_are_stored_as_given(desk: Desk, clock) -> None:
    now = clock()
    profile = {"name": ODD, "company": ODD, "tags": ["a'b", "vip"], "internal": True}
    people = [
        NewPerson(dict(profile, email=f"p{i}@ex.org"), [NewEntry(now, "note", ODD)])
        for i in range(3)
    ]
    bulk_insert(desk.engine, people, agent="ana", now=now)
    stored = ODD.replace("\x00", "\u2400")
    for i in range(3):
        person = desk.find_person(f"p{i}@ex.org")
        assert (person.name, person.company) == (stored.strip(), stored)
        assert person.tags == ("a'b", "vip") and person.internal is True
        notes = [e.text for e in desk.detail(person.id).timeline if e.kind == "note"]
        assert notes == [stored]


def test_every_row_stored_refers_to_its_person_and_checks_are_back_on(desk: Desk, clock) -> None:
    """SQLite's per-row foreign-key lookups are off during the insert (the rows are made
    here, each after its person): what was stored passes the whole check, and the next
    write to a missing person is refused again."""
    now = clock()
    people = [
        NewPerson(
            {"name": f"P{i}", "email": f"p{i}@ex.org"},
            [NewEntry(now, "note", "hello")],
            [NewFollowUp(now + timedelta(days=1), "call", done_at=now, done_by="ana")],
            [NewMood(2, now, "cross")],
            messages=[NewMessage(f"<m{i}@ex.org>", "in", now, "Hi", "text", f"p{i}@ex.org")],
        )
        for i in range(3)
    ] + [PlainPerson(plain_profile({"name": "Plain"}), "a note", "imported from x.csv")]
    result = bulk_insert(desk.engine, people, agent="ana", now=now)
    assert (result.people, result.moods, result.follow_ups) == (4, 3, 3)
    with desk.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        for table in ("entry", "follow_up", "mood", "message"):
            orphans = conn.execute(
                text(f"SELECT count(*) FROM {table} WHERE person_id NOT IN (SELECT id FROM person)")
            ).scalar()
            assert orphans == 0, table
    with pytest.raises(IntegrityError), desk.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO mood (person_id, level, note, agent, at)"
                " VALUES (4242, 3, '', 'x', :at)"
            ),
            {"at": "2026-11-23 10:00:00.000000"},
        )


def test_a_single_row_is_stored_too(desk: Desk, clock) -> None:
    bulk_insert(desk.engine, [NewPerson({"name": "Solo"})], agent="ana", now=clock())
    assert desk.find_person("1").name == "Solo"


def test_a_plain_person_is_stored_as_the_same_new_person_would_be(desk: Desk, clock) -> None:
    """A CSV row goes in as a ``PlainPerson`` (no entry objects): the person, their
    summary and their timeline are what the same ``NewPerson`` stores."""
    now = clock()
    profile = v.clean_profile({"name": ODD, "company": "Acme", "tags": "vip, billing"})
    created = NewEntry(now, "created", "imported from people.csv", agent="ana")
    twins = [
        NewPerson(
            {**profile, "email": "new@ex.org"},
            [created, NewEntry(now, "note", ODD, agent="ana")],
            created_at=now,
            created_by="ana",
        ),
        PlainPerson(
            plain_profile({**profile, "email": "plain@ex.org"}), ODD, "imported from people.csv"
        ),
        NewPerson({**profile, "email": "new2@ex.org"}, [created], created_at=now),
        PlainPerson(plain_profile({**profile, "email": "plain2@ex.org"}), "", created.text),
    ]
    bulk_insert(desk.engine, twins, agent="ana", now=now, derive_entries=False)

    def stored(email: str) -> tuple[object, ...]:
        with desk.engine.connect() as conn:
            person = (
                conn.exec_driver_sql(
                    "SELECT * FROM person WHERE email = ?"
                    if conn.dialect.name == "sqlite"
                    else "SELECT * FROM person WHERE email = %s",
                    (email,),
                )
                .one()
                ._asdict()
            )
        found = desk.find_person(email)
        timeline = [(e.kind, e.text, e.at, e.agent) for e in desk.detail(found.id).timeline]
        person.pop("id"), person.pop("email")
        return person, timeline

    assert stored("plain@ex.org") == stored("new@ex.org")
    assert stored("plain2@ex.org") == stored("new2@ex.org")
    assert stored("plain@ex.org") != stored("plain2@ex.org")
