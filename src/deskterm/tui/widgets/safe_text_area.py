"""A TextArea that never sends what it holds to the terminal as control characters.

``TextArea`` is not markup, so ``[bold]`` is already shown as typed — but it draws each
line as given, and a quoted customer message holding ``ESC ] 0 ; … BEL`` or a bidi
override would reach the terminal. ``SafeTextArea`` draws every control or format
character as one visible stand-in (``␛``, ``␇``, ``�``), like ``SafeInput``; the text
itself, and so what is sent or kept as a draft, stays exactly what it was.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import TextArea

from deskterm.textsafe import inert


def inert_line(line: str) -> str:
    """``line`` with controls swapped one for one, tabs kept (the area expands them)."""
    return "\t".join(inert(part) for part in line.split("\t"))


class SafeTextArea(TextArea):
    """A plain-text ``TextArea`` whose lines are drawn inert (same length, cursor stays put)."""

    def get_line(self, line_index: int) -> Text:
        return Text(inert_line(self.document.get_line(line_index)), end="", no_wrap=True)
