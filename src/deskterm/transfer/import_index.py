"""Keep the saved search index current across an import, indexing the rows as stored.

``deskterm import`` leaves the saved index current, so the first desk opened afterwards
has it. Reading everyone back and indexing them after the insert took as long as the
insert itself; instead the rows ``bulk_insert`` is about to store are indexed while it
stores them: in a forked child process where the system has ``fork`` (the child writes
the segment to a temporary index file beside the saved one and exits; the parent maps
it after committing), else in this process after the insert. The change feed then
decides, as for any desk, what else must be read back (people changed by others
meanwhile); the segment is used only for people the feed shows created and not
changed since.
"""

from __future__ import annotations

import contextlib
import glob
import os
import signal
import tempfile
import time
import warnings
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import Engine

from deskterm.directory import Directory, search_doc
from deskterm.errors import DeskError
from deskterm.search import store
from deskterm.search.segment import Segment, build_segment
from deskterm.services import Desk
from deskterm.services.saved_index import SavedIndex, index_path

CHILD_PATIENCE = 60.0  # seconds after the commit, plus 1 ms a person, before building here


class ImportIndex:
    """The saved index of one database around one import: ``prepare``, ``start`` (from
    ``bulk_insert``), then ``finish`` after the commit, or ``discard`` if it failed."""

    def __init__(self, engine: Engine, agent: str) -> None:
        self.engine = engine
        self.agent = agent
        self.path = index_path(engine)
        self._rows: list[tuple] | None = None
        self._child = 0
        self._file: Path | None = None

    def prepare(self) -> None:
        """Bring the saved index current before the import (quick when it is, and for
        an empty database), so that afterwards only the import has to be added."""
        if self.path is not None:
            self._refresh()

    def start(self, rows: list[tuple]) -> None:
        """Index ``rows`` (``Reads.search_rows`` tuples) while they are being stored."""
        if self.path is None or not rows:
            return
        self._rows = rows  # kept for building here if the child cannot
        if not hasattr(os, "fork"):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(
            prefix=f".{self.path.name}.import-", suffix=".tmp", dir=self.path.parent
        )
        os.close(handle)
        self._file = Path(name)
        with warnings.catch_warnings():  # 3.12+ warns when a progress bar thread runs
            warnings.simplefilter("ignore", DeprecationWarning)
            child = os.fork()
        if child == 0:  # the child: index, write, leave without running any cleanup
            code = 1
            try:
                segment = _segment(rows)
                store.save(self._file, [segment], [np.ones(segment.n, bool)], 0)
                code = 0
            finally:
                os._exit(code)
        self._child = child

    def finish(self) -> None:
        """After the commit: add the imported people to the saved index and save it (a
        failure here is not the import's: the next desk catches up itself)."""
        if self.path is None:
            return
        with contextlib.suppress(DeskError):
            segment = self._segment()
            saved = SavedIndex.of(Desk(self.engine, self.agent))
            if saved.open(search_doc, resave_after=1, fresh=segment) is None:
                self._refresh()

    def discard(self) -> None:
        """The import failed: stop the child and remove its files."""
        self._stop_child()
        self._rows = None

    def _segment(self) -> Segment | None:
        """The child's segment, or (no fork, or the child failed) one built here."""
        rows, self._rows = self._rows, None
        segment = None
        if self._child and self._file is not None:
            status = _wait(self._child, CHILD_PATIENCE + len(rows or ()) / 1000)
            if status is not None:
                self._child = 0
                with contextlib.suppress(store.Unusable):
                    if os.waitstatus_to_exitcode(status) == 0:
                        saved = store.load(self._file)
                        segment = saved.segments[0] if len(saved.segments) == 1 else None
            self._stop_child()  # the file goes; a loaded segment stays mapped and readable
        if segment is None and rows:
            segment = _segment(rows)
        return segment

    def _stop_child(self) -> None:
        """Kill the child if it still runs; remove its file and the one it was writing."""
        if self._child:
            with contextlib.suppress(OSError):
                os.kill(self._child, signal.SIGKILL)
                os.waitpid(self._child, 0)
            self._child = 0
        if self._file is not None:
            for path in self._file.parent.glob(f"{glob.escape(self._file.name)}*"):
                path.unlink(missing_ok=True)
            for path in self._file.parent.glob(f".{glob.escape(self._file.name)}.*.tmp"):
                path.unlink(missing_ok=True)  # store.save's own temporary file
            self._file = None

    def _refresh(self) -> None:
        """Open the saved index and catch it up with the feed, or build and save it."""
        with contextlib.suppress(DeskError):
            directory = Directory(Desk(self.engine, self.agent), tz=ZoneInfo("UTC"))
            directory.build_index(resave_after=1, warm=False)


def _segment(rows: list[tuple]) -> Segment:
    return build_segment([search_doc(row) for row in rows])


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
