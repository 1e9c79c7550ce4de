"""The plain data the search engine takes and gives back."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SearchCancelled", "SearchDoc", "SearchResult"]


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """One person as the search engine sees them (the latest version of each field)."""

    id: int
    name: str
    email: str = ""
    company: str = ""
    phone: str = ""
    tags: str = ""  # space- or comma-separated tags
    matters: str = ""  # what matters to them
    notes: str = ""  # latest notes; only the first NOTES_LIMIT characters are indexed


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The best ``ids`` (best first, at most ``limit``) and how many people matched."""

    ids: list[int]
    total: int
    query: str


class SearchCancelled(Exception):
    """Raised by ``SearchIndex.search`` when its ``cancelled`` callback says so."""
