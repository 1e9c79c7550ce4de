"""Quick-logging modals: each returns a typed value and never touches the database."""

from deskterm.tui.modals._base import Problem, QuickModal
from deskterm.tui.modals._choices import ChoiceRow
from deskterm.tui.modals.contact import ContactModal, ContactResult
from deskterm.tui.modals.dialogs import ConfirmModal, ConflictModal
from deskterm.tui.modals.done import DoneModal, DoneResult
from deskterm.tui.modals.followup import FollowUpModal, FollowUpResult
from deskterm.tui.modals.mood import MoodModal, MoodResult
from deskterm.tui.modals.note import NoteModal
from deskterm.tui.modals.owner import OwnerModal, OwnerResult
from deskterm.tui.modals.person_form import PersonFormModal

__all__ = [
    "ChoiceRow",
    "ConfirmModal",
    "ConflictModal",
    "ContactModal",
    "ContactResult",
    "DoneModal",
    "DoneResult",
    "FollowUpModal",
    "FollowUpResult",
    "MoodModal",
    "MoodResult",
    "NoteModal",
    "OwnerModal",
    "OwnerResult",
    "PersonFormModal",
    "Problem",
    "QuickModal",
]
