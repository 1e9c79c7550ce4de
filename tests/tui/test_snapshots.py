"""SVG snapshots of the desk at 80×24 and 120×36, fixed data and a fixed clock.

Update with ``uv run pytest tests/tui/test_snapshots.py --snapshot-update`` after a
deliberate change, and look at the report before committing the new pictures.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from deskterm.tui.widgets.search_box import SearchBox


def ready(settle, *keys: str):
    """A ``run_before`` that waits for the data, freezes the cursor, then presses ``keys``."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.screen.watcher.pause()
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


@pytest.fixture
def jim_wrote(desk, people):
    """Jim's mail about his seeds, with an attachment and an earlier quoted answer."""
    from email.message import EmailMessage
    from email.policy import SMTP

    from deskterm.services.mail import Mail

    msg = EmailMessage(policy=SMTP)
    msg["From"] = "Jim Okafor <jim@example.org>"
    msg["To"] = "Support <support@desk.example>"
    msg["Subject"] = "Where are my seeds?"
    msg["Date"] = "Mon, 23 Nov 2026 09:40:00 +0100"
    msg["Message-ID"] = "<seeds@example.org>"
    msg.set_content(
        "Hello,\n\nthe seeds have not arrived and planting starts on Friday.\n"
        "Could you check with the courier?\n\nJim\n\n"
        "On Fri, 20 Nov 2026, Support wrote:\n> Your seeds left our warehouse today.\n"
    )
    msg.add_attachment(
        b"%PDF-1.4 " * 900, maintype="application", subtype="pdf", filename="order-1042.pdf"
    )
    return Mail(desk).receive(msg.as_bytes()).message


def freeze_editor(settle, *keys: str):
    """``ready`` for the message editor: open it with ``keys``, then stop its cursor."""

    async def run_before(pilot: Pilot) -> None:
        await ready(settle, *keys)(pilot)
        for area in pilot.app.screen.query(TextArea):
            area.cursor_blink = False
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    return run_before


def test_message_editor_80x24(app, settle, snap_compare, jim_wrote) -> None:
    """`r` on Jim: To, "Re: subject", the text above the signature and his quoted words."""
    keys = ("j", "r", *"Dear Jim, I have asked the courier.")
    assert snap_compare(app, terminal_size=(80, 24), run_before=freeze_editor(settle, *keys))


def test_message_viewer_80x24(app, settle, snap_compare, jim_wrote) -> None:
    """`enter` on Jim: his mail whole — headers, the new part, attachments."""
    assert snap_compare(app, terminal_size=(80, 24), run_before=ready(settle, "j", "enter"))
