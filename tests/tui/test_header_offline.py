"""The header's one database status: it fits from 80 columns up, the counts give way."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from deskterm.tui.widgets.header import DeskHeader

COUNTS = {"overdue": 2, "due_today": 1, "waiting": 4, "bad_mood": 0, "at_risk": 3}


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield DeskHeader("ana", "sqlite:////home/ana/.local/share/deskterm/desk.db")


@pytest.mark.parametrize(
    ("width", "shown", "counts"),
    [
        (160, "offline since 10:42 · retrying", "2 overdue · 1 due today"),
        (120, "offline since 10:42 · retrying", "2 overdue · 1 today"),
        (100, "offline since 10:42", "2 overdue · 1 today"),
        (80, "offline since 10:42 · retrying", None),
    ],
)
async def test_offline_status_fits_and_replaces_the_database_name(width, shown, counts) -> None:
    app = Host()
    async with app.run_test(size=(width, 3)) as pilot:
        header = app.query_one(DeskHeader)
        header.show(COUNTS, 120)
        header.offline = "offline since 10:42 · retrying"
        await pilot.pause()
        text = str(header.render())
        assert len(text) <= width - 2
        assert f"ana · {shown} " in text + " "
        assert "desk.db" not in text
        if counts is None:
            assert "overdue" not in text
        else:
            assert counts in text


async def test_back_online_shows_the_database_again() -> None:
    app = Host()
    async with app.run_test(size=(120, 3)) as pilot:
        header = app.query_one(DeskHeader)
        header.show(COUNTS, 120)
        header.offline = "offline since 10:42 · retrying"
        await pilot.pause()
        header.offline = ""
        await pilot.pause()
        text = str(header.render())
        assert "offline" not in text and "desk.db" in text
