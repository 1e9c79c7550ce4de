"""``import FILE`` and ``export``: people and their history in and out."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from deskterm.cli.context import Context
from deskterm.cli.logging_cmds import PERSON_HELP
from deskterm.cli.parser import command
from deskterm.cli.progress import ImportProgress
from deskterm.cli.safe import say, warn
from deskterm.errors import DeskError, InvalidInput

if TYPE_CHECKING:
    from deskterm.transfer.common import Parsed


def register(sub: argparse._SubParsersAction) -> None:
    p = command(
        sub,
        "import",
        do_import,
        summary="import people from CSV, JSON Lines or a JSON array",
        description="Import people from FILE: a CSV with a header row (name required; email, "
        "company, phone, tags, notes, internal, pace, channel, language, timezone, matters "
        "optional; other columns are reported and ignored), or JSON Lines / a JSON array in "
        "the export format. Every bad row is reported as FILE:LINE: field: reason; past 20 bad "
        "rows the rest are counted, and all of them with their reasons are written to "
        "FILE.errors.txt (or --errors). By default nothing is imported when any row is bad; "
        "with --skip-invalid the good rows are imported and the bad ones are written, as "
        "they were, to a rejected file.",
        examples=[
            "deskterm import people.csv",
            "deskterm import people.csv --skip-invalid",
            "deskterm import people.csv --skip-invalid --rejected fix-me.csv",
            "deskterm import people.csv --errors why.txt",
            "deskterm import backup.jsonl",
        ],
    )
    p.add_argument("file", metavar="FILE", help="a .csv, .jsonl or .json file (UTF-8)")
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help="import the good rows and write the bad ones to the rejected file",
    )
    p.add_argument(
        "--rejected",
        metavar="FILE",
        help="where --skip-invalid writes the bad rows (default: FILE.rejected.csv or "
        ".rejected.jsonl next to the input)",
    )
    p.add_argument(
        "--errors",
        metavar="REPORT",
        help="write every bad row's line and reasons here (default, when more than 20 rows "
        "are bad: FILE.errors.txt next to the input)",
    )

    p = command(
        sub,
        "export",
        do_export,
        summary="export everyone (or one person) as JSON Lines",
        description="Write one JSON object per person, with their mood, follow-ups and "
        "timeline, times in ISO 8601 with an offset. Text is written exactly as stored "
        "(UTF-8). The output can be imported again with deskterm import.",
        examples=[
            "deskterm export --out all.jsonl",
            "deskterm export --person margo@fairweather.example",
            "deskterm export --person 17 | jq .entries",
        ],
    )
    p.add_argument("--person", metavar="ID_OR_EMAIL", help=f"only this person: {PERSON_HELP}")
    p.add_argument("--out", metavar="FILE", help="write here (atomically) instead of stdout")


def do_import(ctx: Context) -> int:
    from deskterm.clock import utcnow
    from deskterm.transfer import importer, report

    settings = ctx.settings()
    source, path = ctx.args.file, Path(ctx.args.file)
    agent, now = settings.agent.name, utcnow()
    with ImportProgress(f"checking {source}") as progress:
        parsed = importer.read_import(
            path, agent=agent, now=now, source=source, on_row=progress.update
        )
    engine = ctx.engine()
    importer.check_against(engine, parsed)
    for line in parsed.warnings:
        warn(line)
    _report_problems(ctx, path, parsed)
    bad, good = len(parsed.bad), len(parsed.good)
    if bad and not ctx.args.skip_invalid:
        rows = f"{bad:,} bad row{'s' if bad != 1 else ''}"
        them = "them" if bad != 1 else "it"
        if not good:
            raise InvalidInput(f"nothing imported: {rows} in {source} and no good ones; fix {them}")
        raise InvalidInput(
            f"nothing imported: {rows} in {source}; fix {them}, or use --skip-invalid "
            f"to import the {good:,} good one{'s' if good != 1 else ''}"
        )
    rejected = None
    if bad:
        rejected = (
            Path(ctx.args.rejected) if ctx.args.rejected else report.rejected_path(path, parsed)
        )
        _write_rejected(rejected, path, parsed)
    try:
        with ImportProgress(f"saving {good:,} people", total=good) as progress:
            result = importer.save(
                engine, parsed, agent=agent, now=now, on_progress=progress.update
            )
    except BaseException:
        if rejected is not None:
            rejected.unlink(missing_ok=True)
        raise
    say(report.summary_line(result, parsed, bad, rejected))
    return 0


def _report_problems(ctx: Context, path: Path, parsed: Parsed) -> None:
    """Print the first bad rows; past the limit, count the rest and write them all down."""
    from deskterm.transfer import report

    for line in report.problem_lines(parsed, report.SHOWN_BAD_ROWS):
        warn(line)
    many = len(parsed.bad) > report.SHOWN_BAD_ROWS
    if not parsed.bad or not (many or ctx.args.errors):
        return
    errors = Path(ctx.args.errors) if ctx.args.errors else report.errors_path(path)
    failure = ""
    try:
        if errors.resolve() == path.resolve():
            raise InvalidInput(f"--errors {errors}: that is the file being imported")
        report.write_errors(errors, parsed)
    except OSError as exc:
        failure = exc.strerror or str(exc)
    if many:
        warn(report.more_line(parsed, errors, failure))
    elif failure:
        warn(f"deskterm: cannot write {errors}: {failure}")


def _write_rejected(rejected: Path, path: Path, parsed: object) -> None:
    from deskterm.transfer.report import write_rejected

    try:
        if rejected.resolve() == path.resolve():
            raise InvalidInput(f"--rejected {rejected}: that is the file being imported")
        write_rejected(rejected, parsed)  # type: ignore[arg-type]
    except OSError as exc:
        raise DeskError(f"nothing imported: cannot write {rejected}: {exc.strerror}") from None


class _TextSink:
    """Bytes to a text stream that has no binary buffer (e.g. a replaced sys.stdout)."""

    def __init__(self, stream: object) -> None:
        self.stream = stream

    def write(self, data: bytes) -> None:
        self.stream.write(data.decode("utf-8"))  # type: ignore[attr-defined]

    def flush(self) -> None:
        self.stream.flush()  # type: ignore[attr-defined]


def do_export(ctx: Context) -> int:
    from deskterm.transfer.export import export_lines, write_lines

    settings = ctx.settings()
    person_id = ctx.desk().find_person(ctx.args.person).id if ctx.args.person else None
    lines = export_lines(ctx.engine(), mood_label=settings.mood_label, person_id=person_id)
    out = Path(ctx.args.out) if ctx.args.out and ctx.args.out != "-" else None
    if out is None:
        sys.stdout.flush()
        stream = getattr(sys.stdout, "buffer", None) or _TextSink(sys.stdout)
        write_lines(lines, None, stream)  # type: ignore[arg-type]
        return 0
    try:
        count = write_lines(lines, out, sys.stdout.buffer)
    except OSError as exc:
        raise DeskError(f"cannot write {out}: {exc.strerror or exc}") from None
    say(f"exported {count:,} {'person' if count == 1 else 'people'} to {out}")
    return 0
