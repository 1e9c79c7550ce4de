"""Help (``?``): every command with its keys, generated from ``deskterm.keymap``.

The keys shown are the effective ones — after the ``[keys]`` section of the settings —
so a remapped command is listed under the key that runs it now.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from deskterm.keymap import COMMANDS
from deskterm.tui.commands import effective_keys

OTHER_KEYS = (
    ("enter", "in the search box: go to the best match"),
    ("escape", "in the search box or queue: clear the search"),
    ("tab", "move between the search box, the queue and the person"),
    ("enter, escape", "in every window: save, or cancel without writing anything"),
    ("↑ / ↓", "in the person view: choose a timeline entry; enter opens a message"),
    ("ctrl+s", "in the message editor: send (stored in the outbox first)"),
    ("ctrl+e", "in the message editor: hand the text to $VISUAL / $EDITOR and back"),
    ("escape", "in the message editor: keep it as a draft (r / w bring it back)"),
    ("z", "in a message: show or fold the earlier mail it quotes"),
)


class HelpScreen(ModalScreen[None]):
    """A scrollable list of every key; ``escape``, ``q`` or ``?`` closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help"),
    ]

    def __init__(self, overrides: Mapping[str, Sequence[str]]) -> None:
        super().__init__(id="help")
        self.overrides = dict(overrides)

    def rows(self) -> list[tuple[str, str, str]]:
        """(keys, title, help) for every command, keys as displayed."""
        rows = []
        for command in COMMANDS:
            keys = effective_keys(command, self.overrides)
            shown = " / ".join(self.app.get_key_display(Binding(k, "")) for k in keys)
            rows.append((shown, command.title, command.help))
        return rows

    def compose(self) -> ComposeResult:
        rows = self.rows()
        with Vertical(id="help-box"):
            yield Static(Content.styled("Keys", "bold"), id="help-title")
            with VerticalScroll(id="help-list"):
                for keys, title, text in rows:
                    yield _row(keys, Content.styled(f"{title}: ", "bold").append(text))
                yield Static(Content.styled("Also", "bold"), classes="help-heading")
                for keys, text in OTHER_KEYS:
                    yield _row(keys, Content(text))
            yield Static(Content.styled("escape close", "dim"), id="help-hint")


def _row(keys: str, text: Content) -> Horizontal:
    """One line of help: the keys in a column, the text wrapping beside them."""
    return Horizontal(
        Static(Content.styled(keys, "bold $accent"), classes="help-keys"),
        Static(text, classes="help-text"),
        classes="help-row",
    )
