"""``db upgrade`` and ``db status``: the schema revision of the configured database."""

from __future__ import annotations

import argparse

from deskterm.cli.context import Context
from deskterm.cli.parser import command
from deskterm.cli.safe import say


def register(sub: argparse._SubParsersAction) -> None:
    p = command(
        sub,
        "db",
        _missing,
        summary="database schema: upgrade or status",
        description="Manage the database schema. deskterm also upgrades it on start; "
        "upgrades never drop data.",
        examples=[
            "deskterm db upgrade",
            "deskterm --db postgresql+psycopg://me@host/desk db status",
        ],
    )
    actions = p.add_subparsers(dest="db_action", metavar="ACTION")
    command(
        actions,
        "upgrade",
        upgrade,
        summary="apply schema migrations",
        description="Bring the database schema up to the newest revision this deskterm knows.",
        examples=["deskterm db upgrade"],
    )
    command(
        actions,
        "status",
        status,
        summary="the schema revision, and whether an upgrade is due",
        description="Print the database's schema revision and the newest one this deskterm "
        "knows. Changes nothing.",
        examples=["deskterm db status"],
    )


def _missing(ctx: Context) -> int:
    from deskterm.errors import InvalidInput

    raise InvalidInput("db: give an action: upgrade or status")


def upgrade(ctx: Context) -> int:
    from sqlalchemy.exc import DBAPIError

    from deskterm.storage import safe_url
    from deskterm.storage.faults import storage_error
    from deskterm.storage.migrate import upgrade as migrate

    engine = ctx.engine(migrate=False)
    try:
        before, after = migrate(engine)
    except DBAPIError as exc:
        raise storage_error(exc, f"cannot upgrade {safe_url(engine.url)}") from None
    same = ", already up to date" if before == after else ""
    say(f"database at revision {after} (was {before or 'empty'}{same})")
    return 0


def status(ctx: Context) -> int:
    from sqlalchemy.exc import DBAPIError

    from deskterm.storage import safe_url
    from deskterm.storage.faults import storage_error
    from deskterm.storage.migrate import current_revision, head_revision

    engine = ctx.engine(migrate=False)
    try:
        current = current_revision(engine)
    except DBAPIError as exc:
        raise storage_error(exc, f"cannot read {safe_url(engine.url)}") from None
    head = head_revision()
    state = "up to date" if current == head else "upgrade with: deskterm db upgrade"
    say(f"{safe_url(engine.url)}: revision {current or 'none (empty)'}, newest {head}: {state}")
    return 0
