"""The desk service API shared by the TUI and the CLI (no Textual here)."""

from deskterm.services.desk import Desk
from deskterm.services.views import (
    ChangeBatch,
    EntryView,
    FollowUpView,
    MoodView,
    PersonDetail,
    PersonRecord,
)

__all__ = [
    "ChangeBatch",
    "Desk",
    "EntryView",
    "FollowUpView",
    "MoodView",
    "PersonDetail",
    "PersonRecord",
]
