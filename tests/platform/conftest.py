"""A real, committed database for tests of races and outages (no rolled-back outer transaction).

The savepoint-per-test harness shares one connection, so it cannot show two writers racing:
here every request opens its own connection to a fresh SQLite file or PostgreSQL schema.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from epmo import wiring
from epmo.db import SessionFactory, UnitOfWork
from epmo.models import Base
from tests.conftest import drop_pg_schema, pg_engine, sqlite_engine
from tests.world import World, build_world

T = TypeVar("T")


@dataclass
class Live:
    """A committed database with the test world, and clients talking to the app over it."""

    engine: Engine
    world: World
    app: object

    def client(self, user: str) -> TestClient:
        """A new client (its own connection per request) authenticated as ``user``."""
        headers = {"Authorization": f"Bearer {self.world.tokens[user]}"}
        return TestClient(self.app, headers=headers)  # type: ignore[arg-type]


@pytest.fixture
def live(backend: str, tmp_path: Path, app: object) -> Iterator[Live]:
    """A fresh committed database per test; the app's sessions bind to it, not to a savepoint."""
    schema = f"epmo_live_{os.getpid()}"
    engine = pg_engine(schema) if backend == "postgresql" else sqlite_engine(tmp_path, "live")
    Base.metadata.create_all(engine)
    wiring.install()
    SessionFactory.maker = sessionmaker(class_=UnitOfWork, bind=engine, expire_on_commit=False)
    with SessionFactory.maker() as session:
        world = build_world(session)
        session.commit()
    try:
        yield Live(engine, world, app)
    finally:
        SessionFactory.maker = None
        engine.dispose()
        if backend == "postgresql":
            drop_pg_schema(schema)


def race(count: int, work: Callable[[int], T]) -> list[T]:
    """Run ``work(i)`` for i in range(count) in as many threads released at once; every
    thread's result, after checking that none raised."""
    import threading

    barrier = threading.Barrier(count)
    results: list[T | BaseException | None] = [None] * count

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work(index)
        except Exception as exc:  # reported below, with the others
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failed = [r for r in results if isinstance(r, BaseException)]
    assert not failed, f"{len(failed)} of {count} threads raised, first: {failed[0]!r}"
    return results  # type: ignore[return-value]  # none is an exception, checked above
