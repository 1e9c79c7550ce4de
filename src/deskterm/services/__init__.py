"""The desk service API shared by the TUI and the CLI (no Textual here).

The names below load on first use, so a module of this package that needs no database
layer (``deskterm search`` reading a SQLite file directly) does not import SQLAlchemy.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from deskterm.services.desk import Desk
    from deskterm.services.views import (
        ChangeBatch,
        EntryView,
        FollowUpView,
        MoodView,
        PersonDetail,
        PersonRecord,
    )

_HOME = {
    "Desk": "deskterm.services.desk",
    "ChangeBatch": "deskterm.services.views",
    "EntryView": "deskterm.services.views",
    "FollowUpView": "deskterm.services.views",
    "MoodView": "deskterm.services.views",
    "PersonDetail": "deskterm.services.views",
    "PersonRecord": "deskterm.services.views",
}

__all__ = [
    "ChangeBatch",
    "Desk",
    "EntryView",
    "FollowUpView",
    "MoodView",
    "PersonDetail",
    "PersonRecord",
]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_HOME[name]), name)
