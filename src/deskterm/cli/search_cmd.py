"""``search``: the desk's people search for scripts (a phone system looking up a caller)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING

from deskterm.cli.context import Context
from deskterm.cli.parser import command
from deskterm.cli.safe import shown
from deskterm.errors import InvalidInput

if TYPE_CHECKING:
    from deskterm.services.people_search import PeopleSearch

DEFAULT_LIMIT = 10


def register(sub: argparse._SubParsersAction) -> None:
    p = command(
        sub,
        "search",
        search,
        summary="find people as the desk's search does (for scripts)",
        description="Print the best matches for QUERY, best first, with the desk's own index "
        "and ranking (typos, abbreviations, other scripts typed in Latin letters, nicknames): "
        "one person per line, id, name, email and company separated by tabs, or with --json "
        "one JSON object per line. With --stdin, read one query per line; with --json each "
        'query prints one line {"query": …, "total": N, "people": [{"id", "name", "email", '
        '"company"}]}, without it each person line starts with the query.',
        examples=[
            'deskterm search "margo fair"',
            "deskterm search +15550199 --limit 1 --json",
            "printf 'bob smith\\nmrg frwthr\\n' | deskterm search --stdin --json",
        ],
    )
    p.add_argument("query", metavar="QUERY", nargs="?", help="what an agent would type")
    p.add_argument("--stdin", action="store_true", help="read one query per line from stdin")
    p.add_argument(
        "--limit", metavar="N", type=int, default=DEFAULT_LIMIT,
        help=f"at most N people per query (default {DEFAULT_LIMIT})",
    )  # fmt: skip
    p.add_argument("--json", action="store_true", help="JSON Lines instead of tab-separated")


def _check(args: argparse.Namespace) -> None:
    if args.stdin and args.query is not None:
        raise InvalidInput("search: give a QUERY or --stdin, not both")
    if not args.stdin and (args.query is None or not args.query.strip()):
        raise InvalidInput("search: the query is empty (give a QUERY, or --stdin)")
    if args.limit < 1:
        raise InvalidInput(f"search: --limit must be 1 or more, not {args.limit}")


def search(ctx: Context) -> int:
    # The search uses no BLAS: one OpenBLAS thread instead of one per core makes
    # importing numpy some 40 ms of CPU cheaper (set before numpy is first imported).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from deskterm.services.people_search import PeopleSearch
    from deskterm.services.plain_reads import PlainReads

    args = ctx.args
    _check(args)
    settings = ctx.settings()
    db = settings.database
    plain = PlainReads.open(db.url, busy_timeout_ms=db.busy_timeout_ms)  # None: the usual way
    try:
        return _answer(PeopleSearch(plain or ctx.desk(), settings), args)
    finally:
        if plain is not None:
            plain.close()


def _answer(finder: PeopleSearch, args: argparse.Namespace) -> int:
    out = sys.stdout
    if not args.stdin:
        found = finder.search(args.query, limit=args.limit)
        for hit in found.people:
            out.write(_line(hit.as_json(), args.json) + "\n")
        return 0
    for raw in sys.stdin:
        query = raw.rstrip("\r\n")
        found = finder.search(query, limit=args.limit) if query.strip() else None
        if args.json:
            record = found.as_json() if found else {"query": query, "total": 0, "people": []}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif found:
            for hit in found.people:
                out.write(_cells([query, *hit.as_json().values()]) + "\n")
        out.flush()
    return 0


def _line(person: dict[str, object], as_json: bool) -> str:
    if as_json:
        return json.dumps(person, ensure_ascii=False)
    return _cells(list(person.values()))


def _cells(values: list[object]) -> str:
    """Tab-separated, each cell shown safely (controls visible, no tab or line break)."""
    return "\t".join(shown("" if v is None else str(v).replace("\t", " ")) for v in values)
