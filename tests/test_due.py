"""The follow-up due-expression parser: every form, the note split, errors, DST, previews."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from deskterm.due import (
    DueError,
    ParsedDue,
    describe_due,
    humanize_span,
    parse_due,
    parse_due_only,
)
from deskterm.errors import InvalidInput

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN)  # a Monday
NOW_NY = datetime(2026, 11, 23, 10, 0, tzinfo=NEW_YORK)


def local(text: str, now: datetime = NOW, tz: ZoneInfo = BERLIN, **kw) -> datetime:
    """The parsed due of ``text`` as a naive local wall time (easy to compare)."""
    return parse_due(text, now=now, tz=tz, **kw).due.astimezone(tz).replace(tzinfo=None)


def error(text: str, now: datetime = NOW, tz: ZoneInfo = BERLIN, **kw) -> str:
    """The DueError message for ``text``."""
    with pytest.raises(DueError) as info:
        parse_due(text, now=now, tz=tz, **kw)
    return str(info.value)


# --- forms -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", datetime(2026, 11, 23, 10, 30)),
        ("3h", datetime(2026, 11, 23, 13, 0)),
        ("2d", datetime(2026, 11, 25, 10, 0)),
        ("1w", datetime(2026, 11, 30, 10, 0)),
        ("90min", datetime(2026, 11, 23, 11, 30)),
        ("1h30m", datetime(2026, 11, 23, 11, 30)),
        ("1d12h", datetime(2026, 11, 24, 22, 0)),
        ("2days", datetime(2026, 11, 25, 10, 0)),
        ("2 days", datetime(2026, 11, 25, 10, 0)),
        ("3 hours", datetime(2026, 11, 23, 13, 0)),
        ("in 2d", datetime(2026, 11, 25, 10, 0)),
        ("in 45 minutes", datetime(2026, 11, 23, 10, 45)),
        ("2d 9:00", datetime(2026, 11, 25, 9, 0)),
    ],
)
def test_relative_durations(text: str, expected: datetime) -> None:
    """Nm/Nh/Nd/Nw, long units, compounds and ``in``; a days-only duration may take a time."""
    assert local(text) == expected


def test_relative_keeps_minute_precision_of_now() -> None:
    """Seconds of now are dropped: 30m from 10:07:42 is 10:37:00."""
    now = datetime(2026, 11, 23, 10, 7, 42, 123, tzinfo=BERLIN)
    assert local("30m", now=now) == datetime(2026, 11, 23, 10, 37)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", datetime(2026, 11, 23, 17, 0)),
        ("today 17:00", datetime(2026, 11, 23, 17, 0)),
        ("tomorrow", datetime(2026, 11, 24, 9, 0)),
        ("tomorrow 9:00", datetime(2026, 11, 24, 9, 0)),
        ("tmr 14:30", datetime(2026, 11, 24, 14, 30)),
        ("tmrw 5pm", datetime(2026, 11, 24, 17, 0)),
        ("tomorrow at 9am", datetime(2026, 11, 24, 9, 0)),
    ],
)
def test_today_and_tomorrow(text: str, expected: datetime) -> None:
    """``today`` alone is 17:00; ``tomorrow`` alone is the default hour."""
    assert local(text) == expected


def test_default_hour_is_configurable() -> None:
    """Dates without a time use ``default_hour``."""
    assert local("tomorrow", default_hour=8) == datetime(2026, 11, 24, 8, 0)
    assert local("2026-12-01", default_hour=13) == datetime(2026, 12, 1, 13, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tue", datetime(2026, 11, 24, 9, 0)),
        ("tues", datetime(2026, 11, 24, 9, 0)),
        ("wed", datetime(2026, 11, 25, 9, 0)),
        ("thu", datetime(2026, 11, 26, 9, 0)),
        ("thurs 11:00", datetime(2026, 11, 26, 11, 0)),
        ("fri", datetime(2026, 11, 27, 9, 0)),
        ("friday 3pm", datetime(2026, 11, 27, 15, 0)),
        ("sat", datetime(2026, 11, 28, 9, 0)),
        ("sunday", datetime(2026, 11, 29, 9, 0)),
        ("monday 14:00", datetime(2026, 11, 30, 14, 0)),
        ("mon", datetime(2026, 11, 30, 9, 0)),
    ],
)
def test_weekdays_are_the_next_such_day(text: str, expected: datetime) -> None:
    """Names and abbreviations; on a Monday, ``mon`` is next Monday."""
    assert local(text) == expected


def test_weekday_named_today_means_next_week_even_with_a_later_time() -> None:
    """``fri`` typed on a Friday is a week later, with or without a time."""
    friday = datetime(2026, 11, 27, 10, 0, tzinfo=BERLIN)
    assert local("fri", now=friday) == datetime(2026, 12, 4, 9, 0)
    assert local("fri 17:00", now=friday) == datetime(2026, 12, 4, 17, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", datetime(2026, 12, 1, 9, 0)),
        ("2026-12-01 14:30", datetime(2026, 12, 1, 14, 30)),
        ("2026-12-01T14:30", datetime(2026, 12, 1, 14, 30)),
        ("2026-12-01 2:30pm", datetime(2026, 12, 1, 14, 30)),
    ],
)
def test_iso_dates(text: str, expected: datetime) -> None:
    """ISO dates, with a separate or ``T``-joined time, in the agent's zone."""
    assert local(text) == expected


