"""Merging duplicates, erasing people, and the change feed, on both backends."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, text

from deskterm.clock import to_epoch
from deskterm.errors import InvalidInput, NotFound
from deskterm.models import Change
from deskterm.services import Desk


def count(desk: Desk, table: str, person_id: int) -> int:
    """How many rows of ``table`` belong to the person (plain SQL)."""
    with desk.engine.connect() as conn:
        return conn.execute(
            text(f"SELECT count(*) FROM {table} WHERE person_id = :i"), {"i": person_id}
        ).scalar_one()


@pytest.fixture
def pair(desk, clock):
    """KEEP (sparse profile, one note) and OTHER (full profile, history of every kind)."""
    keep = desk.add_person({"name": "Margo", "phone": "111", "tags": ["vip", "late"]})
    desk.log_note(keep.id, "keep's note")
    other = desk.add_person(
        {
            "name": "Margo L.",
            "email": "margo@example.com",
            "phone": "999",
            "company": "Acme",
            "pace": "brisk",
            "timezone": "Europe/Berlin",
            "matters": "always in a hurry",
            "tags": "late, billing",
        }
    )
    clock.advance(hours=1)
    desk.log_note(other.id, "other's note")
    desk.log_contact(other.id, "mail", "asked for a refund")
    desk.log_mood(other.id, 1, "furious")
    desk.log_follow_up(other.id, clock() + timedelta(days=1), "check refund")
    desk.log_follow_up(other.id, clock() + timedelta(days=2), "second check")
    desk.complete_follow_up(other.id, "half done")
    clock.advance(hours=1)
    return keep, other


# -- merge --------------------------------------------------------------------------------


def test_merge_moves_every_row_to_keep(desk, pair):
    """Entries, follow-ups and moods of OTHER all end up with KEEP; none are lost."""
    keep, other = pair
    before = {t: count(desk, t, keep.id) + count(desk, t, other.id) for t in ("entry", "mood")}
    follow_ups = count(desk, "follow_up", other.id)
    desk.merge(keep.id, other.id)
    assert count(desk, "entry", keep.id) == before["entry"] + 1  # plus the merge entry
    assert count(desk, "mood", keep.id) == before["mood"] == 1
    assert count(desk, "follow_up", keep.id) == follow_ups == 2
    for table in ("entry", "mood", "follow_up"):
        assert count(desk, table, other.id) == 0
    texts = {e.text for e in desk.timeline(keep.id, limit=100)}
    assert {"keep's note", "other's note", "asked for a refund", "furious"} <= texts


def test_merge_fills_keeps_empty_fields_and_unions_tags(desk, pair):
    """KEEP's own values win; its empty fields come from OTHER; tags are unioned."""
    keep, other = pair
    merged = desk.merge(keep.id, other.id)
    stored = desk.get_person(keep.id)
    assert merged == stored
    assert (stored.name, stored.phone, stored.pace) == ("Margo", "111", "normal")
    assert stored.email == "margo@example.com"
    assert (stored.company, stored.timezone) == ("Acme", "Europe/Berlin")
    assert stored.matters == "always in a hurry"
    assert stored.tags == ("vip", "late", "billing")
    assert stored.version == keep.version + 1
    assert stored.updated_by == "ana"


def test_merge_entry_keeps_others_whole_profile(desk, pair):
    """The merge entry records OTHER's id and every profile field it had."""
    keep, other = pair
    desk.merge(keep.id, other.id)
    (entry,) = [e for e in desk.timeline(keep.id, limit=100) if e.kind == "merge"]
    assert entry.agent == "ana"
    assert entry.data["merged_id"] == other.id
    assert entry.data["profile"] == other.profile()
    assert str(other.id) in entry.text and other.name in entry.text


def test_merge_removes_other(desk, pair):
    """After the merge OTHER is gone and cannot be found by its old email or id."""
    keep, other = pair
    desk.merge(keep.id, other.id)
    with pytest.raises(NotFound):
        desk.get_person(other.id)
    assert desk.find_person("margo@example.com").id == keep.id
    assert desk.count_people() == 1


def test_merge_into_self_is_refused(desk, pair):
    """Merging a person into themselves is refused and changes nothing."""
    keep, _ = pair
    with pytest.raises(InvalidInput, match="themselves"):
        desk.merge(keep.id, keep.id)
    assert desk.get_person(keep.id).version == keep.version


def test_merge_with_unknown_person_changes_nothing(desk, pair):
    """Merging with a missing id raises NotFound and leaves both rows alone."""
    keep, other = pair
    with pytest.raises(NotFound):
        desk.merge(keep.id, 99999)
    with pytest.raises(NotFound):
        desk.merge(99999, other.id)
    assert count(desk, "entry", other.id) > 0
    assert desk.get_person(keep.id).version == keep.version


def test_merge_recomputes_the_summary(desk, pair):
    """KEEP's summary reflects the moved mood, follow-ups and contact."""
    keep, other = pair
    before = dict(zip(("id", "name", "mood"), desk.summary_rows([other.id])[0][:3], strict=True))
    desk.merge(keep.id, other.id)
    (row,) = desk.summary_rows([keep.id])
    _, _, mood, mood_at, next_due, open_count, last_contact, last_done, problem, _ = row[:10]
    follow_ups = desk.follow_ups(keep.id)
    assert mood == before["mood"] == 1
    assert open_count == 1
    assert next_due == to_epoch(min(f.due_at for f in follow_ups if f.is_open))
    assert last_done == to_epoch(max(f.done_at for f in follow_ups if f.done_at))
    assert last_contact is not None and problem is not None and mood_at is not None


