"""Read people from a CSV file with a header row.

Known columns are the profile fields (``name`` is required; ``email``, ``company``,
``phone``, ``tags``, ``internal``, ``pace``, ``channel``, ``language``, ``timezone``,
``matters``) and ``notes``, which becomes a note on the person's timeline. Other columns
are reported as a warning and ignored. Quoted fields may span lines; every row keeps the
physical line it starts on, so errors point at the right place.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import datetime
from operator import itemgetter

from deskterm.errors import InvalidInput
from deskterm.services import validate as v
from deskterm.services.bulk import PlainPerson, plain_profile
from deskterm.services.views import PROFILE_FIELDS
from deskterm.transfer.common import Parsed, Progress, Row, clean_fields, physical_lines

COLUMNS = (*PROFILE_FIELDS, "notes")
EXPECTED = "name,email,company,phone,tags,notes"


def parse_csv(
    text: str,
    source: str,
    *,
    agent: str,
    now: datetime,
    origin: str = "",
    on_row: Progress | None = None,
) -> Parsed:
    """Every row of the file, checked; InvalidInput only when the file as a whole is unusable.

    Each good row is a ``PlainPerson``: stored as created by the saving agent at its
    "now" (``agent`` and ``now`` are those of the other formats' parsers)."""
    lines = physical_lines(text)
    reader = csv.reader(lines, dialect=_dialect(lines))
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)  # blank lines before the header
    except csv.Error as exc:
        raise InvalidInput(f"{source}:{reader.line_num}: csv: {exc}") from None
    if header is None:
        raise InvalidInput(f"{source}: the file is empty (expected a header row: {EXPECTED})")
    header_end = reader.line_num
    columns, warnings = _columns(header, source, header_end)
    parsed = Parsed(source, "csv", [], header="".join(lines[:header_end]), warnings=warnings)
    make = _row_maker(columns, len(header), origin or source)
    rows = parsed.rows
    previous = header_end
    try:
        for cells in reader:
            start, previous = previous + 1, reader.line_num
            if not "".join(cells).strip():
                continue  # a blank line or a row of empty cells
            raw = lines[start - 1] if start == previous else "".join(lines[start - 1 : previous])
            rows.append(make(cells, start, raw))
            if on_row and len(rows) % 1000 == 0:
                on_row(len(rows))
    except csv.Error as exc:
        raise InvalidInput(f"{source}:{reader.line_num}: csv: {exc}") from None
    if parsed.rows and previous >= len(lines) and _unclosed(parsed.rows[-1].raw, reader):
        # A quote that never closes swallows every line after it into one field.
        parsed.rows[-1].problems.insert(0, "quote: a quoted field opened here is never closed")
        parsed.rows[-1].person = None
    return parsed


def _unclosed(raw: str, reader: object) -> bool:
    """True if the file's last row ends inside a quoted field."""
    dialect = getattr(reader, "dialect", csv.excel)
    try:
        for _ in csv.reader(raw.splitlines(keepends=True), dialect, strict=True):
            pass
    except csv.Error as exc:
        return "end of data" in str(exc)
    return False


def _dialect(lines: list[str]) -> type[csv.Dialect]:
    """Comma-separated, unless the header clearly uses tabs or semicolons."""
    head = lines[0] if lines else ""
    if "," not in head:
        if "\t" in head:
            return csv.excel_tab
        if ";" in head:
            return _Semicolon
    return csv.excel


class _Semicolon(csv.excel):
    delimiter = ";"


def _columns(header: list[str], source: str, line: int) -> tuple[dict[str, int], list[str]]:
    """Known column name → index, and the warnings about unknown columns."""
    columns: dict[str, int] = {}
    unknown: list[str] = []
    for index, cell in enumerate(header):
        name = cell.strip().lower()
        if name in COLUMNS:
            if name in columns:
                raise InvalidInput(f"{source}:{line}: header: column {name!r} appears twice")
            columns[name] = index
        else:
            unknown.append(repr(cell.strip()) if cell.strip() else f"(unnamed column {index + 1})")
    if "name" not in columns:
        raise InvalidInput(
            f"{source}:{line}: header: no 'name' column (expected columns {EXPECTED})"
        )
    warnings = []
    if unknown:
        warnings.append(
            f"{source}:{line}: warning: unknown column(s) ignored: {', '.join(unknown)} "
            f"(known: {', '.join(COLUMNS)})"
        )
    return columns, warnings


def _row_maker(
    columns: dict[str, int], width: int, origin: str
) -> Callable[[list[str], int, str], Row]:
    """Rows of one file, each good one a ``PlainPerson`` ready to store: the usual row
    (every column there, plain values) on a quick path; any other row, or one with a
    problem, through ``_row``, which finds and words every problem."""
    profile = [(name, at) for name, at in columns.items() if name != "notes"]
    places = [at for _, at in profile]
    values = itemgetter(*places) if len(places) > 1 else lambda c: (c[places[0]],)
    clean = v.text_row_cleaner([name for name, _ in profile])
    notes_at = columns.get("notes", -1)
    needed = max(columns.values()) + 1
    created = f"imported from {origin}"

    def make(cells: list[str], line: int, raw: str) -> Row:
        if needed <= len(cells) <= width:
            notes = cells[notes_at].strip() if notes_at >= 0 else ""
            try:
                profile = clean(values(cells)) if len(notes) <= v.MAX_TEXT else None
            except InvalidInput:
                profile = None
            if profile is not None:
                person = PlainPerson(plain_profile(profile), notes, created)
                return Row(line, raw, person, profile.get("email"))
        return _row(cells, columns, width, line, raw, created)

    return make


def _row(
    cells: list[str],
    columns: dict[str, int],
    width: int,
    line: int,
    raw: str,
    created: str,
) -> Row:
    row = Row(line, raw)
    if any(cell.strip() for cell in cells[width:]):
        row.problems.append(f"columns: {len(cells)} fields, but the header has {width}")
    values = {name: cells[index] for name, index in columns.items() if index < len(cells)}
    notes = (values.pop("notes", "") or "").strip()
    profile, problems = clean_fields(values)
    row.problems += problems
    if len(notes) > 20_000:
        row.problems.append(f"notes: too long ({len(notes)} characters, at most 20000)")
    if profile is None or row.problems:
        return row
    row.person = PlainPerson(plain_profile(profile), notes, created)
    row.email = profile.get("email")  # type: ignore[assignment]
    return row
