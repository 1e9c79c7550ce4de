"""The desk's people search for scripts: the same index and ranking as the screen.

``PeopleSearch`` opens the directory's search index (the saved one) and answers
queries — ties broken by the attention order, as on the desk, computed for just the
people tied — with each person's id, name, email
and company, read in one query per search.

It reads through the desk, or through ``PlainReads`` (the database driver alone,
without loading the database layer): the same directory, saved index and ranking
either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from deskterm.directory import Directory

if TYPE_CHECKING:
    from deskterm.config import Settings
    from deskterm.services.desk import Desk
    from deskterm.services.plain_reads import PlainReads


@dataclass(frozen=True, slots=True)
class Hit:
    """One person found."""

    id: int
    name: str
    email: str | None
    company: str

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "email": self.email, "company": self.company}


@dataclass(frozen=True, slots=True)
class Found:
    """The best people for a query (best first) and how many matched in all."""

    query: str
    total: int
    people: list[Hit]

    def as_json(self) -> dict[str, object]:
        return {
            "query": self.query,
            "total": self.total,
            "people": [p.as_json() for p in self.people],
        }


class PeopleSearch:
    """Search everyone in the configured database, as the desk does."""

    def __init__(self, desk: Desk | PlainReads, settings: Settings) -> None:
        self.desk = desk
        self.directory = Directory.for_settings(desk, settings)  # type: ignore[arg-type]
        self._open = False

    def open(self) -> None:
        """Open the search index (once): the saved one, caught up, or a new one."""
        if not self._open:
            self.directory.build_index(warm=False)
            self._open = True

    def search(self, query: str, *, limit: int = 10) -> Found:
        """The best ``limit`` people for ``query`` (ties in the desk's attention order)."""
        self.open()
        result = self.directory.search_among(query, limit=limit)
        rows = {r[0]: r for r in self.desk.search_rows(result.ids)} if result.ids else {}
        people = [
            Hit(pid, rows[pid][1], rows[pid][2], rows[pid][3] or "")
            for pid in result.ids
            if pid in rows  # erased a moment ago: left out
        ]
        return Found(query, result.total, people)
