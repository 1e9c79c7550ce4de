"""Schema migrations with Alembic: applied on start and by ``deskterm db upgrade``.

Every start checks the revision; Alembic itself (a fifth of a second to import) is
loaded only when the database actually needs an upgrade. The check reads the
``alembic_version`` table with plain SQL and the revisions from the migration files
(``revisions``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from deskterm.errors import StorageError
from deskterm.storage.revisions import MIGRATIONS, head_revision, known_revisions

if TYPE_CHECKING:
    from alembic.config import Config


def _config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, "alembic_version"):
            return None
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:  # a table by that name that is not Alembic's
            return None


def upgrade(engine: Engine) -> tuple[str | None, str | None]:
    """Bring the schema to the newest revision; returns (before, after).

    A database already upgraded by a newer deskterm is left alone (StorageError).
    """
    before = current_revision(engine)
    if before is not None and before not in known_revisions():
        raise StorageError(
            f"the database schema (revision {before}) is newer than this deskterm knows "
            f"(revision {head_revision()}); upgrade deskterm"
        )
    if before != head_revision():
        from alembic import command

        command.upgrade(_config(engine), "head")
    return before, current_revision(engine)
