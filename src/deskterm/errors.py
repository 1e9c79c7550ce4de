"""Errors the domain raises, each with a one-line message for the agent.

The CLI prints ``str(error)`` and exits with ``error.exit_code``; the TUI shows the
message in a notification. No error here ever needs a traceback to be understood.
"""

from __future__ import annotations


class DeskError(Exception):
    """Base class: a failure with a clear one-line message."""

    exit_code = 1


class InvalidInput(DeskError):
    """The agent (or a script, or an import file) gave something we cannot store."""

    exit_code = 2


class NotFound(DeskError):
    """No person matches; ``candidates`` lists near misses for "did you mean"."""

    exit_code = 2

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        self.candidates = candidates or []
        if self.candidates:
            message = f"{message} — did you mean: {', '.join(self.candidates)}?"
        super().__init__(message)


class Ambiguous(DeskError):
    """More than one person matches; ``candidates`` lists them."""

    exit_code = 2

    def __init__(self, message: str, candidates: list[str]) -> None:
        self.candidates = candidates
        super().__init__(f"{message}: {'; '.join(candidates)}")


class Conflict(DeskError):
    """Another agent changed the person since this agent loaded it."""

    exit_code = 1

    def __init__(self, message: str, changes: list[str] | None = None) -> None:
        self.changes = changes or []
        super().__init__(message)


class StorageError(DeskError):
    """The database cannot be reached, is locked, or has an unusable URL."""

    exit_code = 1


class Unavailable(StorageError):
    """The database is unreachable, locked or full: try again later (EX_TEMPFAIL, 75).

    Raised only by ``storage.faults``, which reads the driver's error code; a retry of
    the same write (with the same write id) may succeed once the database is back.
    """

    exit_code = 75


class BadDatabaseURL(StorageError):
    """The database URL itself is unusable (bad input, not a failure while working)."""

    exit_code = 2
