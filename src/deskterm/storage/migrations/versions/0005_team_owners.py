"""whose person it is: owners and assigned follow-ups

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

Reserved for issue 9 (owners, check-backs); until it lands this revision changes nothing.
"""

from __future__ import annotations

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
