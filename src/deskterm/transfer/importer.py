"""Import in three steps: read and check the file, check it against the database, save.

Nothing is written until every row has been checked; saving is one transaction
(``bulk_insert``), so an import is stored whole or not at all.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from deskterm.errors import InvalidInput
from deskterm.services.bulk import BulkResult, bulk_insert
from deskterm.transfer.common import (
    Parsed,
    Progress,
    check_emails,
    detect_format,
    few_collections,
    read_text,
    stored_emails,
)
from deskterm.transfer.csv_import import parse_csv
from deskterm.transfer.json_import import parse_json_array, parse_jsonl

PARSERS = {"csv": parse_csv, "jsonl": parse_jsonl, "json": parse_json_array}


def read_import(
    path: Path, *, agent: str, now: datetime, source: str = "", on_row: Progress | None = None
) -> Parsed:
    """Every row of the file at ``path``, checked on its own (not yet against the database)."""
    source = source or str(path)
    text = read_text(path, source)
    if not text.strip():
        raise InvalidInput(f"{source}: the file is empty: nothing to import")
    parser = PARSERS[detect_format(path, text)]
    with few_collections():
        return parser(text, source, agent=agent, now=now, origin=path.name, on_row=on_row)


def check_against(engine: Engine, parsed: Parsed) -> None:
    """Mark rows whose email repeats within the file or is already stored (the last
    check: ``parsed``'s good and bad rows are settled)."""
    with few_collections():
        check_emails(parsed.rows, stored_emails(engine))
        parsed.settle()


def save(
    engine: Engine,
    parsed: Parsed,
    *,
    agent: str,
    now: datetime,
    on_progress: Progress | None = None,
) -> BulkResult:
    """Store every good row in one transaction and bring the saved search index and
    queue up to date (from the rows while they are stored), so the next desk (or
    ``deskterm search``) opens them current."""
    from deskterm.transfer.import_index import ImportIndex

    people = [row.person for row in parsed.good if row.person is not None]
    search = ImportIndex(engine, agent, now)
    with few_collections():  # the collector would rescan every row's objects, again and again
        search.start(people)
        try:
            result = bulk_insert(
                engine,
                people,
                agent=agent,
                now=now,
                derive_entries=False,
                on_progress=on_progress,
                profiles_clean=True,  # every row went through clean_fields when it was read
                on_person_rows=search.stored,
            )
        except BaseException:
            search.discard()
            raise
        search.finish(result.changes)
    return result


def refresh_search_index(engine: Engine, agent: str) -> None:
    """Catch the saved search index up with the change feed now (or build it); a failure
    here is not the import's: the next desk builds the index itself."""
    from deskterm.transfer.import_index import refresh

    refresh(engine, agent)
