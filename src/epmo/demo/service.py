"""Load the demo enterprise into the database with Core bulk inserts, in the caller's unit of work.

Bulk inserts bypass the ORM audit listener, so the load records one audit entry with the
counts; the few demo users are ORM inserts and are audited one by one.
Ids are assigned here (next free id per table); on PostgreSQL the id sequences are moved
past them afterwards so later ORM inserts never collide.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import epmo.models  # noqa: F401  (every table must be known to clear the register)
from epmo.audit import service as audit_service
from epmo.auth import service as auth_service
from epmo.auth.models import User, UserDepartment
from epmo.charter.models import CharterVersion
from epmo.contracts import service as contracts_service
from epmo.contracts import tiering
from epmo.contracts.models import DepartmentMethod
from epmo.contracts.terms import Terms, load_terms
from epmo.db import Base, utcnow
from epmo.demo import (
    benefits,
    diagnostics,
    governance,
    network,
    repository,
    resources,
    schedules,
    snapshots,
    surveys,
)
from epmo.demo.business_case import build_business_case
from epmo.demo.demand import DemandPlanner
from epmo.demo.generator import Login, Org, Plan, design, logins, make_plan, rng_for
from epmo.demo.history import Context, TermsOf, history_chunks
from epmo.demo.history import Terms as ProjectTerms
from epmo.demo.ledger import build_ledger
from epmo.demo.pipeline import insert_pipeline
from epmo.demo.rows import Batch, Classify, Ids, Row, org_rows, project_batches
from epmo.errors import Conflict, FieldError, Invalid
from epmo.reporting import health_store
from epmo.resources import demand_totals

# Never cleared by --force: accounts, their tokens and the tamper-evident audit log.
KEPT = frozenset({"user_account", "api_token", "audit_entry", "audit_head"})
ORG_TABLES = ("department", "person", "goal", "portfolio", "programme", "programme_department")
PROJECT_TABLES = ("project", "milestone", "project_department", "project_portfolio",
                  "project_goal")
HISTORY_TABLES = ("status_report", "raid_item", "artefact", "gate_review")
GOVERNANCE_TABLES = ("charter_version", "tier_rule", "reporting_contract", "department_method")
ID_TABLES = ("department", "person", "goal", "portfolio", "programme", "project", "milestone")
CODED = ("person", "goal", "portfolio", "programme")

Progress = Callable[[int], None]


@dataclass
class LoadResult:
    """What a load wrote (rows per table), what it cleared first, and the demo logins."""

    plan: Plan
    counts: dict[str, int] = field(default_factory=dict)
    cleared: dict[str, int] = field(default_factory=dict)
    logins: list[Login] = field(default_factory=list)
    reused_departments: int = 0


def require_schema(session: Session) -> None:
    """Fail with one clear line when the database has no epmo schema yet."""
    if not repository.has_table(session, "project"):
        raise Invalid("The database has no epmo tables",
                      [FieldError("database", "run `epmo init` (or `epmo db upgrade`) first")])


def count_projects(session: Session) -> int:
    """Number of projects already in the database."""
    return repository.count_rows(session, "project")


def load_demo(session: Session, plan: Plan, *, force: bool = False,
              progress: Progress | None = None) -> LoadResult:
    """Load the demo enterprise of ``plan``; refuse a database with projects unless ``force``."""
    require_schema(session)
    org = design(plan)
    result = LoadResult(plan)
    if force:
        result.cleared = clear_register(session, _demo_emails(org))
    _refuse_existing(session, org)
    ids, reused = _allocate_ids(session, org)
    result.reused_departments = len(reused)
    _insert_org(session, org_rows(org, ids, utcnow()), reused, result.counts)
    terms_of, classify = _governance(session, org, ids, result.counts)
    history = Context(plan.today, plan.report_months, utcnow(), terms_of,
                      rng_for(plan, "history"), top_of=_top_of(org, ids))
    demand = DemandPlanner(plan, org)
    dept_index = {dept_id: i for i, dept_id in enumerate(ids.department)}
    for batch in project_batches(plan, org, ids, utcnow(), classify=classify):
        _insert_batch(session, batch, result.counts)
        demand.add(batch.projects, dept_index)
        for name, rows in history_chunks(history, batch.projects):
            _insert(session, name, rows, result.counts)
        if progress is not None:
            progress(len(batch.projects))
    result.counts["project_demand"] = 0
    for rows in demand.rows():
        _insert(session, "project_demand", rows, result.counts)
    repository.sync_sequences(session, ID_TABLES)
    repository.analyze(session, (*ORG_TABLES, *PROJECT_TABLES, *HISTORY_TABLES, "project_demand"))
    result.logins = _create_logins(session, org, ids)
    result.counts["user_account"] = len(result.logins)
    result.counts.update(insert_pipeline(session, org, plan, ids))
    result.counts.update(network.build_network(session, plan.today, plan.seed))
    result.counts.update(schedules.build_schedules(session, plan.today))
    demand_totals.refresh_all(session)  # demand went in by bulk INSERTs; lendings read it
    result.counts.update(resources.build_resources(session, plan.today, plan.seed))
    result.counts.update(benefits.build_benefits(session, plan.today, plan.seed))
    result.counts.update(build_business_case(session, plan.today))
    result.counts.update(build_ledger(session, plan.today, plan.seed))
    result.counts.update(surveys.build_surveys(session, plan.today, plan.seed))
    health_store.refresh_all(session)  # rows went in by bulk INSERTs
    result.counts["compliance_snapshot"] = snapshots.take_history(
        session, plan.today, plan.snapshot_months, plan.snapshot_every)
    result.counts.update(diagnostics.build_diagnostics(session, plan.today, plan.seed))
    audit_service.record(session, "demo", f"seed-{plan.seed}", "load",
                         {"today": plan.today.isoformat(),
                          "report_months": plan.report_months, **result.counts})
    return result


def _governance(session: Session, org: Org, ids: Ids,
                counts: dict[str, int]) -> tuple[TermsOf, Classify]:
    """Tier rules and contracts (the hub's defaults where missing), the demo charter and the
    departments' methods, through the ORM (a few audited rows); then the terms projects meet."""
    before = {name: repository.count_rows(session, name) for name in GOVERNANCE_TABLES}
    contracts_service.ensure_defaults(session)
    number = repository.next_charter_number(session)
    session.add(CharterVersion(number=number, statement=governance.STATEMENT,
                               content=governance.charter_content(org, ids.department),
                               reason=governance.REASON, author_name="epmo demo"))
    taken = repository.method_departments(session)
    session.add_all(DepartmentMethod(**row) for row in governance.method_rows(org, ids.department)
                    if row["department_id"] not in taken)
    session.flush()
    for name in GOVERNANCE_TABLES:
        counts[name] = repository.count_rows(session, name) - before[name]
    return _terms_of(load_terms(session)), tiering.classifier(session)


def _top_of(org: Org, ids: Ids) -> dict[int, int]:
    """Department id -> the id of its top-level department."""
    return {ids.department[i]: ids.department[org.tops[d.domain]]
            for i, d in enumerate(org.departments)}


def _terms_of(terms: Terms) -> TermsOf:
    """Each (department, tier)'s artefacts per stage, gates and cadence, worked out once."""
    cache: dict[tuple[int, int], ProjectTerms] = {}

    def of(department_id: int, tier: int) -> ProjectTerms:
        """The terms of projects of one department and tier."""
        key = (department_id, tier)
        if key not in cache:
            found = terms.for_project(department_id, tier)
            cache[key] = ({}, (), "monthly") if found is None else (
                dict(found.artefacts), tuple((g.code, g.stage, g.criteria) for g in found.gates),
                found.cadence)
        return cache[key]

    return of


def ensure_no_projects(session: Session) -> None:
    """Refuse (409) a database that already holds projects."""
    projects = count_projects(session)
    if projects:
        raise Conflict(
            f"The database already holds {projects} projects; the demo was not loaded",
            [FieldError("projects", "use --force to delete the register and load the demo "
                                    "in its place, or --if-empty to skip quietly")])


def _refuse_existing(session: Session, org: Org) -> None:
    ensure_no_projects(session)
    taken = _taken_codes(session, org)
    if taken:
        raise Conflict("The database already holds demo data without projects",
                       [FieldError(name, f"{value} exists; use --force") for name, value in taken])


def _taken_codes(session: Session, org: Org) -> list[tuple[str, str]]:
    wanted: dict[str, list[str]] = {
        "person": [p.code for p in org.people], "goal": [g.code for g in org.goals],
        "portfolio": [code for code, _, _ in org.portfolios],
        "programme": [p.code for p in org.programmes],
    }
    taken = []
    for name in CODED:
        found = repository.first_taken_code(session, name, wanted[name])
        if found is not None:
            taken.append((name, found))
    emails = list(_demo_emails(org))
    user = repository.first_taken_email(session, emails)
    return taken + ([("email", user)] if user else [])


def existing_logins(session: Session) -> list[Login]:
    """The demo's sign-ins whose accounts exist and are active (the same for every size)."""
    wanted = logins(design(make_plan(projects=1)), admin_needed=True)
    found = repository.active_emails(session, [login.email for login in wanted])
    return [login for login in wanted if login.email in found]


def _demo_emails(org: Org) -> set[str]:
    return {login.email for login in logins(org, admin_needed=True)}


def clear_register(session: Session, demo_emails: Iterable[str]) -> dict[str, int]:
    """Delete every row except accounts, tokens and the audit log, plus the demo accounts."""
    cleared: dict[str, int] = {}
    tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name not in KEPT]
    try:
        for table in tables:
            repository.unlink_self(session, table)
        for table in tables:
            cleared[table.name] = repository.delete_all(session, table)
        gone = repository.delete_users(session, demo_emails)
    except IntegrityError as exc:
        raise Conflict("Could not clear the register: other data still refers to it",
                       [FieldError("force", str(exc.orig).splitlines()[0])]) from exc
    cleared["user_account"] = gone
    if any(cleared.values()):
        audit_service.record(session, "demo", "register", "clear", cleared)
    return {name: count for name, count in cleared.items() if count}


