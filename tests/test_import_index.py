"""``import`` indexes the rows it stores (in a child process where there is ``fork``)
and leaves the saved search index current: whoever changed meanwhile is read back."""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from deskterm.directory import Directory
from deskterm.errors import InvalidInput
from deskterm.search import SearchIndex, store
from deskterm.services import Desk, bulk
from deskterm.services.saved_index import index_path
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


def test_without_fork_the_rows_are_indexed_in_process(desk, tmp_path, monkeypatch) -> None:
    with monkeypatch.context() as patch:
        patch.delattr(os, "fork")
        _import(desk, _csv(tmp_path, 25))
    assert _opened(desk, monkeypatch).search("tamberlane", limit=100).total == 25


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
