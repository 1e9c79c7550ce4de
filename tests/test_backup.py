"""``db backup``, ``db restore`` and ``db check`` on both backends, under real writers.

A backup taken while four threads log notes is a consistent snapshot (each writer's
notes a gapless prefix, the restored database whole); a backup of the quiet desk
restores to the same counts and a byte-identical export. A restore never touches a
database that already holds people.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from deskterm.cli.main import run
from deskterm.services import Desk
from deskterm.storage import open_engine
from deskterm.storage.backup import desk_rows
from deskterm.storage.pgtools import pg_tool

WRITERS = 4


@dataclass
class Backend:
    """A source database URL and a way to make empty targets of the same kind."""

    url: str
    fresh: object  # () -> str


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite":
        made = iter(range(100))
        yield Backend(
            f"sqlite:///{tmp_path / 'desk.db'}",
            lambda: f"sqlite:///{tmp_path / f'restored{next(made)}.db'}",
        )
        return
    cluster = request.getfixturevalue("pg_cluster")
    made = iter(range(100))

    def fresh() -> str:
        name = f"restored{next(made)}"
        cluster.psql(f"CREATE DATABASE {name}")
        return cluster.url.rsplit("/", 1)[0] + f"/{name}"

    yield Backend(cluster.url, fresh)


@pytest.fixture
def config(tmp_path: Path, clean_env) -> Path:
    path = tmp_path / "config.toml"
    path.write_text('[agent]\nname = "ana"\ntimezone = "UTC"\n', encoding="utf-8")
    return path


@pytest.fixture
def deskterm(config: Path, capfd):
    def call(url: str, *argv: str) -> tuple[int, str, str]:
        code = run(["--config", str(config), "--db", url, *argv])
        out, err = capfd.readouterr()
        return code, out, err

    return call


def fill(url: str) -> list[int]:
    """A small desk with every kind of entry; returns the ids of the writers' people."""
    engine = open_engine(url)
    desk = Desk(engine, "lee")
    now = datetime(2026, 11, 23, 10, tzinfo=UTC)
    ids = []
    for n in range(WRITERS + 2):
        person = desk.add_person({"name": f"Person {n}", "email": f"p{n}@example.com"})
        desk.log_mood(person.id, 1 + n % 5, f"mood {n}")
        follow_up = desk.log_follow_up(person.id, now + timedelta(days=n), f"call {n}")
        if n % 2:
            desk.complete_follow_up(person.id, "done", follow_up.id)
        desk.log_contact(person.id, "phone", f"spoke to {n} — «ok» 👍")
        ids.append(person.id)
    engine.dispose()
    return ids[:WRITERS]


class Writers:
    """Threads logging numbered notes ("w2 n17") until stopped; each commit is one note."""

    def __init__(self, url: str, people: list[int]) -> None:
        self.engine = open_engine(url)
        self.stop = threading.Event()
        self.written = [0] * len(people)
        self.errors: list[BaseException] = []
        self.threads = [
            threading.Thread(target=self._write, args=(k, pid), daemon=True)
            for k, pid in enumerate(people)
        ]
        for thread in self.threads:
            thread.start()

    def _write(self, k: int, person_id: int) -> None:
        desk = Desk(self.engine, f"writer{k}")
        try:
            while not self.stop.is_set():
                desk.log_note(person_id, f"w{k} n{self.written[k]}")
                self.written[k] += 1
        except BaseException as exc:  # reported by the test
            self.errors.append(exc)

    def wait_for(self, notes: int) -> None:
        while min(self.written) < notes and not self.errors:
            self.stop.wait(0.01)

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(60)
        self.engine.dispose()
        assert not self.errors, self.errors


def writer_notes(url: str) -> dict[str, list[int]]:
    engine = open_engine(url, migrate=False)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT text FROM entry WHERE kind = 'note' ORDER BY id"))
        found: dict[str, list[int]] = {}
        for (note,) in rows:
            writer, number = note.split()
            found.setdefault(writer, []).append(int(number[1:]))
    engine.dispose()
    return found


def test_backup_while_four_writers_log_restores_the_same_desk(
    backend: Backend, deskterm, tmp_path: Path
) -> None:
    people = fill(backend.url)
    writers = Writers(backend.url, people)
    try:
        writers.wait_for(5)
        code, out, err = deskterm(backend.url, "db", "backup", str(tmp_path / "busy.backup"))
        assert code == 0, err
        assert out.startswith(f"backed up the desk to {tmp_path / 'busy.backup'}")
        writers.wait_for(max(writers.written) + 5)  # they went on writing meanwhile
    finally:
        writers.finish()

    snapshot = backend.fresh()
    code, out, err = deskterm(snapshot, "db", "restore", str(tmp_path / "busy.backup"))
    assert code == 0, err
    for writer, numbers in writer_notes(snapshot).items():
        assert numbers == list(range(len(numbers))), f"{writer}: a gap in the snapshot"
    code, out, err = deskterm(snapshot, "db", "check")
    assert code == 0 and "integrity: ok" in out and "up to date" in out, out + err
    assert sum(len(n) for n in writer_notes(snapshot).values()) < sum(writers.written)

    code, _out, err = deskterm(backend.url, "db", "backup", str(tmp_path / "quiet.backup"))
    assert code == 0, err
    restored = backend.fresh()
    assert deskterm(restored, "db", "restore", str(tmp_path / "quiet.backup"))[0] == 0
    source_rows = desk_rows(open_engine(backend.url))
    assert desk_rows(open_engine(restored)) == source_rows and source_rows["entry"] > 30
    assert deskterm(restored, "export")[1] == deskterm(backend.url, "export")[1] != ""
    code, out, err = deskterm(restored, "note", "p0@example.com", "after the restore")
    assert code == 0, err  # ids go on where they stopped: nothing collides