def _allocate_ids(session: Session, org: Org) -> tuple[Ids, set[int]]:
    """Reuse departments that already exist with the demo's code; new ids elsewhere."""
    existing = repository.department_ids_by_code(session, [d.code for d in org.departments])
    next_dept = repository.next_id(session, "department")
    dept_ids: list[int] = []
    for dept in org.departments:
        if dept.code in existing:
            dept_ids.append(existing[dept.code])
        else:
            dept_ids.append(next_dept)
            next_dept += 1
    reused = {dept_ids[i] for i, d in enumerate(org.departments) if d.code in existing}
    ids = Ids(dept_ids, *(repository.next_id(session, name) for name in ID_TABLES[1:]))
    return ids, reused


def _insert(session: Session, name: str, rows: list[Row], counts: dict[str, int]) -> None:
    if rows:
        repository.insert_rows(session, name, rows)
    counts[name] = counts.get(name, 0) + len(rows)


def _insert_org(session: Session, rows: dict[str, list[Row]], reused: set[int],
                counts: dict[str, int]) -> None:
    rows["department"] = [row for row in rows["department"] if row["id"] not in reused]
    for name in ORG_TABLES:
        _insert(session, name, rows[name], counts)


def _insert_batch(session: Session, batch: Batch, counts: dict[str, int]) -> None:
    for name, rows in zip(PROJECT_TABLES, (batch.projects, batch.milestones,
                                           batch.project_departments, batch.project_portfolios,
                                           batch.project_goals), strict=True):
        _insert(session, name, rows, counts)


@cache
def _password_hash(password: str) -> str:
    """Argon2 is slow by design: hash each fixed demo password once per process."""
    return auth_service.hash_password(password)


def _create_logins(session: Session, org: Org, ids: Ids) -> list[Login]:
    """Create the demo users (one per role) through the ORM, so each one is audited."""
    admin_needed = not repository.has_admin(session)
    users = logins(org, admin_needed)
    dept_of = {d.code: ids.department[i] for i, d in enumerate(org.departments)}
    for login in users:
        person = None if login.person is None else org.people[login.person]
        name = person.name if person else "Demo administrator"
        user = User(email=login.email, role=login.role, name=name,
                    password_hash=_password_hash(login.password),
                    person_id=None if login.person is None else ids.person + login.person)
        session.add(user)
        session.flush()
        if login.department:
            session.add(UserDepartment(user_id=user.id, department_id=dept_of[login.department]))
    session.flush()
    return users
