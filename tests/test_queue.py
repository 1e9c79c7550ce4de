"""The attention queue: who comes first, and the reason each row gives."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from deskterm.attention.order import _span
from deskterm.queue import (
    CATEGORIES,
    NOT_QUEUED,
    QueueRow,
    QueueSettings,
    Summary,
    SummaryTable,
    mood_mark,
    order_queue,
)

NOW = int(datetime(2026, 11, 24, 12, 0, tzinfo=UTC).timestamp())  # a Tuesday
MIN, HOUR, DAY = 60, 3600, 86_400
UTC_TZ = ZoneInfo("UTC")


def person(
    pid: int,
    name: str | None = None,
    *,
    mood: int | None = None,
    mood_at: int | None = None,
    due: int | None = None,
    opens: int | None = None,
    contact: int | None = None,
    done: int | None = None,
    problem: int | None = None,
    activity: int | None = None,
) -> Summary:
    """A summary; open follow-ups default to 1 when a due time is given, activity to the latest."""
    if activity is None:
        known = [t for t in (mood_at, contact, done, problem) if t is not None]
        activity = max(known) if known else None
    return Summary(
        pid,
        name or f"Person {pid}",
        mood,
        mood_at,
        due,
        (1 if due is not None else 0) if opens is None else opens,
        contact,
        done,
        problem,
        activity,
    )


def queue_of(*people: Summary, tz: ZoneInfo = UTC_TZ, **settings: object):
    return order_queue(
        SummaryTable.from_rows(people), now=NOW, tz=tz, settings=QueueSettings(**settings)
    )


def lines(queue) -> list[tuple[int, str, str]]:
    return [(int(queue.ids[p]), queue.category(p), queue.reason(p)) for p in range(len(queue))]


# --- each rule alone ------------------------------------------------------------------


def test_overdue_most_overdue_first_with_compact_spans():
    q = queue_of(
        person(1, due=NOW - 2 * DAY - HOUR),
        person(2, due=NOW - 3 * HOUR),
        person(3, due=NOW - 3 * 7 * DAY),
        person(4, due=NOW - 5 * MIN),
    )
    assert lines(q) == [
        (3, "overdue", "overdue 3w"),
        (1, "overdue", "overdue 2d"),
        (2, "overdue", "overdue 3h"),
        (4, "overdue", "overdue 5m"),
    ]


def test_due_exactly_now_is_due_today_and_a_second_ago_is_overdue():
    q = queue_of(person(1, due=NOW), person(2, due=NOW - 1))
    assert lines(q) == [(2, "overdue", "overdue <1m"), (1, "due_today", "due today 12:00")]


def test_due_today_soonest_first_in_the_agents_local_time():
    paris = ZoneInfo("Europe/Paris")  # NOW is 13:00 there
    q = queue_of(person(1, due=NOW + 3 * HOUR + 30 * MIN), person(2, due=NOW + HOUR), tz=paris)
    assert lines(q) == [
        (2, "due_today", "due today 14:00"),
        (1, "due_today", "due today 16:30"),
    ]


def test_bad_mood_worst_first_then_longest_waiting_since_mood_or_contact():
    q = queue_of(
        person(1, mood=2, mood_at=NOW - 3 * HOUR),
        person(2, mood=1, mood_at=NOW - HOUR),
        person(3, mood=2, mood_at=NOW - 5 * HOUR, contact=NOW - 4 * HOUR),
        person(4, mood=3, mood_at=NOW - HOUR),  # "okay" is not a bad mood by default
    )
    assert lines(q)[:3] == [
        (2, "bad_mood", "very upset · waiting 1h"),
        (3, "bad_mood", "frustrated · waiting 4h"),
        (1, "bad_mood", "frustrated · waiting 3h"),
    ]
    assert q.category(3) == "rest"


def test_a_bad_mood_older_than_quiet_days_is_no_longer_waiting():
    answered = person(1, mood=1, mood_at=NOW - 8 * DAY, contact=NOW - 8 * DAY + 60)
    answered = replace(answered, last_activity=NOW - DAY)  # a note yesterday
    assert lines(queue_of(answered)) == [(1, "rest", "last contact 7d ago")]
    edge = person(2, mood=1, mood_at=NOW - 7 * DAY, contact=NOW - 7 * DAY + 1)
    assert queue_of(replace(edge, last_activity=NOW - DAY)).category(0) == "rest"


def test_a_bad_mood_never_answered_is_at_risk_after_unanswered_days():
    old = person(1, mood=1, mood_at=NOW - 8 * DAY, activity=NOW - DAY)  # a note yesterday
    assert lines(queue_of(old)) == [
        (1, "at_risk", "at risk: bad mood, not heard from us since (8d)")
    ]
    upset = person(2, mood=2, mood_at=NOW - 3 * DAY, contact=NOW - 5 * DAY)
    assert queue_of(upset).category(0) == "bad_mood"  # the queue shows "waiting" first
    assert lines(queue_of(upset, order=("at_risk", *CATEGORIES[:4], "rest")))[0] == (
        2,
        "at_risk",
        "at risk: bad mood, not heard from us since (3d)",
    )
    recent = person(3, mood=2, mood_at=NOW - 1 * DAY)
    assert queue_of(recent, order=("at_risk", *CATEGORIES[:4], "rest")).category(0) == "bad_mood"


def test_done_without_check_back_is_at_risk_until_heard_from():
    done = replace(person(1, done=NOW - 8 * DAY), unconfirmed=NOW - 8 * DAY)
    assert lines(queue_of(done)) == [(1, "at_risk", "at risk: done, never confirmed (8d)")]
    fresh = replace(person(2, done=NOW - 2 * DAY), unconfirmed=NOW - 2 * DAY)
    assert queue_of(fresh).category(0) == "rest"  # within confirm_days
    assert queue_of(fresh, confirm_days=1).category(0) == "at_risk"
    heard = replace(
        person(3, done=NOW - 8 * DAY, mood=4, mood_at=NOW - DAY), unconfirmed=NOW - 8 * DAY
    )
    assert queue_of(heard).category(0) == "rest"  # a mood since: we heard back
    planned = replace(person(4, done=NOW - 8 * DAY, due=NOW + DAY), unconfirmed=NOW - 8 * DAY)
    assert queue_of(planned).category(0) == "rest"  # a check-back (or any follow-up) is due
    checked = person(5, done=NOW - 8 * DAY)  # done was the check-back: no unconfirmed time
    assert queue_of(checked).category(0) == "rest"


def test_at_risk_quiet_after_a_bad_mood_even_with_a_later_follow_up():
    quiet = person(1, mood=2, mood_at=NOW - 9 * DAY, due=NOW + 30 * DAY)
    assert lines(queue_of(quiet)) == [(1, "at_risk", "at risk: quiet 9d after a bad mood")]
    exactly = person(2, mood=1, mood_at=NOW - 7 * DAY)  # quiet for exactly quiet_days
    assert lines(queue_of(exactly)) == [(2, "at_risk", "at risk: quiet 7d after a bad mood")]


def test_at_risk_open_problem_without_follow_up():
    q = queue_of(
        person(1, contact=NOW - 2 * DAY, problem=NOW - 2 * DAY),
        person(2, contact=NOW - 2 * DAY, problem=NOW - 2 * DAY, done=NOW - DAY),  # solved
        person(3, contact=NOW - 2 * DAY, problem=NOW - 2 * DAY, due=NOW + 3 * DAY),  # followed
        person(4, contact=NOW - DAY, problem=NOW - DAY, done=NOW - 2 * DAY),  # reopened
    )
    assert lines(q) == [
        (1, "at_risk", "at risk: open problem, no follow-up"),
        (4, "at_risk", "at risk: open problem, no follow-up"),
        (3, "rest", "due Fri 27 Nov"),
        (2, "rest", "last contact 2d ago"),
    ]


def test_at_risk_longest_quiet_or_oldest_problem_first():
    q = queue_of(
        person(1, mood=1, mood_at=NOW - 20 * DAY),
        person(2, problem=NOW - 30 * DAY),
        person(3, mood=2, mood_at=NOW - 8 * DAY),
        person(4, problem=NOW - HOUR),
    )
    assert [i for i, _, _ in lines(q)] == [2, 1, 3, 4]
    assert q.reason(1) == "at risk: quiet 2w after a bad mood"
    assert q.reason(2) == "at risk: quiet 8d after a bad mood"


def test_both_at_risk_reasons_show_the_bad_mood_one():
    both = person(1, mood=1, mood_at=NOW - 10 * DAY, problem=NOW - 10 * DAY)
    assert queue_of(both).reason(0) == "at risk: quiet 10d after a bad mood"


def test_rest_follow_ups_then_recent_contacts_then_never_contacted_by_name():
    q = queue_of(
        person(1, "Never A", due=NOW + 5 * DAY),
        person(2, "bob"),
        person(3, due=NOW + 2 * DAY),
        person(4, contact=NOW - 3 * DAY, done=NOW - 3 * DAY),
        person(5, "Émile"),
        person(6, contact=NOW - HOUR, done=NOW - HOUR),
        person(7, "zoe"),
        person(20, "Sam"),
        person(10, "sam"),
        person(8, "Alice"),
        person(9, due=int(datetime(2027, 1, 1, 9, tzinfo=UTC).timestamp())),
    )
    assert lines(q) == [
        (3, "rest", "due Thu 26 Nov"),
        (1, "rest", "due Sun 29 Nov"),
        (9, "rest", "due Fri 1 Jan 2027"),
        (6, "rest", "last contact 1h ago"),
        (4, "rest", "last contact 3d ago"),
        (8, "rest", "no contact yet"),
        (2, "rest", "no contact yet"),
        (5, "rest", "no contact yet"),
        (10, "rest", "no contact yet"),  # "sam" and "Sam" tie on name: lower id first
        (20, "rest", "no contact yet"),
        (7, "rest", "no contact yet"),
    ]


# --- precedence and configuration -----------------------------------------------------


def test_precedence_overdue_beats_bad_mood_which_beats_at_risk():
    q = queue_of(
        person(1, mood=1, mood_at=NOW - HOUR, due=NOW - DAY),  # upset and overdue
        person(2, mood=1, mood_at=NOW - HOUR, due=NOW + HOUR),  # upset and due today
        person(3, mood=2, mood_at=NOW - 10 * DAY, due=NOW - 2 * DAY),  # quiet and overdue
        person(4, mood=2, mood_at=NOW - HOUR, problem=NOW - HOUR),  # upset, open problem
    )
    assert [(i, c) for i, c, _ in lines(q)] == [
        (3, "overdue"),
        (1, "overdue"),
        (2, "due_today"),
        (4, "bad_mood"),
    ]
    assert q.reason(1) == "overdue 1d"


def test_custom_order_changes_both_precedence_and_block_order():
    people = (
        person(1, mood=1, mood_at=NOW - HOUR, due=NOW - DAY),
        person(2, due=NOW - 2 * DAY),
        person(3, problem=NOW - DAY),
        person(4),
    )
    q = queue_of(*people, order=("bad_mood", "at_risk", "overdue", "due_today", "rest"))
    assert [(i, c) for i, c, _ in lines(q)] == [
        (1, "bad_mood"),
        (3, "at_risk"),
        (2, "overdue"),
        (4, "rest"),
    ]
    q = queue_of(*people, order=["rest", "overdue", "due_today", "bad_mood", "at_risk"])
    assert [i for i, _, _ in lines(q)] == [4, 2, 1, 3]


def test_custom_thresholds_and_labels():
    people = (
        person(1, mood=3, mood_at=NOW - HOUR),
        person(2, mood=2, mood_at=NOW - 4 * DAY),
    )
    default = queue_of(*people)
    assert lines(default) == [
        (2, "bad_mood", "frustrated · waiting 4d"),
        (1, "rest", "no contact yet"),
    ]
    labels = ("awful", "grumpy", "meh", "fine", "great")
    custom = queue_of(*people, quiet_days=3, bad_mood_max=3, labels=labels)
    assert lines(custom) == [
        (1, "bad_mood", "meh · waiting 1h"),
        (2, "at_risk", "at risk: quiet 4d after a bad mood"),
    ]


@pytest.mark.parametrize(
    "settings",
    [
        {"order": ("overdue", "due_today", "bad_mood", "at_risk")},
        {"order": ("overdue", "overdue", "due_today", "bad_mood", "at_risk")},
        {"order": ("overdue", "today", "bad_mood", "at_risk", "rest")},
        {"labels": ("a", "b", "c", "d")},
        {"quiet_days": -1},
        {"bad_mood_max": 6},
    ],
)
def test_bad_settings_are_refused(settings):
    with pytest.raises(ValueError):
        QueueSettings(**settings)


# --- the agent's time zone --------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "tomorrow"),
    [("Pacific/Auckland", "Thu 26 Nov"), ("America/Los_Angeles", "Wed 25 Nov")],
)
def test_today_ends_at_local_midnight(zone, tomorrow):
    tz = ZoneInfo(zone)
    today = datetime.fromtimestamp(NOW, tz).date()
    late = int(datetime.combine(today, time(23, 30), tz).timestamp())
    early = int(datetime.combine(today + timedelta(days=1), time(0, 30), tz).timestamp())
    q = queue_of(person(1, due=late), person(2, due=early), tz=tz)
    assert lines(q) == [(1, "due_today", "due today 23:30"), (2, "rest", f"due {tomorrow}")]
    # Judged in UTC instead, 23:30 local falls on another day: the zone matters.
    assert queue_of(person(1, due=late)).category(0) == "rest"


# --- the Queue object -------------------------------------------------------------------


def test_counts_rank_by_id_and_position_of():
    q = queue_of(
        person(5, due=NOW - DAY),
        person(2, mood=1, mood_at=NOW - HOUR),
        person(9),
        person(7, due=NOW + HOUR),
    )
    assert q.counts == {
        "overdue": 1,
        "due_today": 1,
        "waiting": 0,
        "bad_mood": 1,
        "at_risk": 0,
        "rest": 1,
    }
    assert list(q.counts) == list(CATEGORIES)
    assert q.ids.tolist() == [5, 7, 2, 9]
    rank = q.rank_by_id
    assert rank.dtype.kind == "i" and len(rank) == 10
    assert [int(rank[i]) for i in (5, 7, 2, 9)] == [0, 1, 2, 3]
    assert all(rank[i] == NOT_QUEUED for i in (0, 1, 3, 4, 6, 8))
    assert len(q) < NOT_QUEUED
    assert q.position_of(2) == 2
    assert q.position_of(3) is None and q.position_of(99) is None and q.position_of(-1) is None
    assert q.ranks_of(np.array([9, 3, 1000, -5])).tolist() == [3] + [NOT_QUEUED] * 3


def test_huge_sparse_ids_tie_by_id_and_are_found_without_a_huge_array():
    big = 2**40
    q = queue_of(person(big, "Sam"), person(big - 5, "sam"), person(3, "SAM"))
    assert q.ids.tolist() == [3, big - 5, big]
    assert q.position_of(big) == 2 and q.position_of(big - 1) is None
    assert q.ranks_of([big - 5, 3, 4, -1]).tolist() == [1, 0, NOT_QUEUED, NOT_QUEUED]


def test_rows_and_positions():
    q = queue_of(person(1, "Jim", mood=4, mood_at=NOW - DAY), person(2, "Margo", due=NOW - DAY))
    assert q.row(0) == QueueRow(2, "Margo", None, "overdue", "overdue 1d")
    assert q.row(-1) == QueueRow(1, "Jim", 4, "rest", "no contact yet")
    assert q.rows(0, 10) == [q.row(0), q.row(1)]
    with pytest.raises(IndexError):
        q.reason(2)
    with pytest.raises(IndexError):
        q.row(-3)


def test_counts_follow_a_custom_order_and_settings_accept_lists():
    settings = QueueSettings(order=["rest", "at_risk", "bad_mood", "due_today", "overdue"])
    # An order written before mail came gets "waiting" just before "bad_mood".
    assert settings.order == ("rest", "at_risk", "waiting", "bad_mood", "due_today", "overdue")
    q = order_queue(SummaryTable.from_rows([person(1)]), now=NOW, tz=UTC_TZ, settings=settings)
    assert next(iter(q.counts.items())) == ("rest", 1)


def test_empty_table():
    q = order_queue(SummaryTable(), now=NOW, tz=UTC_TZ)
    assert len(q) == 0 and q.ids.tolist() == []
    assert q.counts == dict.fromkeys(CATEGORIES, 0)
    assert len(q.rank_by_id) == 0
    assert q.position_of(1) is None
    assert q.rows(0, 20) == []
    assert q.ranks_of([1]).tolist() == [NOT_QUEUED]
    assert len(order_queue(SummaryTable.from_rows([]), now=NOW, tz=UTC_TZ)) == 0


# --- keeping the table current -----------------------------------------------------------


def test_upsert_and_remove_then_reorder():
    table = SummaryTable.from_rows([person(i, f"P{i}") for i in range(1, 6)])
    assert order_queue(table, now=NOW, tz=UTC_TZ).ids.tolist() == [1, 2, 3, 4, 5]
    table.upsert(person(4, "P4", due=NOW - HOUR))  # a follow-up went overdue
    table.upsert(person(6, "P0", mood=1, mood_at=NOW - MIN))  # someone new, upset
    table.remove(2)
    table.remove(2)  # already gone: nothing happens
    q = order_queue(table, now=NOW, tz=UTC_TZ)
    assert lines(q)[:2] == [
        (4, "overdue", "overdue 1h"),
        (6, "bad_mood", "very upset · waiting 1m"),
    ]
    assert q.ids.tolist()[2:] == [1, 3, 5]
    assert len(table) == 5 and table.get(2) is None and 2 not in table
    assert table.get(6) == person(6, "P0", mood=1, mood_at=NOW - MIN)


def test_remove_moves_the_last_row_without_mixing_people_up():
    people = [person(i, f"P{i}", mood=i % 5 + 1, mood_at=NOW - i, due=NOW + i) for i in range(1, 8)]
    table = SummaryTable.from_rows(people)
    table.remove(3)
    table.remove(1)
    for s in people:
        assert table.get(s.id) == (None if s.id in (1, 3) else s)
    table.upsert(people[0])
    assert table.get(1) == people[0] and len(table) == 6


def test_a_computed_queue_does_not_change_when_the_table_does():
    table = SummaryTable.from_rows([person(1, "Jim"), person(2, "Margo")])
    q = order_queue(table, now=NOW, tz=UTC_TZ)
    table.upsert(person(1, "Jimmy", due=NOW - DAY))
    table.remove(2)
    assert [q.row(p).name for p in range(2)] == ["Jim", "Margo"]
    assert q.category(0) == "rest"
    assert order_queue(table, now=NOW, tz=UTC_TZ).row(0).name == "Jimmy"


def test_new_names_slot_into_name_order_after_an_ordering():
    table = SummaryTable.from_rows([person(1, "a"), person(2, "b")])
    order_queue(table, now=NOW, tz=UTC_TZ)  # builds the name index
    rebuilt = False
    # Each name lands just after "a", halving the same gap until it is used up.
    for i in range(60):
        table.upsert(person(10 + i, "a" + chr(0x4E00 - i)))
        rebuilt |= table._index is None
        q = order_queue(table, now=NOW, tz=UTC_TZ)
        names = [q.row(p).name for p in range(len(q))]
        assert names == sorted(names)
    assert rebuilt  # the used-up gap forced a rebuild, and order stayed right
    table.upsert(person(1, "c"))  # a rename moves the person
    assert order_queue(table, now=NOW, tz=UTC_TZ).ids.tolist()[-1] == 1


def test_long_names_sharing_a_prefix_still_sort_by_the_whole_name():
    stem = "Alexandra Konstantinopoulou-Wetherby "  # longer than numpy's sort prefix
    names = [stem + s for s in ("Zed", "amy", "Bo", "amy")] + ["Ann", stem[:-1]]
    q = queue_of(*(person(i, n) for i, n in enumerate(names, start=1)))
    assert [q.row(p).name for p in range(len(q))] == [
        stem[:-1],
        stem + "amy",
        stem + "amy",
        stem + "Bo",
        stem + "Zed",
        "Ann",
    ]
    assert q.ids.tolist()[1:3] == [2, 4]


def test_from_columns_accepts_none_and_numpy_and_round_trips():
    table = SummaryTable.from_columns(
        np.array([7, 3]),
        ["Jim", "Zoë"],
        [None, 2],
        [None, NOW - HOUR],
        np.array([NOW - DAY, NOW + DAY]),
        (1, 1),
        [None, None],
        [NOW - 2 * DAY, None],
        [None, NOW - HOUR],
        [NOW, NOW - HOUR],
    )
    assert table.get(7) == Summary(
        7, "Jim", None, None, NOW - DAY, 1, None, NOW - 2 * DAY, None, NOW
    )
    assert table.get(3) == Summary(
        3, "Zoë", 2, NOW - HOUR, NOW + DAY, 1, None, None, NOW - HOUR, NOW - HOUR
    )
    assert order_queue(table, now=NOW, tz=UTC_TZ).ids.tolist() == [7, 3]


def test_bad_summaries_are_refused_without_changing_the_table():
    with pytest.raises(ValueError, match="duplicate"):
        SummaryTable.from_rows([person(1), person(1)])
    with pytest.raises(ValueError, match="expected 2"):
        SummaryTable.from_columns(
            [1, 2], ["a", "b"], [None], *([[None, None]] * 2), [0, 0], *([[None, None]] * 4)
        )
    with pytest.raises(ValueError, match="mood_level"):
        SummaryTable.from_rows([Summary(1, "a", 9, None, None, 0, None, None, None, None)])
    table = SummaryTable.from_rows([person(1, "Jim")])
    with pytest.raises(ValueError, match="mood level"):
        table.upsert(Summary(1, "Jim", 0, NOW, None, 0, None, None, None, None))
    with pytest.raises(ValueError, match="negative"):
        table.upsert(person(-4))
    assert table.get(1) == person(1, "Jim") and len(table) == 1


# --- against a plain restatement of the rules ----------------------------------------------


def reference_order(people: list[Summary], now: int, tz: ZoneInfo, st: QueueSettings) -> list:
    """The rules written out person by person: (id, category) in queue order."""
    local = datetime.fromtimestamp(now, tz).date() + timedelta(days=1)
    midnight = datetime(local.year, local.month, local.day, tzinfo=tz).timestamp()
    quiet_start = now - st.quiet_days * DAY

    def place(s: Summary) -> tuple:
        times = (s.last_activity, s.mood_at, s.last_contact, s.last_done, s.problem_at)
        known = [t for t in times if t is not None]
        active = max(known) if known else None
        bad = s.mood_level is not None and s.mood_level <= st.bad_mood_max
        quiet = bad and active is not None and active <= quiet_start
        nothing_planned = s.open_follow_ups == 0 and s.next_due is None
        problem = (
            s.problem_at is not None
            and (s.last_done is None or s.problem_at > s.last_done)
            and nothing_planned
        )
        unanswered = (
            bad
            and s.mood_at is not None
            and (s.last_contact is None or s.last_contact < s.mood_at)
            and s.mood_at <= now - st.unanswered_days * DAY
        )
        heard = max((t for t in (s.last_contact, s.mood_at) if t is not None), default=None)
        unconfirmed = (
            s.unconfirmed is not None
            and (heard is None or heard <= s.unconfirmed)
            and nothing_planned
            and s.unconfirmed <= now - st.confirm_days * DAY
        )
        tests = {
            "overdue": s.next_due is not None and s.next_due < now,
            "due_today": s.next_due is not None and now <= s.next_due < midnight,
            "waiting": s.waiting_since is not None
            and s.waiting_since <= now - st.waiting_minutes * 60,
            "bad_mood": bad and s.mood_at is not None and s.mood_at > quiet_start,
            "at_risk": quiet or unanswered or unconfirmed or problem,
        }
        # "rest" is whoever meets none of the other tests, wherever it sits in the order.
        cat = next((c for c in st.order if c != "rest" and tests[c]), "rest")
        if cat in ("overdue", "due_today"):
            key = (s.next_due,)
        elif cat == "waiting":
            key = (s.waiting_since,)
        elif cat == "bad_mood":
            key = (s.mood_level, max(s.mood_at, s.last_contact or 0))
        elif cat == "at_risk":
            since = [active, s.mood_at, s.unconfirmed, s.problem_at]
            first = [quiet, unanswered, unconfirmed, problem].index(True)
            key = (since[first],)
        elif s.next_due is not None:
            key = (0, s.next_due)
        elif s.last_contact is not None:
            key = (1, -s.last_contact)
        else:
            key = (2,)
        name = unicodedata.normalize("NFKD", s.name.casefold())
        return (st.order.index(cat), key, name, s.id, cat)

    return [(p[3], p[4]) for p in sorted(place(s) for s in people)]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_matches_the_rules_on_random_people_with_many_ties(seed):
    rnd = random.Random(seed)
    names = ["Jim", "jim", "Margo", "Zoë", "Zoe", "Müller", "muller", "Алиса", "李", "Ann"]

    def when() -> int | None:
        return rnd.choice([None, None, NOW + rnd.randrange(-40, 20) * 6 * HOUR])

    people = []
    for pid in rnd.sample(range(1, 10_000), 2000):
        due = when()
        people.append(
            Summary(
                pid, rnd.choice(names), rnd.choice([None, 1, 2, 3, 4, 5]), when(), due,
                rnd.choice([0, 0, 1, 2]) if due is None else rnd.randint(1, 3),
                when(), when(), when(), when(), when(), waiting_since=when(),
            )
        )  # fmt: skip
    order = list(CATEGORIES)
    rnd.shuffle(order)
    st = QueueSettings(
        quiet_days=rnd.choice([0, 3, 7]),
        bad_mood_max=rnd.choice([1, 2, 3]),
        order=tuple(order),
        unanswered_days=rnd.choice([0, 2, 5]),
        confirm_days=rnd.choice([0, 3, 7]),
        waiting_minutes=rnd.choice([0, 30, 600]),
    )
    tz = ZoneInfo(rnd.choice(["Pacific/Auckland", "America/Los_Angeles", "Asia/Kolkata"]))
    q = order_queue(SummaryTable.from_rows(people), now=NOW, tz=tz, settings=st)
    got = [(int(q.ids[p]), q.category(p)) for p in range(len(q))]
    assert got == reference_order(people, NOW, tz, st)
    for p in range(len(q)):
        assert q.reason(p)  # every row can say why


def test_100k_people_are_ordered_correctly():
    n = 100_000
    rng = np.random.default_rng(7)
    due = rng.integers(NOW - 30 * DAY, NOW + 30 * DAY, n).astype(object)
    due[rng.random(n) < 0.6] = None
    level = rng.integers(1, 6, n).astype(object)
    level[rng.random(n) < 0.3] = None
    mood_at = rng.integers(NOW - 30 * DAY, NOW, n)
    contact = rng.integers(NOW - 60 * DAY, NOW, n).astype(object)
    contact[rng.random(n) < 0.5] = None
    waiting = rng.integers(NOW - 3 * DAY, NOW, n).astype(object)
    waiting[rng.random(n) < 0.9] = None
    ids = rng.permutation(n) + 1
    table = SummaryTable.from_columns(
        ids, [f"Person {i}" for i in ids], list(level), mood_at, list(due),
        [0 if d is None else 1 for d in due], list(contact), [None] * n, [None] * n, mood_at,
        waiting_since=list(waiting),
    )  # fmt: skip
    q = order_queue(table, now=NOW, tz=ZoneInfo("Europe/Berlin"))
    assert len(q) == n and len(np.unique(q.ids)) == n
    assert sum(q.counts.values()) == n and all(q.counts.values())
    overdue = [d for d in due if d is not None and d < NOW]
    first = int(q.ids[0])
    assert q.category(0) == "overdue" and table.get(first).next_due == min(overdue)
    last_overdue = len(overdue) - 1
    assert q.category(last_overdue) == "overdue" and q.category(last_overdue + 1) == "due_today"
    assert q.reason(0) == "overdue 4w"
    for pid in rng.choice(ids, 20):
        assert q.ids[q.position_of(int(pid))] == pid
    tail = [q.row(p) for p in range(n - 50, n)]
    assert all(r.reason == "no contact yet" for r in tail)
    assert [r.name.casefold() for r in tail] == sorted(r.name.casefold() for r in tail)


# --- small helpers ---------------------------------------------------------------------------


def test_mood_marks_are_single_narrow_characters():
    assert [mood_mark(level) for level in (None, 1, 2, 3, 4, 5)] == list("·▁▂▄▆█")
    assert mood_mark(0) == "▁" and mood_mark(9) == "█"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-5, "<1m"),
        (59, "<1m"),
        (60, "1m"),
        (3599, "59m"),
        (3600, "1h"),
        (DAY - 1, "23h"),
        (DAY, "1d"),
        (13 * DAY, "13d"),
        (14 * DAY, "2w"),
        (100 * DAY, "14w"),
    ],
)
def test_span(seconds, text):
    assert _span(seconds) == text


def test_waiting_people_rise_with_how_long_they_have_waited():
    """Mail nobody answered: "wrote 20m ago · waiting", longest wait first, after the
    configured minutes; a bad mood alone stays below."""
    people = [
        Summary(1, "Ann", None, None, None, 0, None, None, None, NOW, waiting_since=NOW - 20 * 60),
        Summary(2, "Bob", None, None, None, 0, None, None, None, NOW, waiting_since=NOW - 3 * HOUR),
        Summary(3, "Cy", 1, NOW - HOUR, None, 0, None, None, NOW - HOUR, NOW - HOUR),
        Summary(4, "Di", None, None, None, 0, None, None, None, NOW, waiting_since=NOW - 5 * 60),
    ]
    q = order_queue(
        SummaryTable.from_rows(people),
        now=NOW,
        tz=UTC_TZ,
        settings=QueueSettings(waiting_minutes=10),
    )
    assert [(r.id, r.reason) for r in q.rows(0, 3)] == [
        (2, "wrote 3h ago · waiting"),
        (1, "wrote 20m ago · waiting"),
        (3, "very upset · waiting 1h"),
    ]
    assert q.category(3) == "rest" and q.counts["waiting"] == 2


def test_people_are_found_by_id_whether_ids_are_dense_or_far_apart() -> None:
    """Ids counting up from 1 and ids far apart (a billion) both find their row."""
    table = SummaryTable.from_rows(
        Summary(i, f"P{i}", None, None, None, 0, None, None, None, None) for i in (1, 2, 3)
    )
    for pid in (70_000, 10**12, 5):
        table.upsert(Summary(pid, f"P{pid}", 3, None, None, 0, None, None, None, None))
    table.remove(2)
    assert [table.get(pid).name for pid in (1, 3, 5, 70_000, 10**12)] == [
        "P1",
        "P3",
        "P5",
        "P70000",
        f"P{10**12}",
    ]
    assert table.get(2) is None and 2 not in table and 10**12 in table and len(table) == 5
    sparse = SummaryTable.from_columns(
        [7, 10**12], ["A", "B"], *[[None, None]] * 3, [0, 0], *[[None, None]] * 4
    )
    assert sparse.get(10**12).name == "B" and sparse.get(7).name == "A" and 8 not in sparse
