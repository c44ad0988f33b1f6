"""Alembic environment: migrations run against epmo's metadata and configured URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from epmo.config import get_settings
from epmo.db import make_engine
from epmo.models import Base

config = context.config
target_metadata = Base.metadata


def _migrate(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    """Run migrations on a connection handed in by the caller, or on the configured URL."""
    given = config.attributes.get("connection")
    if given is not None:
        _migrate(given)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or get_settings().database_url)
    with engine.begin() as connection:
        _migrate(connection)
    engine.dispose()


run()
