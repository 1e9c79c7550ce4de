"""The message editor on its own: real keys in, what it sends, keeps and shows."""

from __future__ import annotations

import stat
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual.app import App
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from deskterm.errors import StorageError
from deskterm.tui.screens.compose import ComposeScreen, Letter

BODY = "\n\n-- \nAna\n\nOn Mon, Margo wrote:\n> the invoice is wrong"
HOSTILE = "[bold]x[/] [@click=app.quit]y \x1b]0;pwned\x07 \u202eevil"


class Host(App[None]):
    """An empty app that opens the editor and records what it was given."""

    def __init__(self, letter: Letter, fail: list[str] | None = None) -> None:
        super().__init__()
        self.letter = letter
        self.fail = fail if fail is not None else []
        self.sent: list[Letter] = []
        self.kept: list[Letter] = []
        self.results: list[Any] = []
        self.ids = iter(f"w{i}" for i in range(1, 100))

    def send(self, letter: Letter) -> None:
        if self.fail:
            raise StorageError(self.fail.pop(0))
        self.sent.append(letter)

    def on_mount(self) -> None:
        screen = ComposeScreen(
            self.letter,
            title=Content("Reply to Margo"),
            to_shown="Margo <margo@example.org>",
            send=self.send,
            keep=self.kept.append,
            new_write_id=lambda: next(self.ids),
        )
        self.push_screen(screen, self.results.append)


def reply(**changes: Any) -> Letter:
    values: dict[str, Any] = {
        "kind": "reply",
        "person_id": 7,
        "to": "margo@example.org",
        "subject": "Re: invoice",
        "text": BODY,
        "in_reply_to": "<m1@example.org>",
    }
    values.update(changes)
    return Letter(**values)


@asynccontextmanager
async def opened(letter: Letter, **kwargs: Any) -> AsyncIterator[Pilot]:
    app = Host(letter, **kwargs)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        yield pilot


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_typing_lands_above_the_quote_and_ctrl_s_sends_once() -> None:
    """The cursor starts above the quote; ctrl+s hands over the letter with a write id."""
    async with opened(reply()) as pilot:
        app: Host = pilot.app  # type: ignore[assignment]
        await pilot.press(*"Fixed it")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(app.sent) == 1
        sent = app.sent[0]
        assert sent.text.startswith("Fixed it\n\n-- \nAna")
        assert sent.text.endswith("> the invoice is wrong")
        assert sent.write_id == "w1"
        assert app.results == [sent]
        assert not isinstance(app.screen, ComposeScreen)


async def test_a_failed_send_keeps_every_word_and_retries_with_the_same_id() -> None:
    async with opened(reply(), fail=["database is locked"]) as pilot:
        app: Host = pilot.app  # type: ignore[assignment]
        await pilot.press(*"Sorry")
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ComposeScreen)
        assert "not stored — database is locked" in screen.status_text
        assert screen.body.startswith("Sorry")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [s.write_id for s in app.sent] == ["w1"]
        assert app.sent[0].text.startswith("Sorry")


async def test_escape_keeps_a_draft_with_its_write_id() -> None:
    async with opened(reply(), fail=["server gone"]) as pilot:
        app: Host = pilot.app  # type: ignore[assignment]
        await pilot.press(*"Half")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.results == [None]
        assert len(app.kept) == 1
        kept = app.kept[0]
        assert kept.text.startswith("Half") and kept.write_id == "w1"
        back = Letter.from_fields("reply", 7, kept.fields(), kept.write_id)
        assert back == kept


async def test_empty_subject_or_text_is_not_sent() -> None:
    async with opened(reply(subject="", text="")) as pilot:
        app: Host = pilot.app  # type: ignore[assignment]
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ComposeScreen)
        assert "subject" in screen.status_text
        await pilot.press(*"Hello", "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "write the message first" in screen.status_text
        assert app.sent == []


def write_editor(tmp_path: Path, script: str) -> Path:
    editor = tmp_path / "editor.sh"
    editor.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    editor.chmod(editor.stat().st_mode | stat.S_IXUSR)
    return editor


async def test_ctrl_e_hands_the_text_to_the_editor_and_takes_it_back(
    tmp_path: Path, monkeypatch
) -> None:
    seen = tmp_path / "seen"
    editor = write_editor(
        tmp_path,
        f'echo "$1" > {seen}; stat -c %a "$1" >> {seen}; echo "added in the editor" >> "$1"',
    )
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))
    async with opened(reply(text="first line")) as pilot:
        app: Host = pilot.app  # type: ignore[assignment]
        await pilot.press("ctrl+e")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ComposeScreen)
        assert screen.body == "first line\nadded in the editor"
        assert screen.status_text == ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.sent[0].text == "first line\nadded in the editor"
    path, mode = seen.read_text(encoding="utf-8").split()
    assert mode == "600"  # the mail being written is private
    assert not Path(path).exists()  # and the temporary file is gone


async def test_visual_wins_over_editor_and_takes_arguments(tmp_path: Path, monkeypatch) -> None:
    editor = write_editor(tmp_path, 'echo "$1" > "$2"')
    monkeypatch.setenv("VISUAL", f"{editor} 'from visual'")
    monkeypatch.setenv("EDITOR", "/nonexistent/editor")
    async with opened(reply(text="old")) as pilot:
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert pilot.app.screen.body == "from visual"  # type: ignore[attr-defined]


async def test_a_missing_editor_is_one_line_not_a_crash(monkeypatch) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "/nonexistent/editor-xyz")
    async with opened(reply(text="keep me")) as pilot:
        await pilot.press("ctrl+e")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ComposeScreen)
        assert "editor '/nonexistent/editor-xyz' not found" in screen.status_text
        assert screen.body == "keep me"
        assert pilot.app.is_running


async def test_an_editor_that_fails_leaves_the_text_as_it_was(tmp_path: Path, monkeypatch) -> None:
    editor = write_editor(tmp_path, 'echo "garbage" > "$1"; exit 3')
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))
    async with opened(reply(text="keep me")) as pilot:
        await pilot.press("ctrl+e")
        await settle(pilot)
        screen = pilot.app.screen
        assert "exited with status 3" in screen.status_text  # type: ignore[attr-defined]
        assert screen.body == "keep me"  # type: ignore[attr-defined]


async def test_hostile_text_is_drawn_inert_and_kept_exactly() -> None:
    """Markup is text; terminal controls and bidi overrides never reach the terminal."""
    async with opened(reply(subject=HOSTILE, text=HOSTILE)) as pilot:
        app: Host = pilot.app  # type: ignore[assignment]
        area = app.screen.query_one("#compose-body", TextArea)
        drawn = "".join(area.render_line(0).text)
        assert "[bold]x[/] [@click=app.quit]y ␛]0;pwned␇ �evil" in drawn
        assert "\x1b" not in drawn and "\u202e" not in drawn
        subject = app.screen.query_one("#compose-subject", Input)
        assert "\x1b" not in "".join(s.text for s in subject.render_line(0))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.sent[0].text == HOSTILE and app.sent[0].subject == HOSTILE
        assert app.is_running
