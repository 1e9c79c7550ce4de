"""Parse the due expression that starts a follow-up line, e.g. ``2d check the refund arrived``.

The line is a due expression, then the note (possibly empty). Words are separated by spaces
and matched case-insensitively; the first word that does not belong to the expression
starts the note, so ``2d 3 boxes missing`` is due in two days with note "3 boxes missing".

Durations — ``30m``, ``3h``, ``2d``, ``1w``, compounds ``1h30m``/``1d12h``, long units
``90min``, ``2days``, ``2 days``, ``3 hours``, optionally after ``in``. Units: m, min(s),
minute(s); h, hr(s), hour(s); d, day(s); w, wk(s), week(s). ``m`` is minutes (there is no
month unit). Minutes and hours are exact elapsed time; days and weeks are calendar days at
the same local wall time (``1d`` across a DST change is 23 or 25 hours). The seconds of
``now`` are dropped. A days/weeks-only duration may take a time: ``2d 9:00``.

Days — ``today``, ``tomorrow`` (``tmr``, ``tmrw``), ``yesterday`` (only with
``allow_past``) and weekdays (``mon``/``monday``, ``tue``/``tues``, ``wed``/``weds``,
``thu``/``thur``/``thurs``, ``fri``, ``sat``, ``sun`` …), each optionally followed by a time,
optionally after ``at`` (``tomorrow at 9am``). A weekday always means a day after today:
``fri`` typed on a Friday is next week's Friday, with or without a time (``today 17:00``
is the way to say later today).

Dates — ISO ``2026-12-01``, ``2026-12-01 14:30``, ``2026-12-01T14:30``. A full ISO
timestamp (seconds, ``Z`` or an offset, as exports contain) is accepted and keeps its offset.

Times — ``9:00``, ``09:00``, ``14:30``, ``9am``, ``5pm``, ``5:30pm``, ``5 pm``; ``12am`` is
midnight, ``12pm`` noon. A bare number is never a time. A time alone at the start means the
next time the clock shows it: today if still ahead, otherwise tomorrow.

Missing times — ``today`` alone is 17:00 (the end of the working day); any other day or
date alone is at ``default_hour``:00.

Everything is computed in the agent's zone ``tz``. A local time skipped by a DST change
(02:30 on 2026-03-29 in Berlin) moves forward by the gap (03:30); a repeated one takes its
first occurrence. A due before ``now`` (to the minute) is an error unless ``allow_past``.
"""

from __future__ import annotations

import difflib
import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from deskterm.errors import InvalidInput
from deskterm.textsafe import one_line

EXAMPLES = "e.g. 2d, tomorrow 9:00, fri, 2026-12-01"
TODAY_HOUR = 17  # "today" without a time: the end of the working day
DAY = 86_400

_WEEKDAY_WORDS = {
    **dict.fromkeys(("mon", "monday"), 0),
    **dict.fromkeys(("tue", "tues", "tuesday"), 1),
    **dict.fromkeys(("wed", "weds", "wednesday"), 2),
    **dict.fromkeys(("thu", "thur", "thurs", "thursday"), 3),
    **dict.fromkeys(("fri", "friday"), 4),
    **dict.fromkeys(("sat", "saturday"), 5),
    **dict.fromkeys(("sun", "sunday"), 6),
}
_DAY_WORDS = {"today": 0, "tomorrow": 1, "tmr": 1, "tmrw": 1, "yesterday": -1}
_UNITS = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "m"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "h"),
    **dict.fromkeys(("d", "day", "days"), "d"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "w"),
}
_UNIT_DAYS = {"w": 7, "d": 1}
_UNIT_MINUTES = {"h": 60, "m": 1}
_KNOWN_WORDS = [w for w in (*_WEEKDAY_WORDS, *_DAY_WORDS) if len(w) > 4]
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_COMPOUND = re.compile(r"(?:\d+[wdhm])+", re.ASCII)
_PART = re.compile(r"(\d+)([wdhm])", re.ASCII)
_SINGLE = re.compile(r"(\d+)([a-z]+)", re.ASCII)
_NUMBER = re.compile(r"\d+(?::\d\d)?", re.ASCII)
_TIME = re.compile(r"(\d{1,2})(?::(\d\d))?(am|pm)?", re.ASCII)
_DATE = re.compile(r"(\d{4})-(\d\d?)-(\d\d?)(?:t(.+))?", re.ASCII)


class DueError(InvalidInput, ValueError):
    """One-line, user-facing message explaining what is wrong with the due expression."""


@dataclass(frozen=True, slots=True)
class ParsedDue:
    """A parsed follow-up line."""

    due: datetime  # timezone-aware, in UTC
    note: str  # the rest of the line, stripped
    expression: str  # the consumed due text, as typed (e.g. "tomorrow 9:00")


