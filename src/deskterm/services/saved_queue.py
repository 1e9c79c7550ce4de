"""Everyone's attention summary kept in a file, so a desk shows its queue without
reading every person from the database.

Reading a million people's summaries (13 columns each) into Python takes seconds; the
file holds the same columns as arrays (with the names and their sort ranks) and the
change-feed position it is current to. ``open`` reads it (an uncompressed ``.npz``:
every member's CRC-32 is checked), checks its format, the schema revision and that it
belongs to this database, catches it up with the feed like the search index
(``SavedIndex.changes_since``) and checks the result against the database's largest
id (and, after the first frame, ``holds_everyone``: its count). Anything wrong, too
old or too far behind: None, and the caller reads everyone and ``save``s the file for
the next start.

Where: beside the search index (``desk.db`` → ``desk.db.queue``; for PostgreSQL in the
user's cache folder, named by the database's URL). Written to a temporary file and
renamed over, so another desk reads the old file or the new one, never half of one.
"""

from __future__ import annotations

import json
import os
import struct
import zlib
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from deskterm.attention.table import NONE, TIME_FIELDS, Summary, SummaryTable
from deskterm.models import Person
from deskterm.services.reads import Reads
from deskterm.services.saved_index import REBUILD_SHARE, SavedIndex, index_path
from deskterm.storage.faults import describe

__all__ = ["RESAVE_AFTER", "PendingImport", "SavedQueue"]

FORMAT = 1  # bump when the layout or the meaning of a column changes: old files are ignored
MAGIC = b"DTQUEUE\n"
_HEAD = struct.Struct("<8sIIIQI")  # magic, format, metadata length and CRC, body length, CRC
RESAVE_AFTER = 200  # changes caught up on open worth writing the file again for
_SEPARATOR = "\0"  # between names in the saved text (a name holding one is not saved)


