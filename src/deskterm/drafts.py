"""Drafts: the agent's words kept on this machine until the database has stored them.

One JSON file per draft, keyed by what it is for (``kind``: "note", "follow_up", "reply",
…) and the person (``None`` for a person not yet added), in a folder per database under
the user's state directory. Files are written atomically (a temporary file, fsync,
rename), readable only by the agent, and survive a closed or killed desk. A draft carries
the write id chosen when the agent first pressed enter, so storing it later — however
often it is retried — stores it once. No Textual here.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from deskterm.errors import DeskError

FORMAT = 1
_KIND = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def new_write_id() -> str:
    """A fresh id for one write, chosen when the agent presses enter (or ctrl+s)."""
    return uuid.uuid4().hex


def database_key(database_url: str) -> str:
    """A short, stable folder name for a database (its URL, password left out)."""
    from deskterm.storage.engine import safe_url

    return hashlib.sha256(safe_url(database_url).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Draft:
    """Words the agent typed for one dialog on one person, not yet stored."""

    kind: str
    person_id: int | None
    fields: dict[str, Any]
    write_id: str
    saved_at: datetime

    @property
    def is_empty(self) -> bool:
        """True when no field holds anything worth keeping."""
        return not any(value not in ("", None, [], {}) for value in self.fields.values())


class Drafts:
    """The drafts of one database on this machine."""

    def __init__(self, folder: Path, database: str = "") -> None:
        self.folder = Path(folder)
        self.database = database

    @classmethod
    def for_database(cls, database_url: str, state_dir: Path | None = None) -> Drafts:
        """The drafts folder for ``database_url`` under ``state_dir`` (default: the user's)."""
        from deskterm.storage.engine import safe_url

        if state_dir is None:
            import platformdirs

            state_dir = platformdirs.user_state_path("deskterm")
        folder = Path(state_dir) / "drafts" / database_key(database_url)
        return cls(folder, safe_url(database_url))

    @classmethod
    def for_settings(cls, settings: Any, database_url: str | None = None) -> Drafts:
        """The drafts folder for the configured database (or ``database_url``)."""
        return cls.for_database(database_url or settings.database.url)

    # -- files --------------------------------------------------------------------------
    def path(self, kind: str, person_id: int | None) -> Path:
        if not _KIND.match(kind):
            raise ValueError(f"bad draft kind {kind!r}")
        who = "new" if person_id is None else str(int(person_id))
        return self.folder / f"{kind}-{who}.json"

    def save(
        self,
        kind: str,
        person_id: int | None,
        fields: Mapping[str, Any],
        write_id: str,
        *,
        now: datetime | None = None,
    ) -> Draft:
        """Keep ``fields`` (JSON-able values) as the draft for this dialog and person."""
        draft = Draft(kind, person_id, dict(fields), write_id, now or datetime.now(UTC))
        body = {
            "format": FORMAT,
            "database": self.database,
            "kind": kind,
            "person_id": person_id,
            "write_id": write_id,
            "saved_at": draft.saved_at.isoformat(),
            "fields": draft.fields,
        }
        target = self.path(kind, person_id)
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            _write_atomically(target, json.dumps(body, ensure_ascii=False, indent=1))
        except OSError as exc:
            raise DeskError(f"cannot keep the draft in {target}: {exc.strerror or exc}") from None
        return draft

    def load(self, kind: str, person_id: int | None) -> Draft | None:
        """The draft for this dialog and person, or None.

        A file that cannot be read as a draft is moved aside (``*.unreadable``), never
        deleted, and None is returned.
        """
        target = self.path(kind, person_id)
        try:
            raw = target.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError:
            return None
        try:
            return _parse(raw)
        except (ValueError, KeyError, TypeError):
            with contextlib.suppress(OSError):
                target.replace(target.with_suffix(".unreadable"))
            return None

    def remove(self, kind: str, person_id: int | None, write_id: str | None = None) -> bool:
        """Forget the draft once its write is stored; True if a file was removed.

        With ``write_id``, only a draft carrying that id is removed, so a newer draft
        typed meanwhile is kept.
        """
        target = self.path(kind, person_id)
        if write_id is not None:
            current = self.load(kind, person_id)
            if current is None or current.write_id != write_id:
                return False
        try:
            target.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise DeskError(f"cannot remove the draft {target}: {exc.strerror or exc}") from None
        return True

    def all(self) -> list[Draft]:
        """Every readable draft of this database, oldest first."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                found.append(_parse(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError):
                continue
        return sorted(found, key=lambda d: d.saved_at)


def _parse(raw: str) -> Draft:
    body = json.loads(raw)
    if body.get("format") != FORMAT:
        raise ValueError("unknown draft format")
    person_id = body["person_id"]
    fields = body["fields"]
    if not isinstance(fields, dict) or not (person_id is None or isinstance(person_id, int)):
        raise TypeError("bad draft")
    return Draft(
        kind=str(body["kind"]),
        person_id=person_id,
        fields=fields,
        write_id=str(body["write_id"]),
        saved_at=datetime.fromisoformat(body["saved_at"]),
    )


def _write_atomically(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` so that a crash leaves the old file or the new one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