def _floor(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def _calendar_date(year: int, month: int, day: int, raw: str) -> date:
    if not 1 <= month <= 12:
        raise DueError(f"“{raw}” is not a date: months go 01-12")
    if year < 1:
        raise DueError(f"“{raw}” is not a date: there is no year 0")
    last = monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DueError(f"“{raw}” is not a date: {_MONTHS[month - 1]} {year} has {last} days")
    return date(year, month, day)


def _clock(match: re.Match[str], raw: str) -> time:
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if minute > 59:
        raise DueError(f"“{raw}” is not a time: minutes go 00-59")
    if half:
        if not 1 <= hour <= 12:
            raise DueError(f"“{raw}” is not a time: with am/pm the hour is 1-12")
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif hour > 23:
        raise DueError(f"“{raw}” is not a time: hours go 0-23")
    return time(hour, minute)


class _Parser:
    """Walks the words of one line; ``i`` is the first word not yet consumed."""

    def __init__(self, text: str, now: datetime, tz: ZoneInfo, default_hour: int) -> None:
        self.words = list(re.finditer(r"\S+", text))
        self.low = [w.group().lower() for w in self.words]
        self.now = _floor(now.astimezone(tz))
        self.tz, self.default_hour, self.i = tz, default_hour, 0

    def raw(self, i: int) -> str:
        return one_line(self.words[i].group(), 24)

    def local(self, day: date, at: time) -> datetime:
        """UTC instant of a local wall time; a time in a DST gap moves forward by the gap."""
        return datetime.combine(day, at, tzinfo=self.tz).astimezone(UTC)

    def take_time(self) -> time | None:
        """Consume ``[at] 9:00 | 9am | 9 am`` at ``i`` if present."""
        i = self.i + (self.i < len(self.low) and self.low[self.i] == "at")
        if i >= len(self.low):
            return None
        word, used = self.low[i], 1
        if i + 1 < len(self.low) and self.low[i + 1] in ("am", "pm") and _NUMBER.fullmatch(word):
            word, used = word + self.low[i + 1], 2
        match = _TIME.fullmatch(word)
        if not match or not (match[2] or match[3]):
            return None
        at = _clock(match, " ".join(self.raw(k) for k in range(i, i + used)))
        self.i = i + used
        return at

    def take_duration(self) -> tuple[int, int] | None:
        """Consume a duration at ``i``: (calendar days, elapsed minutes), or None."""
        word = self.low[self.i]
        nxt = self.low[self.i + 1] if self.i + 1 < len(self.low) else ""
        if _COMPOUND.fullmatch(word):
            parts, used = _PART.findall(word), 1
        elif (match := _SINGLE.fullmatch(word)) and match[2] in _UNITS:
            parts, used = [(match[1], _UNITS[match[2]])], 1
        elif word.isascii() and word.isdigit() and nxt in _UNITS:
            parts, used = [(word, _UNITS[nxt])], 2
        else:
            return None
        raw = " ".join(self.raw(k) for k in range(self.i, self.i + used))
        if any(len(number) > 6 for number, _ in parts):
            raise DueError(f"“{raw}” is too far in the future")
        days = sum(int(n) * _UNIT_DAYS.get(unit, 0) for n, unit in parts)
        minutes = sum(int(n) * _UNIT_MINUTES.get(unit, 0) for n, unit in parts)
        if days == minutes == 0:
            raise DueError(f"“{raw}” is no time at all: give a duration such as 30m or 2d")
        self.i += used
        return days, minutes

    def parse(self, allow_past: bool) -> datetime:
        """The due instant (UTC) of the expression at the start; ``i`` ends after it."""
        if not self.low:
            raise DueError(f"Type when it is due, then the note ({EXAMPLES})")
        word, today = self.low[0], self.now.date()
        self.i = int(word == "in" and len(self.low) > 1)
        if span := self.take_duration():
            days, minutes = span
            due = self.now.astimezone(UTC)
            if days:
                at = self.take_time() if not minutes else None
                due = self.local(today + timedelta(days), at or self.now.time())
            return due + timedelta(minutes=minutes)
        if word == "in":
            raise DueError("After “in” give a duration, e.g. in 30m, in 2d")
        self.i = 1
        if word in _DAY_WORDS or word in _WEEKDAY_WORDS:
            if word == "yesterday" and not allow_past:
                raise DueError("“yesterday” is in the past: a follow-up is due later")
            ahead = _DAY_WORDS.get(word)
            if ahead is None:
                ahead = (_WEEKDAY_WORDS[word] - today.weekday() - 1) % 7 + 1
            hour = TODAY_HOUR if word == "today" else self.default_hour
            return self.local(today + timedelta(ahead), self.take_time() or time(hour))
        if match := _DATE.fullmatch(word):
            day = _calendar_date(int(match[1]), int(match[2]), int(match[3]), self.raw(0))
            if match[4] is None:
                return self.local(day, self.take_time() or time(self.default_hour))
            if clock := _TIME.fullmatch(match[4]):
                return self.local(day, _clock(clock, self.raw(0)))
            try:
                stamp = datetime.fromisoformat(self.words[0].group())
            except ValueError:
                raise DueError(
                    f"“{self.raw(0)}” is not a date and time, e.g. 2026-12-01T14:30"
                ) from None
            return (stamp if stamp.tzinfo else stamp.replace(tzinfo=self.tz)).astimezone(UTC)
        self.i = 0
        if (at := self.take_time()) is not None:
            due = self.local(today, at)
            return due if due >= self.now else self.local(today + timedelta(1), at)
        raise self.unknown()

    def unknown(self) -> DueError:
        word, raw = self.low[0], self.raw(0)
        if _SINGLE.fullmatch(word):
            return DueError(f"“{raw}” has an unknown unit: use m, h, d or w, e.g. 30m, 2d, 1w")
        close = difflib.get_close_matches(word, _KNOWN_WORDS, n=1, cutoff=0.75)
        hint = f" (did you mean {close[0]}?)" if close else ""
        return DueError(f"“{raw}” is not a due time{hint}: start with when it is due, {EXAMPLES}")


def parse_due(
    text: str,
    *,
    now: datetime,
    tz: ZoneInfo,
    default_hour: int = 9,
    allow_past: bool = False,
) -> ParsedDue:
    """Split a follow-up line into its due instant (UTC), the note, and the due text."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if not 0 <= default_hour <= 23:
        raise ValueError(f"default_hour must be 0-23, not {default_hour}")
    parser = _Parser(text, now, tz, default_hour)
    try:
        due = parser.parse(allow_past)
    except OverflowError:
        raise DueError(f"“{parser.raw(0)}” is too far in the future") from None
    first, last = parser.words[0], parser.words[parser.i - 1]
    expression = text[first.start() : last.end()]
    if not allow_past and due < _floor(now):
        when = _label(due, now, tz)
        when = "" if when == expression.lower() else f" ({when})"
        raise DueError(f"“{expression}”{when} has already passed: a follow-up is due later")
    return ParsedDue(due, text[last.end() :].strip(), expression)


def parse_due_only(
    text: str,
    *,
    now: datetime,
    tz: ZoneInfo,
    default_hour: int = 9,
    allow_past: bool = False,
) -> datetime:
    """The whole text must be a due expression (CLI --due, import); DueError otherwise."""
    parsed = parse_due(text, now=now, tz=tz, default_hour=default_hour, allow_past=allow_past)
    if parsed.note:
        rest = one_line(parsed.note, 24)
        raise DueError(f"Unexpected “{rest}” after the due time “{parsed.expression}”")
    return parsed.due


def _label(due: datetime, now: datetime, tz: ZoneInfo) -> str:
    """'today 17:00', 'tomorrow 09:00', 'Fri 27 Nov 10:00', 'Fri 1 Jan 2027 09:00'."""
    local, today = due.astimezone(tz), now.astimezone(tz).date()
    names = {0: "today", 1: "tomorrow", -1: "yesterday"}
    day = names.get((local.date() - today).days)
    if day is None:
        day = f"{_WEEKDAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]}"
        day += f" {local.year}" if local.year != today.year else ""
    return f"{day} {local:%H:%M}"


def describe_due(due: datetime, *, now: datetime, tz: ZoneInfo) -> str:
    """Live preview text in local time, e.g. 'due Fri 27 Nov 10:00, in 2 days'.

    Under a day away the distance is hours and minutes ('in 3h', 'in 1h 30m', '45m ago');
    further, calendar days ('in 6 days') up to two weeks, then humanize_span ('in 3w').
    """
    seconds = (due - _floor(now)).total_seconds()
    days = abs((due.astimezone(tz).date() - now.astimezone(tz).date()).days)
    if abs(seconds) < 60:
        distance = "now"
    else:
        if abs(seconds) < DAY:
            hours, minutes = divmod(int(abs(seconds)) // 60, 60)
            span = " ".join(f"{n}{u}" for n, u in ((hours, "h"), (minutes, "m")) if n)
        elif not 0 < days < 14:
            span = humanize_span(seconds)
        else:
            span = f"{days} day{'s' if days != 1 else ''}"
        distance = f"in {span}" if seconds > 0 else f"{span} ago"
    return f"due {_label(due, now, tz)}, {distance}"


def humanize_span(seconds: float) -> str:
    """Compact span, sign ignored, rounded down: '<1m', '5m', '3h', '9d' (under two weeks),
    '3w' (under 60 days), '4mo' (30-day months, under a year), '2y'."""
    s = abs(int(seconds))
    if s < 60:
        return "<1m"
    steps = ((3600, 60, "m"), (DAY, 3600, "h"), (14 * DAY, DAY, "d"), (60 * DAY, 7 * DAY, "w"))
    for limit, size, unit in (*steps, (365 * DAY, 30 * DAY, "mo")):
        if s < limit:
            return f"{s // size}{unit}"
    return f"{s // (365 * DAY)}y"
