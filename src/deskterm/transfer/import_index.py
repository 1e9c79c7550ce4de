"""Keep the saved search index and queue file current across an import, from the rows
as stored.

``deskterm import`` leaves the saved index and the saved queue (everyone's attention
summary) current, so the first desk opened afterwards has both. Reading everyone back
after the insert took as long as the insert itself. Instead the rows ``bulk_insert`` is
about to store are handed to a forked child process (where the system has ``fork``),
which indexes them and adds their summaries to the queue, brings both files current up
to the import meanwhile, and — once the parent says the import is committed — adds the
new people and saves the files; the parent waits for that before it exits, and never
loads the search code itself. Without ``fork`` (or if the child fails) the same is done
here. Either way the change feed decides, as for any desk, what must be read back
(people changed by others meanwhile): the rows are used only for people the feed shows
created and not changed since.
"""

from __future__ import annotations

import contextlib
import os
import signal
import struct
import time
import warnings
from typing import TYPE_CHECKING

from deskterm.errors import DeskError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from deskterm.search.segment import Segment
    from deskterm.services.saved_queue import PendingImport

_RANGE = struct.Struct("<qq")  # the import's change ids, told to the child after the commit
CHILD_PATIENCE = 60.0  # seconds after the commit, plus 1 ms a person, before doing it here


class ImportIndex:
    """The saved index and queue of one database around one import: ``prepare``,
    ``start`` (from ``bulk_insert``), then ``finish`` after the commit, or ``discard``
    if it failed."""

    def __init__(self, engine: Engine, agent: str) -> None:
        self.engine = engine
        self.agent = agent
        self.forks = hasattr(os, "fork")
        self._rows: list[tuple] | None = None
        self._queue: PendingImport | None = None  # without ``fork``: the queue before the commit
        self._child = 0
        self._go = -1  # the pipe on which the parent tells the child the import is stored

    def prepare(self) -> None:
        """Bring the saved index current before the import (quick when it is, and for
        an empty database), so that afterwards only the import has to be added. With
        ``fork`` the child does this, alongside the insert."""
        if not self.forks:
            refresh(self.engine, self.agent)

    def start(self, rows: list[tuple]) -> None:
        """Index ``rows`` (``bulk.PERSON_COLUMNS`` tuples) while they are being stored."""
        self._rows = rows  # kept for doing it here if the child cannot
        if not rows:
            return
        if not self.forks:
            self._queue = _pending_queue(self.engine, self.agent, rows)
            return
        told, self._go = os.pipe()
        with warnings.catch_warnings():  # 3.12+ warns when a progress bar thread runs
            warnings.simplefilter("ignore", DeprecationWarning)
            child = os.fork()
        if child == 0:  # the child: never returns, leaves without running any cleanup
            code = 1
            try:
                os.close(self._go)
                code = _child(self.engine, self.agent, rows, told)
            finally:
                os._exit(code)
        os.close(told)
        self._child = child

    def finish(self, changes: tuple[int, int]) -> None:
        """After the commit: the imported people (whose changes have ids in
        ``changes``, see ``BulkResult``) join the saved index, which is saved (a failure
        here is not the import's: the next desk catches up itself)."""
        rows, self._rows = self._rows, None
        queue, self._queue = self._queue, None
        if self._child:
            with contextlib.suppress(OSError):  # a child that died is seen below
                os.write(self._go, _RANGE.pack(*changes))
            if self._end_child(CHILD_PATIENCE + len(rows or ()) / 1000):
                return
        with contextlib.suppress(DeskError):
            _add(self.engine, self.agent, _segment(rows) if rows else None, changes)
        if rows:
            _save_queue(self.engine, self.agent, queue, changes)

    def discard(self) -> None:
        """The import failed: the child leaves the saved index as it was and stops (let
        to end by itself, so it is never cut off in the middle of writing the file)."""
        self._rows = self._queue = None
        self._end_child(CHILD_PATIENCE)

    def _end_child(self, patience: float) -> bool:
        """Close the pipe and wait for the child; True if it succeeded."""
        if self._go >= 0:
            os.close(self._go)
            self._go = -1
        if not self._child:
            return False
        status = None
        try:
            status = _wait(self._child, patience)
        finally:
            if status is None:  # too slow, or we were interrupted
                with contextlib.suppress(OSError):
                    os.kill(self._child, signal.SIGKILL)
                    os.waitpid(self._child, 0)
            self._child = 0
        return status is not None and os.waitstatus_to_exitcode(status) == 0


