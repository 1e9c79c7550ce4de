"""Who needs attention first: the queue order (PRODUCT.md, ideas 4 and 5).

Every person falls in the first category (in the configured order) whose test they
meet; "rest" is everyone who meets none. Categories and sort keys are computed for
everyone at once with numpy and packed into one uint64 per person, most significant
first::

    category (3 bits) | group (3 bits) | time (31 bits) | name rank (27 bits)

so a single ``argsort`` orders the whole queue; the rare rows whose keys are equal
are then put in id order. Times are seconds clipped to about 34 years either side of
``now``. Reasons are strings, so they are made only for the rows being shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

import numpy as np

from deskterm.attention.risk import risk_of, risk_reason
from deskterm.attention.table import NAME_BITS, NONE, SummaryTable

CATEGORIES = ("overdue", "due_today", "waiting", "bad_mood", "at_risk", "rest")
MOOD_LABELS = ("very upset", "frustrated", "okay", "pleased", "delighted")
NOT_QUEUED = int(np.iinfo(np.int32).max)  # rank_by_id value for people not in the queue
MOOD_MARKS = "▁▂▄▆█"  # levels 1..5: a bar as high as the mood
NO_MOOD_MARK = "·"
DAY = 86_400

_TIME_BITS = 31
_TIME_MAX = (1 << _TIME_BITS) - 1
_REST_DUE, _REST_CONTACTED, _REST_NEVER = 0, 1, 2
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class QueueSettings:
    """How the queue is ordered; ``order`` is a permutation of ``CATEGORIES``.

    An order that leaves out "waiting" (written before mail came) gets it just before
    "bad_mood". ``waiting_minutes``: how long mail waits before its sender rises.
    """

    quiet_days: int = 7
    bad_mood_max: int = 2
    order: tuple[str, ...] = CATEGORIES
    labels: tuple[str, ...] = MOOD_LABELS
    unanswered_days: int = 2
    confirm_days: int = 7
    waiting_minutes: int = 0

    def __post_init__(self) -> None:
        order = tuple(self.order)
        if "waiting" not in order and "bad_mood" in order:
            at = order.index("bad_mood")
            order = (*order[:at], "waiting", *order[at:])
        object.__setattr__(self, "order", order)
        if not isinstance(self.waiting_minutes, int) or self.waiting_minutes < 0:
            raise ValueError(f"waiting_minutes must be >= 0: {self.waiting_minutes!r}")
        object.__setattr__(self, "labels", tuple(self.labels))
        if not isinstance(self.quiet_days, int) or self.quiet_days < 0:
            raise ValueError(f"quiet_days must be a whole number of days >= 0: {self.quiet_days!r}")
        for name in ("unanswered_days", "confirm_days"):
            days = getattr(self, name)
            if not isinstance(days, int) or days < 0:
                raise ValueError(f"{name} must be a whole number of days >= 0: {days!r}")
        if not isinstance(self.bad_mood_max, int) or not 0 <= self.bad_mood_max <= 5:
            raise ValueError(f"bad_mood_max must be a mood level 0..5: {self.bad_mood_max!r}")
        if sorted(self.order) != sorted(CATEGORIES):
            raise ValueError(
                f"order must list each of {', '.join(CATEGORIES)} exactly once: {self.order!r}"
            )
        if len(self.labels) != 5 or not all(isinstance(x, str) for x in self.labels):
            raise ValueError(f"labels must be 5 strings, for mood levels 1..5: {self.labels!r}")


@dataclass(frozen=True, slots=True)
class QueueRow:
    """What a queue line shows about one person."""

    id: int
    name: str
    mood_level: int | None
    category: str
    reason: str
    owner: str | None = None


def mood_mark(level: int | None) -> str:
    """A one-cell mark for a mood: a bar as high as the level (▁▂▄▆█), "·" for none.

    Block elements are the glyphs Textual's Sparkline draws; Rich counts them one cell.
    """
    if level is None:
        return NO_MOOD_MARK
    return MOOD_MARKS[min(max(int(level), 1), 5) - 1]


def _span(seconds: int) -> str:
    """A compact span: "<1m", "5m", "3h", "9d" (under two weeks), "3w"."""
    s = max(0, int(seconds))
    if s < 60:
        return "<1m"
    if s < 3600:
        return f"{s // 60}m"
    if s < DAY:
        return f"{s // 3600}h"
    if s < 14 * DAY:
        return f"{s // DAY}d"
    return f"{s // (7 * DAY)}w"


def _next_midnight(now: int, tz: tzinfo) -> int:
    """Epoch seconds of the agent's next local midnight (the end of "today")."""
    day = datetime.fromtimestamp(now, tz).date() + timedelta(days=1)
    return int(datetime(day.year, day.month, day.day, tzinfo=tz).timestamp())