def test_merge_is_reported_in_the_change_feed(desk, pair, clock):
    """Another desk sees KEEP changed and OTHER erased."""
    keep, other = pair
    watcher = Desk(desk.engine, "bo", clock=clock)
    watcher.poll_changes()
    desk.merge(keep.id, other.id)
    batch = watcher.poll_changes()
    assert batch.changed == {keep.id}
    assert batch.erased == {other.id}


def test_merge_takes_others_email_without_clashing(desk):
    """KEEP without email takes OTHER's email in the same transaction (unique index)."""
    keep = desk.add_person({"name": "A"})
    other = desk.add_person({"name": "B", "email": "b@example.com"})
    assert desk.merge(keep.id, other.id).email == "b@example.com"


# -- erase --------------------------------------------------------------------------------


def test_erase_removes_the_person_and_all_their_rows(desk, pair):
    """Erase deletes the person, their entries, follow-ups and moods; others stay."""
    keep, other = pair
    assert desk.erase(other.id) == "Margo L."
    for table in ("entry", "mood", "follow_up"):
        assert count(desk, table, other.id) == 0
    with desk.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM person")).scalar_one() == 1
    with pytest.raises(NotFound):
        desk.get_person(other.id)
    assert count(desk, "entry", keep.id) == 2


def test_erase_is_reported_in_the_change_feed(desk, pair, clock):
    """Another desk sees the erased person in its next poll, not as changed."""
    _, other = pair
    watcher = Desk(desk.engine, "bo", clock=clock)
    watcher.poll_changes()
    desk.log_note(other.id, "last words")
    desk.erase(other.id)
    batch = watcher.poll_changes()
    assert batch.erased == {other.id}
    assert other.id not in batch.changed


def test_erase_unknown_person_is_not_found(desk):
    """Erasing a missing id raises NotFound."""
    with pytest.raises(NotFound):
        desk.erase(4242)


def test_erased_id_is_never_given_to_someone_new(desk):
    """A person added after an erase gets a new id, so old references cannot hit them."""
    first = desk.add_person({"name": "First"})
    last = desk.add_person({"name": "Last"})
    desk.erase(last.id)
    newcomer = desk.add_person({"name": "Newcomer"})
    assert newcomer.id not in (first.id, last.id)


# -- the change feed ----------------------------------------------------------------------


def test_first_poll_is_empty_and_sets_the_start(desk, clock):
    """Writes before the first poll are not reported; it only sets the start."""
    p = desk.add_person({"name": "Jim"})
    desk.log_note(p.id, "x")
    watcher = Desk(desk.engine, "bo", clock=clock)
    assert not watcher.poll_changes()
    assert not watcher.poll_changes()


def test_writes_by_another_agent_appear_once(desk, clock):
    """Every kind of write by ana shows up in bo's next poll, and not in the one after."""
    jim = desk.add_person({"name": "Jim"})
    margo = desk.add_person({"name": "Margo"})
    alecia = desk.add_person({"name": "Alecia"})
    bo = Desk(desk.engine, "bo", clock=clock)
    bo.poll_changes()
    desk.log_note(jim.id, "n")
    desk.log_mood(margo.id, 2)
    newcomer = desk.add_person({"name": "New"})
    batch = bo.poll_changes()
    assert batch.changed == {jim.id, margo.id, newcomer.id}
    assert batch.erased == frozenset()
    assert not bo.poll_changes()
    desk.log_follow_up(alecia.id, clock() + timedelta(days=1), "f")
    desk.complete_follow_up(alecia.id, "ok")
    desk.edit_person(jim.id, 1, {"phone": "5"})
    assert bo.poll_changes().changed == {alecia.id, jim.id}
    assert not bo.poll_changes()


def test_own_writes_are_in_the_feed_too(desk):
    """A desk's own writes are also reported (the other screens of the same agent)."""
    desk.poll_changes()
    p = desk.add_person({"name": "Jim"})
    assert desk.poll_changes().changed == {p.id}
    assert not desk.poll_changes()


def test_many_changes_between_polls_are_all_reported(desk, clock):
    """More changes than the feed's lookback window between two polls are all reported."""
    people = [desk.add_person({"name": f"P{i}"}) for i in range(5)]
    bo = Desk(desk.engine, "bo", clock=clock)
    bo.poll_changes()
    with desk.engine.begin() as conn:  # as a bulk import writes them: straight to the table
        conn.execute(
            insert(Change),
            [{"person_id": people[i % 4].id, "op": "upsert", "at": clock()} for i in range(600)],
        )
    desk.erase(people[4].id)
    batch = bo.poll_changes()
    assert batch.changed == {p.id for p in people[:4]}
    assert batch.erased == {people[4].id}
    assert not bo.poll_changes()


def test_bulk_import_after_erase_does_not_reuse_the_erased_id(desk, engine, clock):
    """An id handed out once is never handed out again, not even by a bulk import."""
    from deskterm.services.bulk import NewPerson, bulk_insert

    first = desk.add_person({"name": "First"})
    last = desk.add_person({"name": "Newest"})
    desk.erase(last.id)
    bulk_insert(engine, [NewPerson({"name": "Imported"})], agent="ana", now=clock())
    imported = desk.find_person("Imported")
    assert imported.id > last.id > first.id
