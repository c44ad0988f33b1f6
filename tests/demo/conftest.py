"""Fresh SQLite files holding a loaded demo enterprise."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from epmo import wiring
from epmo.db import UnitOfWork, make_engine
from epmo.demo.generator import Plan, make_plan
from epmo.demo.service import LoadResult, load_demo
from epmo.models import Base


def fresh_engine(folder: Path, name: str) -> Engine:
    """An engine on a new SQLite file with the whole schema."""
    engine = make_engine(f"sqlite:///{folder / name}.db")
    Base.metadata.create_all(engine)
    wiring.install()
    return engine


def load_into(engine: Engine, plan: Plan, force: bool = False) -> LoadResult:
    """Load ``plan`` into ``engine`` in one committed transaction."""
    with UnitOfWork(engine) as session:
        result = load_demo(session, plan, force=force)
        session.commit()
    return result


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, LoadResult]]:
    """A 400-project demo in its own SQLite file, shared by a module's read-only tests."""
    engine = fresh_engine(tmp_path_factory.mktemp("demo"), "loaded")
    result = load_into(engine, make_plan(projects=400, seed=11))
    yield engine, result
    engine.dispose()
