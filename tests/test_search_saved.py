"""The search index is saved beside the data, opened from the file and caught up from
the change feed; rebuilt only when the file is missing, damaged or of another format."""

from __future__ import annotations

import struct
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from deskterm.directory import Directory
from deskterm.search import SearchIndex, store
from deskterm.search.corpus import synthetic_people
from deskterm.services import Desk
from deskterm.services.saved_index import index_path, path_for_url
from deskterm.transfer import importer

UTC = ZoneInfo("UTC")
QUERIES = ("margo", "mrgo fair", "mikhail", "555 0199", "refund", "小明", "bob smith", "frwthr")


def _open(desk: Desk) -> Directory:
    directory = Directory(desk, tz=UTC)
    directory.load()
    directory.build_index()
    return directory


def _no_building(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(self: Directory) -> SearchIndex:
        raise AssertionError("the index was built, not opened from its file")

    monkeypatch.setattr(Directory, "_build_fresh", fail)


@pytest.fixture
def people(desk: Desk) -> list[int]:
    names = ("Margo Fairweather", "Jim Hopper", "Михаил Смирнов", "Robert Smith")
    return [desk.add_person({"name": n, "email": f"p{i}@ex.org"}).id for i, n in enumerate(names)]


def test_a_saved_index_answers_like_a_fresh_one_and_is_memory_mapped(tmp_path: Path) -> None:
    index = SearchIndex.build_in_parts([synthetic_people(600)[:300], synthetic_people(600)[300:]])
    index.remove(17)
    segments, alive = index.parts()
    store.save(tmp_path / "x.search", segments, alive, 42)
    saved = store.load(tmp_path / "x.search")
    assert saved.seq == 42
    again = SearchIndex.from_parts(saved.segments, saved.alive)
    for query in QUERIES:
        assert again.search(query).ids == index.search(query).ids, query
    postings = saved.segments[0].post[0]
    assert not postings.flags.writeable and not postings.flags.owndata  # a view of the file
    assert 17 not in again.search("a", limit=10_000).ids


def test_a_segment_renumbered_answers_as_one_built_with_those_ids() -> None:
    """An import indexes its rows before the database gives them ids: numbered 1..n
    then renumbered, the segment finds and ranks exactly as one built with the ids."""
    import dataclasses

    from deskterm.search.segment import build_segment

    docs = synthetic_people(400)
    ids = [5000 + 3 * i for i in range(len(docs))]
    early = build_segment(docs)
    renumbered = early.renumbered(ids)
    built = build_segment(
        [dataclasses.replace(d, id=pid) for d, pid in zip(docs, ids, strict=True)]
    )
    assert renumbered is not None
    for query in (*QUERIES, "a", "hop"):
        want = SearchIndex([built]).search(query, limit=50).ids
        assert SearchIndex([renumbered]).search(query, limit=50).ids == want, query
    assert early.renumbered(ids[::-1]) is None  # not ascending: the order would change
    assert early.renumbered(ids[:-1]) is None
    assert early.renumbered([*ids[:-1], ids[-2]]) is None  # one id twice


def test_the_desk_saves_the_index_beside_a_sqlite_file_and_opens_it_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deskterm.storage import open_engine

    engine = open_engine(f"sqlite:///{tmp_path / 'desk.db'}")
    desk = Desk(engine, "ana")
    margo = desk.add_person({"name": "Margo Fairweather"}).id
    _open(desk)
    assert index_path(engine) == tmp_path / "desk.db.search"
    assert (tmp_path / "desk.db.search").exists()
    _no_building(monkeypatch)
    assert _open(desk).search("mrg frwthr").ids == [margo]
    engine.dispose()


def test_postgresql_keeps_it_in_the_cache_folder_keyed_by_database(engine, people) -> None:
    path = index_path(engine)
    assert path is not None
    if engine.dialect.name == "postgresql":
        assert "cache" in str(path) and path.suffix == ".search"
        other = engine.url.set(database="elsewhere")
        assert path_for_url(other) not in (None, path)
        assert path_for_url(engine.url.set(password="secret")) == path  # not in the key


def test_a_stale_file_catches_up_from_the_feed(desk, people, monkeypatch) -> None:
    _open(desk)
    added = desk.add_person({"name": "Wendeline Quackenbush"}).id
    desk.edit_person(people[1], desk.get_person(people[1]).version, {"company": "Zebra Works"})
    _no_building(monkeypatch)
    directory = _open(desk)
    assert directory.search("wendlne quack").ids == [added]
    assert directory.search("zebra").ids == [people[1]]


def _damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "flipped":
        data[len(data) // 2] ^= 0x40
    elif how == "truncated":
        data = data[: len(data) - 100]
    elif how == "other version":
        struct.pack_into("<I", data, 8, store.FORMAT + 1)
    elif how == "not an index":
        data = bytearray(b"hello, world\n" * 20)
    elif how == "empty":
        data = bytearray()
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["flipped", "truncated", "other version", "not an index", "empty"])
def test_a_damaged_or_foreign_file_is_rebuilt(desk, people, how) -> None:
    _open(desk)
    path = index_path(desk.engine)
    assert path is not None
    _damage(path, how)
    with pytest.raises(store.Unusable):
        store.load(path)
    directory = _open(desk)
    assert directory.search("margo").ids == [people[0]]
    assert store.load(path).seq == desk.last_change_id()  # written again, whole


def test_an_erased_person_is_gone_from_the_saved_file(desk, people, monkeypatch) -> None:
    quirk = desk.add_person({"name": "Zebulon Quirkwhistle", "email": "zq@ex.org"}).id
    _open(desk)
    path = index_path(desk.engine)
    assert path is not None and b"quirkwhistle" in path.read_bytes()
    desk.erase(quirk)
    _no_building(monkeypatch)
    assert _open(desk).search("quirkwhistle").ids == []
    assert b"quirkwhistle" not in path.read_bytes()  # not just marked dead: removed
    assert _open(desk).search("margo").ids == [people[0]]


def test_import_leaves_the_saved_index_current(desk, people, tmp_path, monkeypatch) -> None:
    _open(desk)
    csv = tmp_path / "people.csv"
    rows = [f"Person{i} Tamberlane,t{i}@ex.org,Acme,,,\n" for i in range(300)]
    csv.write_text("name,email,company,phone,tags,notes\n" + "".join(rows), encoding="utf-8")
    now = desk.clock()
    parsed = importer.read_import(csv, agent="ana", now=now)
    importer.save(desk.engine, parsed, agent="ana", now=now)
    path = index_path(desk.engine)
    assert path is not None and store.load(path).seq == desk.last_change_id()
    _no_building(monkeypatch)
    assert _open(desk).search("tamberlane").total == 300


def test_an_unwritable_folder_only_means_building_each_time(tmp_path, monkeypatch) -> None:
    from deskterm.storage import open_engine

    engine = open_engine(f"sqlite:///{tmp_path / 'desk.db'}")
    desk = Desk(engine, "ana")
    margo = desk.add_person({"name": "Margo Fairweather"}).id

    def refuse(*_args: object, **_kw: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(store, "save", refuse)
    assert _open(desk).search("margo").ids == [margo]
    assert not (tmp_path / "desk.db.search").exists()
    engine.dispose()


def test_alive_masks_survive_the_round_trip(tmp_path: Path) -> None:
    index = SearchIndex.build(synthetic_people(50))
    for pid in (3, 9, 27):
        index.remove(pid)
    segments, alive = index.parts()
    store.save(tmp_path / "x.search", segments, alive, 7)
    saved = store.load(tmp_path / "x.search")
    assert np.array_equal(saved.alive[0], alive[0])


def test_the_quick_summary_of_an_imported_row_is_the_general_one() -> None:
    """Rows with at most two entries and no mood or follow-up take a shortcut."""
    import random
    from datetime import UTC, datetime, timedelta

    from deskterm.services.bulk import (
        NewEntry,
        NewPerson,
        _summary_general,
        _summary_of_entries,
    )

    rng = random.Random(1)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    kinds = ("created", "note", "contact", "mood", "other")
    for _ in range(3000):
        entries = [
            NewEntry(base + timedelta(hours=rng.randrange(3)), rng.choice(kinds), rng.choice("ab"))
            for _ in range(rng.randrange(3))
        ]
        assert _summary_of_entries(entries) == _summary_general(NewPerson({}, entries))


def test_an_unchanged_feed_applies_nothing_on_open(desk, people, monkeypatch) -> None:
    """The ids just below the saved position were applied already: not re-read each time."""
    _open(desk)
    called: list[int] = []
    real = SearchIndex.upsert_many

    def spy(self: SearchIndex, docs: object) -> None:
        docs = list(docs)  # type: ignore[call-overload]
        called.append(len(docs))
        real(self, docs)

    monkeypatch.setattr(SearchIndex, "upsert_many", spy)
    _no_building(monkeypatch)
    _open(desk)
    assert sum(called) == 0
    desk.add_person({"name": "Late Comer"})
    assert _open(desk).search("late comer").total == 1
    assert sum(called) == 1


def test_checksummed_metadata_missing_a_field_is_rebuilt(desk, people) -> None:
    """A file of this format whose metadata lacks a field (an older writer) is not used."""
    import json
    import zlib

    _open(desk)
    path = index_path(desk.engine)
    assert path is not None
    data = bytearray(path.read_bytes())
    head = struct.Struct("<8sIIIIQQ")
    magic, fmt, _len, _crc, body_crc, body_len, body = head.unpack_from(data, 0)
    meta = json.loads(bytes(data[body + body_len :]))
    del meta["seen"]
    raw = json.dumps(meta).encode()
    data = data[: body + body_len] + raw
    head.pack_into(data, 0, magic, fmt, len(raw), zlib.crc32(raw), body_crc, body_len, body)
    path.write_bytes(bytes(data))
    with pytest.raises(store.Unusable):
        store.load(path)
    assert _open(desk).search("margo").ids == [people[0]]
    assert store.load(path).seq == desk.last_change_id()
