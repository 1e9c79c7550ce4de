"""The main screen: header, queue order and reasons, the person view, literal text, keys."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Footer, Sparkline, Static

from deskterm.tui.app import DeskApp
from deskterm.tui.screens.help import HelpScreen
from deskterm.tui.widgets.header import DeskHeader
from deskterm.tui.widgets.person_view import PersonView
from deskterm.tui.widgets.queue_list import QueueList
from tui.conftest import HOSTILE_SHOWN


def queue_lines(app: DeskApp) -> list[str]:
    """The queue as drawn on screen, one string per visible row."""
    queue = app.screen.query_one(QueueList)
    return [queue.render_line(y).text for y in range(len(queue.visible_rows()))]


def person_text(app: DeskApp) -> str:
    """Everything the person view shows, top to bottom."""
    view = app.screen.query_one(PersonView)
    return "\n".join(str(w.render()) for w in view.query(Static) if w.display)


async def test_header_names_agent_desk_and_counts(app, settle) -> None:
    """The header says who is working, on which desk, and what needs attention."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        header = app.screen.query_one(DeskHeader)
        text = str(header.render())
        assert "ana" in text
        assert "sqlite:///tmp/desk.db" in text
        assert header.counts_text == "1 overdue · 0 due today · 0 waiting · 1 bad mood · 1 at risk"


async def test_header_fits_80_columns_and_counts_one_person(desk, settings) -> None:
    """At 80 columns every count stays whole; one person is "1 person", not "1 people"."""
    desk.add_person({"name": "Solo Person"})
    app = DeskApp(desk=desk, settings=settings, db_label="sqlite:////a/long/path/to/desk.db")
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if app.screen.queue is not None:
                break
        await pilot.pause()
        header = str(app.screen.query_one(DeskHeader).render())
        assert header.rstrip().endswith("0 at risk"), header
        status = str(app.screen.query_one("#queue-status", Static).render())
        assert status.startswith("1 person · most urgent first"), status


async def test_queue_in_attention_order_with_reasons(app, settle, people) -> None:
    """Overdue Margo first, upset Alecia next, each row saying why."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        rows = app.screen.query_one(QueueList).visible_rows()
        assert [r.id for r in rows] == [people.margo.id, people.alecia.id, people.jim.id, 4]
        lines = queue_lines(app)
        assert "Margo Fairweather" in lines[0] and lines[0].rstrip().endswith("overdue 2d")
        assert "very upset · waiting 3h" in lines[1]
        assert lines[1].lstrip().startswith("▁")  # the mood mark of level 1
        assert rows[2].reason.startswith("at risk")


async def test_person_view_shows_the_person_before_the_history(app, settle) -> None:
    """Margo (selected first): profile, local time, what matters, follow-ups, timeline."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        text = person_text(app)
        order = [
            "Margo Fairweather",
            "Fairweather Ltd · external",
            "pace brisk · prefers email",
            "local time 10:00 Mon  Europe/London",
            "always in a hurry",
            "mood not recorded yet",
            "⚠ overdue 2d · was due Sat 21 Nov 11:00 · call back about the invoice · ana",
            "Thu 19 Nov 11:00 · ana · follow-up due Sat 21 Nov 11:00",
            "Mon 9 Nov 11:00 · ana · created",
        ]
        positions = [text.index(part) for part in order]
        assert positions == sorted(positions)


async def test_mood_with_context_and_trend(app, settle) -> None:
    """Alecia's mood: label, note, who and when, and a sparkline of her moods."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        text = person_text(app)
        assert "mood ▁ very upset · “her cat is at the vet” · ana, 3h ago" in text
        assert app.screen.query_one(Sparkline).data == [4.0, 3.0, 1.0]
        assert "3 moods, 1–4 of 5" in text


async def test_hostile_names_are_shown_literally(app, settle) -> None:
    """Markup and control characters in stored text are data: shown, never run."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("G")
        await settle(pilot)
        assert queue_lines(app)[3].startswith(" · [bold]Eve[/] [@click=app.qu…")
        text = person_text(app)
        assert HOSTILE_SHOWN in text
        assert "[red]Evil[/red] Corp · internal (colleague)" in text
        assert "oops [/x] and [@click=app.quit]click me[/]" in text
        assert "\x1b" not in text and "\x07" not in text
        assert app.is_running


