"""Keep the saved search index and queue file current across an import, from the rows
as stored.

``deskterm import`` leaves the saved index and the saved queue (everyone's attention
summary) current, so the first desk opened afterwards has both. Reading everyone back
after the insert took as long as the insert itself. Instead, where the system has
``fork``, two children are forked with the people to import, before the database is
written (a child must not inherit an open SQLite connection): each brings its file
current up to now and is told the people's ids once ``bulk_insert`` has them; the index
child indexes their rows at once, numbered 1..n, and renumbers them with the ids, the
queue child adds their summaries then, both while the parent inserts; and — once the
parent says the import is committed — each saves its file; the parent waits
for that before it exits, and never loads the search code itself. Without ``fork`` (or
if a child fails) the same is done here. Either way the change feed decides, as for
any desk, what must be read back (people changed by others meanwhile): the rows are
used only for people the feed shows created and not changed since.
"""

from __future__ import annotations

import contextlib
import os
import signal
import struct
import threading
import time
import warnings
from array import array
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from deskterm.errors import DeskError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from deskterm.search.segment import Segment
    from deskterm.services.saved_queue import PendingImport

_COUNT = struct.Struct("<q")  # how many ids follow, told to the children once allocated
_RANGE = struct.Struct("<qq")  # the import's change ids, told to them after the commit
CHILD_PATIENCE = 60.0  # seconds after the commit, plus 1 ms a person, before doing it here


class ImportIndex:
    """The saved index and queue of one database around one import: ``start`` with the
    people before the transaction, ``stored`` with their rows (``bulk_insert``'s
    ``on_person_rows``), then ``finish`` after the commit, or ``discard`` if it failed."""

    def __init__(self, engine: Engine, agent: str, now: datetime) -> None:
        self.engine = engine
        self.agent = agent
        self.now = now
        self.forks = hasattr(os, "fork")
        self._rows: list[tuple] | None = None
        self._queue: PendingImport | None = None  # without ``fork``: the queue now
        # The children (index, queue): pid and the pipe on which the parent tells each
        # the people's ids and that the import is stored; the threads writing the ids.
        self._children: list[tuple[int, int]] = []
        self._telling: list[threading.Thread] = []

    def start(self, people: list[Any]) -> None:
        """Before the transaction: with ``fork``, a child each for the index and the
        queue, which bring their files current now; without, the same here."""
        if not people:
            return
        if not self.forks:
            refresh(self.engine, self.agent)
            self._queue = _queue_now(self.engine, self.agent)
            return
        for work in (_index_child, _queue_child):
            self._children.append(self._fork(work, people))

    def _fork(self, work: _Work, people: list[Any]) -> tuple[int, int]:
        """A child doing ``work``: its pid, and the pipe to tell it the ids and the commit."""
        told, go = os.pipe()
        with warnings.catch_warnings():  # 3.12+ warns when a progress bar thread runs
            warnings.simplefilter("ignore", DeprecationWarning)
            child = os.fork()
        if child == 0:  # the child: never returns, leaves without running any cleanup
            code = 1
            try:
                os.close(go)
                for _, other in self._children:  # an earlier child's pipe is not its own
                    os.close(other)
                self.engine.dispose(close=False)  # (none is open: nothing to close)
                with os.fdopen(told, "rb") as pipe:
                    code = work(_Told(self, people, pipe))
            finally:
                os._exit(code)
        os.close(told)
        return child, go

    def stored(self, rows: list[tuple]) -> None:
        """The people's rows (``bulk.PERSON_COLUMNS``) as they are about to be stored:
        their ids go to the children (from threads: a pipe holds only so much, and the
        insert goes on), or here, they join the queue now."""
        self._rows = rows  # kept for doing it here if a child cannot
        if not self._children:
            if self._queue is not None:
                _add_to_queue(self._queue, rows)
            return
        ids = array("q", [row[0] for row in rows]).tobytes()
        message = _COUNT.pack(len(rows)) + ids
        for _, go in self._children:
            thread = threading.Thread(target=_send, args=(go, message), daemon=True)
            thread.start()
            self._telling.append(thread)

    def finish(self, changes: tuple[int, int]) -> None:
        """After the commit: the imported people (whose changes have ids in
        ``changes``, see ``BulkResult``) join the saved index and queue, which are saved
        (a failure here is not the import's: the next desk catches up itself)."""
        rows, self._rows = self._rows, None
        queue, self._queue = self._queue, None
        patience = CHILD_PATIENCE + len(rows or ()) / 1000
        if self._told_all(patience):
            for _, go in self._children:
                _send(go, _RANGE.pack(*changes))
        indexed, queued = self._end_children(patience)
        if not rows:
            return
        if not indexed:
            with contextlib.suppress(DeskError):
                _add(self.engine, self.agent, _segment(rows), changes)
        if not queued:
            _save_queue(self.engine, self.agent, queue, changes)

    def discard(self) -> None:
        """The import failed: the children leave the saved files as they were and stop
        (let to end by themselves, never cut off in the middle of writing a file)."""
        self._rows = self._queue = None
        self._told_all(CHILD_PATIENCE)
        self._end_children(CHILD_PATIENCE)

    def _told_all(self, patience: float) -> bool:
        """Wait for the threads telling the children the ids; True if they are done."""
        deadline = time.monotonic() + patience
        for thread in self._telling:
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(thread.is_alive() for thread in self._telling)

    def _end_children(self, patience: float) -> tuple[bool, bool]:
        """Close the pipes and wait for the children: whether the index child and the
        queue child succeeded (False, False when there were none)."""
        children, self._children = self._children, []
        for _, go in children:
            os.close(go)
        deadline = time.monotonic() + patience
        done = [_ended(pid, deadline) for pid, _ in children] + [False, False]
        return done[0], done[1]


