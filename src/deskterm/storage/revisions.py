"""The schema revisions this deskterm knows, read from the migration files (no Alembic,
no SQLAlchemy: ``deskterm search`` checks a database's revision with this alone)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

MIGRATIONS = Path(__file__).with_name("migrations")
_FIELD = re.compile(r"^(revision|down_revision)\s*=\s*(?:\"([^\"]*)\"|None)", re.MULTILINE)


@cache
def known_revisions() -> dict[str, str | None]:
    """Each revision this deskterm knows → the one it follows (read from the files)."""
    found: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        fields = {m.group(1): m.group(2) for m in _FIELD.finditer(path.read_text("utf-8"))}
        if fields.get("revision"):
            found[fields["revision"]] = fields.get("down_revision")  # type: ignore[assignment]
    return found


def head_revision() -> str | None:
    """The newest revision this version of deskterm knows."""
    revisions = known_revisions()
    followed = {down for down in revisions.values() if down}
    heads = [rev for rev in revisions if rev not in followed]
    return heads[0] if len(heads) == 1 else None
