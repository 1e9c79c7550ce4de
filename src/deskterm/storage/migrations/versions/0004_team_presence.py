"""which desk is on whom: presence heartbeats

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03

Reserved for issue 9 (live desks and presence); until it lands this revision changes nothing.
"""

from __future__ import annotations

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