def test_full_iso_timestamp_keeps_its_offset() -> None:
    """An exported timestamp with ``Z`` means UTC, not local time."""
    due = parse_due_only("2026-12-01T14:30:00Z", now=NOW, tz=BERLIN)
    assert due == datetime(2026, 12, 1, 14, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("clock", "hour", "minute"),
    [
        ("9:00", 9, 0),
        ("09:00", 9, 0),
        ("14:30", 14, 30),
        ("9am", 9, 0),
        ("5pm", 17, 0),
        ("5:30pm", 17, 30),
        ("5 pm", 17, 0),
        ("12am", 0, 0),
        ("12pm", 12, 0),
        ("0:15", 0, 15),
    ],
)
def test_time_formats(clock: str, hour: int, minute: int) -> None:
    """24-hour and am/pm times; 12am is midnight and 12pm noon."""
    assert local(f"tomorrow {clock}") == datetime(2026, 11, 24, hour, minute)


@pytest.mark.parametrize("text", ["TOMORROW 9AM", "Fri", "FRIDAY 5PM", "2D", "Today 5:30PM"])
def test_case_insensitive(text: str) -> None:
    """Case never matters."""
    assert local(text) == local(text.lower())


def test_bare_time_is_the_next_time_the_clock_shows_it() -> None:
    """A time alone is today if still ahead, otherwise tomorrow."""
    assert local("15:00 call back") == datetime(2026, 11, 23, 15, 0)
    assert local("9:00 call back") == datetime(2026, 11, 24, 9, 0)


def test_due_is_utc() -> None:
    """The result is aware and in UTC."""
    due = parse_due("tomorrow 9:00", now=NOW, tz=BERLIN).due
    assert due.tzinfo is UTC
    assert due == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def test_new_york_zone() -> None:
    """Local times are in the agent's zone, whatever it is."""
    due = parse_due("today", now=NOW_NY, tz=NEW_YORK).due
    assert due == datetime(2026, 11, 23, 22, 0, tzinfo=UTC)
    assert local("fri 8am", now=NOW_NY, tz=NEW_YORK) == datetime(2026, 11, 27, 8, 0)


def test_now_in_another_zone_is_converted() -> None:
    """``now`` may be given in UTC; the calendar is still the agent's."""
    late_utc = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)  # already Tuesday 00:30 in Berlin
    assert local("tomorrow", now=late_utc) == datetime(2026, 11, 25, 9, 0)


# --- note split ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expression", "note"),
    [
        ("2d check the refund arrived", "2d", "check the refund arrived"),
        ("tomorrow 9:00 call Margo back", "tomorrow 9:00", "call Margo back"),
        ("fri ship replacement", "fri", "ship replacement"),
        ("2026-12-01 14:30 renewal talk", "2026-12-01 14:30", "renewal talk"),
        ("30m ring back", "30m", "ring back"),
        ("2d 3 boxes missing", "2d", "3 boxes missing"),
        ("tomorrow 3 boxes", "tomorrow", "3 boxes"),
        ("3h 9:00 meeting", "3h", "9:00 meeting"),
        ("tomorrow at the office", "tomorrow", "at the office"),
        ("  Tomorrow   9:00   call  ", "Tomorrow   9:00", "call"),
        ("3h", "3h", ""),
    ],
)
def test_note_split(text: str, expression: str, note: str) -> None:
    """The expression is the leading due text as typed; the rest, stripped, is the note."""
    parsed = parse_due(text, now=NOW, tz=BERLIN)
    assert (parsed.expression, parsed.note) == (expression, note)


