"""Schema migrations with Alembic: applied on start and by ``deskterm db upgrade``.

Every start checks the revision; Alembic itself (a fifth of a second to import) is
loaded only when the database actually needs an upgrade. The check reads the
``alembic_version`` table with plain SQL and the revisions from the migration files.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from deskterm.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
_FIELD = re.compile(r"^(revision|down_revision)\s*=\s*(?:\"([^\"]*)\"|None)", re.MULTILINE)


def _config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


@cache
def _revisions() -> dict[str, str | None]:
    """Each revision this deskterm knows → the one it follows (read from the files)."""
    found: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        fields = {m.group(1): m.group(2) for m in _FIELD.finditer(path.read_text("utf-8"))}
        if fields.get("revision"):
            found[fields["revision"]] = fields.get("down_revision")  # type: ignore[assignment]
    return found


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, "alembic_version"):
            return None
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:  # a table by that name that is not Alembic's
            return None


def head_revision() -> str | None:
    """The newest revision this version of deskterm knows."""
    revisions = _revisions()
    followed = {down for down in revisions.values() if down}
    heads = [rev for rev in revisions if rev not in followed]
    return heads[0] if len(heads) == 1 else None


def upgrade(engine: Engine) -> tuple[str | None, str | None]:
    """Bring the schema to the newest revision; returns (before, after).

    A database already upgraded by a newer deskterm is left alone (StorageError).
    """
    before = current_revision(engine)
    if before is not None and before not in _revisions():
        raise StorageError(
            f"the database schema (revision {before}) is newer than this deskterm knows "
            f"(revision {head_revision()}); upgrade deskterm"
        )
    if before != head_revision():
        from alembic import command

        command.upgrade(_config(engine), "head")
    return before, current_revision(engine)
