"""``db check``: is the database whole, at which schema revision, and how much is in it.

Integrity on SQLite is ``PRAGMA integrity_check`` and ``foreign_key_check``; on
PostgreSQL the catalog (every index valid and ready, every constraint validated) and
every foreign key checked for rows pointing nowhere. On both, every table the models
expect must exist (at the newest revision), and every table is counted — including
tables other parts of deskterm add later, found by looking, not by a list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

import deskterm.models  # noqa: F401  (registers the tables the models expect)
from deskterm.storage.faults import storage_error
from deskterm.storage.migrate import current_revision, head_revision

MAX_PROBLEMS = 20


@dataclass
class CheckReport:
    """What ``check`` found; ``ok`` when there is no integrity problem."""

    revision: str | None
    head: str | None
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def up_to_date(self) -> bool:
        return self.revision == self.head


def check(engine: Engine) -> CheckReport:
    """Integrity, schema revision and row counts of the database (changes nothing)."""
    try:
        report = CheckReport(current_revision(engine), head_revision())
        with engine.connect() as conn:
            names = sorted(inspect(conn).get_table_names())
            if conn.dialect.name == "sqlite":
                report.problems += _sqlite_integrity(conn)
            else:
                report.problems += _postgresql_catalog(conn) + _orphans(conn, names)
            if report.up_to_date:
                report.problems += [
                    f"table {name} is missing"
                    for name in sorted(SQLModel.metadata.tables)
                    if name not in names
                ]
            quote = conn.dialect.identifier_preparer.quote
            for name in names:
                if name != "alembic_version":
                    count = conn.execute(text(f"SELECT count(*) FROM {quote(name)}"))
                    report.counts[name] = count.scalar_one()
    except DBAPIError as exc:
        raise storage_error(exc, "check failed") from None
    return report


def _sqlite_integrity(conn: Connection) -> list[str]:
    rows = [r[0] for r in conn.exec_driver_sql(f"PRAGMA integrity_check({MAX_PROBLEMS})")]
    problems = [] if rows == ["ok"] else [f"integrity: {row}" for row in rows]
    for table, rowid, parent, _fk in conn.exec_driver_sql("PRAGMA foreign_key_check"):
        problems.append(f"{table} row {rowid} points to a missing {parent}")
        if len(problems) >= MAX_PROBLEMS:
            break
    return problems


def _postgresql_catalog(conn: Connection) -> list[str]:
    invalid = conn.execute(
        text(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND NOT (i.indisvalid AND i.indisready)"
        )
    ).scalars()
    unchecked = conn.execute(
        text(
            "SELECT con.conname FROM pg_constraint con "
            "JOIN pg_namespace n ON n.oid = con.connamespace "
            "WHERE n.nspname = current_schema() AND NOT con.convalidated"
        )
    ).scalars()
    return [f"index {name} is not valid (rebuild it with REINDEX)" for name in invalid] + [
        f"constraint {name} is not validated" for name in unchecked
    ]


def _orphans(conn: Connection, names: list[str]) -> list[str]:
    """Rows whose foreign key points at no row (both backends, every table)."""
    quote = conn.dialect.identifier_preparer.quote
    inspector = inspect(conn)
    problems = []
    for name in names:
        for fk in inspector.get_foreign_keys(name):
            parent, cols = fk["referred_table"], fk["constrained_columns"]
            if parent not in names or not cols:
                continue
            pairs = zip(cols, fk["referred_columns"], strict=True)
            joined = " AND ".join(f"p.{quote(r)} = c.{quote(c)}" for c, r in pairs)
            present = " AND ".join(f"c.{quote(c)} IS NOT NULL" for c in cols)
            sql = (
                f"SELECT count(*) FROM {quote(name)} c WHERE {present} AND NOT EXISTS "
                f"(SELECT 1 FROM {quote(parent)} p WHERE {joined})"
            )
            missing = conn.execute(text(sql)).scalar_one()
            if missing:
                what = ", ".join(cols)
                problems.append(f"{missing:,} {name} rows point ({what}) to a missing {parent}")
    return problems
