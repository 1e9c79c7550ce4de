"""An Input that never sends what it holds to the terminal as control characters.

Textual's Input draws its value as given: a stored name holding ``ESC ] 0 ; … BEL``,
put in an edit form, retitled the agent's terminal. ``SafeInput`` draws each control or
bidi character as one visible stand-in (``␛``, ``␇``, ``�``) while the value itself, and
so what is saved, stays exactly what the agent typed or what was stored.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Input

from deskterm.textsafe import inert


class SafeInput(Input):
    """An ``Input`` whose value is drawn inert (same length, so the cursor stays put)."""

    @property
    def _value(self) -> Text:
        if self.password:
            return Text("•" * len(self.value), no_wrap=True, overflow="ignore", end="")
        text = Text(inert(self.value), no_wrap=True, overflow="ignore", end="")
        if self.highlighter is not None:
            text = self.highlighter(text)
        return text
