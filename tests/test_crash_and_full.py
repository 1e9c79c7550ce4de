"""A writer killed mid-import and a full disk leave the store whole (real faults, CLI).

``deskterm import`` runs in its own process and is killed with SIGKILL inside its one
big transaction (SQLite: while it writes; PostgreSQL: people inserted, held at the change
table by the test): nothing of it is stored, everything stored before is still
there and the database checks out. A ``deskterm note`` on a full disk (a small tmpfs
holding the SQLite file, or a PostgreSQL tablespace) exits 75 in one line
and leaves what was stored untouched; once there is room, the same command works.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from deskterm.services import Desk
from deskterm.storage import open_engine
from deskterm.storage.backup import desk_rows

BIG = 25_000


def deskterm(url: str, *argv: str, **popen: object) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKTERM_")}
    env["DESKTERM_AGENT_NAME"] = "ana"
    return subprocess.Popen(
        [sys.executable, "-m", "deskterm", "--db", url, *argv],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,  # type: ignore[arg-type]
    )


def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=180)
    return proc.returncode, out, err


def seed(url: str) -> None:
    engine = open_engine(url)
    desk = Desk(engine, "lee")
    for n in range(3):
        person = desk.add_person({"name": f"Kept {n}", "email": f"kept{n}@example.com"})
        desk.log_note(person.id, f"stored before the fault {n}")
    engine.dispose()


def rows_of(url: str) -> dict[str, int]:
    engine = open_engine(url)
    try:
        return desk_rows(engine)
    finally:
        engine.dispose()


def export(url: str) -> str:
    proc = deskterm(url, "export")
    code, out, err = finish(proc)
    assert code == 0, err
    return out


def big_csv(folder: Path) -> Path:
    path = folder / "big.csv"
    rows = (f"Imported {i},imported{i}@example.com,Acme,,vip,note {i}\n" for i in range(BIG))
    path.write_text("name,email,company,phone,tags,notes\n" + "".join(rows), encoding="utf-8")
    return path


def sqlite_write_locked(path: Path) -> bool:
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


class SqliteImport:
    """Sees the import inside its transaction: the write lock held (taken at BEGIN).

    The import gives its transaction a page cache large enough to hold what it writes
    until COMMIT, so the WAL no longer grows before the end: the lock is the sign."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.url = f"sqlite:///{path}"

    def hold(self) -> None:
        """Nothing to hold: SQLite's import writes from BEGIN to COMMIT in one go."""

    def caught(self) -> bool:
        return sqlite_write_locked(self.path)

    def release(self) -> None:
        """Nothing held."""