class SavedQueue:
    """Load, catch up and save the summary file of one database."""

    def __init__(self, reads: Reads, path: Path | None) -> None:
        self.reads = reads
        self.path = path
        self.problem = ""  # why the file was not used, for tests and benchmarks
        self.caught_up = 0  # changes applied on open (worth saving again when many)

    @classmethod
    def of(cls, reads: Reads) -> SavedQueue:
        search = index_path(reads.engine)
        return cls(reads, None if search is None else search.with_suffix(".queue"))

    def open(self) -> SummaryTable | None:
        """The saved summaries brought up to date with the database, or None."""
        if self.path is None:
            self.problem = "no file for an in-memory database"
            return None
        try:
            meta, table = _read(self.path)
        except FileNotFoundError:
            self.problem = "no saved queue yet"
            return None
        except Exception as exc:  # never trust the file: whatever it holds, read anew
            self.problem = f"unreadable: {type(exc).__name__}: {exc}"
            return None
        if meta.get("revision") != _revision(self.reads):
            self.problem = "of another schema revision"
            return None
        return self._caught_up(table, meta["seq"], frozenset(meta["seen"]))

    def _caught_up(
        self,
        table: SummaryTable,
        seq: int,
        seen: frozenset[int],
        fresh: PendingImport | None = None,
    ) -> SummaryTable | None:
        """``table``, current to feed position ``seq``, brought up to date (None: too
        far behind, or not this database's). ``fresh``'s people are in it already: those
        whose one change since is the import's are not read back."""
        feed = SavedIndex.of(self.reads).changes_since(seq, seen)
        if feed.top < seq:
            self.problem = "the database's change feed is behind the file (another database?)"
            return None
        stale = set(feed.changed)
        if fresh is not None:
            low, high = fresh.changes
            stale -= {p for p in stale.intersection(fresh.ids) if low < feed.last[p] <= high}
        if len(stale) > REBUILD_SHARE * len(table) + 1000:
            self.problem = f"{len(stale):,} people changed since it was saved"
            return None
        rows = self.reads.summary_rows(sorted(stale)) if stale else []
        for pid in feed.erased | (stale - {r[0] for r in rows}):
            table.remove(pid)
        for row in rows:
            table.upsert(Summary(*row))
        top_id = self.reads._run(lambda s: s.execute(select(func.max(Person.id))).one()[0])
        if (top_id or 0) != table.max_id():
            self.problem = f"its largest person id is {table.max_id()}, the database's {top_id}"
            return None
        self.caught_up = feed.new
        self.seq, self.seen = feed.top, feed.seen
        return table

    def holds_everyone(self, table: SummaryTable) -> bool:
        """True if ``table`` has as many people as the database (counting a million
        takes a while: the desk asks after its first frame, not before)."""
        count = self.reads._run(lambda s: s.execute(select(func.count(Person.id))).one()[0])
        if count != len(table):
            self.problem = f"holds {len(table):,} people, the database {count:,}"
        return count == len(table)

    def position(self) -> tuple[int, frozenset[int]]:
        """The feed position now: read it before reading the summaries to save."""
        return SavedIndex.of(self.reads).position()

    def before_import(self) -> PendingImport:
        """Everyone's summaries now (the file caught up, or everyone read from the
        database), to which an import's people are ``added`` and which ``save_import``
        saves once it is committed. Meant for before the import, but right after its
        commit works too (its people are then read, as stored and perhaps changed)."""
        table = self.open()
        if table is None:
            seq, seen = self.position()
            table = SummaryTable.from_columns(*_columns(self.reads.summary_rows()))
        else:
            seq, seen = self.seq, self.seen
        return PendingImport(table, seq, seen)

    def save_import(self, pending: PendingImport, changes: tuple[int, int]) -> bool:
        """After the import's commit (its changes have ids above ``changes[0]``, at
        most ``changes[1]``): ``pending`` caught up with the feed — an imported person
        changed by someone since read back — and saved; False if it was not."""
        pending.changes = changes
        table = self._caught_up(pending.table, pending.seq, pending.seen, pending)
        return table is not None and self.save(table.arrays(), self.seq, self.seen)

    def save(self, arrays: dict[str, Any], seq: int, seen: frozenset[int]) -> bool:
        """Write a table's ``arrays()`` as current up to feed position ``seq`` (and the
        ``seen`` ids below it); False when it cannot be written (a read-only folder, a
        full disk, a name holding the separator): the desk goes on and reads everyone
        next time."""
        if self.path is None:
            return False
        arrays = dict(arrays)
        names = arrays.pop("names")
        text = _SEPARATOR.join(names)
        if text.count(_SEPARATOR) != max(len(names) - 1, 0):
            self.problem = "a name holds the separator"
            return False
        try:
            revision = _revision(self.reads)
        except DBAPIError as exc:  # the database went away after the first frame
            self.problem = f"cannot read the schema revision: {describe(exc)}"
            return False
        meta = {
            "revision": revision,
            "seq": int(seq),
            "seen": sorted(seen),
            "owners": arrays.pop("owner_names"),
        }
        part = self.path.with_name(f"{self.path.name}.{os.getpid()}.part")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with part.open("wb") as out:
                _write(out, meta, {"names": text.encode("utf-8", "surrogatepass"), **arrays})
            os.replace(part, self.path)
        except OSError as exc:
            self.problem = f"cannot save {self.path}: {exc.strerror or exc}"
            part.unlink(missing_ok=True)
            return False
        return True


@dataclass(slots=True)
class PendingImport:
    """Everyone's summaries with an import's people (``ids``) added, current to feed
    position ``seq`` but for the import, whose changes are in ``changes``."""

    table: SummaryTable
    seq: int
    seen: frozenset[int]
    ids: list[int] = field(default_factory=list)
    changes: tuple[int, int] = (0, 0)

    def add(self, rows: list[tuple[Any, ...]]) -> None:
        """The people an import is storing (``rows``: their ``summary_rows`` tuples),
        added at once, their names ranked (not left for after the commit)."""
        self.table = _with_rows(self.table, rows)
        self.table.columns()
        self.ids += [row[0] for row in rows]


def _columns(rows: list[tuple[Any, ...]]) -> list[Any]:
    """``summary_rows`` tuples as the columns ``SummaryTable.from_columns`` takes."""
    return [list(map(itemgetter(at), rows)) for at in range(_WIDTH)]  # zip(*rows): slower


