"""What every import format shares: rows with their line numbers, decoding, detection.

A parser turns a file into ``Parsed``: one ``Row`` per record, each with the physical
line it starts on (the header is line 1), its original text (for the rejected file),
the person to insert when it is good, and its problems ("field: reason") when it is not.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from deskterm.errors import InvalidInput
from deskterm.services.bulk import NewPerson, PlainPerson

FORMATS = ("csv", "jsonl", "json")
_EXTENSIONS = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}

Progress = Callable[[int], None]


@dataclass(slots=True)
class Row:
    """One record of an import file."""

    line: int
    raw: str
    person: NewPerson | PlainPerson | None = None
    email: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.person is not None and not self.problems


@dataclass(slots=True)
class Parsed:
    """A whole import file, checked but not stored."""

    source: str
    kind: str  # one of FORMATS
    rows: list[Row]
    header: str = ""  # the CSV header line(s) as written, for the rejected file
    warnings: list[str] = field(default_factory=list)
    # (good, bad) once every check is done (``settle``): the import asks for them a
    # handful of times, and each pass over 100,000 rows cost 20 ms.
    _split: tuple[list[Row], list[Row]] | None = field(default=None, repr=False)

    @property
    def good(self) -> list[Row]:
        return self._split[0] if self._split else self._partition()[0]

    @property
    def bad(self) -> list[Row]:
        return self._split[1] if self._split else self._partition()[1]

    def settle(self) -> None:
        """Every row is checked (no problem will be added): good and bad are fixed."""
        self._split = self._partition()

    def _partition(self) -> tuple[list[Row], list[Row]]:
        good: list[Row] = []
        bad: list[Row] = []
        for row in self.rows:  # ``Row.ok`` written out
            (good if row.person is not None and not row.problems else bad).append(row)
        return good, bad


@contextmanager
def few_collections() -> Iterator[None]:
    """Hold off the cyclic garbage collector while an import reads, checks and stores
    its rows.

    Each row is a handful of small objects with no cycles (freed by reference count);
    at 100,000 rows the collector's passes over them, each longer than the last, took
    half the time of reading the file, and most of reading the change feed back. The
    objects still alive at the end are moved out of its sight (``gc.freeze``): else
    its first pass afterwards went over every row once more (0.3 s at 100,000).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def read_text(path: Path, source: str) -> str:
    """The file as text, or InvalidInput naming the file (and where it is not UTF-8)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"{source}: no such file") from None
    except IsADirectoryError:
        raise InvalidInput(f"{source}: is a folder, not a file") from None
    except OSError as exc:
        raise InvalidInput(f"{source}: cannot read: {exc.strerror or exc}") from None
    return decode(data, source)


def decode(data: bytes, source: str) -> str:
    """UTF-8 text (a leading BOM dropped); InvalidInput with the line and byte offset."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise InvalidInput(
            f"{source}:{line}: not UTF-8 text (byte 0x{bad} at offset {exc.start}); "
            "save the file as UTF-8 and try again"
        ) from None
    return text.removeprefix("\ufeff")


def physical_lines(text: str) -> list[str]:
    """The lines of ``text``, each with its ending (LF, CRLF or CR), as csv reads them."""
    return list(io.StringIO(text, newline=""))


def detect_format(path: Path, text: str) -> str:
    """ "csv", "jsonl" or "json" (an array), from the extension and the first character."""
    first = text.lstrip()[:1]
    kind = _EXTENSIONS.get(path.suffix.lower())
    if kind:
        return kind
    if first == "[":
        return "json"
    if first == "{" or path.suffix.lower() == ".json":
        return "jsonl"
    return "csv"


def check_emails(rows: Iterable[Row], taken: Callable[[list[str]], set[str]]) -> None:
    """Mark rows whose email repeats an earlier row or is already in the database."""
    first: dict[str, int] = {}
    candidates: list[Row] = []
    for row in rows:
        if row.person is None or not row.email:
            continue
        if row.email in first:
            row.problems.append(f"email: {row.email} is also on line {first[row.email]}")
            continue
        first[row.email] = row.line
        candidates.append(row)
    stored = taken(list(first))
    for row in candidates:
        if row.email in stored:
            row.problems.append(f"email: {row.email} is already in the database")


def stored_emails(engine: object) -> Callable[[list[str]], set[str]]:
    """A lookup of which of some emails the database already holds.

    One query per 50,000 emails, the list passed as a single parameter (a JSON array
    on SQLite, an array on PostgreSQL): 500-email ``IN`` lists took seconds at 100,000.
    """
    import json

    def lookup(emails: list[str]) -> set[str]:
        found: set[str] = set()
        with engine.connect() as conn:  # type: ignore[attr-defined]
            pg = conn.dialect.name == "postgresql"
            sql = (
                "SELECT email FROM person WHERE email = ANY(%s)"
                if pg
                else "SELECT email FROM person WHERE email IN (SELECT value FROM json_each(?))"
            )
            for start in range(0, len(emails), 50_000):
                chunk = emails[start : start + 50_000]
                param = chunk if pg else json.dumps(chunk, ensure_ascii=False)
                found.update(r[0] for r in conn.exec_driver_sql(sql, (param,)))
        return found

    return lookup


def clean_fields(values: dict[str, object]) -> tuple[dict[str, object] | None, list[str]]:
    """Cleaned profile fields, or None and one "field: reason" per bad field."""
    from deskterm.services import validate as v

    try:
        return v.clean_profile(values), []
    except InvalidInput:
        pass
    problems: list[str] = []
    if "name" not in values:
        problems.append("name: a person needs a name")
    for name, value in values.items():
        try:
            v.clean_profile({name: value}, partial=True)
        except InvalidInput as exc:
            problems.append(str(exc))
    return None, problems or ["row: not a valid person"]
