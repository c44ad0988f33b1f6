"""Alembic environment: migrations run against epmo's metadata and configured URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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


@contextmanager
def _foreign_keys_off(connection: Connection) -> Iterator[None]:
    """On SQLite, foreign keys off while the migrations run, checked and back on after.

    Batch mode alters a SQLite table by copying it and dropping the original: with foreign
    keys on, that DROP deletes every row referencing it through ON DELETE CASCADE (altering
    ``project`` emptied status reports, milestones, RAID...). The pragma only takes effect
    outside a transaction, so a connection handed in inside one is left as it is.
    """
    if connection.dialect.name != "sqlite" or connection.in_transaction():
        yield
        return
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the migrations left rows whose foreign keys point nowhere: "
                               f"{broken[:10]} (table, rowid, parent, constraint)")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def run() -> None:
    """Run migrations on a connection handed in by the caller, or on the configured URL."""
    given = config.attributes.get("connection")
    if given is not None:
        with _foreign_keys_off(given):
            _migrate(given)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or get_settings().database_url)
    with engine.connect() as connection, _foreign_keys_off(connection):
        _migrate(connection)
        connection.commit()
    engine.dispose()


run()
