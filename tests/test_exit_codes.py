"""Scripts tell "try again later" (75) from "wrong" (2) and "failed" (1), on real faults.

A stopped PostgreSQL cluster, a SQLite file another connection holds locked, a server
shut down under an open session, and a connection cut right after COMMIT: each is a
temporary failure (``Unavailable``, exit 75) in one line; once the fault is gone the
same command succeeds and what it wrote is stored once.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from deskterm.cli.main import run
from deskterm.errors import StorageError, Unavailable
from deskterm.services import Desk
from deskterm.storage import open_engine

NOTE = "called about the refund"


@pytest.fixture
def config(tmp_path: Path, clean_env) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        '[agent]\nname = "ana"\ntimezone = "UTC"\n\n[database]\nbusy_timeout_ms = 300\n',
        encoding="utf-8",
    )
    return path


def deskterm(capsys, config: Path, url: str, *argv: str) -> tuple[int, str, str]:
    code = run(["--config", str(config), "--db", url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def notes(url: str) -> list[str]:
    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT text FROM entry WHERE kind = 'note' ORDER BY id"))
            return [r[0] for r in rows]
    finally:
        engine.dispose()


def add_jim(url: str) -> None:
    engine = open_engine(url)
    Desk(engine, "ana").add_person({"name": "Jim Hopper", "email": "jim@example.com"})
    engine.dispose()


def assert_one_line(err: str, *words: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("deskterm: "), err
    assert "Traceback" not in err
    for word in words:
        assert word in err, err


def test_note_on_a_stopped_cluster_exits_75_then_succeeds_once_it_is_back(
    capsys, config, pg_cluster
) -> None:
    url = pg_cluster.url
    add_jim(url)
    pg_cluster.stop()
    code, out, err = deskterm(capsys, config, url, "note", "jim@example.com", NOTE)
    assert (code, out) == (75, "")
    assert_one_line(err, "unreachable", "try again later")
    pg_cluster.start()
    code, out, err = deskterm(capsys, config, url, "note", "jim@example.com", NOTE)
    assert (code, err) == (0, ""), err
    assert notes(url) == [NOTE]


def test_note_on_a_locked_sqlite_file_exits_75_after_the_busy_timeout(
    capsys, config, tmp_path
) -> None:
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    add_jim(url)
    other = sqlite3.connect(tmp_path / "desk.db", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        code, out, err = deskterm(capsys, config, url, "note", "jim@example.com", NOTE)
        waited = time.monotonic() - started
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert (code, out) == (75, "")
    assert_one_line(err, "locked")
    assert waited < 10, "the configured busy_timeout_ms (300) was not used"
    assert deskterm(capsys, config, url, "note", "jim@example.com", NOTE)[0] == 0
    assert notes(url) == [NOTE]


def test_a_file_that_is_not_a_database_is_a_failure_not_try_later(capsys, config, tmp_path) -> None:
    path = tmp_path / "desk.db"
    path.write_bytes(b"this is no SQLite file, it is a shopping list\n" * 100)
    code, out, err = deskterm(capsys, config, f"sqlite:///{path}", "note", "jim", NOTE)
    assert (code, out) == (1, "")
    assert_one_line(err, "cannot open database")


def test_a_server_shut_down_under_an_open_desk_is_unavailable(pg_cluster) -> None:
    engine = open_engine(pg_cluster.url)
    desk = Desk(engine, "ana")
    jim = desk.add_person({"name": "Jim Hopper"})
    pg_cluster.stop()
    try:
        with pytest.raises(Unavailable) as err:
            desk.log_note(jim.id, NOTE)
        assert "\n" not in str(err.value)
        with pytest.raises(Unavailable):
            desk.detail(jim.id)
        pg_cluster.start()
        desk.log_note(jim.id, NOTE)  # the pool reconnects by itself
        assert [e.text for e in desk.timeline(jim.id) if e.kind == "note"] == [NOTE]
    finally:
        engine.dispose()


def test_a_connection_cut_right_after_commit_is_unavailable_though_stored(
    pg_cluster, tcp_proxy
) -> None:
    """The ambiguous commit: the note is stored, the desk is told "try again"."""
    proxy = tcp_proxy(pg_cluster.port)
    engine = open_engine(pg_cluster.url_at(proxy.port))
    desk = Desk(engine, "ana")
    try:
        jim = desk.add_person({"name": "Jim Hopper"})
        proxy.cut_after_commit()
        with pytest.raises(Unavailable):
            desk.log_note(jim.id, NOTE)
        assert proxy.commits_cut == 1
    finally:
        engine.dispose()
    assert notes(pg_cluster.url) == [NOTE]


def test_a_terminated_session_is_unavailable_and_a_missing_table_is_not(pg_cluster) -> None:
    from deskterm.storage.faults import storage_error

    engine = open_engine(pg_cluster.url)
    try:
        with engine.connect() as conn, pytest.raises(Exception) as err:
            conn.execute(text("SELECT no_such_column FROM person"))
        assert type(storage_error(err.value)) is StorageError
        with engine.connect() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
            pg_cluster.psql(f"SELECT pg_terminate_backend({pid})")
            with pytest.raises(Exception) as err:
                conn.execute(text("SELECT 1"))
        assert isinstance(storage_error(err.value), Unavailable)
    finally:
        engine.dispose()


def test_a_script_that_retries_after_75_with_its_write_id_stores_the_note_once(
    capsys, config, pg_cluster, tcp_proxy
) -> None:
    """The ambiguous commit seen by a script: exit 75 though stored; the retry with the
    same --write-id answers 0 and stores nothing more."""
    add_jim(pg_cluster.url)
    proxy = tcp_proxy(pg_cluster.port)
    via_proxy = pg_cluster.url_at(proxy.port)
    argv = ("note", "--write-id", "mta-<4711@mail.example>", "jim@example.com", NOTE)
    proxy.cut_after_commit()
    code, out, err = deskterm(capsys, config, via_proxy, *argv)
    assert (code, out) == (75, ""), err
    assert_one_line(err, "unreachable")
    assert proxy.commits_cut == 1 and notes(pg_cluster.url) == [NOTE]  # stored, never told
    code, out, err = deskterm(capsys, config, via_proxy, *argv)
    assert (code, out, err) == (0, "note added for Jim Hopper\n", "")
    assert notes(pg_cluster.url) == [NOTE]


def test_a_write_id_must_be_printable_text(capsys, config, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    add_jim(url)
    code, _out, err = deskterm(
        capsys, config, url, "note", "--write-id", "a\nb", "jim@example.com", NOTE
    )
    assert code == 2 and "--write-id" in err
    assert notes(url) == []
