"""``import`` indexes the rows it stores (in a child process where there is ``fork``)
and leaves the saved search index and queue file current: whoever changed meanwhile is
read back."""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from deskterm.cli.main import main
from deskterm.directory import Directory
from deskterm.errors import InvalidInput
from deskterm.search import SearchIndex, store
from deskterm.services import Desk, bulk
from deskterm.services.saved_index import index_path
from deskterm.services.saved_queue import SavedQueue
from deskterm.transfer import importer
from deskterm.transfer.import_index import ImportIndex

HEADER = "name,email,company,phone,tags,notes\n"


def _csv(tmp_path: Path, rows: int, name: str = "Tamberlane") -> Path:
    path = tmp_path / "people.csv"
    lines = [
        f"Person{i} {name},t{i}@ex.org,Acme,+1 555 01{i:02d},vip,called {i}\n" for i in range(rows)
    ]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def _import(desk: Desk, csv: Path) -> None:
    now = desk.clock()
    parsed = importer.read_import(csv, agent="ana", now=now)
    importer.check_against(desk.engine, parsed)
    importer.save(desk.engine, parsed, agent="ana", now=now)


def _opened(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> Directory:
    """The desk's directory, which must open the saved file (no build)."""

    def fail(self: Directory) -> SearchIndex:
        raise AssertionError("the index was built, not opened from its file")

    monkeypatch.setattr(Directory, "_build_fresh", fail)
    directory = Directory(desk, tz=ZoneInfo("UTC"))
    directory.load()
    directory.build_index()
    return directory


def _lines(directory: Directory) -> list[tuple[object, ...]]:
    """What the queue shows: each line's person, name, mood, reason and owner, in order."""
    queue = directory.queue()
    return [(r.id, r.name, r.mood_level, r.reason, r.owner) for r in queue.rows(0, len(queue))]


def _queue_from_file(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """The queue a new desk shows, which must come from the saved file, whole (the
    check the desk makes after its first frame included), with nobody read again;
    compared with the queue read from the database."""
    fresh = Directory(desk, tz=ZoneInfo("UTC"), save_index=False)
    fresh.load()
    saved = SavedQueue.of(desk)
    table = saved.open()
    assert table is not None, saved.problem
    assert saved.holds_everyone(table), saved.problem

    def fail(*_args: object) -> list[tuple]:
        raise AssertionError("everyone was read from the database, not from the file")

    with monkeypatch.context() as patch:
        patch.setattr(Desk, "summary_rows", fail)
        directory = Directory(desk, tz=ZoneInfo("UTC"))
        directory.load()
        assert not directory.check_queue()  # it holds everyone: no second read
    assert _lines(directory) == _lines(fresh)
    return _lines(directory)


def _leftovers(desk: Desk) -> list[str]:
    path = index_path(desk.engine)
    assert path is not None
    # Only this database's own files: on PostgreSQL the cache folder is shared by every
    # test of the session, and a SIGKILLed import elsewhere may leave its own behind.
    return [
        p.name
        for p in path.parent.iterdir()
        if p.name.endswith(".tmp") and p.name.startswith(f".{path.name}")
    ]


def test_an_import_adds_to_the_people_already_indexed(desk, tmp_path, monkeypatch) -> None:
    margo = desk.add_person({"name": "Margo Fairweather"}).id
    _import(desk, _csv(tmp_path, 40))
    path = index_path(desk.engine)
    assert path is not None and store.load(path).seq == desk.last_change_id()
    directory = _opened(desk, monkeypatch)
    assert directory.search("margo").ids == [margo]
    found = directory.search("tamberlane", limit=100)
    assert found.total == 40
    seventh = desk.find_person("t7@ex.org").id
    assert directory.search("person7 tamberlane").ids == [seventh]
    assert _leftovers(desk) == []
    lines = _queue_from_file(desk, monkeypatch)
    assert sorted(line[1] for line in lines)[:2] == ["Margo Fairweather", "Person0 Tamberlane"]
    assert len(lines) == 41


def test_an_import_adds_to_the_saved_queue_of_the_people_there(desk, tmp_path, monkeypatch):
    """The file a desk saved before the import gets the imported people added."""
    alecia = desk.add_person({"name": "Alecia Brandt"}).id
    desk.log_mood(alecia, 1, "her cat is at the vet")
    first = Directory(desk, tz=ZoneInfo("UTC"))
    first.load()
    first.save_queue()
    _import(desk, _csv(tmp_path, 30))
    lines = _queue_from_file(desk, monkeypatch)
    assert len(lines) == 31
    assert lines[0][:3] == (alecia, "Alecia Brandt", 1)  # upset: first in the queue


def test_deskterm_import_leaves_a_queue_file_the_next_desk_opens(tmp_path, monkeypatch, clean_env):
    config = tmp_path / "config.toml"
    config.write_text('[agent]\nname = "ana"\ntimezone = "UTC"\n', encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    with pytest.raises(SystemExit) as done:
        main(["--config", str(config), "--db", url, "import", str(_csv(tmp_path, 12))])
    assert done.value.code == 0
    assert (tmp_path / "desk.db.queue").is_file()
    from deskterm.storage import open_engine

    engine = open_engine(url)
    try:
        lines = _queue_from_file(Desk(engine, "ana"), monkeypatch)
    finally:
        engine.dispose()
    assert sorted(line[1] for line in lines) == sorted(f"Person{i} Tamberlane" for i in range(12))


@pytest.mark.parametrize("saved_meanwhile", [False, True])
def test_someone_changing_an_imported_person_meanwhile_wins(
    desk, tmp_path, monkeypatch, saved_meanwhile
) -> None:
    """Between the commit and the index update, another desk may save the index (with
    the import in it) and someone may edit an imported person: the edit is kept."""
    finish = ImportIndex.finish

    def change_first(self: ImportIndex, changes: tuple[int, int]) -> None:
        if saved_meanwhile:
            Directory(desk, tz=ZoneInfo("UTC")).build_index(resave_after=1)
        first = desk.find_person("t0@ex.org")
        desk.edit_person(first.id, first.version, {"name": "Quentin Zarathustra"})
        finish(self, changes)

    with monkeypatch.context() as patch:
        patch.setattr(ImportIndex, "finish", change_first)
        _import(desk, _csv(tmp_path, 30))
    directory = _opened(desk, monkeypatch)
    assert directory.search("zarathustra").ids == [desk.find_person("t0@ex.org").id]
    assert directory.search("tamberlane", limit=100).total == 29
    names = [line[1] for line in _queue_from_file(desk, monkeypatch)]
    assert "Quentin Zarathustra" in names and "Person0 Tamberlane" not in names


def test_a_queue_read_after_the_commit_keeps_what_changed_since(desk, tmp_path, monkeypatch):
    """The queue child may read everyone only after the import is committed (a small
    import commits at once): its people then come from the database, changes kept."""
    stored: list[tuple] = []
    told: list[tuple[int, int]] = []
    with monkeypatch.context() as patch:
        patch.setattr(ImportIndex, "start", lambda _self, _people: None)
        patch.setattr(ImportIndex, "stored", lambda _self, rows: stored.extend(rows))
        patch.setattr(ImportIndex, "finish", lambda _self, changes: told.append(changes))
        _import(desk, _csv(tmp_path, 20))
    saved = SavedQueue.of(desk)
    pending = saved.before_import()
    pending.add([bulk.summary_row(row) for row in stored])
    first = desk.find_person("t0@ex.org")
    desk.edit_person(first.id, first.version, {"name": "Quentin Zarathustra"})
    assert saved.save_import(pending, told[0])
    names = [line[1] for line in _queue_from_file(desk, monkeypatch)]
    assert len(names) == 20
    assert "Quentin Zarathustra" in names and "Person0 Tamberlane" not in names


def test_without_fork_the_rows_are_indexed_in_process(desk, tmp_path, monkeypatch) -> None:
    with monkeypatch.context() as patch:
        patch.delattr(os, "fork")
        _import(desk, _csv(tmp_path, 25))
    assert _opened(desk, monkeypatch).search("tamberlane", limit=100).total == 25
    assert len(_queue_from_file(desk, monkeypatch)) == 25


def test_a_failed_import_leaves_the_saved_index_and_no_temporary_file(
    desk, tmp_path, monkeypatch
) -> None:
    margo = desk.add_person({"name": "Margo Fairweather"}).id
    path = index_path(desk.engine)
    assert path is not None

    def broken(*_args: object) -> None:
        raise InvalidInput("nothing imported: the disk is full")

    with monkeypatch.context() as patch, pytest.raises(InvalidInput):
        patch.setattr(bulk, "_insert_rows", broken)
        _import(desk, _csv(tmp_path, 25))
    assert _leftovers(desk) == []
    directory = _opened(desk, monkeypatch)
    assert directory.search("margo").ids == [margo]
    assert directory.search("tamberlane").total == 0
    assert not (path.with_suffix(".queue")).exists()  # nothing to catch up from the import
