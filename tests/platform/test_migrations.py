"""Alembic upgrade from an empty database produces exactly the models' schema."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

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


def _row(table: str, **values: object) -> dict[str, object]:
    """``values`` plus the models' scalar defaults of the other NOT NULL columns."""
    from datetime import UTC, datetime

    for column in Base.metadata.tables[table].columns:
        default = column.default
        if column.key in values or column.nullable or column.primary_key:
            continue
        if default is not None and default.is_scalar:
            values[column.key] = default.arg
        elif column.key in ("created_at", "updated_at"):
            values[column.key] = datetime.now(UTC)
    return values


def test_upgrade_to_stored_health_fills_the_existing_rows(tmp_path: Path) -> None:
    """0008 adds the stored derived colour and computes it for the projects already there."""
    from datetime import date

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import MetaData, select

    from epmo.cli.platform import MIGRATIONS
    from epmo.contracts import defaults

    engine = sqlite_engine(tmp_path, "upgraded")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", str(engine.url))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0007")
        old = MetaData()
        old.reflect(connection, only=["department", "project", "tier_rule",
                                      "reporting_contract"])
        name, budget, days, people, risk = defaults.RULES[1]
        connection.execute(old.tables["tier_rule"].insert().values(_row(
            "tier_rule", tier=1, name=name, min_budget=budget, min_duration_days=days,
            min_headcount=people, min_risk=risk)))
        connection.execute(old.tables["reporting_contract"].insert().values(_row(
            "reporting_contract", tier=1, **defaults.CONTRACTS[1])))
        department = connection.execute(old.tables["department"].insert().values(_row(
            "department", code="IT", name="IT"))).inserted_primary_key[0]
        # 40 days late against a tier-1 schedule threshold of red at 30: red.
        connection.execute(old.tables["project"].insert().values(_row(
            "project", code="P-1", name="Late", department_id=department, stage="executing",
            tier=1, baseline_finish=date(2027, 1, 1), forecast_finish=date(2027, 2, 10))))
        command.upgrade(config, "head")
        new = MetaData()
        new.reflect(connection, only=["project"])
        stored = connection.scalar(select(new.tables["project"].c.derived_health))
    engine.dispose()
    assert stored == "red"


