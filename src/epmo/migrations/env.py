"""Alembic environment: migrations run against epmo's metadata and configured URL."""

from __future__ import annotations

from alembic import context

from epmo.config import get_settings
from epmo.db import make_engine
from epmo.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    """Run migrations online on the configured database."""
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    connectable = config.attributes.get("connection") or make_engine(url)
    if hasattr(connectable, "connect") and not hasattr(connectable, "dialect_options"):
        with connectable.connect() as connection:
            _migrate(connection)
            connection.commit()
    else:
        _migrate(connectable)


def _migrate(connection: object) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


run()
