"""Bookkeeping stamps (a token's last use, a session's last sight) never fail or stall a read."""

from __future__ import annotations

import sqlite3

from sqlalchemy import select

from epmo.auth.models import ApiToken
from tests.platform.conftest import Live


def _read_while_sqlite_is_locked(live: Live) -> int:
    """A read while another process holds SQLite's write lock (e.g. `epmo import`)."""
    holder = sqlite3.connect(str(live.engine.url.database), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        return live.client("it_pm").get("/api/v1/projects").status_code
    finally:
        holder.rollback()
        holder.close()


def test_a_read_stamps_its_token_but_never_waits_or_fails_for_it(live: Live) -> None:
    if live.engine.dialect.name == "sqlite":
        # The token was never used, so this read is due to stamp it: it must neither wait for
        # the lock (the 30 s busy timeout) nor fail with "database is locked"; the stamp is
        # dropped instead. (PostgreSQL locks rows, not the database: nothing to wait for.)
        assert _read_while_sqlite_is_locked(live) == 200
    assert live.client("it_pm").get("/api/v1/projects").status_code == 200
    with live.engine.connect() as conn:
        stamped = conn.scalars(select(ApiToken.last_used_at)).all()
    assert any(value is not None for value in stamped)
