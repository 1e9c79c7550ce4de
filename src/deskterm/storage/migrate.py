"""Schema migrations with Alembic: applied on start and by ``deskterm db upgrade``."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util.exc import CommandError
from sqlalchemy import Engine

from deskterm.errors import StorageError

MIGRATIONS = Path(__file__).with_name("migrations")


def _config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _known(revision: str) -> bool:
    try:
        return ScriptDirectory(str(MIGRATIONS)).get_revision(revision) is not None
    except (CommandError, RevisionError):
        return False


def head_revision() -> str | None:
    """The newest revision this version of deskterm knows."""
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def upgrade(engine: Engine) -> tuple[str | None, str | None]:
    """Bring the schema to the newest revision; returns (before, after).

    A database already upgraded by a newer deskterm is left alone (StorageError).
    """
    before = current_revision(engine)
    if before is not None and not _known(before):
        raise StorageError(
            f"the database schema (revision {before}) is newer than this deskterm knows "
            f"(revision {head_revision()}); upgrade deskterm"
        )
    if before != head_revision():
        command.upgrade(_config(engine), "head")
    return before, current_revision(engine)
