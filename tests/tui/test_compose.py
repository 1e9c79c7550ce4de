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

from deskterm.drafts import Draft, Drafts
from deskterm.tui.modals._keep import Keeper
from deskterm.tui.screens.compose import ComposeScreen, Letter

BODY = "\n\n-- \nAna\n\nOn Mon, Margo wrote:\n> the invoice is wrong"
HOSTILE = "[bold]x[/] [@click=app.quit]y \x1b]0;pwned\x07 \u202eevil"


class Host(App[None]):
    """An empty app that opens the editor with a Keeper: ``submit`` stores the letter
    (or fails while ``fail`` lists reasons) and drafts go to a real folder."""

    def __init__(self, letter: Letter, drafts: Drafts | None, fail: list[str]) -> None:
        super().__init__()
        self.letter = letter
        self.drafts = drafts
        self.fail = fail
        self.sent: list[tuple[Letter, str]] = []
        self.tried: list[str] = []
        self.results: list[Any] = []

    def submit(self, letter: Letter, write_id: str) -> None:
        self.tried.append(write_id)
        screen = self.screen
        assert isinstance(screen, ComposeScreen)
        if self.fail:
            self.call_later(screen.not_stored, self.fail.pop(0), temporary=True)
            return
        self.sent.append((letter, write_id))
        self.call_later(screen.stored)

    def on_mount(self) -> None:
        keeper = Keeper("reply", self.letter.person_id, self.submit, drafts=self.drafts)
        screen = ComposeScreen(self.letter, title=Content("Reply to Margo"))
        self.push_screen(screen.keep_with(keeper), self.results.append)

    @property
    def kept(self) -> Draft | None:
        return self.drafts.load("reply", self.letter.person_id) if self.drafts else None


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
async def opened(
    letter: Letter, drafts: Drafts | None = None, fail: list[str] | None = None
) -> AsyncIterator[Pilot]:
    app = Host(letter, drafts, fail or [])
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
        [(sent, write_id)] = app.sent
        assert sent.text.startswith("Fixed it\n\n-- \nAna")
        assert sent.text.endswith("> the invoice is wrong")
        assert sent.write_id == write_id and len(write_id) == 32
        assert app.results == [sent]
        assert not isinstance(app.screen, ComposeScreen)


async def test_a_failed_send_keeps_every_word_and_retries_with_the_same_id(tmp_path) -> None:
    async with opened(reply(), Drafts(tmp_path), fail=["database is locked"]) as pilot:
        app: Host = pilot.app  # type: ignore[assignment]
        await pilot.press(*"Sorry")
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ComposeScreen)
        assert "not stored — database is locked" in screen.status_text
        assert "ctrl+s tries again" in screen.status_text
        assert screen.body.startswith("Sorry")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(app.tried) == 2 and app.tried[0] == app.tried[1]
        assert app.sent[0][0].text.startswith("Sorry")


async def test_escape_keeps_a_draft_with_its_write_id(tmp_path) -> None:
    async with opened(reply(), Drafts(tmp_path), fail=["server gone"]) as pilot:
        app: Host = pilot.app  # type: ignore[assignment]
        await pilot.press(*"Half")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.results == [None]
        kept = app.kept
        assert kept is not None and kept.write_id == app.tried[0]
        assert kept.fields["text"].startswith("Half")
        back = Letter.from_fields("reply", 7, kept.fields, kept.write_id)
        assert back.text == kept.fields["text"] and back.in_reply_to == "<m1@example.org>"


async def test_escape_on_an_untouched_letter_keeps_nothing(tmp_path) -> None:
    async with opened(reply(), Drafts(tmp_path)) as pilot:
        app: Host = pilot.app  # type: ignore[assignment]
        await pilot.press("escape")
        await settle(pilot)
        assert app.results == [None] and app.kept is None


async def test_without_drafts_a_second_escape_drops_the_words() -> None:
    async with opened(reply()) as pilot:
        app: Host = pilot.app  # type: ignore[assignment]
        await pilot.press(*"words", "escape")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ComposeScreen)
        assert "escape again drops these words" in screen.status_text
        await pilot.press("escape")
        await settle(pilot)
        assert app.results == [None]


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
        assert app.sent[0][0].text == "first line\nadded in the editor"
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
        assert app.sent[0][0].text == HOSTILE and app.sent[0][0].subject == HOSTILE
        assert app.is_running