class PgImport:
    """Holds the change table so the import stops inside its transaction, people
    inserted and not committed; then sees it waiting there."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.plain = url.replace("postgresql+psycopg://", "postgresql://")
        self.blocker: psycopg.Connection | None = None
        self.pid = 0  # the import's server process, once caught waiting

    def hold(self) -> None:
        self.blocker = psycopg.connect(self.plain)
        self.blocker.execute("LOCK TABLE change IN SHARE MODE")  # an INSERT must wait

    def _count(self, sql: str) -> int:
        with psycopg.connect(self.plain, autocommit=True) as conn:
            row = conn.execute(sql).fetchone()
            return int(row[0]) if row else 0

    def caught(self) -> bool:
        self.pid = self._count(
            "SELECT coalesce(max(l.pid), 0) FROM pg_locks l JOIN pg_class c "
            "ON c.oid = l.relation WHERE c.relname = 'change' AND NOT l.granted"
        )
        return bool(self.pid)

    def release(self) -> None:
        """Let the server go on: it finds its client gone and rolls the import back."""
        assert self.blocker is not None
        self.blocker.rollback()
        self.blocker.close()
        deadline = time.monotonic() + 60
        while self._count(f"SELECT count(*) FROM pg_stat_activity WHERE pid = {self.pid}"):
            assert time.monotonic() < deadline, "the killed import's session never ended"
            time.sleep(0.05)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> SqliteImport | PgImport:
    if request.param == "sqlite":
        return SqliteImport(tmp_path / "desk.db")
    return PgImport(request.getfixturevalue("pg_cluster").url)


def test_sigkill_in_the_middle_of_a_big_import_stores_none_of_it(store, tmp_path: Path) -> None:
    url = store.url
    seed(url)
    before, rows_before = export(url), rows_of(url)
    store.hold()
    proc = deskterm(url, "import", str(big_csv(tmp_path)))
    deadline = time.monotonic() + 120
    while not store.caught():
        assert proc.poll() is None, f"the import ended before it could be killed: {finish(proc)}"
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(30) == -signal.SIGKILL
    store.release()

    assert rows_of(url) == rows_before
    assert export(url) == before
    code, out, err = finish(deskterm(url, "db", "check"))
    assert code == 0 and "integrity: ok" in out, out + err
    small = tmp_path / "small.csv"
    small.write_text("name,email\nAfter The Kill,after@example.com\n", encoding="utf-8")
    code, out, err = finish(deskterm(url, "import", str(small)))
    assert code == 0, err  # the store takes new writes as before
    assert rows_of(url)["person"] == 4


@contextlib.contextmanager
def tmpfs(mount: Path, size: str = "4m") -> Iterator[Path]:
    """A small tmpfs at ``mount`` (skipped where it cannot be mounted, except under CI=true)."""
    mount.mkdir()
    argv = ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        reason = f"cannot mount a small tmpfs here: {done.stderr.strip() or done.returncode}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: the full-disk tests must run)")
        pytest.skip(reason)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "small") as mount:
        yield mount


def fill_up(folder: Path, leave: int) -> Path:
    """Fill the file system holding ``folder``, leaving about ``leave`` bytes free."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


def test_a_full_disk_makes_note_exit_75_and_keeps_everything_stored(small_disk: Path) -> None:
    url = f"sqlite:///{small_disk / 'desk.db'}"
    seed(url)
    before = export(url)
    filler = fill_up(small_disk, leave=40_000)  # room to open the database (32 KB), no more
    words = "called about the refund " * 780  # 18,720 characters: more than is left
    code, out, err = finish(deskterm(url, "note", "kept0@example.com", words))
    assert (code, out) == (75, ""), err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("deskterm: the disk holding the database is full"), err
    assert "cannot open" not in err  # it was the write that found no room

    filler.unlink()
    assert export(url) == before
    code, out, err = finish(deskterm(url, "db", "check"))
    assert code == 0 and "integrity: ok" in out, out + err
    code, out, err = finish(deskterm(url, "note", "kept0@example.com", "called back"))
    assert code == 0, err


def test_a_full_disk_under_postgresql_makes_note_exit_75(pg_cluster) -> None:
    """The desk's tables live in a tablespace on a small tmpfs; the server's own files
    do not, so the server stays up and answers "disk full" (SQLSTATE 53100)."""
    with tmpfs(pg_cluster.root / "small") as small_disk:
        shutil.chown(small_disk, "postgres", "postgres")
        _full_tablespace(pg_cluster, small_disk)


def _full_tablespace(pg_cluster, small_disk: Path) -> None:
    pg_cluster.psql(f"CREATE TABLESPACE small LOCATION '{small_disk}'")
    url = f"{pg_cluster.url}?options=-cdefault_tablespace%3Dsmall"
    seed(url)
    before = export(url)
    filler = fill_up(small_disk, leave=0)
    words = os.urandom(9000).hex()  # 18,000 characters that do not compress
    code, out, err = finish(deskterm(url, "note", "kept0@example.com", words))
    assert (code, out) == (75, ""), err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("deskterm: the disk holding the database is full"), err

    filler.unlink()
    assert export(url) == before
    code, out, err = finish(deskterm(url, "note", "kept0@example.com", words))
    assert code == 0, err
