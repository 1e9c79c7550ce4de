"""Whose people the queue shows: everyone, mine, or nobody's (a filter over a Queue).

A ``QueueView`` keeps the attention order and shows only the positions whose owner
fits; it answers like a ``Queue`` (length, rows, positions, counts), so a screen can show
either. Filtering 100,000 people is one numpy comparison.
"""

from __future__ import annotations

import numpy as np

from deskterm.attention.order import Queue, QueueRow

VIEWS = ("everyone", "mine", "unowned")
TITLES = {"everyone": "everyone", "mine": "mine", "unowned": "nobody's"}


def next_view(view: str) -> str:
    """The view after ``view`` in the cycle everyone → mine → unowned → everyone."""
    return VIEWS[(VIEWS.index(view) + 1) % len(VIEWS)] if view in VIEWS else VIEWS[0]


class QueueView:
    """The people of ``queue`` owned by ``agent`` ("mine") or by nobody ("unowned")."""

    def __init__(self, queue: Queue, view: str, agent: str) -> None:
        if view not in VIEWS:
            raise ValueError(f"view must be one of {', '.join(VIEWS)}: {view!r}")
        self.queue, self.view, self.agent = queue, view, agent
        self.generation = queue.generation
        codes, names = queue.owners_in_order()
        if view == "everyone":
            keep = np.ones(len(codes), bool)
        elif view == "unowned":
            keep = codes == 0
        else:
            mine = [code for code, name in enumerate(names) if name == agent]
            keep = codes == mine[0] if mine else np.zeros(len(codes), bool)
        self._positions = np.flatnonzero(keep)
        cats = queue.categories_in_order()[self._positions]
        counts = np.bincount(cats, minlength=len(queue.order)) if len(cats) else None
        self._counts = {
            name: int(counts[code]) if counts is not None else 0
            for code, name in enumerate(queue.order)
        }

    def __len__(self) -> int:
        return len(self._positions)

    def row(self, position: int) -> QueueRow:
        return self.queue.row(int(self._positions[position]))

    def rows(self, start: int, stop: int) -> list[QueueRow]:
        return [self.row(p) for p in range(*slice(start, stop).indices(len(self)))]

    def position_of(self, person_id: int) -> int | None:
        """Where a person is in this view, or None (not here, or not theirs)."""
        full = self.queue.position_of(person_id)
        if full is None:
            return None
        at = int(np.searchsorted(self._positions, full))
        return at if at < len(self._positions) and self._positions[at] == full else None

    @property
    def counts(self) -> dict[str, int]:
        """People per category in this view, in the configured order."""
        return dict(self._counts)
