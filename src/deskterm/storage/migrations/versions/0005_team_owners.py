"""whose person it is: owners, assigned follow-ups and check-backs

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

A person may have an owner (an agent name); a follow-up is assigned to an agent (the
one who logged it unless given to someone else; existing rows get their logger) and may
be the check-back of an earlier follow-up marked done (``check_back_of``; 0 for a done
that needs none, such as every one done before this revision). ``s_unconfirmed`` is the summary
column for "done, never confirmed": when the person's latest follow-up was marked done
without a check-back (epoch seconds, NULL otherwise).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("s_unconfirmed", sa.BigInteger(), nullable=True))
        batch_op.create_index("ix_person_owner", ["owner"], unique=False)
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assignee", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("check_back_of", sa.Integer(), nullable=True))
        # The team report reads by time: due per day, dones and open ones, moods per week.
        batch_op.create_index("ix_follow_up_due_at", ["due_at", "done_at"], unique=False)
        batch_op.create_index(
            "ix_follow_up_done_at", ["done_at", "assignee", "due_at"], unique=False
        )
    with op.batch_alter_table("mood", schema=None) as batch_op:
        batch_op.create_index("ix_mood_at", ["at", "level"], unique=False)
    op.execute("UPDATE follow_up SET assignee = agent WHERE assignee IS NULL")
    # Follow-ups done before check-backs existed need none: nobody could be asked for one,
    # so they count as confirmed (check_back_of 0) rather than flag every past "done".
    op.execute("UPDATE follow_up SET check_back_of = 0 WHERE done_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("mood", schema=None) as batch_op:
        batch_op.drop_index("ix_mood_at")
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_up_done_at")
        batch_op.drop_index("ix_follow_up_due_at")
        batch_op.drop_column("check_back_of")
        batch_op.drop_column("assignee")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index("ix_person_owner")
        batch_op.drop_column("s_unconfirmed")
        batch_op.drop_column("owner")
