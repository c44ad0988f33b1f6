"""Bookkeeping stamps (a token's last use, a session's last sight) never fail or stall a read."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select

from epmo.auth.models import ApiToken
from tests.platform.conftest import Live


def test_a_read_answers_while_another_process_holds_the_write_lock(live: Live) -> None:
    if live.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's database-wide write lock; PostgreSQL locks rows")
    holder = sqlite3.connect(str(live.engine.url.database), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing, e.g. `epmo import`
    try:
        # The token was never used, so this read is due to stamp it: it must not wait for
        # the lock (30 s) nor fail with "database is locked"; the stamp is dropped instead.
        response = live.client("it_pm").get("/api/v1/projects")
    finally:
        holder.rollback()
        holder.close()
    assert response.status_code == 200, response.text
    # Once the lock is free the next read stamps the token.
    live.client("it_pm").get("/api/v1/projects")
    with live.engine.connect() as conn:
        stamped = conn.scalars(select(ApiToken.last_used_at)).all()
    assert any(value is not None for value in stamped)
