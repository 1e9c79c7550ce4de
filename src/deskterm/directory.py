"""Everyone, in memory, for the screen: the attention queue and the search index.

Loaded once from the compact summaries (no timelines), then kept current from the
shared change feed, so another agent's work shows up without a reload. Thread-safe:
the TUI calls it only from worker threads, never on the event loop.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import numpy as np

from deskterm.clock import utcnow
from deskterm.errors import DeskError
from deskterm.queue import (
    NOT_QUEUED,
    Queue,
    QueueRow,
    QueueSettings,
    Summary,
    SummaryTable,
    order_queue,
)
from deskterm.search import SearchDoc, SearchIndex, SearchResult
from deskterm.services.saved_index import RESAVE_AFTER, SavedIndex
from deskterm.services.views import ChangeBatch

if TYPE_CHECKING:
    from deskterm.config import Settings
    from deskterm.services.desk import Desk
    from deskterm.services.saved_queue import SavedQueue
    from deskterm.team.report import TeamReport, WeekRisk


def search_doc(row: tuple[Any, ...]) -> SearchDoc:
    """A search document from a ``Reads.search_rows`` tuple."""
    pid, name, email, company, phone, tags, matters, notes, subjects = row
    return SearchDoc(
        id=pid,
        name=name,
        email=email or "",
        company=company,
        phone=phone,
        tags=_tag_words(tags),
        matters=matters,
        notes=f"{notes} {subjects}" if subjects else notes,  # mail subjects search as notes
    )


@contextmanager
def _bulk_allocation(*, freeze: bool = False) -> Iterator[None]:
    """Load many small objects without the garbage collector rescanning them as they come.

    Tuples of 100,000 people set off collection after collection while they are read
    (a third of the load time); they hold no cycles and are freed by reference count.
    ``freeze`` (for the first load, a fraction of a second after start) then moves what
    exists — mostly the imported modules — out of the collector's way for good, which
    makes the collections during start-up cheaper.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


INDEX_PART = 250_000  # people per index segment when building: searchable after the first


def _then(older: ChangeBatch, newer: ChangeBatch) -> ChangeBatch:
    """Two batches as one, the newer deciding for a person in both."""
    return ChangeBatch(
        changed=(older.changed - newer.erased) | newer.changed,
        erased=(older.erased - newer.changed) | newer.erased,
    )


def _tag_words(raw: str) -> str:
    """Stored tags (a JSON list) as words for the index; plain lists skip the JSON parser.

    ``["vip", "billing"]`` with no escapes is split directly (a fifth of the time of
    building search documents at scale); anything with a backslash goes through JSON.
    """
    if not raw or raw == "[]":
        return ""
    if "\\" not in raw and raw.startswith('["') and raw.endswith('"]'):
        return " ".join(raw[2:-2].split('", "'))
    from deskterm.services.validate import decode_tags  # loads the models: only if needed

    return " ".join(decode_tags(raw))


