"""The timeline, follow-ups and the attention summary, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from deskterm.clock import to_epoch
from deskterm.errors import InvalidInput, NotFound
from deskterm.services import Desk

SUMMARY_KEYS = (
    "id",
    "name",
    "s_mood_level",
    "s_mood_at",
    "s_next_due",
    "s_open_follow_ups",
    "s_last_contact",
    "s_last_done",
    "s_problem_at",
    "s_last_activity",
    "s_unconfirmed",
    "owner",
    "s_waiting_since",
)


def summary(desk: Desk, person_id: int) -> dict:
    """The person's attention summary as ``summary_rows`` reports it."""
    (row,) = desk.summary_rows([person_id])
    return dict(zip(SUMMARY_KEYS, row, strict=True))


@pytest.fixture
def jim(desk):
    return desk.add_person({"name": "Jim"})


# -- timeline -----------------------------------------------------------------------------


def test_every_log_appends_an_entry_with_agent_and_utc_time(desk, clock, jim):
    """Note, contact, mood, follow-up and done each append one entry, by ana, in UTC."""
    clock.advance(minutes=1)
    desk.log_note(jim.id, "likes tea")
    clock.advance(minutes=1)
    desk.log_contact(jim.id, "phone", "called about the refund")
    clock.advance(minutes=1)
    desk.log_mood(jim.id, 2, "cat at the vet")
    clock.advance(minutes=1)
    desk.log_follow_up(jim.id, clock() + timedelta(days=1), "call back")
    clock.advance(minutes=1)
    desk.complete_follow_up(jim.id, "refund arrived")
    entries = desk.timeline(jim.id)
    assert [e.kind for e in entries] == ["done", "follow_up", "mood", "contact", "note", "created"]
    assert [e.text for e in entries[:5]] == [
        "refund arrived",
        "call back",
        "cat at the vet",
        "called about the refund",
        "likes tea",
    ]
    assert entries[3].channel == "phone"
    assert entries[2].data == {"level": 2}
    for e in entries:
        assert e.agent == "ana"
        assert e.at.tzinfo is not None and e.at.utcoffset() == timedelta(0)
    assert entries[0].at == clock()


def test_times_from_other_zones_are_stored_as_utc(desk, jim):
    """A due time given in another zone reads back as the same instant in UTC."""
    due = datetime(2026, 12, 1, 14, 30, tzinfo=UTC)
    local = due.astimezone(ZoneInfo("Asia/Tokyo"))
    desk.log_follow_up(jim.id, local, "renewal talk")
    (fu,) = desk.follow_ups(jim.id)
    assert fu.due_at == due and fu.due_at.utcoffset() == timedelta(0)


def test_detail_orders_timeline_moods_and_follow_ups(desk, clock, jim):
    """detail(): timeline newest first, mood = latest, moods oldest first, due earliest first."""
    for level in (1, 3, 5):
        clock.advance(hours=1)
        desk.log_mood(jim.id, level, f"level {level}")
    late = desk.log_follow_up(jim.id, clock() + timedelta(days=3), "late")
    early = desk.log_follow_up(jim.id, clock() + timedelta(days=1), "early")
    d = desk.detail(jim.id)
    assert d.person.id == jim.id
    assert d.mood is not None and (d.mood.level, d.mood.note) == (5, "level 5")
    assert [m.level for m in d.moods] == [1, 3, 5]
    assert [f.id for f in d.open_follow_ups] == [early.id, late.id]
    assert [e.kind for e in d.timeline][:2] == ["follow_up", "follow_up"]
    assert d.timeline[-1].kind == "created"
    assert d.has_more is False


def test_detail_of_unknown_person_is_not_found(desk):
    """detail() of a missing id raises NotFound."""
    with pytest.raises(NotFound):
        desk.detail(12345)


@pytest.mark.parametrize("same_time", [True, False])
def test_timeline_pages_without_gaps_or_repeats(desk, clock, jim, same_time):
    """Paging back with ``before`` visits all 120 entries once, newest first."""
    for i in range(119):
        if not same_time:
            clock.advance(seconds=1)
        desk.log_note(jim.id, f"note {i}")
    seen = []
    page = desk.detail(jim.id).timeline
    assert len(page) == 50
    seen.extend(page)
    while page:
        page = desk.timeline(jim.id, before=seen[-1], limit=50)
        seen.extend(page)
    assert len(seen) == 120
    assert len({e.id for e in seen}) == 120
    assert [e.text for e in seen[:119]] == [f"note {i}" for i in reversed(range(119))]
    assert seen[-1].kind == "created"
    keys = [(e.at, e.id) for e in seen]
    assert keys == sorted(keys, reverse=True)


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_empty_note_or_contact_is_refused(desk, jim, blank):
    """A blank note, contact summary or channel is refused and nothing is appended."""
    with pytest.raises(InvalidInput, match="note"):
        desk.log_note(jim.id, blank)
    with pytest.raises(InvalidInput, match="summary"):
        desk.log_contact(jim.id, "phone", blank)
    with pytest.raises(InvalidInput, match="channel"):
        desk.log_contact(jim.id, blank, "hello")
    assert [e.kind for e in desk.timeline(jim.id)] == ["created"]


@pytest.mark.parametrize("level", [0, 6, "x", None, "", -1])
def test_bad_mood_level_is_refused(desk, jim, level):
    """Mood levels outside 1..5 (or not numbers) are refused; nothing is stored."""
    with pytest.raises(InvalidInput, match="mood level"):
        desk.log_mood(jim.id, level)
    assert desk.detail(jim.id).moods == ()


def test_mood_level_as_a_digit_string_is_accepted(desk, jim):
    """A level typed as "4" is stored as the number 4."""
    desk.log_mood(jim.id, "4")
    assert desk.detail(jim.id).mood.level == 4


def test_naive_due_time_is_refused(desk, jim):
    """A due time without a zone is refused; no follow-up is stored."""
    with pytest.raises(InvalidInput, match="follow-up"):
        desk.log_follow_up(jim.id, datetime(2026, 12, 1, 9, 0), "call")
    assert desk.follow_ups(jim.id) == []


def test_logging_for_unknown_person_is_not_found(desk):
    """Every log call on a missing id raises NotFound."""
    with pytest.raises(NotFound):
        desk.log_note(999, "x")
    with pytest.raises(NotFound):
        desk.log_mood(999, 3)


# -- follow-ups ---------------------------------------------------------------------------


def test_complete_marks_earliest_open_then_the_next(desk, clock, jim):
    """Completing takes the earliest due open follow-up, then the next one."""
    base = clock()
    second = desk.log_follow_up(jim.id, base + timedelta(days=2), "second")
    first = desk.log_follow_up(jim.id, base + timedelta(days=1), "first")
    clock.advance(hours=5)
    done = desk.complete_follow_up(jim.id, "sorted")
    assert done.id == first.id
    bo = Desk(desk.engine, "bo", clock=clock)
    clock.advance(hours=1)
    bo.complete_follow_up(jim.id, "also sorted")
    by_id = {f.id: f for f in desk.follow_ups(jim.id)}
    assert (by_id[first.id].outcome, by_id[first.id].done_by) == ("sorted", "ana")
    assert by_id[first.id].done_at == base + timedelta(hours=5)
    assert (by_id[second.id].outcome, by_id[second.id].done_by) == ("also sorted", "bo")
    assert by_id[second.id].done_at == base + timedelta(hours=6)
    assert desk.detail(jim.id).open_follow_ups == ()


def test_complete_with_nothing_open_is_refused(desk, jim):
    """With no open follow-up, marking done is refused and nothing is appended."""
    with pytest.raises(InvalidInput, match="no open follow-up"):
        desk.complete_follow_up(jim.id, "x")
    desk.log_follow_up(jim.id, datetime(2026, 12, 1, tzinfo=UTC), "x")
    desk.complete_follow_up(jim.id)
    with pytest.raises(InvalidInput):
        desk.complete_follow_up(jim.id)
    assert [e.kind for e in desk.timeline(jim.id)] == ["done", "follow_up", "created"]


# -- attention summary --------------------------------------------------------------------


def test_summary_of_a_new_person(desk, clock, jim):
    """A new person has no mood, no follow-ups, and activity at creation."""
    s = summary(desk, jim.id)
    assert s["name"] == "Jim"
    assert s["s_mood_level"] is None and s["s_next_due"] is None
    assert s["s_open_follow_ups"] == 0
    assert s["s_last_contact"] is None and s["s_problem_at"] is None
    assert s["s_last_activity"] == to_epoch(clock())


def test_summary_follows_every_kind_of_write(desk, clock, jim):
    """Each logging write refreshes the summary; times come from the clock."""
    t = clock.advance(hours=1)
    desk.log_note(jim.id, "n")
    assert summary(desk, jim.id)["s_last_activity"] == to_epoch(t)

    t = clock.advance(hours=1)
    desk.log_contact(jim.id, "mail", "asked about invoice")
    s = summary(desk, jim.id)
    assert s["s_last_contact"] == s["s_last_activity"] == s["s_problem_at"] == to_epoch(t)

    t = clock.advance(hours=1)
    desk.log_mood(jim.id, 4, "fine")
    s = summary(desk, jim.id)
    assert (s["s_mood_level"], s["s_mood_at"], s["s_last_activity"]) == (
        4,
        to_epoch(t),
        to_epoch(t),
    )
    assert s["s_problem_at"] == to_epoch(t - timedelta(hours=1))  # a good mood is no problem

    t = clock.advance(hours=1)
    due_late, due_soon = t + timedelta(days=5), t + timedelta(days=1)
    desk.log_follow_up(jim.id, due_late, "later")
    desk.log_follow_up(jim.id, due_soon, "soon")
    s = summary(desk, jim.id)
    assert (s["s_next_due"], s["s_open_follow_ups"]) == (to_epoch(due_soon), 2)
    assert s["s_last_activity"] == to_epoch(t)

    t = clock.advance(hours=1)
    desk.complete_follow_up(jim.id, "ok")
    s = summary(desk, jim.id)
    assert (s["s_next_due"], s["s_open_follow_ups"]) == (to_epoch(due_late), 1)
    assert s["s_last_done"] == s["s_last_activity"] == to_epoch(t)

    desk.complete_follow_up(jim.id, "ok")
    s = summary(desk, jim.id)
    assert (s["s_next_due"], s["s_open_follow_ups"]) == (None, 0)


def test_bad_mood_is_a_problem_after_the_last_contact(desk, clock, jim):
    """s_problem_at is the latest of the last contact and the last mood of 2 or less."""
    desk.log_contact(jim.id, "phone", "hello")
    t = clock.advance(hours=2)
    desk.log_mood(jim.id, 2, "upset")
    assert summary(desk, jim.id)["s_problem_at"] == to_epoch(t)
    clock.advance(hours=2)
    desk.log_mood(jim.id, 5, "happy again")
    s = summary(desk, jim.id)
    assert s["s_problem_at"] == to_epoch(t) and s["s_mood_level"] == 5


def test_summary_matches_a_recount_from_rows(desk, clock, jim):
    """After a mixed history, the summary equals what plain SQL counts."""
    for i in range(6):
        clock.advance(minutes=7)
        desk.log_follow_up(jim.id, clock() + timedelta(days=6 - i), f"f{i}")
    desk.complete_follow_up(jim.id, "x")
    desk.complete_follow_up(jim.id, "y")
    with desk.engine.connect() as conn:
        open_count = conn.execute(
            text("SELECT count(*) FROM follow_up WHERE person_id = :i AND done_at IS NULL"),
            {"i": jim.id},
        ).scalar_one()
    s = summary(desk, jim.id)
    assert s["s_open_follow_ups"] == open_count == 4
    earliest = min(f.due_at for f in desk.follow_ups(jim.id) if f.is_open)
    assert s["s_next_due"] == to_epoch(earliest)


def test_edit_does_not_count_as_activity(desk, clock, jim):
    """A profile edit is not contact with the person: s_last_activity stays put."""
    before = summary(desk, jim.id)["s_last_activity"]
    clock.advance(days=3)
    desk.edit_person(jim.id, 1, {"phone": "1"})
    assert summary(desk, jim.id)["s_last_activity"] == before


def test_summary_rows_for_everyone_and_for_some(desk, jim):
    """summary_rows() without ids lists everyone; with ids only those."""
    margo = desk.add_person({"name": "Margo"})
    assert {r[0] for r in desk.summary_rows()} == {jim.id, margo.id}
    assert [r[0] for r in desk.summary_rows([margo.id])] == [margo.id]
    assert desk.summary_rows([]) == []
