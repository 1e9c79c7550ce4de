"""Alembic environment: runs against the engine deskterm hands it."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import deskterm.models  # noqa: F401  (registers the tables)
from deskterm.storage.engine import writer

target_metadata = SQLModel.metadata
MIGRATION_LOCK = 0x6465736B  # "desk": the PostgreSQL advisory lock migrations hold
engine = context.config.attributes["engine"]

with writer(engine).connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Rebuilding a table (batch mode) drops it, which foreign keys would refuse.
        # SQLite ignores this pragma inside a transaction, so it goes straight to the
        # driver before BEGIN; migrations that rebuild check the keys themselves.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
    # SQLite does run DDL inside a transaction (we turned pysqlite's implicit commits
    # off), so the whole upgrade is one BEGIN IMMEDIATE transaction: alembic's default for
    # SQLite commits after each revision, and a desk starting at the same moment could
    # then slip in between and apply the next revision twice.
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        if not sqlite:
            # Desks starting together on a new database would otherwise all create the
            # tables and all but one fail; SQLite serialises them with BEGIN IMMEDIATE.
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        context.run_migrations()
    if sqlite:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")
