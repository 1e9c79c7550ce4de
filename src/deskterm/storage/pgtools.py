"""Find a PostgreSQL client tool (pg_dump, pg_restore) new enough for the server.

pg_dump refuses a server newer than itself, so the tool must be at least the server's
major version. Debian installs each version under ``/usr/lib/postgresql/N/bin``; the
one on PATH may be a wrapper or an older client. The newest fitting one is chosen.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from deskterm.errors import DeskError

PG_LIB = Path("/usr/lib/postgresql")
_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")


@dataclass(frozen=True)
class Tool:
    path: Path
    version: tuple[int, int]


def server_version(engine: Engine) -> tuple[int, int]:
    """(major, minor) of the server, e.g. (15, 20)."""
    from sqlalchemy.exc import DBAPIError

    from deskterm.storage.faults import storage_error

    try:
        with engine.connect() as conn:
            number = int(conn.execute(text("SHOW server_version_num")).scalar_one())
    except DBAPIError as exc:
        raise storage_error(exc) from None
    return (number // 10000, number % 10000) if number >= 100000 else (number // 100, 0)


def tool_version(path: Path) -> tuple[int, int] | None:
    try:
        done = subprocess.run(
            [str(path), "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError:
        return None
    found = _VERSION.search(done.stdout)
    return (int(found.group(1)), int(found.group(2) or 0)) if found else None


def candidates(name: str, search: list[Path] | None = None) -> list[Path]:
    """Every ``name`` on PATH and under Debian's versioned folders (or in ``search``)."""
    if search is not None:
        return [folder / name for folder in search if (folder / name).is_file()]
    found = [Path(p) for p in [shutil.which(name)] if p]
    found += sorted(PG_LIB.glob(f"*/bin/{name}"))
    return found


def pg_tool(name: str, server: tuple[int, int], search: list[Path] | None = None) -> Tool:
    """The newest ``name`` whose major version is at least the server's; DeskError if none."""
    tools = [Tool(path, v) for path in candidates(name, search) if (v := tool_version(path))]
    fitting = [tool for tool in tools if tool.version[0] >= server[0]]
    if fitting:
        return max(fitting, key=lambda tool: tool.version)
    want = f"postgresql-client-{server[0]}"
    shown = f"{server[0]}.{server[1]}"
    if not tools:
        raise DeskError(f"{name} is not installed: install the PostgreSQL client ({want})")
    best = max(tools, key=lambda tool: tool.version)
    raise DeskError(
        f"{name} {best.version[0]}.{best.version[1]} ({best.path}) is older than the "
        f"server ({shown}): install {want}"
    )
