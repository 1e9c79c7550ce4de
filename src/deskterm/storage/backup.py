"""Backups that restore the same desk: a consistent snapshot while agents write.

SQLite: the online backup API copies the file in one step inside one read transaction
(in WAL mode writers go on meanwhile), into a temporary file renamed into place.
PostgreSQL: ``pg_dump --format=custom`` of the desk's schema (one repeatable-read
snapshot), by a pg_dump at least as new as the server.

A restore goes into an empty database of the same kind — a SQLite backup page by page
into the target file, a dump through ``pg_restore --single-transaction`` — and is
refused when the target already holds people or any other desk data. The schema is
then brought to the newest revision, so an older backup restores into a newer deskterm.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import URL

from deskterm.errors import InvalidInput, StorageError, Unavailable
from deskterm.storage.engine import safe_url
from deskterm.storage.faults import storage_error
from deskterm.storage.pgtools import pg_tool, server_version

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
IGNORED_TABLES = frozenset({"alembic_version", "presence"})  # not desk data


@dataclass(frozen=True)
class BackupResult:
    path: Path
    kind: str  # "sqlite" or "postgresql"
    size: int


def backup(engine: Engine, dest: Path) -> BackupResult:
    """Write a consistent snapshot of the desk to ``dest`` (atomically replaced)."""
    dest = dest.expanduser()
    if not dest.parent.is_dir():
        raise InvalidInput(f"{dest.parent}: no such folder for the backup")
    kind = engine.dialect.name
    with _temporary_next_to(dest) as tmp:
        if kind == "sqlite":
            _backup_sqlite(engine, tmp)
        else:
            _backup_postgresql(engine, tmp)
        os.replace(tmp, dest)
    return BackupResult(dest, kind, dest.stat().st_size)


@contextlib.contextmanager
def _temporary_next_to(dest: Path) -> Iterator[Path]:
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".partial", dir=dest.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def sqlite_path(url: URL) -> Path:
    return Path(url.database or "").expanduser()


def _backup_sqlite(engine: Engine, tmp: Path) -> None:
    busy = _busy_seconds(engine)
    try:
        source = sqlite3.connect(sqlite_path(engine.url), timeout=busy)
        try:
            target = sqlite3.connect(tmp)
            try:
                source.backup(target)  # pages=-1: one step, one consistent snapshot
                target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
                target.commit()
            finally:
                target.close()
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise storage_error(exc, "backup failed") from None


def _busy_seconds(engine: Engine) -> float:
    with engine.connect() as conn:
        return (conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 15_000) / 1000


def libpq_args(url: URL) -> tuple[list[str], dict[str, str]]:
    """``-d CONNINFO`` for the libpq tools, and PGPASSWORD kept out of the command line."""
    parts = {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database}
    for key, value in url.query.items():
        parts[key] = value if isinstance(value, str) else value[-1]
    conninfo = " ".join(f"{k}={_quoted(str(v))}" for k, v in parts.items() if v not in (None, ""))
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return ["-d", conninfo], env


def _quoted(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def _current_schema(engine: Engine) -> str:
    with engine.connect() as conn:
        return conn.execute(text("SELECT current_schema()")).scalar_one()


def _backup_postgresql(engine: Engine, tmp: Path) -> None:
    server = server_version(engine)
    tool = pg_tool("pg_dump", server)
    connect, env = libpq_args(engine.url)
    schema = _current_schema(engine)
    argv = [str(tool.path), *connect, "--format=custom", f"--schema={schema}", "--file", str(tmp)]
    _run_tool(argv, env, "pg_dump")


def _run_tool(argv: list[str], env: dict[str, str], name: str) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if done.returncode == 0:
        return
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    reason = next((line for line in lines if "error" in line.lower()), lines[0] if lines else "")
    reason = re.sub(rf"^{name}: (error: )?", "", reason)
    if re.search(r"connection to server|could not connect|server closed the connection", reason):
        raise Unavailable(f"{name} failed: the database is unreachable; try again later ({reason})")
    raise StorageError(f"{name} failed: {reason or f'exit status {done.returncode}'}")


# -- restore ------------------------------------------------------------------------------


def backup_kind(path: Path) -> str:
    """``"sqlite"`` or ``"postgresql"`` from the file's first bytes; InvalidInput otherwise."""
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such backup file") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path}: is a folder, not a backup file") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise InvalidInput(
        f"{path}: not a deskterm backup (neither a SQLite file nor a pg_dump custom archive)"
    )


