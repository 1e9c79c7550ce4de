"""The import report: one line per problem, the rejected-rows and errors files, the summary.

At most ``SHOWN_BAD_ROWS`` bad rows are printed; when there are more, every problem of
every bad row goes to an errors file (``people.csv.errors.txt`` next to the input, or
``--errors FILE``) that the last printed line names.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from deskterm.services.bulk import BulkResult
from deskterm.transfer.common import Parsed

SHOWN_BAD_ROWS = 20


def problem_lines(parsed: Parsed, rows: int | None = None) -> Iterator[str]:
    """``FILE:LINE: field: reason`` for every problem of the first ``rows`` bad rows
    (all of them when None), in file order."""
    for row in parsed.bad[:rows]:
        for problem in row.problems or ["row: not a valid person"]:
            yield f"{parsed.source}:{row.line}: {problem}"


def errors_path(path: Path) -> Path:
    """The default errors file next to the input: ``people.csv.errors.txt``."""
    return path.with_name(path.name + ".errors.txt")


def write_errors(path: Path, parsed: Parsed) -> None:
    """Every problem of every bad row, one per line, UTF-8 (OSError is left to the caller)."""
    path.write_bytes("".join(f"{line}\n" for line in problem_lines(parsed)).encode("utf-8"))


def more_line(parsed: Parsed, errors: Path | None, failure: str = "") -> str:
    """``…and N more bad rows; all M with their reasons in FILE`` after the shown ones."""
    bad = len(parsed.bad)
    more = bad - SHOWN_BAD_ROWS
    line = f"…and {more:,} more bad row{'s' if more != 1 else ''}"
    if errors is not None and not failure:
        return f"{line}; all {bad:,} with their reasons in {errors}"
    return f"{line} (cannot write them to {errors}: {failure})" if errors else line


def rejected_path(path: Path, parsed: Parsed) -> Path:
    """The default rejected file next to the input: ``people.rejected.csv`` / ``.jsonl``."""
    suffix = ".rejected.csv" if parsed.kind == "csv" else ".rejected.jsonl"
    return path.with_name(path.stem + suffix) if path.suffix else path.with_name(path.name + suffix)


def rejected_text(parsed: Parsed) -> str:
    """The bad rows exactly as written (after the header, for CSV), in the input's format."""
    parts = [_ended(parsed.header)] if parsed.kind == "csv" else []
    parts += [_ended(row.raw) for row in parsed.bad]
    return "".join(parts)


def write_rejected(path: Path, parsed: Parsed) -> None:
    """Write the rejected rows as UTF-8 (OSError is left to the caller)."""
    path.write_bytes(rejected_text(parsed).encode("utf-8"))


def _ended(text: str) -> str:
    return text if not text or text.endswith(("\n", "\r")) else text + "\n"


def summary_line(result: BulkResult, parsed: Parsed, skipped: int, rejected: Path | None) -> str:
    """``imported 1,234 people (56 notes) from FILE`` and what was skipped."""
    people = f"{result.people:,} {'person' if result.people == 1 else 'people'}"
    if parsed.kind == "csv":
        notes = result.entries - result.people  # each row: "created", and its note if any
        detail = f"{notes:,} note{'s' if notes != 1 else ''}"
    else:
        detail = (
            f"{result.entries:,} entries, {result.follow_ups:,} follow-ups, {result.moods:,} moods"
        )
    line = f"imported {people} ({detail}) from {parsed.source}"
    if skipped:
        where = f"; written to {rejected}" if rejected else ""
        line += f"; skipped {skipped:,} bad row{'s' if skipped != 1 else ''}{where}"
    return line
