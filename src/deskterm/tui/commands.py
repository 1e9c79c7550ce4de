"""Bindings and command-palette providers, all generated from ``deskterm.keymap``.

Each command of the catalogue becomes one ``Binding`` whose ``id`` is the command id,
so the ``[keys]`` section of the settings remaps it through ``App.set_keymap``; the
footer, the help screen and the palette all read the same bindings.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from deskterm.keymap import COMMANDS, Command, keys_for
from deskterm.search import SearchCancelled
from deskterm.tui.text import line

if TYPE_CHECKING:
    from deskterm.tui.screens.main import MainScreen

APP_COMMANDS = frozenset({"command_palette"})
"""Commands bound on the App (the rest are bound on the main screen)."""

OPENERS = frozenset(
    {
        "search",
        "follow_up",
        "mood",
        "note",
        "contact",
        "done",
        "add_person",
        "edit_person",
        "owner",
        "team",
        "help",
        "reply",
        "write",
        "unsorted_mail",
    }
)
"""Commands that move the keyboard somewhere else: the search box or a new window.

Their keys are priority bindings, handled as soon as they arrive rather than after the
focused widget's queue, so the letters typed right after them (often in the same read
from the terminal) land in the search box or the new window, not in the queue. The
screen turns them off while the search box has focus, so they can be typed there.
"""
PRIORITY = OPENERS | {"command_palette"}

ACTIONS: dict[str, str] = {"command_palette": "app.command_palette"}
"""Command id → Textual action, where the action is not the screen's ``action_<id>``."""

PALETTE_SKIP = frozenset({"command_palette"})
PEOPLE_SHOWN = 20


def action_of(command: Command) -> str:
    """The action a command's binding runs."""
    return ACTIONS.get(command.id, command.id)


def binding_of(command: Command) -> Binding:
    """One Binding for a command: its default keys, title and stable id."""
    return Binding(
        ",".join(command.keys),
        action_of(command),
        command.title,
        show=command.show_in_footer,
        id=command.id,
        tooltip=command.help,
        priority=command.id in PRIORITY,
    )


def app_bindings() -> list[Binding]:
    """The bindings that live on the App (the palette key)."""
    return [binding_of(c) for c in COMMANDS if c.id in APP_COMMANDS]


def screen_bindings() -> list[Binding]:
    """The bindings of the main screen (every other command)."""
    return [binding_of(c) for c in COMMANDS if c.id not in APP_COMMANDS]


def keymap(overrides: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """``[keys]`` settings (command id → keys) as a Textual keymap (binding id → "k1,k2")."""
    return {command_id: ",".join(keys) for command_id, keys in overrides.items() if keys}


def effective_keys(command: Command, overrides: Mapping[str, Any]) -> tuple[str, ...]:
    """The keys that run ``command`` now, after ``[keys]`` overrides."""
    return keys_for(command.id, dict(overrides))


class CommandsProvider(Provider):
    """Every command of the catalogue: its title, its help, and it runs the action."""

    def _commands(self) -> list[Command]:
        return [c for c in COMMANDS if c.id not in PALETTE_SKIP]

    def _run(self, command: Command) -> None:
        action = action_of(command)
        if action.startswith("app."):
            self.app.call_later(self.app.run_action, action.removeprefix("app."))
        else:
            self.app.call_later(self.screen.run_action, action)

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(
                Content(command.title), partial(self._run, command), command.title, command.help
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            for candidate in (command.title, f"{command.title} {command.help}"):
                score = matcher.match(candidate)
                if score > 0:
                    yield Hit(
                        score,
                        matcher.highlight(command.title),
                        partial(self._run, command),
                        command.title,
                        command.help,
                    )
                    break


class PeopleProvider(Provider):
    """Jump to anyone by a few letters of their name (typos welcome)."""

    @property
    def main(self) -> MainScreen:
        return self.screen  # type: ignore[return-value]

    async def search(self, query: str) -> Hits:
        directory = getattr(self.screen, "directory", None)
        if directory is None or not query.strip() or not directory.index_ready:
            return
        try:
            found = await asyncio.to_thread(directory.search, query, limit=PEOPLE_SHOWN)
            rows = await asyncio.to_thread(directory.rows_for, found.ids)
        except SearchCancelled:
            return
        for rank, row in enumerate(rows):
            name = line(row.name, 60)
            yield Hit(
                0.95 - rank / 100,
                Content.assemble(("→ ", "dim"), name),
                partial(self.main.jump_to, row.id),
                f"Jump to {name.plain}",
                line(row.reason, 60),
            )