def test_2d_3_boxes_does_not_eat_the_number() -> None:
    """A number that is not a time stays in the note and does not change the due."""
    assert parse_due("2d 3 boxes missing", now=NOW, tz=BERLIN) == ParsedDue(
        datetime(2026, 11, 25, 9, 0, tzinfo=UTC), "3 boxes missing", "2d"
    )


def test_parse_due_only_accepts_a_bare_expression() -> None:
    """The CLI form: the whole text is the due."""
    assert parse_due_only("tomorrow 9:00", now=NOW, tz=BERLIN) == datetime(
        2026, 11, 24, 8, 0, tzinfo=UTC
    )


def test_parse_due_only_rejects_trailing_text() -> None:
    """Anything after the expression is an error naming it."""
    with pytest.raises(DueError, match="Unexpected “call Margo”"):
        parse_due_only("tomorrow call Margo", now=NOW, tz=BERLIN)


# --- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2026-02-30", "“2026-02-30” is not a date: Feb 2026 has 28 days"),
        ("2026-13-01", "months go 01-12"),
        ("2026-12-01T99", "hours go 0-23"),
        ("2026-12-01Tnoon", "is not a date and time"),
        ("tomorrow 25:00", "“25:00” is not a time: hours go 0-23"),
        ("tomorrow 13pm", "“13pm” is not a time: with am/pm the hour is 1-12"),
        ("tomorrow 9:75", "minutes go 00-59"),
        ("13 pm", "“13 pm” is not a time"),
    ],
)
def test_impossible_dates_and_times(text: str, fragment: str) -> None:
    """Impossible dates and times say exactly what is wrong."""
    assert fragment in error(text)


@pytest.mark.parametrize(
    "text",
    ["2020-01-01", "today 08:00", "2026-11-23", "yesterday 9:00"],
)
def test_past_is_an_error(text: str) -> None:
    """A due before now is refused, naming the resolved time."""
    assert "has already passed" in error(text) or "in the past" in error(text)


def test_past_message_shows_the_resolved_time() -> None:
    """The message says when the expression landed."""
    assert error("2020-01-01") == (
        "“2020-01-01” (Wed 1 Jan 2020 09:00) has already passed: a follow-up is due later"
    )


def test_today_without_time_after_five_is_past() -> None:
    """``today`` alone is 17:00, so after 17:00 it asks for a time."""
    evening = datetime(2026, 11, 23, 18, 0, tzinfo=BERLIN)
    assert "has already passed" in error("today", now=evening)


def test_allow_past() -> None:
    """With allow_past, past dates and ``yesterday`` are accepted."""
    assert local("yesterday", allow_past=True) == datetime(2026, 11, 22, 9, 0)
    assert local("2020-01-01", allow_past=True) == datetime(2020, 1, 1, 9, 0)
    assert local("today 08:00", allow_past=True) == datetime(2026, 11, 23, 8, 0)


def test_yesterday_without_allow_past() -> None:
    """``yesterday`` is only accepted with allow_past."""
    assert error("yesterday") == "“yesterday” is in the past: a follow-up is due later"


def test_the_current_minute_is_not_past() -> None:
    """A due in the current minute counts as now, not the past."""
    now = datetime(2026, 11, 23, 10, 0, 40, tzinfo=BERLIN)
    assert local("today 10:00", now=now) == datetime(2026, 11, 23, 10, 0)


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_input(text: str) -> None:
    """Nothing typed asks for the due first."""
    assert error(text).startswith("Type when it is due")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("call Margo back", "“call” is not a due time: start with when it is due, e.g. 2d"),
        ("3 boxes", "“3” is not a due time"),
        ("tomorow 9:00", "did you mean tomorrow?"),
        ("3mo", "unknown unit"),
        ("in person", "After “in” give a duration"),
        ("0d", "no time at all"),
        ("99999999d", "too far in the future"),
        ("9999999w", "too far in the future"),
    ],
)
def test_garbage(text: str, fragment: str) -> None:
    """A line that does not start with a due expression is refused with an example."""
    assert fragment in error(text)


def test_due_error_is_a_value_error_and_invalid_input() -> None:
    """Callers may catch ValueError; the CLI treats it as invalid input (exit code 2)."""
    assert issubclass(DueError, ValueError)
    assert issubclass(DueError, InvalidInput)


def test_control_characters_in_messages_are_inert() -> None:
    """The offending word is shown without executing escape sequences."""
    assert "\x1b" not in error("\x1b]0;pwned\x07 note")


def test_naive_now_is_a_programming_error() -> None:
    """``now`` must be aware; this is a bug, not a user error."""
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_due("2d", now=datetime(2026, 11, 23, 10, 0), tz=BERLIN)


