"""Print stored text to a terminal without letting it act on the terminal.

Names, notes and error messages may hold ESC sequences, BEL, bidi overrides and other
controls. Everything the CLI shows a person goes through ``shown`` (one line) or
``shown_lines`` (several), which make every control character visible and inert.
Exported JSON is data, not display, and never passes through here.
"""

from __future__ import annotations

import contextlib
import io
import sys
from typing import TextIO

from deskterm.textsafe import visible


def shown(text: object) -> str:
    """``text`` on one line with every control character made visible (ESC → ␛)."""
    return visible(str(text))


def shown_lines(text: object) -> str:
    """Like ``shown`` but keeps line breaks (for multi-line output such as config show)."""
    return visible(str(text), newlines=True)


def say(text: object, *, stream: TextIO | None = None) -> None:
    """Print one safe line to stdout (or ``stream``)."""
    print(shown(text), file=stream or sys.stdout)


def warn(text: object) -> None:
    """Print one safe line to stderr."""
    print(shown(text), file=sys.stderr)


def harden_streams() -> None:
    """Never crash on a character the terminal's encoding cannot show."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(ValueError, OSError):  # closed or detached
                stream.reconfigure(errors="backslashreplace")
