"""The team report's numbers against a small desk computed by hand, on both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from deskterm.attention.order import QueueSettings
from deskterm.services import Desk
from deskterm.services.report import team_report
from deskterm.team.report import AgentLoad, DayFollowUps, WeekMood, WeekRisk

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday
UTC_TZ = ZoneInfo("UTC")


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


def small_desk(engine, clock) -> dict[str, int]:
    """Jim (ana's, done on 22 Nov), Margo (overdue), Alecia (very upset on 17 Nov, never
    answered), Dan (bo's, due 25 Nov), Eve (done on 1 Nov, then a call on 12 Nov)."""
    ana, bo = Desk(engine, "ana", clock=clock), Desk(engine, "bo", clock=clock)
    clock.now = at(10, 30)
    ids = {n: ana.add_person({"name": n}).id for n in ("Jim", "Margo", "Alecia", "Dan", "Eve")}
    ana.log_follow_up(ids["Eve"], at(10, 31), "send the form")
    clock.now = at(11, 1)
    ana.complete_follow_up(ids["Eve"], "sent")
    clock.now = at(11, 12)
    ana.log_contact(ids["Eve"], "phone", "she called about the form")
    clock.now = at(11, 16, 12)
    ana.log_mood(ids["Jim"], 4)
    clock.now = at(11, 17)
    ana.log_mood(ids["Alecia"], 1, "her cat is at the vet")
    clock.now = at(11, 20)
    ana.log_follow_up(ids["Margo"], at(11, 21), "call back")
    ana.log_follow_up(ids["Jim"], at(11, 22), "refund")
    bo.log_follow_up(ids["Dan"], at(11, 25), "visit")
    clock.now = at(11, 22, 12)
    ana.complete_follow_up(ids["Jim"], "refunded")
    clock.now = at(11, 23, 9)
    ana.log_mood(ids["Margo"], 2, "in a hurry")
    ana.take(ids["Jim"])
    bo.take(ids["Dan"])
    clock.now = NOW
    return ids


def test_the_report_matches_the_hand_computed_desk(engine, clock):
    ids = small_desk(engine, clock)
    desk = Desk(engine, "ana", clock=clock)
    report = team_report(desk, now_fn=clock, tz=UTC_TZ, settings=QueueSettings())

    assert report.people == 5
    weeks = {w.start: w for w in report.mood_weeks}
    assert len(report.mood_weeks) == 12 and report.mood_weeks[-1].start == date(2026, 11, 23)
    assert weeks[date(2026, 11, 16)] == WeekMood(date(2026, 11, 16), 2, 2.5, 1)
    assert weeks[date(2026, 11, 23)] == WeekMood(date(2026, 11, 23), 1, 2.0, 1)
    assert sum(w.moods for w in report.mood_weeks) == 3

    days = {d.day: d for d in report.follow_up_days}
    assert len(days) == 28 and min(days) == date(2026, 11, 9) and max(days) == date(2026, 12, 6)
    assert days[date(2026, 11, 21)] == DayFollowUps(date(2026, 11, 21), 1, 1)  # overdue
    assert days[date(2026, 11, 22)] == DayFollowUps(date(2026, 11, 22), 1, 0)  # done
    assert days[date(2026, 11, 25)] == DayFollowUps(date(2026, 11, 25), 1, 1)
    assert sum(d.due for d in report.follow_up_days) == 3  # Eve's was due 31 Oct

    assert report.agents == (
        AgentLoad("ana", people=1, open_follow_ups=1, overdue=1, waiting=0),
        AgentLoad("bo", people=1, open_follow_ups=1, overdue=0, waiting=0),
        AgentLoad(None, people=3, open_follow_ups=0, overdue=0, waiting=0),
    )

    risk = {w.start: w.people for w in report.risk_weeks}
    assert risk[date(2026, 11, 2)] == 1  # Eve: done 1 Nov, unconfirmed 8 Nov, call 12 Nov
    assert risk[date(2026, 11, 9)] == 0
    assert risk[date(2026, 11, 16)] == 1  # Alecia, unanswered since 19 Nov
    assert risk[date(2026, 11, 23)] == 1  # Margo's mood is too fresh; Jim's done too
    assert sum(risk.values()) == 3
    assert report.risk_weeks == tuple(WeekRisk(w.start, risk[w.start]) for w in report.mood_weeks)

    assert report.at_risk_total == 2
    assert [(p.id, p.risk, p.reason) for p in report.at_risk] == [
        (ids["Eve"], "problem", "at risk: open problem, no follow-up"),
        (ids["Alecia"], "unanswered", "at risk: bad mood, not heard from us since (6d)"),
    ]
    data = report.to_json()
    assert sorted(data) == [
        "agents", "at_risk", "at_risk_total", "follow_up_days", "mood_weeks", "now",
        "people", "risk_weeks",
    ]  # fmt: skip
    assert data["mood_weeks"][-1] == {"start": "2026-11-23", "moods": 1, "average": 2.0, "bad": 1}


def test_a_week_later_jims_done_is_unconfirmed(engine, clock):
    ids = small_desk(engine, clock)
    clock.now = NOW + timedelta(days=7)
    desk = Desk(engine, "ana", clock=clock)
    report = team_report(desk, now_fn=clock, tz=UTC_TZ, settings=QueueSettings())
    reasons = {p.id: p.reason for p in report.at_risk}
    assert reasons[ids["Jim"]] == "at risk: done, never confirmed (7d)"
    assert report.risk_weeks[-1].people == 3  # Alecia, Margo (unanswered) and Jim
