"""Make stored text harmless to show: control characters become visible, never executed.

Names and notes are data. A name containing ``ESC ] 0 ; pwned BEL`` must not retitle the
agent's terminal, and a right-to-left override must not reorder the rest of the line.
``visible()`` keeps every printable character (any script, emoji) and replaces C0/C1
controls, DEL and Unicode bidi/format controls with a visible stand-in. Markup is not a
concern here: the TUI passes text to widgets as plain ``Content``/``Text``, never markup.
"""

from __future__ import annotations

import re

# C0 controls (except tab/newline handled below), DEL, C1 controls.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidi embeddings/overrides/isolates and other invisible format characters that can
# reorder or hide text: LRE..RLO, LRI..PDI, ALM, LRM/RLM, ZW space, BOM, interlinear anchors.
_FORMAT = re.compile(
    r"[\u202a-\u202e\u2066-\u2069\u061c\u200e\u200f\u200b\u2028\u2029\ufeff"
    r"\ufff9-\ufffb]"
)
_NAMES = {
    "\x1b": "␛",
    "\x07": "␇",
    "\x00": "␀",
    "\x08": "␈",
    "\x7f": "␡",
    "\r": "␍",
    "\x0b": "␋",
    "\x0c": "␌",
}


def _control(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMES:
        return _NAMES[char]
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␁ ␂ …
    return f"\\x{code:02x}"


def _format(match: re.Match[str]) -> str:
    return f"<U+{ord(match.group()):04X}>"


def visible(text: str, *, newlines: bool = False) -> str:
    """``text`` with every control character replaced by a visible, inert stand-in.

    Tabs become a space; newlines become "⏎ " unless ``newlines`` is True (multi-line views).
    """
    if not text:
        return ""
    text = text.replace("\t", " ")
    if newlines:
        text = text.replace("\r\n", "\n")
    else:
        text = text.replace("\r\n", "⏎ ").replace("\n", "⏎ ")
    text = _CONTROLS.sub(_control, text)
    return _FORMAT.sub(_format, text)


def _inert_char(char: str) -> str:
    code = ord(char)
    if char in _NAMES:
        return _NAMES[char]
    if code < 0x20:
        return chr(0x2400 + code)
    return "\ufffd"  # C1 controls and bidi/format characters: one visible stand-in


def inert(text: str) -> str:
    """``text`` with each control or format character swapped for ONE visible character.

    Same length as ``text``, so an editable field can show it and keep its cursor where
    the agent put it (``visible()`` may spell a character out in several).
    """
    text = _CONTROLS.sub(lambda m: _inert_char(m.group()), text.replace("\t", " "))
    return _FORMAT.sub(lambda m: _inert_char(m.group()), text)


def one_line(text: str, width: int | None = None) -> str:
    """``visible()`` on one line, shortened with an ellipsis to ``width`` characters."""
    line = visible(text)
    if width is not None and len(line) > width:
        return line[: max(0, width - 1)] + "…"
    return line
