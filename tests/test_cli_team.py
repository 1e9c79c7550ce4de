"""``deskterm take`` and ``deskterm report`` on both backends."""

from __future__ import annotations

import test_cli
from test_cli import one_line_error

cli, config, desk, margo = (
    test_cli.cli,
    test_cli.config,
    test_cli.desk,
    test_cli.margo,
)  # the same fixtures as the other command-line tests


def test_take_makes_the_person_mine_then_gives_them_away(cli, desk, margo):
    result = cli("take", "margo@fairweather.example")
    assert (result.code, result.out) == (0, "Margo Fairweather is yours now\n")
    again = cli("take", "margo@fairweather.example")
    assert (again.code, again.out) == (0, "Margo Fairweather is already yours\n")
    given = cli("take", str(margo.id), "--to", "bo", "--note", "call before Friday")
    assert (given.code, given.out) == (0, "Margo Fairweather given to bo\n")
    assert desk.get_person(margo.id).owner == "bo"
    released = cli("take", str(margo.id), "--to", "-")
    assert (released.code, released.out) == (0, "Margo Fairweather is nobody's now\n")
    handoffs = [e.text for e in desk.detail(margo.id).timeline if e.kind == "handoff"]
    assert handoffs == ["bo → nobody", "ana → bo: call before Friday", "nobody → ana"]


def test_take_refuses_an_empty_agent_and_an_unknown_person(cli, desk, margo):
    empty = cli("take", str(margo.id), "--to", "  ")
    assert empty.code == 2
    assert one_line_error(empty) == "deskterm: to: an agent name is needed"
    unknown = cli("take", "nobody@example.org")
    assert unknown.code == 2 and "no person matches" in one_line_error(unknown)
    assert desk.get_person(margo.id).owner is None


def test_done_with_a_check_back_or_a_reason(cli, desk, margo):
    assert cli("follow-up", str(margo.id), "1h", "refund").code == 0
    result = cli("done", str(margo.id), "refund sent", "--check-back", "3")
    assert result.code == 0, result.err
    assert result.out.splitlines()[1].startswith("check back due ")
    (check,) = desk.detail(margo.id).open_follow_ups
    assert check.note == "check back: refund" and check.check_back_of is not None
    skipped = cli("done", str(margo.id), "she says all good", "--no-check-back", "confirmed")
    assert skipped.code == 0, skipped.err
    assert desk.detail(margo.id).open_follow_ups == ()
    done = [e for e in desk.detail(margo.id).timeline if e.kind == "done"]
    assert done[0].data["no_check_back"] == "confirmed"


def test_done_refuses_bad_check_back_options_and_stores_nothing(cli, desk, margo):
    assert cli("follow-up", str(margo.id), "1h", "refund").code == 0
    for args in (["--check-back", "0"], ["--no-check-back", " "]):
        result = cli("done", str(margo.id), "x", *args)
        assert result.code == 2 and one_line_error(result).startswith("deskterm: --")
    both = cli("done", str(margo.id), "x", "--check-back", "3", "--no-check-back", "y")
    assert both.code == 2
    assert len(desk.detail(margo.id).open_follow_ups) == 1


def test_follow_up_to_another_agent(cli, desk, margo):
    result = cli("follow-up", str(margo.id), "2d", "call", "back", "--to", "bo")
    assert result.code == 0, result.err
    assert result.out.startswith("follow-up for Margo Fairweather (for bo) due ")
    (made,) = desk.detail(margo.id).open_follow_ups
    assert (made.assignee, made.agent, made.note) == ("bo", "ana", "call back")


def test_report_prints_the_team_view_numbers(cli, desk, margo):
    import json

    assert cli("take", str(margo.id), "--to", "bo").code == 0
    assert cli("follow-up", str(margo.id), "2d", "call").code == 0
    result = cli("report", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert sorted(data) == [
        "agents", "at_risk", "at_risk_total", "follow_up_days", "mood_weeks", "now",
        "people", "risk_weeks",
    ]  # fmt: skip
    assert data["people"] == 1 and len(data["mood_weeks"]) == 12
    assert len(data["follow_up_days"]) == 28 and len(data["risk_weeks"]) == 12
    assert {a["agent"]: a["people"] for a in data["agents"]} == {"bo": 1, "ana": 0}
    assert {a["agent"]: a["open_follow_ups"] for a in data["agents"]} == {"bo": 0, "ana": 1}
    text = cli("report")
    assert text.code == 0, text.err
    assert "per agent (agent · people · open follow-ups · overdue · waiting)" in text.out
    assert "at risk now: 0" in text.out