class _Told:
    """What a child knows: the import's people, and what the parent tells it."""

    def __init__(self, parent: ImportIndex, people: list[Any], pipe: IO[bytes]) -> None:
        self.engine, self.agent, self.now = parent.engine, parent.agent, parent.now
        self.people = people
        self.pipe = pipe

    def ids(self) -> list[int] | None:
        """The people's ids, once the parent has them (None: the import failed before)."""
        count = self.pipe.read(_COUNT.size)
        if len(count) != _COUNT.size:
            return None
        (n,) = _COUNT.unpack(count)
        data = self.pipe.read(8 * n)
        if len(data) != 8 * n:
            return None
        ids = array("q")
        ids.frombytes(data)
        return ids.tolist()

    def rows_with(self, ids: Sequence[int]) -> list[tuple]:
        """The people's rows as stored if their ids were ``ids``."""
        from deskterm.services.bulk import person_rows

        backend = self.engine.dialect.name
        return person_rows(self.people, ids, agent=self.agent, now=self.now, backend=backend)

    def rows(self) -> list[tuple] | None:
        """The people's rows as stored, once the parent has their ids (None: the import
        failed before)."""
        ids = self.ids()
        if ids is None:
            return None
        rows = self.rows_with(ids)
        self.people = []
        return rows

    def committed(self) -> tuple[int, int] | None:
        """The import's change ids, once the parent says it is committed (None: it failed)."""
        said = self.pipe.read(_RANGE.size)
        return _RANGE.unpack(said) if len(said) == _RANGE.size else None


_Work = Callable[[_Told], int]  # a child's work: its exit code


def _send(go: int, data: bytes) -> None:
    """Write all of ``data`` to a child's pipe (a child that died is seen later)."""
    view = memoryview(data)
    with contextlib.suppress(OSError):
        while view:
            view = view[os.write(go, view) :]


def _ended(child: int, deadline: float) -> bool:
    """Wait for ``child`` until ``deadline`` (then kill it); True if it succeeded."""
    status = None
    try:
        status = _wait(child, deadline - time.monotonic())
    finally:
        if status is None:  # too slow, or we were interrupted
            with contextlib.suppress(OSError):
                os.kill(child, signal.SIGKILL)
                os.waitpid(child, 0)
    return status is not None and os.waitstatus_to_exitcode(status) == 0


def _index_child(told: _Told) -> int:
    """The index child's work; its exit code (0: the saved index is current, or as it
    was if the import failed)."""
    from deskterm.services.saved_index import index_path

    engine, agent = told.engine, told.agent
    if index_path(engine) is None:
        return 0  # nothing is saved for this database
    refresh(engine, agent)
    # Indexed at once, numbered 1, 2, … (the order the ids will have), not after the
    # parent has the ids: those come once it has prepared every row, and this child
    # was what the import waited for at the end.
    early = _segment(told.rows_with(range(1, len(told.people) + 1)))
    ids = told.ids()
    if ids is None:
        return 0
    segment = early.renumbered(ids) or _segment(told.rows_with(ids))
    del early
    told.people = []
    changes = told.committed()
    if changes is not None:
        _add(engine, agent, segment, changes)
    return 0


def _queue_child(told: _Told) -> int:
    """The queue child's work; its exit code (0: the saved queue is current, or as it
    was if the import failed)."""
    from deskterm.services.saved_index import index_path

    engine, agent = told.engine, told.agent
    if index_path(engine) is None:
        return 0
    pending = _queue_now(engine, agent)
    if pending is None:
        return 1  # the parent reads everyone once the import is stored
    rows = told.rows()
    if rows is None:
        return 0
    _add_to_queue(pending, rows)
    del rows
    changes = told.committed()
    if changes is not None:
        _save_queue(engine, agent, pending, changes)
    return 0


def _segment(rows: list[tuple]) -> Segment:
    from deskterm.directory import search_doc
    from deskterm.search.segment import build_segment
    from deskterm.services.bulk import search_row

    return build_segment([search_doc(search_row(row)) for row in rows])


def _queue_now(engine: Engine, agent: str) -> PendingImport | None:
    """The saved queue caught up now (or everyone read), for the import to add to."""
    from deskterm.services import Desk
    from deskterm.services.saved_queue import SavedQueue

    with contextlib.suppress(DeskError):
        return SavedQueue.of(Desk(engine, agent)).before_import()
    return None


def _add_to_queue(pending: PendingImport, rows: list[tuple]) -> None:
    from deskterm.services.bulk import summary_row

    pending.add(list(map(summary_row, rows)))


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
        saved.save_import(pending or saved.before_import(), changes)


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
