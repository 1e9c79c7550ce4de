"""``bulk_insert`` stores every value exactly, whether rows differ or are all alike
(on SQLite, values shared by every row of a batch go into the statement as literals)."""

from __future__ import annotations

from deskterm.services import Desk
from deskterm.services.bulk import NewEntry, NewPerson, bulk_insert

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


def test_a_single_row_is_stored_too(desk: Desk, clock) -> None:
    bulk_insert(desk.engine, [NewPerson({"name": "Solo"})], agent="ana", now=clock())
    assert desk.find_person("1").name == "Solo"
