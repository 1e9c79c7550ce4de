"""What a command needs, loaded only when it asks: settings, then the database."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from deskterm.config import Settings
    from deskterm.services import Desk


class Context:
    """The parsed arguments, with lazily loaded settings, engine and desk."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._settings: Settings | None = None
        self._engine: Engine | None = None

    @property
    def config_path(self) -> Path | None:
        return Path(self.args.config) if self.args.config else None

    def settings(self) -> Settings:
        """The effective settings (``--db`` overrides ``database.url``)."""
        if self._settings is None:
            from deskterm.config import load_settings

            overrides: dict[str, Any] = {}
            if self.args.db is not None:
                overrides["database.url"] = self.args.db
            self._settings = load_settings(
                config_path=self.config_path, env=os.environ, overrides=overrides
            )
        return self._settings

    def engine(self, *, migrate: bool = True) -> Engine:
        """The configured database, schema brought up to date unless ``migrate`` is False."""
        if self._engine is None:
            from deskterm.errors import BadDatabaseURL
            from deskterm.storage import open_engine

            settings = self.settings()
            try:
                self._engine = open_engine(
                    settings.database.url,
                    migrate=migrate,
                    busy_timeout_ms=settings.database.busy_timeout_ms,
                )
            except BadDatabaseURL as err:  # say where the URL came from
                origin = settings.sources.get("database.url", "default")
                raise BadDatabaseURL(f"{origin}: database.url: {err}") from None
        return self._engine

    def desk(self) -> Desk:
        """A desk service for this agent on the configured database."""
        from deskterm.services import Desk

        return Desk(self.engine(), self.settings().agent.name)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