class Queue:
    """A computed ordering; immutable. Positions are 0-based, negatives count from the end."""

    __slots__ = (
        "_by_id", "_cat", "_counts", "_level", "_names", "_now", "_owner", "_owner_names",
        "_rank_by_id", "_rows", "_settings", "_sub", "_t", "_tz", "generation", "ids",
    )  # fmt: skip

    def __init__(
        self,
        *,
        rows: np.ndarray,
        ids: np.ndarray,
        cat: np.ndarray,
        sub: np.ndarray,
        t: np.ndarray,
        level: np.ndarray,
        names: list[str],
        now: int,
        tz: tzinfo,
        settings: QueueSettings,
        owner: np.ndarray | None = None,
        owner_names: list[str | None] | None = None,
    ) -> None:
        # rows/ids are in queue order; cat/sub/t/level/names/owner are indexed by table row.
        self._rows, self.ids, self._cat, self._sub, self._t = rows, ids, cat, sub, t
        self._level, self._names, self._now, self._tz = level, names, now, tz
        self._settings = settings
        self._owner = np.zeros(len(cat), np.int32) if owner is None else owner
        self._owner_names = list(owner_names or [None])  # a copy: the table's list grows
        counts = np.bincount(cat, minlength=len(settings.order)) if len(cat) else None
        self._counts = {
            name: int(counts[code]) if counts is not None else 0
            for code, name in enumerate(settings.order)
        }
        self._rank_by_id: np.ndarray | None = None
        self._by_id: np.ndarray | None = None
        self.generation = 0  # set by whoever keeps queues in sequence: newer is larger
        for arr in (rows, ids, cat, sub, t, level, self._owner):
            arr.flags.writeable = False

    def __len__(self) -> int:
        return len(self.ids)

    def _row(self, position: int) -> int:
        n = len(self.ids)
        if not -n <= position < n:
            raise IndexError(f"queue position {position} out of range (length {n})")
        return int(self._rows[position])

    def category(self, position: int) -> str:
        """The category of the person at ``position``."""
        return self._settings.order[self._cat[self._row(position)]]

    def reason(self, position: int) -> str:
        """Why the person at ``position`` is where they are, e.g. "overdue 2d"."""
        row = self._row(position)
        category = self._settings.order[self._cat[row]]
        t, sub, now = int(self._t[row]), int(self._sub[row]), self._now
        if category == "overdue":
            return f"overdue {_span(now - t)}"
        if category == "due_today":
            return f"due today {datetime.fromtimestamp(t, self._tz):%H:%M}"
        if category == "waiting":
            return f"wrote {_span(now - t)} ago · waiting"
        if category == "bad_mood":
            label = self._settings.labels[min(max(int(self._level[row]), 1), 5) - 1]
            return f"{label} · waiting {_span(now - t)}"
        if category == "at_risk":
            return risk_reason(sub, t, now, _span)
        if sub == _REST_DUE:
            return f"due {self._day(t)}"
        if sub == _REST_CONTACTED:
            return f"last contact {_span(now - t)} ago"
        return "no contact yet"

    def _day(self, t: int) -> str:
        day = datetime.fromtimestamp(t, self._tz)
        text = f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"
        if day.year != datetime.fromtimestamp(self._now, self._tz).year:
            text += f" {day.year}"
        return text

    def row(self, position: int) -> QueueRow:
        """Everything a queue line shows about the person at ``position``."""
        r = self._row(position)
        level = int(self._level[r])
        return QueueRow(
            int(self.ids[position]),
            self._names[r],
            level or None,
            self.category(position),
            self.reason(position),
            self._owner_names[int(self._owner[r])],
        )

    def rows(self, start: int, stop: int) -> list[QueueRow]:
        """The lines from ``start`` up to ``stop`` (clamped), e.g. the visible window."""
        return [self.row(p) for p in range(*slice(start, stop).indices(len(self)))]

    def owners_in_order(self) -> tuple[np.ndarray, list[str | None]]:
        """Each position's owner code, and code → agent name (code 0: nobody)."""
        return self._owner[self._rows], self._owner_names

    def categories_in_order(self) -> np.ndarray:
        """Each position's category code (an index into ``settings.order``)."""
        return self._cat[self._rows]

    @property
    def order(self) -> tuple[str, ...]:
        return self._settings.order

    def position_of(self, person_id: int) -> int | None:
        """Where a person is in the queue, or None."""
        rank = int(self.ranks_of(np.array([person_id]))[0])
        return None if rank == NOT_QUEUED else rank

    @property
    def counts(self) -> dict[str, int]:
        """People per category, in the configured order (zeros included)."""
        return dict(self._counts)

    @property
    def rank_by_id(self) -> np.ndarray:
        """Queue position indexed by person id (length max id + 1); absent ids hold NOT_QUEUED.

        Dense by id, which suits database ids counting up from 1.
        """
        if self._rank_by_id is None:
            size = int(self.ids.max()) + 1 if len(self.ids) else 0
            rank = np.full(size, NOT_QUEUED, np.int64)
            rank[self.ids] = np.arange(len(self.ids))
            rank.flags.writeable = False
            self._rank_by_id = rank
        return self._rank_by_id

    def ranks_of(self, person_ids: np.ndarray | list[int]) -> np.ndarray:
        """Queue positions of many ids at once; NOT_QUEUED for any id not in the queue."""
        ids = np.asarray(person_ids, dtype=np.int64)
        n = len(self.ids)
        if not n:
            return np.full(ids.shape, NOT_QUEUED, np.int64)
        if self._rank_by_id is None and self._by_id is None and self.ids.max() >= 4 * n + 1024:
            self._by_id = np.argsort(self.ids)  # sparse ids: binary search, not a huge array
        if self._by_id is None:
            rank = self.rank_by_id
            out = np.full(ids.shape, NOT_QUEUED, np.int64)
            inside = (ids >= 0) & (ids < len(rank))
            out[inside] = rank[ids[inside]]
            return out
        sorted_ids = self.ids[self._by_id]
        at = np.minimum(np.searchsorted(sorted_ids, ids), n - 1)
        return np.where(sorted_ids[at] == ids, self._by_id[at], NOT_QUEUED)