def test_restore_refuses_a_database_that_has_people(
    backend: Backend, deskterm, tmp_path: Path
) -> None:
    fill(backend.url)
    assert deskterm(backend.url, "db", "backup", str(tmp_path / "desk.backup"))[0] == 0
    before = desk_rows(open_engine(backend.url))
    code, out, err = deskterm(backend.url, "db", "restore", str(tmp_path / "desk.backup"))
    assert (code, out) == (2, "")
    assert "already has 6 people: restore only into an empty database" in err
    assert len(err.splitlines()) == 1
    assert desk_rows(open_engine(backend.url)) == before


def test_check_counts_every_table_and_names_the_revision(backend: Backend, deskterm) -> None:
    from deskterm.storage.migrate import head_revision

    fill(backend.url)
    code, out, err = deskterm(backend.url, "db", "check")
    assert code == 0, err
    assert "integrity: ok" in out
    assert f"schema: revision {head_revision()}, newest {head_revision()}: up to date" in out
    counts = {
        line.split()[0]: int(line.split()[1].replace(",", ""))
        for line in out.splitlines()
        if line.startswith("  ")
    }
    assert counts["person"] == 6 and counts["mood"] == 6 and counts["follow_up"] == 6
    assert set(desk_rows(open_engine(backend.url))) <= set(counts) | {"presence"}


def test_check_finds_a_row_pointing_nowhere_on_sqlite(tmp_path: Path, deskterm) -> None:
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    fill(url)
    import sqlite3

    raw = sqlite3.connect(tmp_path / "desk.db")
    raw.execute("PRAGMA foreign_keys = OFF")
    raw.execute("UPDATE mood SET person_id = 999 WHERE id = 1")
    raw.commit()
    raw.close()
    code, out, err = deskterm(url, "db", "check")
    assert code == 1
    assert "integrity: 1 problem(s)" in out and "mood row 1 points to a missing person" in out
    assert "is damaged" in err and len(err.splitlines()) == 1


def test_a_backup_of_the_other_kind_or_no_backup_at_all_is_bad_input(
    tmp_path: Path, deskterm
) -> None:
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    dump = tmp_path / "team.backup"
    dump.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 64)
    code, _out, err = deskterm(url, "db", "restore", str(dump))
    assert code == 2 and "is a PostgreSQL backup and the database is SQLite" in err
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", encoding="utf-8")
    code, _out, err = deskterm(url, "db", "restore", str(notes))
    assert code == 2 and "not a deskterm backup" in err
    code, _out, err = deskterm(url, "db", "restore", str(tmp_path / "missing.backup"))
    assert code == 2 and "no such backup file" in err


def _fake_tool(folder: Path, name: str, version: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / name
    script.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version}'\n", encoding="utf-8")
    script.chmod(0o755)


def test_pg_dump_missing_or_older_than_the_server_is_one_clear_line(tmp_path: Path) -> None:
    from deskterm.errors import DeskError

    with pytest.raises(DeskError) as err:
        pg_tool("pg_dump", (16, 1), search=[tmp_path / "none"])
    assert str(err.value) == (
        "pg_dump is not installed: install the PostgreSQL client (postgresql-client-16)"
    )
    _fake_tool(tmp_path / "13", "pg_dump", "13.4 (Debian 13.4-1)")
    with pytest.raises(DeskError) as err:
        pg_tool("pg_dump", (16, 1), search=[tmp_path / "13"])
    assert str(err.value) == (
        f"pg_dump 13.4 ({tmp_path / '13' / 'pg_dump'}) is older than the server (16.1): "
        "install postgresql-client-16"
    )
    _fake_tool(tmp_path / "17", "pg_dump", "17.2")
    chosen = pg_tool("pg_dump", (16, 1), search=[tmp_path / "13", tmp_path / "17"])
    assert chosen.version == (17, 2)


def test_backup_of_no_desk_is_bad_input_and_creates_nothing(tmp_path: Path, deskterm) -> None:
    url = f"sqlite:///{tmp_path / 'nowhere.db'}"
    code, out, err = deskterm(url, "db", "backup", str(tmp_path / "x.backup"))
    assert (code, out) == (2, "") and "nothing to back up" in err
    assert not (tmp_path / "nowhere.db").exists() and not (tmp_path / "x.backup").exists()
