"""The deskterm App: small on purpose.

It takes a ready ``Desk`` and the effective ``Settings``, applies the theme and the
``[keys]`` remap, builds the ``Directory`` (the in-memory queue and search) and the
``Team`` (live updates and presence) and pushes the main screen. Everything else lives
in ``screens/``, ``widgets/`` and ``commands``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from textual import events, work
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.binding import BindingType
from textual.screen import ModalScreen

from deskterm.config import ConfigError, Settings, set_personal_value
from deskterm.directory import Directory
from deskterm.drafts import Drafts
from deskterm.services import Desk
from deskterm.services.team import Team
from deskterm.tui.commands import app_bindings, keymap
from deskterm.tui.screens.main import MainScreen

REPLAYS = 5  # how many refreshes a key may wait for a new window to take focus


class DeskApp(App[None]):
    """A full-screen support desk, organised around people."""

    TITLE = "deskterm"  # never a person's name: the title may reach the terminal's title bar
    CSS_PATH: ClassVar = Path(__file__).with_name("deskterm.tcss")
    BINDINGS: ClassVar[list[BindingType]] = app_bindings()

    def __init__(
        self,
        *,
        desk: Desk,
        settings: Settings,
        db_label: str = "",
        directory: Directory | None = None,
        clock: Callable[[], datetime] | None = None,
        drafts: Drafts | None = None,
        team: Team | None = None,
    ) -> None:
        super().__init__()
        self.desk = desk
        self.drafts = drafts  # where dialogs keep words the database could not take
        self.settings = settings
        self.db_label = db_label
        self.clock = clock or desk.clock
        self.directory = (  # not `directory or`: an empty Directory is falsy (len 0)
            directory
            if directory is not None
            else Directory.for_settings(desk, settings, clock=self.clock)
        )
        self.team = team or Team.for_settings(desk.engine, settings)
        self._saved_theme = settings.ui.theme
        self._replays: list[tuple[events.Key, int]] = []
        self.set_keymap(keymap(settings.keys))

    def on_mount(self) -> None:
        if self.settings.ui.theme in self.available_themes:
            self.theme = self.settings.ui.theme
        else:
            self._saved_theme = self.theme
            problem = f"Unknown theme {self.settings.ui.theme!r}; using {self.theme}"
            self.notify(problem, severity="warning", markup=False)
        self.push_screen(
            MainScreen(
                desk=self.desk,
                directory=self.directory,
                team=self.team,
                settings=self.settings,
                db_label=self.db_label,
                clock=self.clock,
                drafts=self.drafts,
            )
        )

    async def on_event(self, event: events.Event) -> None:
        """Keys typed before a new window has focus are delivered again once it has.

        "n" and the note typed right after it often arrive together; without this the
        note's first letters would reach the window before its input field has focus.
        Later keys wait behind the delayed ones, so the order is kept.
        """
        if isinstance(event, events.Key) and not event.is_forwarded:
            tries = self._replayed(event)
            waiting = isinstance(self.screen, ModalScreen) and self.screen.focused is None
            if (tries == 0 and (self._replays or waiting)) or (waiting and 0 < tries < REPLAYS):
                replay = events.Key(event.key, event.character)
                self._replays.append((replay, tries + 1))
                self.call_after_refresh(self.post_message, replay)
                return
        await super().on_event(event)

    def _replayed(self, event: events.Key) -> int:
        """How often ``event`` was delayed already (0: a new key)."""
        for index, (replay, tries) in enumerate(self._replays):
            if replay is event:
                del self._replays[index]
                return tries
        return 0

    def pop_screen(self) -> AwaitComplete:
        """Close the top window — never the main screen (a window closed twice must not)."""
        if isinstance(self.screen, MainScreen):
            return AwaitComplete(asyncio.sleep(0)).call_next(self)
        return super().pop_screen()

    def watch_theme(self, theme: str) -> None:
        """Remember a theme chosen in the app (palette → Theme) in the personal config."""
        if theme != self._saved_theme:
            self._saved_theme = theme
            self.save_theme(theme)

    @work(thread=True, group="settings")
    def save_theme(self, theme: str) -> None:
        try:
            set_personal_value(self.settings.personal_path, "ui.theme", json.dumps(theme))
        except ConfigError as err:
            self.call_from_thread(self.notify, str(err), severity="error", markup=False)


def run_app(
    *,
    desk: Desk,
    settings: Settings,
    db_label: str,
    directory: Directory | None = None,
    drafts: Drafts | None = None,
) -> None:
    """Open the full-screen desk for ``desk`` and return when the agent quits."""
    app = DeskApp(
        desk=desk, settings=settings, db_label=db_label, directory=directory, drafts=drafts
    )
    app.run()
