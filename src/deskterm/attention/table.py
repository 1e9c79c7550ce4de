"""Everyone's attention summary, held column-wise in numpy arrays.

One row per person; a dict maps person id to row. Adding a person appends (arrays
grow by doubling), removing one moves the last row into the hole, so both are
amortised O(1). Times are UTC epoch seconds; a missing time is stored as ``NONE``
(the smallest int64, so ``np.maximum`` over times ignores it).
"""

from __future__ import annotations

import itertools
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

NONE = np.iinfo(np.int64).min  # a missing time
NAME_BITS = 27  # bits of the packed sort key given to the name rank (see order.py)
_NAME_LIMIT = 1 << NAME_BITS
_SORT_CHARS = 32  # name keys are sorted by numpy on this many characters
TIME_FIELDS = (
    "mood_at",
    "next_due",
    "last_contact",
    "last_done",
    "problem_at",
    "last_activity",
    "unconfirmed",
    "waiting_since",
)


@dataclass(frozen=True, slots=True)
class Summary:
    """One person's attention summary, as the storage layer keeps it."""

    id: int
    name: str
    mood_level: int | None  # latest mood 1..5 (1 = very upset ... 5 = delighted)
    mood_at: int | None  # when the latest mood was recorded
    next_due: int | None  # due time of the earliest OPEN follow-up
    open_follow_ups: int  # number of open follow-ups
    last_contact: int | None  # latest contact entry
    last_done: int | None  # latest follow-up completion
    problem_at: int | None  # latest contact or bad mood; an open problem if after last_done
    last_activity: int | None  # latest timeline entry of any kind
    unconfirmed: int | None = None  # latest follow-up done without a check-back
    owner: str | None = None  # the agent whose person this is
    waiting_since: int | None = None  # latest incoming mail not answered yet


class Columns(NamedTuple):
    """Read-only views of the live rows (valid until the table next changes)."""

    ids: np.ndarray  # int64
    level: np.ndarray  # int8, 0 = no mood yet
    open: np.ndarray  # int32, open follow-ups
    mood_at: np.ndarray  # int64 times, NONE = missing
    next_due: np.ndarray
    last_contact: np.ndarray
    last_done: np.ndarray
    problem_at: np.ndarray
    last_activity: np.ndarray
    unconfirmed: np.ndarray
    waiting_since: np.ndarray
    name_rank: np.ndarray  # int64, orders people by name (see _NameIndex)
    owner: np.ndarray  # int32 owner codes: 0 = nobody, else ``SummaryTable.owner_names``


def name_key(name: str) -> str:
    """How names sort: case-insensitive, accents right after their base letter."""
    return unicodedata.normalize("NFKD", name.casefold())


