"""One sync of a Jira connection, and the scheduled runs of every connection that is due.

A sync reads the connection (a short read transaction), asks Jira for every issue (no database
transaction is open meanwhile, so a slow or rate-limited Jira holds no lock), then applies them
in ONE unit of work marked ``mark_source("jira", ...)`` and acting as "Jira sync (<site>)",
and records the run with its counts. When Jira fails (credentials refused, 429 past the retries,
5xx, timeout), nothing is written but the failed run and its error; when saving fails, the whole
unit of work rolls back and the failed run is recorded on its own.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.config import get_settings
from epmo.connectors import crypto, policy, repository
from epmo.connectors.issues import Counts, Target, apply_issues
from epmo.connectors.jira import Issue, JiraClient, JiraError, Limits
from epmo.connectors.models import FAILED, OK, JiraConnection, JiraSyncRun
from epmo.db import unit_of_work, utcnow
from epmo.errors import EpmoError, NotFound

log = logging.getLogger("epmo.connectors")
Requester = Callable[[Session], Actor]


@dataclass(frozen=True, slots=True)
class Plan:
    """What one sync needs of its connection, read before Jira is asked."""

    target: Target
    email: str
    token: str = field(repr=False)
    jql: str
    department_id: int | None

    @property
    def label(self) -> str:
        """The actor label of the sync's writes: "Jira sync (<site>)"."""
        return f"Jira sync ({urlsplit(self.target.site).netloc})"


def effective_jql(project_keys: list[str], jql: str) -> str:
    """The connection's JQL filter, or the epics of its project keys."""
    if jql.strip():
        return jql.strip()
    keys = ", ".join(f'"{key}"' for key in project_keys)
    return f"project in ({keys}) AND issuetype = Epic ORDER BY key"


def plan_of(connection: JiraConnection) -> Plan:
    """The sync's inputs (the token decrypted; SealBroken when it cannot be)."""
    target = Target(connection.id, connection.site_url, connection.target,
                    connection.target_department_id, connection.target_project_id,
                    dict(connection.status_map))
    return Plan(target, connection.email, crypto.unseal(connection.secret),
                effective_jql(list(connection.project_keys), connection.jql),
                connection.department_id)


def limits() -> Limits:
    """Timeouts and retry bounds from the settings."""
    settings = get_settings()
    return Limits(timeout=settings.jira_timeout_seconds, retries=settings.jira_retries,
                  max_wait=settings.jira_retry_wait_max_seconds)


def run_sync(connection_id: int, trigger: str, requester: Requester | None = None, *,
             sleep: Callable[[float], None] = time.sleep) -> JiraSyncRun:
    """Sync one connection now and return its recorded run.

    ``requester`` resolves who asked (a page or API request; NotFound unless they may manage
    the connection); without it (the schedule, the CLI) the connection is simply read.
    """
    started = utcnow()
    actor_id, plan, error = _read(connection_id, requester)
    issues: list[Issue] = []
    if plan is not None:
        try:
            issues = JiraClient(plan.target.site, plan.email, plan.token, limits(),
                                sleep).search(plan.jql)
        except JiraError as exc:
            error = str(exc)
    if plan is not None and not error:
        try:
            return _apply(actor_id, plan, issues, _run(connection_id, trigger, started))
        except (EpmoError, SQLAlchemyError) as exc:
            log.exception("Jira sync of connection %s could not be saved", connection_id)
            error = f"The sync could not be saved, nothing was changed: {exc}"[:2000]
    return _failed(actor_id, _run(connection_id, trigger, started), error)


def _read(connection_id: int,
          requester: Requester | None) -> tuple[int | None, Plan | None, str]:
    """Who asked, the plan, or why there is none (the token cannot be decrypted)."""
    with unit_of_work(write=False) as session:
        actor = requester(session) if requester is not None else None
        connection = (policy.access_connection_or_404(session, actor, connection_id)
                      if actor is not None else repository.get_connection(session, connection_id))
        if connection is None:
            raise NotFound(f"Jira connection {connection_id} not found")
        try:
            plan = plan_of(connection)
        except crypto.SealBroken as exc:
            return (actor.id if actor else None), None, str(exc)
        return (actor.id if actor else None), plan, ""


def _run(connection_id: int, trigger: str, started: datetime) -> JiraSyncRun:
    return JiraSyncRun(connection_id=connection_id, trigger=trigger, started_at=started)


def _apply(actor_id: int | None, plan: Plan, issues: list[Issue],
           run: JiraSyncRun) -> JiraSyncRun:
    """Apply every issue and record the run, in one unit of work."""
    with unit_of_work(actor_id, actor_label=plan.label) as session:
        session.mark_source("jira", f"Jira sync ({plan.target.site})")
        actor = policy.sync_actor(session, plan.department_id)
        links = repository.links_of(session, plan.target.connection_id)
        counts = apply_issues(session, actor, plan.target, issues, links)
        _finish(session, run, OK, len(issues), counts)
    log.info("Jira sync of connection %s: %s issues, %s created, %s updated, %s unchanged, "
             "%s refused", run.connection_id, run.issues, run.created, run.updated,
             run.unchanged, run.refused)
    return run


def _failed(actor_id: int | None, run: JiraSyncRun, error: str) -> JiraSyncRun:
    """Record a failed run (nothing else is written)."""
    with unit_of_work(actor_id, actor_label="Jira sync") as session:
        session.mark_source("jira", "Jira sync failed")
        run.error = error[:2000]
        _finish(session, run, FAILED, 0, Counts())
    log.warning("Jira sync of connection %s failed: %s", run.connection_id, run.error)
    return run


def _finish(session: Session, run: JiraSyncRun, outcome: str, issues: int,
            counts: Counts) -> None:
    run.outcome, run.issues, run.finished_at = outcome, issues, utcnow()
    run.created, run.updated, run.unchanged = counts.created, counts.updated, counts.unchanged
    run.refused, run.details = counts.refused, counts.details
    session.add(run)
    session.flush()


# --- the schedule -----------------------------------------------------------------------


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def due_connections(session: Session, now: datetime) -> list[int]:
    """Active connections whose interval has passed since their latest run started."""
    starts = repository.last_starts(session)
    return [connection_id for connection_id, minutes in repository.active_connections(session)
            if connection_id not in starts
            or _aware(starts[connection_id]) + timedelta(minutes=minutes) <= now]


def sync_due(now: datetime | None = None, *,
             sleep: Callable[[float], None] = time.sleep) -> list[JiraSyncRun]:
    """Run every connection that is due, one after the other (the worker's periodic task)."""
    with unit_of_work(write=False) as session:
        due = due_connections(session, now or utcnow())
    runs = []
    for connection_id in due:
        try:
            runs.append(run_sync(connection_id, "schedule", sleep=sleep))
        except NotFound:
            continue  # deleted meanwhile
    return runs