@pytest.mark.parametrize("handed_in", [False, True], ids=["own-engine", "caller-engine"])
def test_upgrade_from_0006_keeps_rows_referencing_altered_tables(
        tmp_path: Path, handed_in: bool) -> None:
    """0007 alters ``project`` in batch mode (copy, drop, rename) on SQLite: the drop must not
    cascade to the status reports and milestones of the projects already there."""
    from datetime import date

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import MetaData, func, select

    from epmo.cli.platform import MIGRATIONS

    engine = sqlite_engine(tmp_path, "from0006")
    url = str(engine.url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "0006")
    with engine.begin() as connection:
        old = MetaData()
        old.reflect(connection, only=["department", "project", "status_report", "milestone"])
        department = connection.execute(old.tables["department"].insert().values(_row(
            "department", code="IT", name="IT"))).inserted_primary_key[0]
        project = connection.execute(old.tables["project"].insert().values(_row(
            "project", code="P-1", name="Kept", department_id=department, stage="executing",
            tier=1, health="green", budget_planned=0, budget_actual=0,
            budget_forecast=0))).inserted_primary_key[0]
        connection.execute(old.tables["status_report"].insert().values(_row(
            "status_report", project_id=project, period_start=date(2026, 11, 1),
            period_end=date(2026, 11, 30), overall="amber", achievements="", next_steps="",
            decisions_needed="", key_risks="", key_issues="", source="form",
            submitted_at=date(2026, 12, 1))))
        connection.execute(old.tables["milestone"].insert().values(_row(
            "milestone", project_id=project, name="Go live", planned_date=date(2027, 1, 1))))
    if handed_in:
        upgrade_database(url, engine=engine)
    else:
        upgrade_database(url)
    with engine.connect() as connection:
        new = MetaData()
        new.reflect(connection, only=["status_report", "milestone"])
        counts = [connection.scalar(select(func.count()).select_from(new.tables[name]))
                  for name in ("status_report", "milestone")]
        keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
    engine.dispose()
    assert counts == [1, 1]
    assert keys == 1  # back on for the connection's next user


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_0017_spreads_quarters_into_months_and_sums_them_back(backend: str,
                                                              tmp_path: Path) -> None:
    """0017 keeps project demand per month (and per person): each quarter spread evenly over
    its months, the odd hundredths to the first, the kept totals summed again; the downgrade
    sums the months back into quarters."""
    from decimal import Decimal

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import MetaData

    from epmo.cli.platform import MIGRATIONS

    engine, url = _fresh(backend, tmp_path)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)

    def lines(connection: Any) -> list[tuple[str, str, Decimal]]:
        return [(role, period, Decimal(str(fte)).quantize(Decimal("0.01")))
                for role, period, fte in connection.exec_driver_sql(
                    "SELECT role, period, fte_months FROM project_demand ORDER BY role, period")]

    def totals(connection: Any) -> list[tuple[str, str, Decimal]]:
        return [(role, period, Decimal(str(fte)).quantize(Decimal("0.01")))
                for role, period, fte in connection.exec_driver_sql(
                    "SELECT role, period, fte_months FROM resource_demand_total "
                    "ORDER BY role, period")]

    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0016")
            old = MetaData()
            old.reflect(connection, only=["department", "project", "project_demand"])
            department = connection.execute(old.tables["department"].insert().values(_row(
                "department", code="IT", name="IT"))).inserted_primary_key[0]
            project = connection.execute(old.tables["project"].insert().values(_row(
                "project", code="P-1", name="Demand", department_id=department,
                stage="executing", tier=1))).inserted_primary_key[0]
            connection.execute(old.tables["project_demand"].insert(), [
                {"project_id": project, "role": "Lead", "period": "2027-Q1", "fte_months": 1},
                {"project_id": project, "role": "Lead", "period": "2027-Q2", "fte_months": 3},
                {"project_id": project, "role": "PM", "period": "2027-Q4",
                 "fte_months": Decimal("0.02")}])
            command.upgrade(config, "0017")
            upgraded, kept = lines(connection), totals(connection)
            command.downgrade(config, "0016")
            back, kept_back = lines(connection), totals(connection)
    finally:
        engine.dispose()
        if backend == "postgresql":
            drop_pg_schema(f"epmo_migration_test_{os.getpid()}")
    d = Decimal
    months = [("Lead", "2027-01", d("0.34")), ("Lead", "2027-02", d("0.33")),
              ("Lead", "2027-03", d("0.33")), ("Lead", "2027-04", d("1.00")),
              ("Lead", "2027-05", d("1.00")), ("Lead", "2027-06", d("1.00")),
              ("PM", "2027-10", d("0.01")), ("PM", "2027-11", d("0.01"))]
    assert upgraded == months
    assert kept == [(role.lower(), period, fte) for role, period, fte in months]
    quarters = [("Lead", "2027-Q1", d("1.00")), ("Lead", "2027-Q2", d("3.00")),
                ("PM", "2027-Q4", d("0.02"))]
    assert back == quarters
    assert kept_back == [(role.lower(), period, fte) for role, period, fte in quarters]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_0019_fills_the_goal_sets_and_keeps_them(backend: str, tmp_path: Path) -> None:
    """0019 fills every project's goal set from its links, then the database keeps it on
    the next link; the downgrade removes the key and its upkeep (links still write)."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import MetaData

    from epmo.cli.platform import MIGRATIONS

    engine, url = _fresh(backend, tmp_path)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)

    def keys(connection: Any) -> list[tuple[str, str | None]]:
        return list(connection.exec_driver_sql(
            "SELECT code, goal_set FROM project ORDER BY code").all())

    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0018")
            old = MetaData()
            old.reflect(connection, only=["department", "project", "goal", "project_goal"])
            tables = old.tables
            department = connection.execute(tables["department"].insert().values(_row(
                "department", code="IT", name="IT"))).inserted_primary_key[0]
            projects = [connection.execute(tables["project"].insert().values(_row(
                "project", code=code, name=code, department_id=department))
            ).inserted_primary_key[0] for code in ("P-1", "P-2", "P-3")]
            goals = [connection.execute(tables["goal"].insert().values(_row(
                "goal", code=code, name=code))).inserted_primary_key[0]
                for code in ("G-1", "G-2", "G-3")]
            connection.execute(tables["project_goal"].insert(), [
                {"project_id": projects[0], "goal_id": goals[2], "weight": 50},
                {"project_id": projects[0], "goal_id": goals[0], "weight": 50},
                {"project_id": projects[1], "goal_id": goals[1], "weight": 100}])
            command.upgrade(config, "0019")
            filled = keys(connection)
            connection.execute(tables["project_goal"].insert().values(
                project_id=projects[2], goal_id=goals[1], weight=100))
            kept = keys(connection)
            command.downgrade(config, "0018")
            connection.execute(tables["project_goal"].insert().values(
                project_id=projects[2], goal_id=goals[0], weight=100))
            columns = {c["name"] for c in inspect(connection).get_columns("project")}
    finally:
        engine.dispose()
        if backend == "postgresql":
            drop_pg_schema(f"epmo_migration_test_{os.getpid()}")
    first, second = f"{goals[0]},{goals[2]}", str(goals[1])
    assert filled == [("P-1", first), ("P-2", second), ("P-3", None)]
    assert kept == [("P-1", first), ("P-2", second), ("P-3", second)]
    assert "goal_set" not in columns