async def test_navigation_keys(app, settle, people) -> None:
    """j/k and arrows move; g/G and home/end jump; the person view follows."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        queue = app.screen.query_one(QueueList)
        view = app.screen.query_one(PersonView)
        for keys, expected in [
            (("j",), people.alecia.id),
            (("down",), people.jim.id),
            (("k",), people.alecia.id),
            (("G",), people.eve.id),
            (("g",), people.margo.id),
            (("end",), people.eve.id),
            (("home", "up"), people.margo.id),
        ]:
            await pilot.press(*keys)
            await settle(pilot)
            assert queue.selected_id == expected, keys
            assert view.person_id == expected, keys


async def test_timeline_loads_older_entries_at_the_bottom(app, settle, desk, people) -> None:
    """Sixty notes: the first page shows fifty; scrolling to the end loads the rest."""
    for i in range(60):
        desk.log_note(people.jim.id, f"note number {i}")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.screen.query_one(QueueList).select_id(people.jim.id)
        await settle(pilot)
        view = app.screen.query_one(PersonView)
        assert len(view.entries) == 50 and view.has_more
        view.focus()
        await pilot.press("end")
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        assert len(view.entries) == 62  # the creation, a contact and sixty notes
        assert not view.has_more
        assert "— the beginning —" in person_text(app)


async def test_local_time_moves_with_the_clock(app, settle, tui_clock) -> None:
    """The person's local time is redrawn every minute."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "local time 10:00 Mon" in person_text(app)
        tui_clock.now += timedelta(hours=1, minutes=5)
        app.screen.query_one(PersonView).tick()
        await pilot.pause()
        assert "local time 11:05 Mon" in person_text(app)


async def test_small_terminal_keeps_queue_and_essentials_visible(app, settle) -> None:
    """At 80×24 the queue, the person's name, mood and the footer are all on screen."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert len(screen.query_one(QueueList).visible_rows()) == 4
        for selector in ("#p-name", "#p-clock", "#p-mood", "#p-follow-ups"):
            region = screen.query_one(selector).region
            assert region.height and region.bottom <= 23, selector
        assert screen.query_one(QueueList).region.width >= 36
        assert screen.query_one(Footer).region.y == 23


async def test_help_lists_every_command_with_its_keys(app, settle) -> None:
    """`?` shows every command of the catalogue, with the keys that run it."""
    from deskterm.keymap import COMMANDS

    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = {title: keys for keys, title, _ in app.screen.rows()}
        assert set(rows) == {c.title for c in COMMANDS}
        assert rows["Follow-up"] == "f" and rows["Help"] == "?" and rows["Next"] == "j / ↓"
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_keys_remapped_in_settings(desk, people, settings_file, settle) -> None:
    """`follow_up = "F"` moves the follow-up to F: in the footer, in help, and on the key."""
    from deskterm.config import load_settings
    from deskterm.tui.modals import FollowUpModal

    settings_file.write_text(settings_file.read_text() + '\n[keys]\nfollow_up = "F"\n')
    settings = load_settings(config_path=settings_file, env={})
    app = DeskApp(desk=desk, settings=settings, db_label="x")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        footer_keys = {b.binding.id: k for k, b in app.active_bindings.items() if b.binding.id}
        assert footer_keys["follow_up"] == "F"
        await pilot.press("f")
        await pilot.pause()
        assert not isinstance(app.screen, FollowUpModal)
        await pilot.press("question_mark")
        await pilot.pause()
        assert dict((t, k) for k, t, _ in app.screen.rows())["Follow-up"] == "F"
        await pilot.press("escape", "F")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpModal)


async def test_the_desk_shows_the_queue_it_was_handed_loading(desk, settings, people) -> None:
    """The command line starts reading the queue before the app exists; the app shows
    that directory's queue (an empty, still loading directory is not "no directory")."""
    from deskterm.directory import Directory

    directory = Directory.for_settings(desk, settings)
    directory.load_soon()
    app = DeskApp(desk=desk, settings=settings, db_label="x", directory=directory)
    assert app.directory is directory
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.5)
        assert len(app.screen.query_one(QueueList).source) == 4