# --- DST -------------------------------------------------------------------------------

SPRING_EVE = datetime(2026, 3, 28, 10, 0, tzinfo=BERLIN)  # clocks go 02:00 -> 03:00 next day
AUTUMN_EVE = datetime(2026, 10, 24, 10, 0, tzinfo=BERLIN)  # clocks go 03:00 -> 02:00 next day


def test_days_keep_wall_time_across_spring_forward() -> None:
    """``1d`` is 10:00 the next day (23 hours); ``24h`` is exact elapsed time."""
    day = parse_due("1d", now=SPRING_EVE, tz=BERLIN).due
    hours = parse_due("24h", now=SPRING_EVE, tz=BERLIN).due
    assert day - SPRING_EVE == timedelta(hours=23)
    assert day.astimezone(BERLIN).hour == 10
    assert hours.astimezone(BERLIN).hour == 11


def test_days_keep_wall_time_across_fall_back() -> None:
    """``1d`` over the autumn change is 25 hours, still 10:00 local."""
    day = parse_due("1d", now=AUTUMN_EVE, tz=BERLIN).due
    assert day - AUTUMN_EVE == timedelta(hours=25)
    assert day.astimezone(BERLIN).hour == 10


def test_tomorrow_across_dst_is_local_wall_time() -> None:
    """``tomorrow 9:00`` is 09:00 local on both sides of a change."""
    assert local("tomorrow 9:00", now=SPRING_EVE) == datetime(2026, 3, 29, 9, 0)
    assert local("tomorrow 9:00", now=AUTUMN_EVE) == datetime(2026, 10, 25, 9, 0)


def test_non_existent_local_time_moves_forward() -> None:
    """02:30 on the spring-forward night does not exist: it becomes 03:30 CEST."""
    due = parse_due("2026-03-29 2:30", now=SPRING_EVE, tz=BERLIN).due
    assert due == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert due.astimezone(BERLIN).hour == 3


def test_repeated_local_time_takes_the_first() -> None:
    """02:30 on the fall-back night happens twice: the first (CEST) is used."""
    due = parse_due("2026-10-25 2:30", now=AUTUMN_EVE, tz=BERLIN).due
    assert due == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_new_york_spring_forward() -> None:
    """America/New_York: ``2d`` keeps the wall time over 2026-03-08."""
    now = datetime(2026, 3, 7, 10, 0, tzinfo=NEW_YORK)
    assert local("2d", now=now, tz=NEW_YORK) == datetime(2026, 3, 9, 10, 0)


# --- describe_due and humanize_span ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "preview"),
    [
        ("fri 10:00", "due Fri 27 Nov 10:00, in 4 days"),
        ("today", "due today 17:00, in 7h"),
        ("90min", "due today 11:30, in 1h 30m"),
        ("tomorrow", "due tomorrow 09:00, in 23h"),
        ("mon", "due Mon 30 Nov 09:00, in 7 days"),
        ("2027-01-15", "due Fri 15 Jan 2027 09:00, in 7w"),
    ],
)
def test_describe_due(text: str, preview: str) -> None:
    """The live preview: local day and time, then the distance."""
    due = parse_due(text, now=NOW, tz=BERLIN).due
    assert describe_due(due, now=NOW, tz=BERLIN) == preview


def test_describe_due_past_and_now() -> None:
    """Past dues read 'ago'; within the minute reads 'now'."""
    past = parse_due("today 8:00", now=NOW, tz=BERLIN, allow_past=True).due
    assert describe_due(past, now=NOW, tz=BERLIN) == "due today 08:00, 2h ago"
    old = parse_due("2026-11-20", now=NOW, tz=BERLIN, allow_past=True).due
    assert describe_due(old, now=NOW, tz=BERLIN) == "due Fri 20 Nov 09:00, 3 days ago"
    assert describe_due(NOW, now=NOW + timedelta(seconds=30), tz=BERLIN) == "due today 10:00, now"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "<1m"),
        (45, "<1m"),
        (300, "5m"),
        (3 * 3600 + 59 * 60, "3h"),
        (2 * 86_400, "2d"),
        (13 * 86_400, "13d"),
        (21 * 86_400, "3w"),
        (120 * 86_400, "4mo"),
        (800 * 86_400, "2y"),
        (-7200, "2h"),
    ],
)
def test_humanize_span(seconds: float, text: str) -> None:
    """Compact spans, rounded down, sign ignored."""
    assert humanize_span(seconds) == text
