"""Alembic upgrade from an empty database produces exactly the models' schema."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from epmo.cli.platform import upgrade_database
from epmo.models import Base
from tests.conftest import PG_URL, drop_pg_schema, pg_engine, sqlite_engine


def _fresh(backend: str, tmp_path: Path) -> tuple[Engine, str]:
    if backend == "postgresql":
        if not PG_URL:
            pytest.skip("PostgreSQL runs are skipped: EPMO_TEST_POSTGRES_URL is not set")
        engine = pg_engine(f"epmo_migration_test_{os.getpid()}")
        return engine, PG_URL
    engine = sqlite_engine(tmp_path, "migrated")
    return engine, str(engine.url)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrade_from_empty_matches_models(backend: str, tmp_path: Path) -> None:
    engine, url = _fresh(backend, tmp_path)
    upgrade_database(url, engine=engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                Base.metadata)
        tables = set(inspect(conn).get_table_names())
    engine.dispose()
    if backend == "postgresql":
        drop_pg_schema(f"epmo_migration_test_{os.getpid()}")
    assert diff == [], f"migrations and models differ: {diff}"
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables
