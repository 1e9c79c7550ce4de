"""Whose person it is, on both backends: take, give, handoff entries, assigned follow-ups,
and check-backs when a follow-up is marked done."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from deskterm.clock import to_epoch
from deskterm.errors import InvalidInput
from deskterm.services import Desk


def rows(desk: Desk, sql: str, **params) -> list[dict]:
    with desk.engine.connect() as conn:
        return [dict(r) for r in conn.execute(text(sql), params).mappings()]


def changes(desk: Desk, person_id: int) -> int:
    return rows(desk, "SELECT count(*) AS n FROM change WHERE person_id = :p", p=person_id)[0]["n"]


def test_take_and_give_write_one_handoff_entry_and_a_change_each(desk, engine, clock):
    bo = Desk(engine, "bo", clock=clock)
    margo = desk.add_person({"name": "Margo"})
    before = changes(desk, margo.id)
    taken = desk.take(margo.id)
    assert taken.owner == "ana" and desk.get_person(margo.id).owner == "ana"
    given = desk.give(margo.id, "bo", "she prefers calls after 3pm")
    assert given.owner == "bo"
    released = bo.give(margo.id, None)
    assert released.owner is None
    handoffs = rows(
        desk,
        "SELECT agent, text, data FROM entry WHERE person_id = :p AND kind = 'handoff' ORDER BY id",
        p=margo.id,
    )
    assert [(h["agent"], h["text"]) for h in handoffs] == [
        ("ana", "nobody → ana"),
        ("ana", "ana → bo: she prefers calls after 3pm"),
        ("bo", "bo → nobody"),
    ]
    assert changes(desk, margo.id) == before + 3
    # The person's version is untouched: an owner change never turns an edit stale.
    assert desk.get_person(margo.id).version == 1
    assert desk.detail(margo.id).timeline[0].kind == "handoff"


def test_giving_to_the_same_owner_writes_nothing(desk):
    jim = desk.add_person({"name": "Jim"})
    desk.take(jim.id)
    before = changes(desk, jim.id)
    assert desk.take(jim.id).owner == "ana"
    assert changes(desk, jim.id) == before
    assert len(rows(desk, "SELECT id FROM entry WHERE kind = 'handoff'")) == 1


@pytest.mark.parametrize("name", ["", "   ", "bo\x1b]0;x\x07", "x" * 101])
def test_an_unusable_agent_name_is_refused_and_nothing_written(desk, name):
    jim = desk.add_person({"name": "Jim"})
    with pytest.raises(InvalidInput):
        desk.give(jim.id, name)
    assert desk.get_person(jim.id).owner is None
    assert not rows(desk, "SELECT id FROM entry WHERE kind = 'handoff'")


def test_agents_seen_on_the_database(desk, engine, clock):
    jim = desk.add_person({"name": "Jim"})
    Desk(engine, "bo", clock=clock).log_note(jim.id, "hello")
    desk.give(jim.id, "cy")
    desk.log_follow_up(jim.id, clock() + timedelta(days=1), "call", assignee="dee")
    assert desk.agents() == ["ana", "bo", "cy", "dee"]
    assert Desk(engine, "zed", clock=clock).agents() == ["ana", "bo", "cy", "dee", "zed"]


def test_follow_ups_are_assigned_to_the_logger_unless_given(desk, clock):
    jim = desk.add_person({"name": "Jim"})
    mine = desk.log_follow_up(jim.id, clock() + timedelta(days=1), "call")
    theirs = desk.log_follow_up(jim.id, clock() + timedelta(days=2), "visit", assignee=" bo ")
    assert (mine.assignee, theirs.assignee) == ("ana", "bo")
    stored = rows(desk, "SELECT agent, assignee FROM follow_up ORDER BY id")
    assert stored == [{"agent": "ana", "assignee": "ana"}, {"agent": "ana", "assignee": "bo"}]
    assert [f.assignee for f in desk.detail(jim.id).open_follow_ups] == ["ana", "bo"]


def test_done_with_a_check_back_logs_it_in_the_same_write(desk, clock):
    jim = desk.add_person({"name": "Jim"})
    desk.log_follow_up(jim.id, clock() + timedelta(hours=1), "refund")
    clock.advance(hours=2)
    check = clock() + timedelta(days=3)
    done = desk.complete_follow_up(jim.id, "refunded", check_back=check)
    assert done.outcome == "refunded"
    (follow_up,) = desk.detail(jim.id).open_follow_ups
    assert follow_up.note == "check back: refund" and follow_up.due_at == check
    assert follow_up.check_back_of == done.id and follow_up.assignee == "ana"
    person = rows(desk, "SELECT s_unconfirmed, s_open_follow_ups FROM person")[0]
    assert person == {"s_unconfirmed": to_epoch(clock()), "s_open_follow_ups": 1}
    # Closing the check-back confirms it: nobody is flagged.
    desk.complete_follow_up(jim.id, "all good, he says")
    assert rows(desk, "SELECT s_unconfirmed FROM person")[0]["s_unconfirmed"] is None


def test_done_without_a_check_back_keeps_the_reason_and_counts_as_unconfirmed(desk, clock):
    jim = desk.add_person({"name": "Jim"})
    desk.log_follow_up(jim.id, clock() + timedelta(hours=1), "refund")
    desk.complete_follow_up(jim.id, "refunded", no_check_back="he confirmed on the phone")
    (entry,) = rows(desk, "SELECT text, data FROM entry WHERE kind = 'done'")
    assert entry["text"] == "refunded"
    assert '"no_check_back": "he confirmed on the phone"' in entry["data"]
    assert desk.detail(jim.id).open_follow_ups == ()
    assert rows(desk, "SELECT s_unconfirmed FROM person")[0]["s_unconfirmed"] == to_epoch(clock())


def test_a_check_back_and_a_reason_together_are_refused(desk, clock):
    jim = desk.add_person({"name": "Jim"})
    desk.log_follow_up(jim.id, clock() + timedelta(hours=1), "refund")
    with pytest.raises(InvalidInput, match="not both"):
        desk.complete_follow_up(
            jim.id, "x", check_back=clock() + timedelta(days=1), no_check_back="no"
        )
    assert len(desk.detail(jim.id).open_follow_ups) == 1
