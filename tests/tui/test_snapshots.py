"""SVG snapshots of the main screen at 80×24 and 120×36, fixed data and a fixed clock.

Update with ``uv run pytest tests/tui/test_snapshots.py --snapshot-update`` after a
deliberate change, and look at the report before committing the new pictures.
"""

from __future__ import annotations

from textual.pilot import Pilot

from deskterm.tui.widgets.search_box import SearchBox


def ready(settle, *keys: str):
    """A ``run_before`` that waits for the data, freezes the cursor, then presses ``keys``."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.screen.sync_timer.pause()
        pilot.app.screen.query_one(SearchBox).cursor_blink = False
        if keys:
            await pilot.press(*keys)
            await settle(pilot)

    return run_before


def test_main_screen_80x24(app, settle, snap_compare) -> None:
    """The smallest supported terminal: queue and Margo's essentials side by side."""
    assert snap_compare(app, terminal_size=(80, 24), run_before=ready(settle))


def test_main_screen_120x36(app, settle, snap_compare) -> None:
    """A comfortable terminal, with upset Alecia selected (mood, note, trend)."""
    assert snap_compare(app, terminal_size=(120, 36), run_before=ready(settle, "j"))


def test_search_results_120x36(app, settle, snap_compare) -> None:
    """Typing in the search box filters the queue (typos welcome)."""
    assert snap_compare(app, terminal_size=(120, 36), run_before=ready(settle, "slash", *"mrgo"))


def test_hostile_person_80x24(app, settle, snap_compare) -> None:
    """Markup and control characters in a name and a note, shown as typed."""
    assert snap_compare(app, terminal_size=(80, 24), run_before=ready(settle, "G"))


def test_help_80x24(app, settle, snap_compare) -> None:
    """Every key, at the smallest size."""
    assert snap_compare(app, terminal_size=(80, 24), run_before=ready(settle, "question_mark"))
