"""The team on the main screen: ``o`` takes or gives the selected person, ``v`` switches
the queue between everyone, mine and nobody's, ``t`` opens the team view (a mixin for
``MainScreen``).

The filter itself is domain code (``attention.view.QueueView``); this only keeps which
view is on, and the agent names offered for completion (loaded in a thread worker).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work

from deskterm.errors import DeskError
from deskterm.queue import VIEWS, Queue, QueueView, next_view
from deskterm.textsafe import one_line
from deskterm.tui.messages import AgentsLoaded

if TYPE_CHECKING:
    from collections.abc import Callable

    from deskterm.config import Settings
    from deskterm.directory import Directory
    from deskterm.services import Desk, PersonDetail

VIEW_WORDS = {"everyone": "everyone", "mine": "mine", "unowned": "nobody's"}


class OwnerActions:
    """``o`` and ``v`` of the main screen."""

    desk: Desk
    directory: Directory
    settings: Settings
    queue: Queue | None
    view: str = VIEWS[0]
    agents: list[str]

    if TYPE_CHECKING:  # provided by Screen / MainScreen / QuickLogging
        app: Any

        def notify(self, message: str, **kwargs: Any) -> None: ...
        def post_message(self, message: Any) -> bool: ...
        def current_detail(self) -> PersonDetail | None: ...
        def show_full_queue(self, keep: int | None) -> None: ...
        def jump_to(self, person_id: int) -> None: ...
        def _open(
            self,
            modal: Any,
            kind: str,
            person_id: int | None,
            call: Callable[[Any, str], Any],
            said: Callable[[Any], str],
        ) -> None: ...

    def shown_queue(self) -> Queue | QueueView | None:
        """The queue as the view filters it (the whole queue for "everyone")."""
        if self.queue is None or self.view == "everyone":
            return self.queue
        return QueueView(self.queue, self.view, self.settings.agent.name)

    @property
    def view_words(self) -> str:
        return VIEW_WORDS[self.view]

    @work(thread=True, group="agents")
    def load_agents(self) -> None:
        try:
            self.post_message(AgentsLoaded(self.desk.agents()))
        except DeskError:
            return  # completion is a convenience: the names typed still work

    def on_agents_loaded(self, message: AgentsLoaded) -> None:
        self.agents = list(message.agents)

    def action_team(self) -> None:
        from deskterm.tui.screens.team import TeamScreen

        def chosen(person_id: int | None) -> None:
            if person_id is not None:
                self.jump_to(person_id)

        self.app.push_screen(TeamScreen(self.directory), chosen)

    def action_queue_view(self) -> None:
        self.view = next_view(self.view)
        self.show_full_queue(None)
        self.notify(f"Queue: {self.view_words}", markup=False)

    def action_owner(self) -> None:
        from deskterm.tui.modals import OwnerModal, OwnerResult

        detail = self.current_detail()
        if detail is None:
            return
        person, me = detail.person, self.settings.agent.name
        name = one_line(person.name, 48)

        def save(result: OwnerResult | None) -> None:
            if result is None:
                return
            if result.to == me:
                text = f"{name} is yours now"
            elif result.to is None:
                text = f"{name} is nobody's now"
            else:
                text = f"{name} given to {one_line(result.to, 30)}"
            self.write(person.id, lambda: self.desk.give(person.id, result.to, result.note), text)
            self.load_agents()

        agents = getattr(self, "agents", None) or [me]
        self.app.push_screen(OwnerModal(person.name, person.owner, me, agents), save)