def _with_rows(table: SummaryTable, rows: list[tuple[Any, ...]]) -> SummaryTable:
    """``table`` and the people of ``rows`` it does not hold in one table, built at
    once. (It holds them when it was read after the import's commit: then it has them
    as stored, and perhaps as changed since.)"""
    if len(table):
        rows = [row for row in rows if row[0] not in table]
    if not rows:
        return table
    added = _columns(rows)
    if not len(table):
        return SummaryTable.from_columns(*added)
    old = table.arrays()
    names = old["owner_names"]
    times = dict(zip(TIME_FIELDS, old["times"], strict=True))
    held = [
        old["ids"],
        old["names"],
        old["level"],
        *(times[f] for f in TIME_FIELDS[:2]),
        old["open"],
        *(times[f] for f in TIME_FIELDS[2:]),
    ]
    held.insert(11, [names[code] for code in old["owner"].tolist()])  # before waiting_since
    joined = [
        was + new if isinstance(was, list) else np.concatenate([was, _ints(new)])
        for was, new in zip(held, added, strict=True)
    ]
    return SummaryTable.from_columns(*joined)


def _ints(values: list[Any]) -> np.ndarray:
    """An int64 column, NONE for a missing value."""
    return np.array([NONE if v is None else v for v in values], np.int64)


_WIDTH = 13  # columns of a ``summary_rows`` tuple


def _write(out: BinaryIO, meta: dict[str, Any], arrays: dict[str, Any]) -> None:
    """Header, metadata (JSON: where each array lies, its type and shape) and the body,
    each array 64-byte aligned; the header is written last, with the body's CRC."""
    parts = [v if isinstance(v, bytes) else np.ascontiguousarray(v) for v in arrays.values()]
    where: dict[str, Any] = {}
    at = 0
    for name, data in zip(arrays, parts, strict=True):
        at += -at % 64
        shape = [len(data)] if isinstance(data, bytes) else list(data.shape)
        where[name] = [at, "bytes" if isinstance(data, bytes) else data.dtype.str, shape]
        at += len(data) if isinstance(data, bytes) else data.nbytes
    head = json.dumps({**meta, "arrays": where}).encode()
    out.write(b"\0" * _HEAD.size)
    out.write(head)
    crc, written = 0, 0
    for data in parts:
        for chunk in (b"\0" * (-written % 64), memoryview(data).cast("B")):
            crc = zlib.crc32(chunk, crc)
            out.write(chunk)
            written += len(chunk)
    out.seek(0)
    out.write(_HEAD.pack(MAGIC, FORMAT, len(head), zlib.crc32(head), written, crc))


def _read(path: Path) -> tuple[dict[str, Any], SummaryTable]:
    """The file's metadata and table; ValueError for anything but a whole file."""
    with path.open("rb") as f:
        magic, version, head_len, head_crc, body_len, body_crc = _HEAD.unpack(f.read(_HEAD.size))
        if magic != MAGIC or version != FORMAT:
            raise ValueError("not a saved queue of this format")
        head = f.read(head_len)
        body = bytearray(body_len)  # the arrays below are views of it, writable: no copies
        if f.readinto(body) != body_len or f.read(1) or len(head) != head_len:
            raise ValueError("the file is cut short or too long")
    if zlib.crc32(head) != head_crc or zlib.crc32(body) != body_crc:
        raise ValueError("the checksum does not match")
    meta = json.loads(head)
    columns: dict[str, Any] = {}
    for name, (at, kind, shape) in meta["arrays"].items():
        if kind == "bytes":
            if at + shape[0] > body_len:
                raise ValueError(f"{name} lies outside the file")
            columns[name] = bytes(memoryview(body)[at : at + shape[0]])
        else:  # frombuffer checks the bounds
            columns[name] = np.frombuffer(body, np.dtype(kind), int(np.prod(shape)), at)
            columns[name] = columns[name].reshape(shape)
    n = len(columns["ids"])
    text = columns.pop("names").decode("utf-8", "surrogatepass")
    names = text.split(_SEPARATOR) if n else []
    if len(names) != n:
        raise ValueError(f"{len(names)} names for {n} people")
    table = SummaryTable.from_arrays(names=names, owner_names=meta["owners"], **columns)
    return meta, table


def _revision(reads: Reads) -> str | None:
    from deskterm.storage.migrate import current_revision

    return current_revision(reads.engine)
