"""which desk is on whom: presence heartbeats, and live wake-ups on PostgreSQL

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03

``presence`` holds one row per open desk (never history: no change row, no timeline
entry). On PostgreSQL two statement triggers wake the other desks: every insert into
``change`` sends ``pg_notify`` with the newest change id, every write to ``presence``
sends ``presence`` — on one channel per schema, ``deskterm_<schema>`` — inside the
writing transaction, so any writer (the desk, the CLI, an import, mail) wakes them.
SQLite needs nothing: desks watch ``PRAGMA data_version``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import deskterm.storage.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

CHANNEL = "left('deskterm_' || TG_TABLE_SCHEMA, 63)"  # see deskterm.team.feed.CHANNEL_SQL

PG_UP = (
    f"""
    CREATE FUNCTION deskterm_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify({CHANNEL}, (SELECT max(id)::text FROM new_rows));
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER deskterm_change_notify AFTER INSERT ON change
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION deskterm_notify_change()
    """,
    f"""
    CREATE FUNCTION deskterm_notify_presence() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify({CHANNEL}, 'presence');
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER deskterm_presence_notify AFTER INSERT OR UPDATE OR DELETE ON presence
    FOR EACH STATEMENT EXECUTE FUNCTION deskterm_notify_presence()
    """,
)
PG_DOWN = (
    "DROP TRIGGER IF EXISTS deskterm_presence_notify ON presence",
    "DROP FUNCTION IF EXISTS deskterm_notify_presence()",
    "DROP TRIGGER IF EXISTS deskterm_change_notify ON change",
    "DROP FUNCTION IF EXISTS deskterm_notify_change()",
)


def upgrade() -> None:
    op.create_table(
        "presence",
        sa.Column("desk_id", sa.Text(), nullable=False),
        sa.Column("agent", sa.Text(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=True),
        sa.Column("writing", sa.Boolean(), nullable=False),
        sa.Column("host", sa.Text(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("since_at", deskterm.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "heartbeat_at", deskterm.storage.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("started_at", deskterm.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("desk_id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in PG_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in PG_DOWN:
            op.execute(statement)
    op.drop_table("presence")
