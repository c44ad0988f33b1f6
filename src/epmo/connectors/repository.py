"""Every read query of the connectors domain."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from epmo.connectors.models import JiraConnection, JiraLink, JiraSyncRun


def get_connection(session: Session, connection_id: int) -> JiraConnection | None:
    """One connection by id."""
    return session.get(JiraConnection, connection_id)


def connection_query(scope: ColumnElement[bool]) -> Select[JiraConnection]:
    """Connections within ``scope``, by name."""
    return select(JiraConnection).where(scope).order_by(JiraConnection.name, JiraConnection.id)


def list_connections(session: Session, scope: ColumnElement[bool]) -> list[JiraConnection]:
    """Every connection within ``scope``, by name."""
    return list(session.scalars(connection_query(scope)))


def runs_query(connection_id: int) -> Select[JiraSyncRun]:
    """A connection's sync runs, newest first."""
    return (select(JiraSyncRun).where(JiraSyncRun.connection_id == connection_id)
            .order_by(JiraSyncRun.started_at.desc(), JiraSyncRun.id.desc()))


def get_run(session: Session, run_id: int) -> JiraSyncRun | None:
    """One sync run by id."""
    return session.get(JiraSyncRun, run_id)


def links_of(session: Session, connection_id: int) -> dict[str, JiraLink]:
    """A connection's links, by issue key (one query)."""
    rows = session.scalars(select(JiraLink).where(JiraLink.connection_id == connection_id))
    return {row.issue_key: row for row in rows}


def active_connections(session: Session) -> list[tuple[int, int]]:
    """(id, interval in minutes) of every active connection."""
    query = select(JiraConnection.id, JiraConnection.interval_minutes).where(
        JiraConnection.active.is_(True)).order_by(JiraConnection.id)
    return [(row[0], row[1]) for row in session.execute(query)]


def last_starts(session: Session) -> dict[int, datetime]:
    """When each connection's latest sync run started (one GROUP BY)."""
    query = select(JiraSyncRun.connection_id, func.max(JiraSyncRun.started_at)).group_by(
        JiraSyncRun.connection_id)
    return {row[0]: row[1] for row in session.execute(query)}



def latest_runs(session: Session, connection_ids: list[int]) -> dict[int, JiraSyncRun]:
    """Each connection's latest run (the highest id), by connection (one query)."""
    if not connection_ids:
        return {}
    newest = (select(func.max(JiraSyncRun.id)).where(
        JiraSyncRun.connection_id.in_(connection_ids)).group_by(JiraSyncRun.connection_id))
    rows = session.scalars(select(JiraSyncRun).where(JiraSyncRun.id.in_(newest)))
    return {row.connection_id: row for row in rows}