def desk_rows(engine: Engine) -> dict[str, int]:
    """Rows in every table of the database (desk data only), by table name."""
    with engine.connect() as conn:
        names = inspect(conn).get_table_names()
        quote = conn.dialect.identifier_preparer.quote
        return {
            name: conn.execute(text(f"SELECT count(*) FROM {quote(name)}")).scalar_one()
            for name in sorted(names)
            if name not in IGNORED_TABLES
        }


def refuse_unless_empty(engine: Engine) -> None:
    """InvalidInput (exit 2) when the target already holds people or other desk data."""
    rows = {name: n for name, n in desk_rows(engine).items() if n}
    if not rows:
        return
    where = safe_url(engine.url)
    people = rows.get("person", 0)
    if people:
        held = f"{people:,} {'person' if people == 1 else 'people'}"
    else:
        held = ", ".join(f"{n:,} {name} rows" for name, n in rows.items())
    raise InvalidInput(
        f"{where} already has {held}: restore only into an empty database (nothing was changed)"
    )


def restore(engine: Engine, source: Path) -> str:
    """Load the backup at ``source`` into the (empty) database of ``engine``; its kind."""
    kind = backup_kind(source)
    target = engine.dialect.name
    if kind != target:
        raise InvalidInput(
            f"{source} is a {_name(kind)} backup and the database is {_name(target)}: restore "
            f"it into a {_name(kind)} database (deskterm export and import move a desk across)"
        )
    refuse_unless_empty(engine)
    if kind == "sqlite":
        _restore_sqlite(engine, source)
    else:
        _restore_postgresql(engine, source)
    return kind


def _name(kind: str) -> str:
    return "SQLite" if kind == "sqlite" else "PostgreSQL"


def _restore_sqlite(engine: Engine, source: Path) -> None:
    busy = _busy_seconds(engine)
    try:
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            problem = backup_db.execute("PRAGMA quick_check").fetchone()[0]
            if problem != "ok":
                raise InvalidInput(f"{source}: the backup file is damaged ({problem})")
            target = sqlite3.connect(sqlite_path(engine.url), timeout=busy)
            try:
                backup_db.backup(target)
                target.execute("PRAGMA journal_mode = WAL")
            finally:
                target.close()
        finally:
            backup_db.close()
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", None) == 26:  # SQLITE_NOTADB
            raise InvalidInput(f"{source}: not a SQLite file ({exc})") from None
        raise storage_error(exc, "restore failed") from None


def _restore_postgresql(engine: Engine, source: Path) -> None:
    tool = pg_tool("pg_restore", server_version(engine))
    connect, env = libpq_args(engine.url)
    listed = subprocess.run(
        [str(tool.path), "--list", str(source)], capture_output=True, text=True, check=False
    )
    if listed.returncode != 0:
        reason = listed.stderr.strip().splitlines()[0] if listed.stderr.strip() else "unreadable"
        raise InvalidInput(f"{source}: cannot read the dump ({reason})")
    existing = _schemas(engine)
    keep = [line for line in listed.stdout.splitlines() if not _creates_existing(line, existing)]
    with _temporary_next_to(Path(tempfile.gettempdir()) / "deskterm-restore.list") as toc:
        toc.write_text("\n".join(keep) + "\n", encoding="utf-8")
        argv = [str(tool.path), *connect, "--single-transaction", "--exit-on-error"]
        argv += ["--no-owner", "--no-privileges", "--clean", "--if-exists", "--use-list"]
        _run_tool([*argv, str(toc), str(source)], env, "pg_restore")


def _schemas(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(text("SELECT nspname FROM pg_namespace")).scalars())


_SCHEMA_ENTRY = re.compile(r"^\d+; \d+ \d+ (SCHEMA|COMMENT) - (?:SCHEMA )?(\S+) ")


def _creates_existing(line: str, existing: set[str]) -> bool:
    """A TOC line creating (or commenting on) a schema the target database already has."""
    found = _SCHEMA_ENTRY.match(line)
    return bool(found and found.group(2) in existing)
