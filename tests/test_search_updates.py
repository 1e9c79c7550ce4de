"""Incremental updates of the people search agree with a fresh build, across threads."""

from __future__ import annotations

import random
import threading
from dataclasses import replace

import numpy as np
import pytest

from deskterm.search import SearchDoc, SearchIndex
from deskterm.search import index as index_module
from deskterm.search.corpus import synthetic_people

QUERIES = ("m", "ma", "mar", "mrgo", "refund", "invoice", "555", "vip", "小明", "schmidt", "a")


def _mutate(index: SearchIndex, live: dict[int, SearchDoc], rng: random.Random) -> None:
    pool = synthetic_people(600, seed=11)
    for step in range(700):
        roll = rng.random()
        if roll < 0.55:
            doc = rng.choice(pool)
            donor = rng.choice(pool)  # a new person, or a rename of a known one
            doc = replace(doc, name=donor.name, notes=donor.notes if roll < 0.3 else doc.notes)
            index.upsert(doc)
            live[doc.id] = doc
        elif roll < 0.75 and live:
            victim = rng.choice(sorted(live))
            index.remove(victim)
            del live[victim]
        if step % 60 == 0:
            index.search("margo")  # searches turn queued changes into segments


def test_incremental_index_matches_a_fresh_build(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "FLUSH_AT", 7)
    monkeypatch.setattr(index_module, "MERGE_INLINE", 60)  # exercise background merges
    live = {d.id: d for d in synthetic_people(250)}
    index = SearchIndex.build(live.values())
    _mutate(index, live, random.Random(3))
    index.search("x")
    index.wait_for_merges()
    fresh = SearchIndex.build(live.values())
    assert len(index) == len(fresh) == len(live)
    rank = np.random.default_rng(2).permutation(700)
    names = [d.name for d in list(live.values())[:15]]
    for query in (*QUERIES, *names):
        got = index.search(query, limit=1000, rank_by_id=rank)
        want = fresh.search(query, limit=1000, rank_by_id=rank)
        assert (got.total, got.ids) == (want.total, want.ids), query


def test_searching_while_another_thread_updates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "FLUSH_AT", 5)
    monkeypatch.setattr(index_module, "MERGE_INLINE", 100)
    index = SearchIndex.build(synthetic_people(300))
    errors: list[BaseException] = []
    done = threading.Event()

    def writer() -> None:
        try:
            for i in range(400):
                index.upsert(SearchDoc(1000 + i % 50, f"Writer Person{i}", notes="refund"))
                if i % 3 == 0:
                    index.remove(1 + i % 300)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    while not done.is_set():
        for query in ("writer", "refund", "m", "person"):
            result = index.search(query, limit=20)
            assert len(result.ids) <= 20
            assert len(set(result.ids)) == len(result.ids)
    thread.join()
    index.wait_for_merges()
    assert not errors
    found = index.search("writer").ids  # the 50 writers first; typos may match others after
    assert sorted(found[:50]) == list(range(1000, 1050))
    assert not set(found[50:]) & set(range(1000, 1050))


def test_an_index_built_in_parts_answers_like_one_built_whole() -> None:
    """Built in three parts, the index finds the same people in the same order; after
    each part but the last, a searchable index of the parts so far is handed out."""
    docs = synthetic_people(900, seed=5)
    seen: list[int] = []
    parted = SearchIndex.build_in_parts(
        (docs[i : i + 300] for i in range(0, 900, 300)), lambda part: seen.append(len(part))
    )
    whole = SearchIndex.build(docs)
    assert seen == [300, 600]
    rank = np.random.default_rng(4).permutation(1000)
    for query in (*QUERIES, docs[0].name, docs[-1].name):
        got = parted.search(query, limit=1000, rank_by_id=rank)
        want = whole.search(query, limit=1000, rank_by_id=rank)
        assert (got.total, got.ids) == (want.total, want.ids), query
