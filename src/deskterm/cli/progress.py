"""A progress bar for long imports: on stderr, and only when stderr is a terminal.

``rich`` is imported only when a bar is actually shown, so scripts and tests never pay
for it and piped output stays clean. The bar disappears when done; the caller prints
the summary line.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

from deskterm.cli.safe import shown


class ImportProgress:
    """One phase of an import: a count (``total`` unknown) or a bar towards ``total``."""

    def __init__(
        self, description: str, *, total: int | None = None, enabled: bool | None = None
    ) -> None:
        self.description = shown(description)
        self.total = total
        self.enabled = _stderr_is_tty() if enabled is None else enabled
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> ImportProgress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(
                TextColumn("{task.description}", markup=False),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.description, total=self.total)
        return self

    def update(self, done: int) -> None:
        """``done`` rows (or people) so far."""
        if self._bar is not None:
            self._bar.update(self._task, completed=done)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def _stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
