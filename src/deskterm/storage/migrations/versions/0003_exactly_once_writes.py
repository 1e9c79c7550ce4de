"""each write carries the id chosen when the agent pressed enter

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

A retry after an ambiguous failure (the COMMIT reached the server, the answer never came
back) must not store a note twice. The first timeline entry a write appends carries the
write's id; a unique index makes the database refuse a second copy. Entries written
before this revision, by imports and by merges of old data keep NULL (never equal).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("write_id", sa.Text(), nullable=True))
        batch_op.create_index("ux_entry_write_id", ["write_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.drop_index("ux_entry_write_id")
        batch_op.drop_column("write_id")
