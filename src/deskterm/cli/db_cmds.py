"""``db upgrade``, ``status``, ``backup``, ``restore`` and ``check`` of the configured database."""

from __future__ import annotations

import argparse

from deskterm.cli.context import Context
from deskterm.cli.parser import command
from deskterm.cli.safe import say


def register(sub: argparse._SubParsersAction) -> None:
    p = command(
        sub,
        "db",
        _missing,
        summary="the database: upgrade, status, backup, restore, check",
        description="Manage the database. deskterm also upgrades the schema on start; "
        "upgrades never drop data.",
        examples=[
            "deskterm db upgrade",
            "deskterm --db postgresql+psycopg://me@host/desk db status",
            "deskterm db backup /backups/desk-$(date +%F).backup",
            "deskterm --db sqlite:///new/desk.db db restore /backups/desk-2026-12-01.backup",
            "deskterm db check",
        ],
    )
    actions = p.add_subparsers(dest="db_action", metavar="ACTION")
    command(
        actions,
        "upgrade",
        upgrade,
        summary="apply schema migrations",
        description="Bring the database schema up to the newest revision this deskterm knows.",
        examples=["deskterm db upgrade"],
    )
    command(
        actions,
        "status",
        status,
        summary="the schema revision, and whether an upgrade is due",
        description="Print the database's schema revision and the newest one this deskterm "
        "knows. Changes nothing.",
        examples=["deskterm db status"],
    )
    p = command(
        actions,
        "backup",
        backup,
        summary="a consistent snapshot of the desk, taken while others write",
        description="Write a backup of the database to PATH (replaced atomically). SQLite: "
        "a copy through SQLite's online backup API, itself a SQLite file. PostgreSQL: "
        "pg_dump --format=custom of the desk's schema (needs a pg_dump at least as new "
        "as the server). Agents and scripts keep working meanwhile.",
        examples=[
            "deskterm db backup desk.backup",
            "deskterm db backup /backups/desk-$(date +%F).backup",
        ],
    )
    p.add_argument("path", metavar="PATH", help="the backup file to write")
    p = command(
        actions,
        "restore",
        restore,
        summary="load a backup into an empty database",
        description="Load the backup at PATH into the configured database, which must be "
        "of the same kind (SQLite or PostgreSQL) and hold no people or other desk data "
        "(refused with exit 2 otherwise). The schema is then upgraded to this deskterm's.",
        examples=["deskterm --db sqlite:///restored.db db restore desk.backup"],
    )
    p.add_argument("path", metavar="PATH", help="a file written by deskterm db backup")
    command(
        actions,
        "check",
        check,
        summary="integrity, schema revision and the number of rows in every table",
        description="Check the database: integrity (SQLite integrity and foreign-key "
        "checks; PostgreSQL catalog and foreign keys), the schema revision against the "
        "newest, and how many rows each table holds. Changes nothing; exits 1 when the "
        "database is damaged.",
        examples=["deskterm db check"],
    )


def _missing(ctx: Context) -> int:
    from deskterm.errors import InvalidInput

    raise InvalidInput("db: give an action: upgrade, status, backup, restore or check")


def upgrade(ctx: Context) -> int:
    from sqlalchemy.exc import DBAPIError

    from deskterm.storage import safe_url
    from deskterm.storage.faults import storage_error
    from deskterm.storage.migrate import upgrade as migrate

    engine = ctx.engine(migrate=False)
    try:
        before, after = migrate(engine)
    except DBAPIError as exc:
        raise storage_error(exc, f"cannot upgrade {safe_url(engine.url)}") from None
    same = ", already up to date" if before == after else ""
    say(f"database at revision {after} (was {before or 'empty'}{same})")
    return 0


def status(ctx: Context) -> int:
    from sqlalchemy.exc import DBAPIError

    from deskterm.storage import safe_url
    from deskterm.storage.faults import storage_error
    from deskterm.storage.migrate import current_revision, head_revision

    engine = ctx.engine(migrate=False)
    try:
        current = current_revision(engine)
    except DBAPIError as exc:
        raise storage_error(exc, f"cannot read {safe_url(engine.url)}") from None
    head = head_revision()
    state = "up to date" if current == head else "upgrade with: deskterm db upgrade"
    say(f"{safe_url(engine.url)}: revision {current or 'none (empty)'}, newest {head}: {state}")
    return 0


def backup(ctx: Context) -> int:
    from pathlib import Path

    from deskterm.errors import InvalidInput
    from deskterm.storage import parse_url, safe_url
    from deskterm.storage.backup import backup as take
    from deskterm.storage.migrate import current_revision

    url = parse_url(ctx.settings().database.url)
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").expanduser().exists():
        raise InvalidInput(f"no database at {safe_url(url)}: nothing to back up")
    engine = ctx.engine(migrate=False)
    if current_revision(engine) is None:
        raise InvalidInput(f"{safe_url(url)} holds no desk schema: nothing to back up")
    done = take(engine, Path(ctx.args.path))
    size = f"{done.size / 1_000_000:,.1f} MB" if done.size >= 100_000 else f"{done.size:,} bytes"
    say(f"backed up the desk to {done.path} ({size})")
    return 0


def restore(ctx: Context) -> int:
    from pathlib import Path

    from deskterm.storage import safe_url
    from deskterm.storage.backup import restore as load
    from deskterm.storage.check import check as inspect_db
    from deskterm.storage.migrate import upgrade as migrate

    source = Path(ctx.args.path).expanduser()
    engine = ctx.engine(migrate=False)
    load(engine, source)
    migrate(engine)  # an older backup comes up to this deskterm's schema
    report = inspect_db(engine)
    people = report.counts.get("person", 0)
    say(
        f"restored {source} into {safe_url(engine.url)}: {people:,} "
        f"{'person' if people == 1 else 'people'}, revision {report.revision}"
    )
    return 0


def check(ctx: Context) -> int:
    from deskterm.errors import StorageError
    from deskterm.storage import safe_url
    from deskterm.storage.check import check as inspect_db

    engine = ctx.engine(migrate=False)
    report = inspect_db(engine)
    state = "up to date" if report.up_to_date else "upgrade with: deskterm db upgrade"
    say(f"database: {safe_url(engine.url)}")
    say(f"integrity: {'ok' if report.ok else f'{len(report.problems)} problem(s)'}")
    for problem in report.problems:
        say(f"  {problem}")
    say(f"schema: revision {report.revision or 'none (empty)'}, newest {report.head}: {state}")
    width = max((len(name) for name in report.counts), default=0)
    for name, count in report.counts.items():
        say(f"  {name:<{width}}  {count:>12,}")
    if not report.ok:
        raise StorageError(f"the database at {safe_url(engine.url)} is damaged (see above)")
    return 0
