"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23

People, their timeline, follow-ups, moods, and the change feed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import deskterm.storage.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("op", sa.Text(), nullable=False),
        sa.Column("at", deskterm.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=False),
        sa.Column("company", sa.Text(), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("pace", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column("timezone", sa.Text(), nullable=False),
        sa.Column("matters", sa.Text(), nullable=False),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", deskterm.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("updated_at", deskterm.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column("s_mood_level", sa.Integer(), nullable=True),
        sa.Column("s_mood_at", sa.BigInteger(), nullable=True),
        sa.Column("s_next_due", sa.BigInteger(), nullable=True),
        sa.Column("s_open_follow_ups", sa.Integer(), nullable=False),
        sa.Column("s_last_contact", sa.BigInteger(), nullable=True),
        sa.Column("s_last_done", sa.BigInteger(), nullable=True),
        sa.Column("s_problem_at", sa.BigInteger(), nullable=True),
        sa.Column("s_last_activity", sa.BigInteger(), nullable=True),
        sa.Column("s_notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_index("ix_person_name", "person", ["name"], unique=False)
    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("due_at", deskterm.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("agent", sa.Text(), nullable=False),
        sa.Column("created_at", deskterm.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("done_at", deskterm.storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("done_by", sa.Text(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_person_id"), ["person_id"], unique=False)
        batch_op.create_index("ix_follow_up_person_open", ["person_id", "done_at"], unique=False)

    op.create_table(
        "mood",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("agent", sa.Text(), nullable=False),
        sa.Column("at", deskterm.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("mood", schema=None) as batch_op:
        batch_op.create_index("ix_mood_person_at", ["person_id", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_mood_person_id"), ["person_id"], unique=False)

    op.create_table(
        "entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("at", deskterm.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("agent", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("follow_up_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["follow_up_id"],
            ["follow_up.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.create_index("ix_entry_person_at", ["person_id", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_entry_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entry_person_id"))
        batch_op.drop_index("ix_entry_person_at")

    op.drop_table("entry")
    with op.batch_alter_table("mood", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mood_person_id"))
        batch_op.drop_index("ix_mood_person_at")

    op.drop_table("mood")
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_up_person_open")
        batch_op.drop_index(batch_op.f("ix_follow_up_person_id"))

    op.drop_table("follow_up")
    op.drop_index("ix_person_name", table_name="person")
    op.drop_table("person")
    op.drop_table("change")
