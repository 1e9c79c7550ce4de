"""each write carries the id chosen when the agent pressed enter

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

Reserved for issue 11 (exactly-once writes); until it lands this revision changes nothing.
"""

from __future__ import annotations

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
