"""Threads: which messages belong together, by Message-ID, In-Reply-To and References."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Link:
    """The threading headers of one stored message."""

    id: int  # the row id
    message_id: str
    in_reply_to: str
    references: tuple[str, ...]


def thread_of(target: Link, candidates: Iterable[Link]) -> list[int]:
    """Row ids of every candidate in the same thread as ``target`` (target included).

    Two messages are in one thread when one names the other (In-Reply-To or
    References) or both name a common ancestor; threads are followed transitively.
    """
    links = {c.id: c for c in candidates}
    links[target.id] = target
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb

    for link in links.values():
        for other in (link.in_reply_to, *link.references):
            if other:
                union(link.message_id, other)
    root = find(target.message_id)
    return sorted(i for i, link in links.items() if find(link.message_id) == root)
