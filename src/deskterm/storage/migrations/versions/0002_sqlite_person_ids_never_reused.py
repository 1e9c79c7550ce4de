"""never hand out an erased person's id again on SQLite

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

Without AUTOINCREMENT, SQLite gives a new row max(id) + 1, so erasing (or merging away)
the newest person let the next new person inherit their id, and with it every
reference an agent or a script still held ("deskterm note 42 ...", a merge entry's
"id 42"). The person table is rebuilt with AUTOINCREMENT, and the id counter starts
above every id the change feed has ever seen. PostgreSQL sequences never reuse ids.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "person", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ):
        pass
    bind.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = 'person'")
    bind.exec_driver_sql(
        "INSERT INTO sqlite_sequence (name, seq) SELECT 'person', max("
        "coalesce((SELECT max(id) FROM person), 0), "
        "coalesce((SELECT max(person_id) FROM change), 0))"
    )
    _check_foreign_keys()


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "person", recreate="always", table_kwargs={"sqlite_autoincrement": False}
    ):
        pass
    _check_foreign_keys()


def _check_foreign_keys() -> None:
    """The rebuild runs with foreign keys off (see env.py); prove nothing dangles."""
    broken = op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"foreign keys broken by the person rebuild: {broken[:5]}")
