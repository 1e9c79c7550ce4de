"""Messages that carry results from thread workers back to the event loop.

Workers never touch widgets: they post one of these, and the screen's handler (on the
event loop) updates what is shown. Data flows down; messages flow up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual.message import Message

from deskterm.queue import Queue, QueueRow
from deskterm.search import SearchResult
from deskterm.services.health import Transition
from deskterm.services.team import DeskSeen
from deskterm.services.views import EntryView, PersonDetail

if TYPE_CHECKING:
    from deskterm.tui.modals import QuickModal


@dataclass
class QueueReady(Message):
    """The directory has (re)computed the attention queue."""

    queue: Queue
    changed: frozenset[int] = field(default_factory=frozenset)


@dataclass
class IndexReady(Message):
    """The search index is built; searching is now fast."""


@dataclass
class SearchDone(Message):
    """Results of one search: ``rows`` are the matches in order, best first."""

    query: str
    result: SearchResult
    rows: list[QueueRow]
    keep: int | None = None
    progress: tuple[int, int] | None = None  # (indexed, everyone) while still indexing


@dataclass
class PersonLoaded(Message):
    """The person view's data for one person, or why it could not be loaded."""

    person_id: int
    detail: PersonDetail | None
    error: str = ""
    offline: bool = False  # the database was away (what is shown may stay)
    messages: dict[int, Any] = field(default_factory=dict)  # mail the timeline names


@dataclass
class TimelinePage(Message):
    """An older page of a person's timeline, for scrolling further back."""

    person_id: int
    entries: list[EntryView]
    has_more: bool
    messages: dict[int, Any] = field(default_factory=dict)  # mail the page names


@dataclass
class Saved(Message):
    """A write succeeded: say so, show ``queue``, and optionally select ``select_id``."""

    person_id: int
    text: str
    queue: Queue
    select_id: int | None = None
    modal: QuickModal[Any] | None = None  # the dialog that wrote it, to close


@dataclass
class Failed(Message):
    """A worker failed with a one-line message for the agent.

    ``temporary``: the database was unreachable, locked or full (a retry may work);
    ``modal``: the dialog whose write failed, which shows the message itself.
    """

    text: str
    person_id: int | None = None
    temporary: bool = False
    modal: QuickModal[Any] | None = None


@dataclass
class EditConflict(Message):
    """Someone else edited the person first: show what they changed."""

    person_id: int
    text: str
    changes: list[str]
    modal: QuickModal[Any] | None = None


@dataclass
class HealthChanged(Message):
    """The database went away or came back (``Health`` said so once)."""

    transition: Transition


@dataclass
class AgentsLoaded(Message):
    """The agent names seen on this database (for completion when giving a person)."""

    agents: list[str]


@dataclass
class LetterReady(Message):
    """A reply or new message is ready for the open editor ``screen``: a draft's words
    or a template — or ``letter`` None and ``notice`` says why there is none."""

    screen: Any  # tui.screens.compose.ComposeScreen
    letter: Any  # tui.screens.compose.Letter | None
    notice: str = ""
    from_draft: bool = False


@dataclass
class MessageLoaded(Message):
    """One stored mail message and the other messages of its thread, for the viewer."""

    message: Any  # services.mail_views.MessageDetail
    thread: list[Any]  # MessageView rows, oldest first


@dataclass
class MailProblem(Message):
    """The mail worker's state changed: ``text`` is the new problem, "" when it is over."""

    what: str  # "fetch" or "send"
    text: str


@dataclass
class PresenceSeen(Message):
    """The other open desks changed: who is on whom, and who is writing."""

    desks: tuple[DeskSeen, ...]
