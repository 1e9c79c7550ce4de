"""The team view with the real keys: `t` opens it at 80×24, the at-risk list names who
and why, enter jumps to that person on the desk, escape returns."""

from __future__ import annotations

from textual.widgets import OptionList, Static
from textual_plotext import PlotextPlot

from deskterm.tui.screens.main import MainScreen
from deskterm.tui.screens.team import TeamScreen
from deskterm.tui.widgets.queue_list import QueueList


def options(screen) -> list[str]:
    found = screen.query_one("#team-risk", OptionList)
    return [str(found.get_option_at_index(i).prompt) for i in range(found.option_count)]


async def test_t_shows_the_team_and_enter_jumps_to_a_person_at_risk(app, settle, desk, people):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TeamScreen)
        assert screen.report is not None
        title = str(screen.query_one("#team-title", Static).render())
        assert title.startswith("Team · 4 people · 2 at risk")
        assert options(screen) == [  # the longest at risk first; Alecia is upset too
            "Jim Okafor  at risk: open problem, no follow-up",
            "Alecia Brandt  at risk: open problem, no follow-up",
        ]
        assert len(screen.query(PlotextPlot)) == 4
        assert all(p.size.height >= 5 for p in screen.query(PlotextPlot))  # fits 80×24
        mood = {w.start.isoformat(): w.moods for w in screen.report.mood_weeks}
        assert sum(mood.values()) == 3  # Alecia's three moods
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_one(QueueList).selected_id == people.jim.id


async def test_escape_returns_to_the_desk_as_it_was(app, settle, people):
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = app.screen.query_one(QueueList).selected_id
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_one(QueueList).selected_id == before


async def test_names_are_shown_literally_in_the_list(app, settle, desk, people):
    desk.log_contact(people.eve.id, "phone", "asked about [b]x[/b]")  # an open problem
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        shown = options(app.screen)
        assert any(line.startswith("[bold]Eve[/] [@click=app.quit]") for line in shown)
        assert all("\x1b" not in line for line in shown)