def _child(engine: Engine, agent: str, rows: list[tuple], told: int) -> int:
    """The forked child's work; its exit code (0: the saved index is current)."""
    engine.dispose(close=False)  # the parent's pooled connections are the parent's
    from deskterm.services.saved_index import index_path

    if index_path(engine) is None:
        return 0  # nothing is saved for this database
    segment = _segment(rows)
    queue = _pending_queue(engine, agent, rows)
    del rows
    refresh(engine, agent)
    with os.fdopen(told, "rb") as pipe:
        said = pipe.read(_RANGE.size)
    if len(said) != _RANGE.size:
        return 0  # the import failed: the saved files stay as they were
    changes = _RANGE.unpack(said)
    _add(engine, agent, segment, changes)
    _save_queue(engine, agent, queue, changes)
    return 0


def _segment(rows: list[tuple]) -> Segment:
    from deskterm.directory import search_doc
    from deskterm.search.segment import build_segment
    from deskterm.services.bulk import search_row

    return build_segment([search_doc(search_row(row)) for row in rows])


def _pending_queue(engine: Engine, agent: str, rows: list[tuple]) -> PendingImport | None:
    """Before the commit: the saved queue now, with the people of ``rows`` added."""
    from deskterm.services import Desk
    from deskterm.services.bulk import summary_row
    from deskterm.services.saved_queue import SavedQueue

    with contextlib.suppress(DeskError):
        return SavedQueue.of(Desk(engine, agent)).with_imported(list(map(summary_row, rows)))
    return None


def _save_queue(
    engine: Engine, agent: str, pending: PendingImport | None, changes: tuple[int, int]
) -> None:
    """After the commit: the queue file saved current (without ``pending``, from the
    file or everyone read back); a failure is not the import's: the next desk reads
    everyone and saves it."""
    from deskterm.services import Desk
    from deskterm.services.saved_queue import SavedQueue

    saved = SavedQueue.of(Desk(engine, agent))
    with contextlib.suppress(DeskError):
        saved.save_import(pending or saved.with_imported([]), changes)


def _add(engine: Engine, agent: str, segment: Segment | None, changes: tuple[int, int]) -> None:
    """Catch the saved index up with the feed, the new people taken from ``segment``."""
    from deskterm.directory import search_doc
    from deskterm.services import Desk
    from deskterm.services.saved_index import SavedIndex

    saved = SavedIndex.of(Desk(engine, agent))
    if saved.path is None:
        return
    if saved.open(search_doc, resave_after=1, fresh=segment, fresh_changes=changes) is None:
        refresh(engine, agent)


def refresh(engine: Engine, agent: str) -> None:
    """Open the saved index and catch it up with the feed, or build and save it."""
    from zoneinfo import ZoneInfo

    from deskterm.directory import Directory
    from deskterm.services import Desk
    from deskterm.services.saved_index import index_path

    if index_path(engine) is None:
        return
    with contextlib.suppress(DeskError):
        directory = Directory(Desk(engine, agent), tz=ZoneInfo("UTC"))
        directory.build_index(resave_after=1, warm=False)


def _wait(child: int, seconds: float) -> int | None:
    """The child's exit status, or None if it has not ended within ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        done, status = os.waitpid(child, os.WNOHANG)
        if done:
            return status
        if time.monotonic() > deadline:
            return None
        time.sleep(0.005)
