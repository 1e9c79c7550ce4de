"""Reading a Maildir: each message in ``new/`` is stored, *then* moved to ``cur/``.

A message is filed under ``cur/`` with the seen flag (``:2,S``) only after the store
said it is kept, so a crash in between leaves it in ``new/`` and the next run finds
it again (and stores nothing twice: the store knows it already).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from deskterm.errors import InvalidInput

INFO = ":2,"


@dataclass(frozen=True, slots=True)
class Delivery:
    """One file of ``new/``: where it is and how to file it away once stored."""

    path: Path

    def read(self) -> bytes:
        return self.path.read_bytes()

    def file_as_seen(self) -> Path:
        """Move the message to ``cur/`` with the S (seen) flag; returns the new path."""
        name = self.path.name
        base, sep, flags = name.partition(INFO)
        flags = "".join(sorted(set(flags) | {"S"})) if sep else "S"
        target = self.path.parent.parent / "cur" / f"{base}{INFO}{flags}"
        os.replace(self.path, target)
        return target


def check_maildir(folder: Path) -> Path:
    """The folder, or InvalidInput when it is not a Maildir (no new/ and cur/)."""
    folder = Path(folder).expanduser()
    if not (folder / "new").is_dir() or not (folder / "cur").is_dir():
        raise InvalidInput(f"{folder}: not a Maildir (it needs new/ and cur/ folders)")
    return folder


def new_messages(folder: Path) -> Iterator[Delivery]:
    """The messages waiting in ``new/``, oldest name first (dot files are skipped)."""
    names = sorted(n for n in os.listdir(folder / "new") if not n.startswith("."))
    for name in names:
        path = folder / "new" / name
        if path.is_file():
            yield Delivery(path)
