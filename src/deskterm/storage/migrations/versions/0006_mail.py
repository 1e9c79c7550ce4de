"""conversations: messages in and out, the outbox, unsorted mail

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

``message`` holds every mail in and out (the outbox is its rows with status queued,
sending or failed; unsorted mail has no person); ``message_raw`` keeps each message's
bytes apart so that lists never read them. Two summary columns on ``person``: since
when their latest incoming message has waited for an answer, and their recent subjects
(searched like notes).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import deskterm.storage.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_TIME = deskterm.storage.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("s_waiting_since", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("s_subjects", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("direction", sa.Text(), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=False),
        sa.Column("in_reply_to", sa.Text(), nullable=False),
        sa.Column("refs", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("date_header", sa.Text(), nullable=False),
        sa.Column("date_at", _TIME, nullable=True),
        sa.Column("at", _TIME, nullable=False),
        sa.Column("from_addr", sa.Text(), nullable=False),
        sa.Column("from_email", sa.Text(), nullable=False),
        sa.Column("to_addrs", sa.Text(), nullable=False),
        sa.Column("cc_addrs", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("fresh", sa.Text(), nullable=False),
        sa.Column("html_as_text", sa.Boolean(), nullable=False),
        sa.Column("attachments", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("failure", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", _TIME, nullable=True),
        sa.Column("sent_at", _TIME, nullable=True),
        sa.Column("agent", sa.Text(), nullable=False),
        sa.Column("automatic", sa.Boolean(), nullable=False),
        sa.Column("write_id", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
        sa.UniqueConstraint("write_id"),
    )
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.create_index("ix_message_person_at", ["person_id", "at"], unique=False)
        batch_op.create_index("ix_message_status", ["status"], unique=False)
    op.create_table(
        "message_raw",
        sa.Column("message", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["message"], ["message.id"]),
        sa.PrimaryKeyConstraint("message"),
    )


def downgrade() -> None:
    op.drop_table("message_raw")
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_index("ix_message_status")
        batch_op.drop_index("ix_message_person_at")
    op.drop_table("message")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("s_subjects")
        batch_op.drop_column("s_waiting_since")