class Directory:
    """The queue and search over everyone, kept in step with the database."""

    def __init__(
        self,
        desk: Desk,
        *,
        tz: ZoneInfo,
        queue_settings: QueueSettings | None = None,
        clock: Callable[[], datetime] = utcnow,
        save_index: bool = True,
    ) -> None:
        self.desk = desk
        self.save_index = save_index  # keep the index in a file beside the data
        self.tz = tz
        self.settings = queue_settings or QueueSettings()
        self.clock = clock
        self._lock = threading.RLock()
        self._sync_lock = threading.Lock()  # one sync at a time: summaries land in order
        self._unapplied: ChangeBatch | None = None  # polled, but the database went away
        self._generation = 0
        self._table = SummaryTable.from_rows([])
        self._index: SearchIndex | None = None
        self._index_stale: set[int] = set()
        self._index_building = False
        self._partial: SearchIndex | None = None  # the first parts, while building
        self._partial_of: tuple[int, int] | None = None
        self._queue: Queue | None = None
        self._queue_minute = -1
        self._unsaved: tuple[SavedQueue, tuple[int, frozenset[int]]] | None = None
        self._unchecked: SavedQueue | None = None  # the summaries came from this file
        self._preload: _Preload | None = None  # ``load_soon``'s

    @classmethod
    def for_settings(
        cls, desk: Desk, settings: Settings, *, clock: Callable[[], datetime] | None = None
    ) -> Directory:
        """The directory with the queue rules of the ``[queue]`` and ``[mood]`` settings."""
        rules = QueueSettings(
            quiet_days=settings.queue.quiet_days,
            bad_mood_max=settings.queue.bad_mood_max,
            order=settings.queue.order,
            labels=settings.mood.labels,
            unanswered_days=settings.queue.unanswered_days,
            confirm_days=settings.queue.confirm_days,
            waiting_minutes=settings.queue.waiting_minutes,
        )
        return cls(desk, tz=settings.agent.tz, queue_settings=rules, clock=clock or desk.clock)

    # -- loading ----------------------------------------------------------------------
    def load_soon(self) -> None:
        """Start ``load`` in a thread now (while the screen is still being built); the
        next ``load`` takes its queue, or raises what it raised."""
        preload = _Preload()

        def run() -> None:
            try:
                preload.queue = self._load(use_file=True)
            except BaseException as exc:  # handed to whoever calls ``load``
                preload.error = exc
            finally:
                preload.done.set()

        self._preload = preload
        threading.Thread(target=run, name="deskterm-load", daemon=True).start()

    def load(self, *, use_file: bool = True) -> Queue:
        """Everyone's summary — from the saved file caught up with the change feed, or
        read from the database — and the queue in order (no timelines, no index)."""
        preload, self._preload = self._preload, None
        if preload is not None and use_file:
            preload.done.wait()
            if preload.error is not None:
                raise preload.error
            assert preload.queue is not None
            return preload.queue
        return self._load(use_file=use_file)

    def _load(self, *, use_file: bool) -> Queue:
        self.desk.poll_changes()  # start the feed first: nothing between is missed
        saved = self._saved_queue()
        with _bulk_allocation(freeze=True):
            table = saved.open() if saved is not None and use_file else None
            self._unchecked = saved if table is not None else None
            if table is None:
                position = saved.position() if saved is not None else None
                rows = self.desk.summary_rows()
                table = SummaryTable.from_columns(*_columns(rows, 13))
                del rows
            elif saved is not None and saved.caught_up >= RESAVE_AFTER:
                position = saved.seq, saved.seen
            else:
                position = None
        with self._lock:
            self._table = table
            self._queue = None
            queue = self.queue()
            if saved is not None and position is not None:
                self._unsaved = saved, position
        return queue

    def _saved_queue(self) -> SavedQueue | None:
        """The summary file of this database (none for ``deskterm search``'s plain reads)."""
        if not self.save_index or getattr(self.desk, "engine", None) is None:
            return None
        from deskterm.services.saved_queue import SavedQueue

        return SavedQueue.of(self.desk)

    def check_queue(self) -> bool:
        """After the first frame: if the summaries came from the file, does it hold as
        many people as the database? If not, read everyone (True: a new queue)."""
        saved, self._unchecked = self._unchecked, None
        if saved is None:
            return False
        with self._lock:
            table = self._table
        if saved.holds_everyone(table):
            return False
        self.load(use_file=False)
        return True

    def save_queue(self) -> None:
        """Write the summaries read by ``load`` to the file the next desk opens (when
        it had none, or an old one): after the first frame, it is not worth waiting for."""
        with self._lock:
            unsaved, self._unsaved = self._unsaved, None
            # Changes applied since ``load`` are in the copy too; the next desk applies
            # them again from the feed, which changes nothing.
            arrays = self._table.arrays() if unsaved is not None else None
        if unsaved is not None and arrays is not None:
            saved, (seq, seen) = unsaved
            saved.save(arrays, seq, seen)

    def build_index(
        self, *, resave_after: int = RESAVE_AFTER, warm: bool = True, fresh: bool = True
    ) -> bool:
        """Open the saved search index and catch it up with the change feed, or build it
        (seconds at a million people: run it in a worker) and save it for next time.

        ``resave_after=1`` writes the file whenever anything was caught up (after an
        import: the next desk opens it current). ``warm`` then builds the typo tables
        (a desk, not a one-off ``deskterm search``), so the first typed query is quick.
        Without ``fresh`` only a saved index is opened: False when there was none."""
        with self._lock:
            self._index_building = True
            self._index_stale.clear()
        saved = SavedIndex.of(self.desk) if self.save_index else None
        opened = saved.open(search_doc, resave_after=resave_after) if saved is not None else None
        if opened is None and not fresh:
            with self._lock:
                self._index_building = False
            return False
        if opened is None:
            # First the feed position: the rows read below include at least that much.
            seq, seen = saved.position() if saved is not None else (0, frozenset[int]())
            index = self._build_fresh()
            if saved is not None:
                saved.save(index, seq, seen)
        else:
            index = opened[0]
        with self._lock:
            stale = set(self._index_stale)
            self._index, self._partial, self._partial_of = index, None, None
            self._index_building = False
            self._index_stale.clear()
        if opened is None:
            _give_back_memory()
        if stale:
            self._refresh_index(stale)
        if warm:
            index.warm()
        return True

    def warm_index(self) -> None:
        """Build the typo tables of an index opened without ``warm``."""
        index = self._index
        if index is not None:
            index.warm()

    def _build_fresh(self) -> SearchIndex:
        with _bulk_allocation():
            rows = self.desk.search_rows()
            total = len(rows)

            def parts() -> Iterator[list[SearchDoc]]:
                for start in range(0, total, INDEX_PART):
                    docs = [search_doc(r) for r in rows[start : start + INDEX_PART]]
                    rows[start : start + INDEX_PART] = [None] * len(docs)  # free as we go
                    yield docs

            def searchable(partial: SearchIndex) -> None:
                with self._lock:
                    self._partial = partial
                    self._partial_of = (len(partial), total)

            return SearchIndex.build_in_parts(parts(), searchable)

    @property
    def index_ready(self) -> bool:
        return self._index is not None

    @property
    def searchable(self) -> bool:
        """The whole index, or a first part of it while the rest is built, can answer."""
        return self._index is not None or self._partial is not None

    @property
    def index_progress(self) -> tuple[int, int] | None:
        """(people indexed, people in all) while only part of the index is built."""
        return None if self._index is not None else self._partial_of

    def __len__(self) -> int:
        return len(self._table)

    # -- queue and search -------------------------------------------------------------
    def queue(self) -> Queue:
        """The current attention order (recomputed after changes and every minute).

        Each new order has a larger ``generation``, so a screen handed queues by several
        workers can tell a late, older one from the newest.
        """
        now = int(self.clock().timestamp())
        with self._lock:
            if self._queue is None or now // 60 != self._queue_minute:
                queue = order_queue(self._table, now=now, tz=self.tz, settings=self.settings)
                self._generation += 1
                queue.generation = self._generation
                self._queue, self._queue_minute = queue, now // 60
            return self._queue

    def row_for(self, person_id: int) -> QueueRow | None:
        """The queue row (name, mood, reason) of one person, wherever they are."""
        queue = self.queue()
        position = queue.position_of(person_id)
        return None if position is None else queue.row(position)

    def rows_for(self, person_ids: Iterable[int]) -> list[QueueRow]:
        """The queue rows of many people at once, in the order given (those not in the
        queue left out): one lookup for all, not one per person."""
        queue = self.queue()
        positions = queue.ranks_of(np.fromiter(person_ids, np.int64))
        return [queue.row(int(p)) for p in positions.tolist() if p != NOT_QUEUED]

    def search(
        self, query: str, *, limit: int = 200, cancelled: Callable[[], bool] | None = None
    ) -> SearchResult:
        """Best matches first; ties broken by the attention order."""
        index = self._index or self._partial
        if index is None:
            self.build_index()
            index = self._index
        assert index is not None
        rank = self.queue().rank_by_id
        return index.search(query, limit=limit, rank_by_id=rank, cancelled=cancelled)

    def search_among(self, query: str, *, limit: int = 200, most: int = 5000) -> SearchResult:
        """``search`` without loading everyone's summary: the attention order is computed
        for just the people who could make the top ``limit`` (the same relative order as
        in the whole queue). For a one-off search (``deskterm search``); with more than
        ``most`` contenders it loads the whole queue instead."""
        index = self._index
        if index is None:
            self.build_index()
            index = self._index
        assert index is not None
        if self._queue is not None:
            return self.search(query, limit=limit)
        too_many = False

        def ranks(who: np.ndarray) -> np.ndarray | None:
            nonlocal too_many
            if len(who) > most:
                too_many = True
                return None
            rows = self.desk.summary_rows(who.tolist()) if len(who) else []
            table = SummaryTable.from_columns(*_columns(rows, 13))
            now = int(self.clock().timestamp())
            return order_queue(table, now=now, tz=self.tz, settings=self.settings).rank_by_id

        result = index.search(query, limit=limit, rank_for=ranks)
        if too_many:
            self.load()
            return self.search(query, limit=limit)
        return result

    def team_report(self, *, history: bool = True) -> TeamReport:
        """The team view's numbers: aggregate queries, and the at-risk list from the
        summaries held here (read from the database if none are loaded yet); without
        ``history`` the at-risk weeks are left for ``risk_history``."""
        from deskterm.services.report import summaries_of, team_report

        now = self.clock()
        with self._lock:
            loaded = self._queue is not None or len(self._table) > 0
            summaries = (
                summaries_of(self._table, now=now, settings=self.settings) if loaded else None
            )
        return team_report(
            self.desk,
            now_fn=lambda: now,
            tz=self.tz,
            settings=self.settings,
            summaries=summaries,
            history=history,
        )

    def risk_history(self, now: datetime) -> tuple[WeekRisk, ...]:
        """People at risk at the end of each of the last 12 weeks (slower: seconds at
        100,000 people, so the team view draws it last)."""
        from deskterm.services.report import risk_history

        return risk_history(self.desk, now=now, tz=self.tz, settings=self.settings)

    # -- staying current --------------------------------------------------------------
    def sync(self) -> ChangeBatch:
        """Apply everything changed in the database (by anyone) since the last sync.

        Serialised: two workers syncing at once would otherwise read summaries in one
        order and store them in the other, leaving an older row in place of a newer one.
        A batch read from the feed whose summaries could not be (the database went away
        in between) is applied with the next sync, not lost.
        """
        with self._sync_lock:
            batch = self.desk.poll_changes()
            if self._unapplied is not None:
                batch = _then(self._unapplied, batch)
            if batch:
                try:
                    self.apply(batch)
                except DeskError:
                    self._unapplied = batch
                    raise
            self._unapplied = None
            return batch

    def apply(self, batch: ChangeBatch) -> None:
        """Reload the changed people's summaries; forget the erased ones."""
        rows = self.desk.summary_rows(sorted(batch.changed)) if batch.changed else []
        with self._lock:
            for pid in batch.erased:
                self._table.remove(pid)
            for row in rows:
                self._table.upsert(Summary(*row))
            self._queue = None
        self._refresh_index(set(batch.changed) | set(batch.erased))

    def _refresh_index(self, ids: Iterable[int]) -> None:
        ids = set(ids)
        with self._lock:
            if self._index_building:
                self._index_stale |= ids
                return
            if self._index is None or not ids:
                return
        found = {r[0]: r for r in self.desk.search_rows(sorted(ids))}
        with self._lock:
            for pid in ids:
                if pid in found:
                    self._index.upsert(search_doc(found[pid]))
                else:
                    self._index.remove(pid)


class _Preload:
    """The queue (or the error) of a ``load`` started early, once ``done`` is set."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.queue: Queue | None = None
        self.error: BaseException | None = None


def _give_back_memory() -> None:
    """Return the index build's scratch memory to the system (glibc keeps it otherwise).

    Building the index at 100,000 people peaks some 250 MB above what the index keeps;
    without this the desk stays that large for as long as it runs.
    """
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, musl, Windows): nothing to do
        pass


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[Any]:
    if not rows:
        return [[] for _ in range(width)]
    return [list(col) for col in zip(*rows, strict=True)]
