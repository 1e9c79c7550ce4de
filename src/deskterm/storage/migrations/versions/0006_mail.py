"""conversations: messages in and out, the outbox, unsorted mail

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

Reserved for issue 7 (mail); until it lands this revision changes nothing.
"""

from __future__ import annotations

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