class _NameIndex:
    """Sorted distinct name keys with gapped integer ranks below ``2**NAME_BITS``.

    A new name takes the midpoint between its neighbours' ranks, so it slots in without
    renumbering anyone; when a gap is used up the index is rebuilt (lazily).
    """

    __slots__ = ("keys", "ranks")

    def __init__(self, keys: list[str], ranks: list[int]) -> None:
        self.keys = keys  # sorted, distinct
        self.ranks = ranks  # ascending, parallel to keys

    @classmethod
    def build(cls, names: list[str]) -> tuple[_NameIndex, np.ndarray]:
        """The index of ``names`` and each name's rank (equal keys share a rank)."""
        keys = list(map(name_key, names))
        n = len(keys)
        if not n:
            return cls([], []), np.zeros(0, np.int64)
        # numpy sorts fixed-width prefixes fast; groups sharing a cut prefix are fixed below.
        lengths = np.fromiter(map(len, keys), np.int64, n)
        width = max(1, min(int(lengths.max()), _SORT_CHARS))
        prefixes = np.array(keys, dtype=f"<U{width}")
        order = np.argsort(prefixes)
        in_order = prefixes[order]
        new = np.ones(n, bool)
        new[1:] = in_order[1:] != in_order[:-1]
        starts = np.flatnonzero(new)
        if lengths.max() > width:
            group = np.cumsum(new) - 1
            ends = np.append(starts[1:], n)
            for g in np.unique(group[lengths[order] > width]).tolist():
                a, b = int(starts[g]), int(ends[g])
                seg = sorted(order[a:b].tolist(), key=keys.__getitem__)
                order[a:b] = seg
                new[a + 1 : b] = [keys[x] != keys[y] for x, y in itertools.pairwise(seg)]
            starts = np.flatnonzero(new)
        step = max(1, _NAME_LIMIT // (len(starts) + 1))
        ranks = np.empty(n, np.int64)
        ranks[order] = np.cumsum(new) * step
        distinct = [keys[i] for i in order[starts].tolist()]
        return cls(distinct, (np.arange(1, len(starts) + 1) * step).tolist()), ranks

    def add(self, key: str) -> int | None:
        """The rank of ``key``, inserting it if new; None when its gap is used up."""
        p = bisect_left(self.keys, key)
        if p < len(self.keys) and self.keys[p] == key:
            return self.ranks[p]
        lo = self.ranks[p - 1] if p else -1
        hi = self.ranks[p] if p < len(self.ranks) else _NAME_LIMIT
        mid = (lo + hi) // 2
        if not lo < mid < hi:
            return None
        self.keys.insert(p, key)
        self.ranks.insert(p, mid)
        return mid


class _RowOf:
    """Person id → table row: a dense array indexed by id (ids count up from 1), so
    a million people are placed in milliseconds, not a dict built one by one; a dict
    instead when the ids are too sparse for that."""

    __slots__ = ("_at", "_dict", "_n")

    def __init__(self, ids: np.ndarray) -> None:
        n = len(ids)
        self._n = n
        self._dict: dict[int, int] | None = None
        top = int(ids.max()) + 1 if n else 0
        if top > _dense_limit(n):
            self._at = np.zeros(0, np.int64)
            self._dict = dict(zip(ids.tolist(), range(n), strict=True))
            self._n = len(self._dict)
            return
        self._at = np.full(max(top, 16), -1, np.int64)
        self._at[ids] = np.arange(n)
        self._n = int(np.count_nonzero(self._at >= 0))  # fewer than n: duplicate ids

    def __len__(self) -> int:
        return self._n

    def get(self, person_id: int) -> int | None:
        if self._dict is not None:
            return self._dict.get(person_id)
        if isinstance(person_id, int | np.integer) and 0 <= person_id < len(self._at):
            row = int(self._at[person_id])
            return row if row >= 0 else None
        return None

    def __setitem__(self, person_id: int, row: int) -> None:
        if self._dict is None and not 0 <= person_id < len(self._at):
            if 0 <= person_id < _dense_limit(self._n + 1):
                grown = np.full(max(person_id + 1, 2 * len(self._at)), -1, np.int64)
                grown[: len(self._at)] = self._at
                self._at = grown
            else:  # far beyond everyone: keep a dict from now on
                present = np.flatnonzero(self._at >= 0)
                self._dict = dict(zip(present.tolist(), self._at[present].tolist(), strict=True))
        if self._dict is not None:
            self._n += person_id not in self._dict
            self._dict[person_id] = row
            return
        self._n += int(self._at[person_id] < 0)
        self._at[person_id] = row

    def pop(self, person_id: int) -> int | None:
        row = self.get(person_id)
        if row is not None:
            if self._dict is not None:
                del self._dict[person_id]
            else:
                self._at[person_id] = -1
            self._n -= 1
        return row


def _dense_limit(n: int) -> int:
    """The largest id kept in a dense array for ``n`` people (a few bytes a person)."""
    return 4 * n + (1 << 16)


def _optional_ints(values: Any, n: int, field: str) -> np.ndarray:
    """An int64 column from a sequence where None means missing (stored as NONE)."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "iu":
        out = values.astype(np.int64)
    else:
        if not isinstance(values, Sequence | np.ndarray):
            values = list(values)
        as_float = np.asarray(values, dtype=np.float64)  # None -> nan, exact below 2**53
        out = np.full(len(as_float), NONE, dtype=np.int64)
        present = ~np.isnan(as_float)
        out[present] = as_float[present]
    if out.shape != (n,):
        raise ValueError(f"summary column {field!r} has {len(out)} values, expected {n}")
    return out


def _check(s: Summary) -> None:
    if s.id < 0:
        raise ValueError(f"person id must not be negative: {s.id}")
    if s.mood_level is not None and not 1 <= s.mood_level <= 5:
        raise ValueError(f"mood level of person {s.id} must be 1..5: {s.mood_level}")


class SummaryTable:
    """Column-wise attention summaries for everyone; cheap to update one person.

    Not thread-safe: update and order from one thread (or under one lock).
    """

    def __init__(self) -> None:
        self._n = 0
        self._ids = np.zeros(0, np.int64)
        self._level = np.zeros(0, np.int8)
        self._open = np.zeros(0, np.int32)
        self._times = np.zeros((len(TIME_FIELDS), 0), np.int64)
        self._name_rank = np.zeros(0, np.int64)
        self._names: list[str] = []
        self._names_shared = False  # a Queue holds self._names: copy before writing
        self._owner = np.zeros(0, np.int32)
        self._owner_names: list[str | None] = [None]  # code → agent name; never shrinks
        self._owner_code: dict[str | None, int] = {None: 0}
        self._row = _RowOf(np.zeros(0, np.int64))
        self._index: _NameIndex | None = None
        self._ranked = False  # name ranks are current without an index (``from_arrays``)

    @classmethod
    def from_rows(cls, rows: Iterable[Summary]) -> SummaryTable:
        """A table of the given summaries (ids must be unique)."""
        rows = list(rows)
        cols = [[getattr(s, f) for s in rows] for f in TIME_FIELDS]
        return cls.from_columns(
            [s.id for s in rows],
            [s.name for s in rows],
            [s.mood_level for s in rows],
            cols[0],
            cols[1],
            [s.open_follow_ups for s in rows],
            *cols[2:6],
            unconfirmed=cols[6],
            owner=[s.owner for s in rows],
            waiting_since=cols[7],
        )

    @classmethod
    def from_columns(
        cls,
        ids: Any,
        names: Any,
        mood_level: Any,
        mood_at: Any,
        next_due: Any,
        open_follow_ups: Any,
        last_contact: Any,
        last_done: Any,
        problem_at: Any,
        last_activity: Any,
        unconfirmed: Any = None,
        owner: Any = None,
        waiting_since: Any = None,
    ) -> SummaryTable:
        """Fast bulk load from equal-length sequences; None is allowed for missing values."""
        table = cls()
        id_col = np.asarray(ids, dtype=np.int64).reshape(-1)
        n = len(id_col)
        table._names = [str(x) for x in names]
        if len(table._names) != n:
            raise ValueError(f"summary column 'names' has {len(table._names)} values, expected {n}")
        level = _optional_ints(mood_level, n, "mood_level")
        level[level == NONE] = 0
        if n and (level.min() < 0 or level.max() > 5):
            raise ValueError("summary column 'mood_level' must hold 1..5 or None")
        if n and id_col.min() < 0:
            raise ValueError("summary column 'ids' must not hold negative ids")
        opens = np.asarray(open_follow_ups, dtype=np.int64).reshape(-1)
        if len(opens) != n:
            raise ValueError(
                f"summary column 'open_follow_ups' has {len(opens)} values, expected {n}"
            )
        if unconfirmed is None:
            unconfirmed = np.full(n, NONE, np.int64)
        times = [mood_at, next_due, last_contact, last_done, problem_at, last_activity, unconfirmed]
        if waiting_since is None:
            waiting_since = np.full(n, NONE, np.int64)
        times.append(waiting_since)
        table._times = (
            np.stack([_optional_ints(v, n, f) for v, f in zip(times, TIME_FIELDS, strict=True)])
            if n
            else np.zeros((len(TIME_FIELDS), 0), np.int64)
        )
        table._row = _RowOf(id_col)
        if len(table._row) != n:
            values, counts = np.unique(id_col, return_counts=True)
            dupes = values[counts > 1]
            raise ValueError(f"duplicate person ids in summaries: {dupes[:5].tolist()}")
        table._ids = id_col.copy()
        table._level = level.astype(np.int8)
        table._open = opens.astype(np.int32)
        table._name_rank = np.zeros(n, np.int64)
        table._owner = np.zeros(n, np.int32)
        if owner is not None:
            owners = list(owner)
            if len(owners) != n:
                raise ValueError(f"summary column 'owner' has {len(owners)} values, expected {n}")
            table._owner[:] = [table._code_of(o) for o in owners]
        table._n = n
        return table

    @classmethod
    def from_arrays(
        cls,
        *,
        ids: np.ndarray,
        level: np.ndarray,
        open: np.ndarray,
        times: np.ndarray,
        name_rank: np.ndarray,
        owner: np.ndarray,
        names: list[str],
        owner_names: list[str | None],
    ) -> SummaryTable:
        """A table from ``arrays()`` of another (names already ranked: no sorting)."""
        n = len(ids)
        shapes = [len(level), len(open), times.shape[1], len(name_rank), len(owner), len(names)]
        if times.shape[0] != len(TIME_FIELDS) or any(size != n for size in shapes):
            raise ValueError("summary arrays of different lengths")
        if not owner_names or owner_names[0] is not None or (n and owner.max() >= len(owner_names)):
            raise ValueError("owner codes without names")
        if n and ids.min() < 0:
            raise ValueError("summary ids must not be negative")
        table = cls()
        table._ids = ids.astype(np.int64, copy=False)
        table._level = level.astype(np.int8, copy=False)
        table._open = open.astype(np.int32, copy=False)
        table._times = times.astype(np.int64, copy=False)
        table._name_rank = name_rank.astype(np.int64, copy=False)
        table._owner = owner.astype(np.int32, copy=False)
        table._names = names
        table._owner_names = list(owner_names)
        table._owner_code = {name: code for code, name in enumerate(table._owner_names)}
        table._row = _RowOf(table._ids)
        if len(table._row) != n:
            raise ValueError("duplicate person ids in summaries")
        table._n = n
        table._ranked = True
        return table

    def arrays(self) -> dict[str, Any]:
        """Everything ``from_arrays`` needs (copies; names ranked first)."""
        self.columns()
        n = self._n
        return {
            "ids": self._ids[:n].copy(),
            "level": self._level[:n].copy(),
            "open": self._open[:n].copy(),
            "times": self._times[:, :n].copy(),
            "name_rank": self._name_rank[:n].copy(),
            "owner": self._owner[:n].copy(),
            "names": list(self._names),
            "owner_names": list(self._owner_names),
        }

    def _code_of(self, owner: str | None) -> int:
        code = self._owner_code.get(owner)
        if code is None:
            code = self._owner_code[owner] = len(self._owner_names)
            self._owner_names.append(owner)
        return code

    def owner_code(self, owner: str | None) -> int | None:
        """The code an owner has in ``Columns.owner`` (None: nobody here has that owner)."""
        return self._owner_code.get(owner)

    @property
    def owner_names(self) -> list[str | None]:
        """Owner code → agent name (code 0 is nobody); only grows."""
        return self._owner_names

    def __len__(self) -> int:
        return self._n

    def __contains__(self, person_id: object) -> bool:
        return isinstance(person_id, int | np.integer) and self._row.get(person_id) is not None

    def max_id(self) -> int:
        """The largest person id here (0 when empty)."""
        return int(self._ids[: self._n].max()) if self._n else 0

    def get(self, person_id: int) -> Summary | None:
        """The stored summary of one person, or None."""
        row = self._row.get(person_id)
        if row is None:
            return None
        times = [None if v == NONE else v for v in self._times[:, row].tolist()]
        return Summary(
            id=int(self._ids[row]),
            name=self._names[row],
            mood_level=int(self._level[row]) or None,
            open_follow_ups=int(self._open[row]),
            owner=self._owner_names[int(self._owner[row])],
            **dict(zip(TIME_FIELDS, times, strict=True)),
        )

    def upsert(self, s: Summary) -> None:
        """Add or replace one person."""
        _check(s)
        times = [NONE if v is None else int(v) for v in (getattr(s, f) for f in TIME_FIELDS)]
        row = self._row.get(s.id)
        renamed = row is None or self._names[row] != s.name
        if row is None:
            row = self._n
            if row == len(self._ids):
                self._grow()
            self._writable_names().append(s.name)
            self._row[s.id] = row
            self._n += 1
        elif renamed:
            self._writable_names()[row] = s.name
        self._ids[row] = s.id
        self._level[row] = s.mood_level or 0
        self._open[row] = s.open_follow_ups
        self._owner[row] = self._code_of(s.owner)
        self._times[:, row] = times
        if renamed and self._ranked:
            self._rank_names()  # the saved ranks cannot place a new name: sort once now
        elif renamed and self._index is not None:
            rank = self._index.add(name_key(s.name))
            if rank is None:
                self._index = None  # gap used up: rebuild on the next ordering
            else:
                self._name_rank[row] = rank

    def remove(self, person_id: int) -> None:
        """Forget one person (does nothing if they are not here)."""
        row = self._row.pop(person_id)
        if row is None:
            return
        last = self._n - 1
        names = self._writable_names()
        if row != last:
            moved = int(self._ids[last])
            for col in (self._ids, self._level, self._open, self._name_rank, self._owner):
                col[row] = col[last]
            self._times[:, row] = self._times[:, last]
            names[row] = names[last]
            self._row[moved] = row
        names.pop()
        self._n = last

    def columns(self) -> Columns:
        """Views of the live rows, with the name rank brought up to date."""
        n = self._n
        index = self._index
        stale = len(index.keys) > 2 * n + 1024 if index is not None else not self._ranked
        if stale:  # never ranked, or many names gone since
            self._rank_names()
        views = [self._ids[:n], self._level[:n], self._open[:n], *self._times[:, :n]]
        views += [self._name_rank[:n], self._owner[:n]]
        for view in views:
            view.flags.writeable = False  # the view only: the table still writes its arrays
        return Columns(*views)

    def _rank_names(self) -> None:
        self._index, ranks = _NameIndex.build(self._names)
        self._name_rank[: self._n] = ranks
        self._ranked = False

    def shared_names(self) -> list[str]:
        """The names list, row-aligned; the table copies it before its next write."""
        self._names_shared = True
        return self._names

    def _writable_names(self) -> list[str]:
        if self._names_shared:
            self._names = list(self._names)
            self._names_shared = False
        return self._names

    def _grow(self) -> None:
        cap = max(16, 2 * len(self._ids))

        def grown(col: np.ndarray) -> np.ndarray:
            out = np.zeros((*col.shape[:-1], cap), col.dtype)
            out[..., : col.shape[-1]] = col
            return out

        self._ids, self._level, self._open = grown(self._ids), grown(self._level), grown(self._open)
        self._times, self._name_rank = grown(self._times), grown(self._name_rank)
        self._owner = grown(self._owner)
