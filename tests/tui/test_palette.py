"""The command palette (commands and people) and the theme, saved when it changes."""

from __future__ import annotations

import time

from textual.command import CommandPalette

from deskterm.tui.screens.help import HelpScreen
from deskterm.tui.widgets.queue_list import QueueList


async def test_palette_jumps_to_a_person(app, settle, people) -> None:
    """ctrl+p, a few letters of a name (with a typo), enter: that person is selected."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"alecai")
        await pilot.pause(0.5)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(QueueList).selected_id == people.alecia.id


async def test_palette_runs_commands(app, settle) -> None:
    """Every command is in the palette: "help" opens the help screen."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"help")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_theme_change_is_saved_to_the_personal_config(app, settle, settings) -> None:
    """Choosing a theme writes ui.theme to the personal file."""
    from deskterm.config import load_settings

    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await settle(pilot)
        deadline = time.monotonic() + 5
        while "nord" not in settings.personal_path.read_text():
            assert time.monotonic() < deadline
            await pilot.pause(0.05)
    reloaded = load_settings(config_path=settings.personal_path, env={})
    assert reloaded.ui.theme == "nord"
    assert reloaded.agent.name == "ana"