def order_queue(
    table: SummaryTable, *, now: int, tz: tzinfo, settings: QueueSettings = QueueSettings()
) -> Queue:
    """Order everyone in ``table`` by who needs attention first, as of ``now``."""
    now = int(now)
    c = table.columns()
    n = len(c.ids)
    code = {name: i for i, name in enumerate(settings.order)}
    quiet_start = now - settings.quiet_days * DAY  # activity at or before this is "quiet"

    # The tests, for everyone.
    due = c.next_due
    has_due = due != NONE
    overdue = has_due & (due < now)
    due_today = has_due & (due >= now) & (due < _next_midnight(now, tz))
    bad = (c.level > 0) & (c.level <= settings.bad_mood_max)
    upset = bad & (c.mood_at > quiet_start)
    risk = risk_of(c, now=now, settings=settings)
    waiting = (c.waiting_since != NONE) & (c.waiting_since <= now - settings.waiting_minutes * 60)
    tests = {
        "overdue": overdue,
        "due_today": due_today,
        "waiting": waiting,
        "bad_mood": upset,
        "at_risk": risk.at_risk,
    }
    cat = np.full(n, code["rest"], np.int8)
    for name in reversed(settings.order):  # earlier categories overwrite later ones
        if name != "rest":
            cat[tests[name]] = code[name]

    # Per category: a group (small int), the time shown in the reason, and the sort time.
    group = np.zeros(n, np.int64)
    sub = np.zeros(n, np.int8)
    t = np.where(has_due, due, NONE)
    np.copyto(t, c.waiting_since, where=cat == code["waiting"])  # longest waiting first
    in_bad = cat == code["bad_mood"]
    np.copyto(t, np.maximum(c.mood_at, c.last_contact), where=in_bad)  # waiting since
    np.copyto(group, c.level, where=in_bad)  # worst mood first
    in_risk = cat == code["at_risk"]
    np.copyto(t, risk.since, where=in_risk)  # the first risk's time (see attention.risk)
    np.copyto(sub, risk.kind, where=in_risk)
    in_rest = cat == code["rest"]
    rest_sub = np.where(
        has_due, _REST_DUE, np.where(c.last_contact != NONE, _REST_CONTACTED, _REST_NEVER)
    )
    np.copyto(sub, rest_sub, where=in_rest, casting="unsafe")
    np.copyto(group, rest_sub, where=in_rest)
    np.copyto(t, c.last_contact, where=in_rest & ~has_due)

    base = now - (1 << (_TIME_BITS - 1))
    sort_t = np.clip(t, base, base + _TIME_MAX) - base  # NONE -> 0
    contacted = in_rest & (sub == _REST_CONTACTED)
    sort_t[contacted] = _TIME_MAX - sort_t[contacted]  # most recent contact first

    key = cat.astype(np.uint64)
    for part, bits in ((group, 3), (sort_t, _TIME_BITS)):
        key <<= np.uint64(bits)
        key |= part.view(np.uint64)
    key <<= np.uint64(NAME_BITS)
    key |= np.minimum(c.name_rank, (1 << NAME_BITS) - 1).view(np.uint64)

    rows = np.argsort(key)
    _ties_by_id(rows, key[rows], c.ids)
    return Queue(
        rows=rows,
        ids=c.ids[rows],
        cat=cat,
        sub=sub,
        t=t,
        level=c.level.copy(),
        names=table.shared_names(),
        now=now,
        tz=tz,
        settings=settings,
        owner=c.owner.copy(),
        owner_names=table.owner_names,
    )


def _ties_by_id(rows: np.ndarray, sorted_key: np.ndarray, ids: np.ndarray) -> None:
    """Within runs of equal keys, put ``rows`` in person-id order (in place)."""
    tie = sorted_key[1:] == sorted_key[:-1]
    if not tie.any():
        return
    in_run = np.zeros(len(rows), bool)
    in_run[1:] |= tie
    in_run[:-1] |= tie
    pos = np.flatnonzero(in_run)
    starts = np.ones(len(pos), bool)
    starts[1:] = ~tie[pos[1:] - 1]
    run = np.cumsum(starts)
    tied = rows[pos]
    tied_ids = ids[tied]
    if tied_ids.max() < (1 << 32):
        sub_order = np.argsort((run << 32) | tied_ids)
    else:
        sub_order = np.lexsort((tied_ids, run))
    rows[pos] = tied[sub_order]
