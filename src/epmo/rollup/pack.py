"""The executive status pack of a department (with its subtree) or a portfolio, for a month.

The pack holds the roll-up of the subject and of the programmes its projects belong to, a RAG
matrix of its projects' latest reports, its top open risks and its compliance, and for the
charts and the narrative: health by department, the health trend over the last months, the
projects that slip most and the red and amber projects' achievements and decisions needed.
Only projects the actor may read count anywhere in it.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Final

from sqlalchemy import ColumnElement, and_
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.engines.rollup import Rule
from epmo.errors import FieldError, Invalid
from epmo.files.svgcharts import trim
from epmo.org.models import Department
from epmo.portfolio.models import Project
from epmo.reporting import health
from epmo.reporting.health import HealthRule
from epmo.rollup import policy, repository, repository_pack
from epmo.rollup.months import Month
from epmo.rollup.repository import Node
from epmo.rollup.schemas import (
    ColourCounts,
    ComplianceRow,
    MatrixRow,
    NarrativeRow,
    Pack,
    RiskRow,
    RollupRow,
    SlipRow,
    Subject,
    TrendPoint,
)
from epmo.rollup.service import level_rows, resolve_month, shown_rule

MATRIX_ROWS: Final = 50  # projects in the page's heatmap and the PDF
MATRIX_ROWS_XLSX: Final = 5_000  # projects in the Excel pack
PROGRAMME_ROWS: Final = 20  # largest programmes in the PDF
PROGRAMME_ROWS_XLSX: Final = 10_000
TOP_RISKS: Final = 10
TREND_MONTHS: Final = 6  # months in the health trend, the period last
TOP_SLIPS: Final = 10
NARRATIVES: Final = 8  # red, then amber projects whose words the pack quotes
NARRATIVE_CHARS: Final = 600  # a longer text is trimmed with "…"
ENTERPRISE: Final = "Enterprise"


def check_subject(department_id: int | None, portfolio_id: int | None) -> None:
    """Exactly one of department_id and portfolio_id, else Invalid naming them."""
    if department_id is not None and portfolio_id is not None:
        raise Invalid("Give department_id or portfolio_id, not both", [
            FieldError("department_id", "give either department_id or portfolio_id, not both"),
            FieldError("portfolio_id", "give either department_id or portfolio_id, not both")])
    if department_id is None and portfolio_id is None:
        raise Invalid("Give department_id or portfolio_id", [
            FieldError("department_id", "required unless portfolio_id is given"),
            FieldError("portfolio_id", "required unless department_id is given")])


class _Focus:
    """The pack's subject resolved: its nodes, its projects and where compliance comes from."""

    def __init__(self, subject: Subject, level: str, nodes: list[Node],
                 members: ColumnElement[bool], departments: list[int] | None) -> None:
        """Keep the parts."""
        self.subject, self.level, self.nodes = subject, level, nodes
        self.members, self.departments = members, departments


def _department_focus(session: Session, actor: Actor, department_id: int) -> _Focus:
    """A department and its subtree."""
    department = policy.access_pack_department_or_404(session, actor, department_id)
    subtree = repository.department_subtree(session, department.id)
    scope = and_(policy.node_scope(actor, "department"), Department.id.in_(subtree))
    nodes = repository.list_nodes(session, "department", scope)
    subject = Subject(kind="department", id=department.id, code=department.code,
                      name=department.name)
    return _Focus(subject, "department", nodes, Project.department_id.in_(subtree), subtree)


def _portfolio_focus(session: Session, actor: Actor, portfolio_id: int) -> _Focus:
    """A portfolio and its member projects."""
    portfolio = policy.access_pack_portfolio_or_404(session, actor, portfolio_id)
    node = Node(portfolio.id, portfolio.code, portfolio.name, None, portfolio.rollup_rule)
    owner = portfolio.department_id
    departments = None if owner is None else repository.department_subtree(session, owner)
    subject = Subject(kind="portfolio", id=portfolio.id, code=portfolio.code,
                      name=portfolio.name)
    return _Focus(subject, "portfolio", [node], repository.in_portfolio(portfolio.id),
                  departments)


def _focus(session: Session, actor: Actor, department_id: int | None,
           portfolio_id: int | None) -> _Focus:
    """The checked subject of a pack or matrix."""
    check_subject(department_id, portfolio_id)
    if department_id is not None:
        return _department_focus(session, actor, department_id)
    return _portfolio_focus(session, actor, portfolio_id or 0)


def get_matrix(session: Session, actor: Actor, department_id: int | None,
               portfolio_id: int | None, period: str | None = None,
               today: date | None = None,
               status: str = "active") -> tuple[Subject, list[MatrixRow], int]:
    """The RAG matrix alone (the page's heatmap): subject, worst projects, how many."""
    focus = _focus(session, actor, department_id, portfolio_id)
    month = resolve_month(session, period, today or date.today())
    projects = and_(policy.readable_projects(actor), focus.members)
    rows, total = _matrix(session, month, projects, MATRIX_ROWS, health.load_rule(session),
                          status)
    return focus.subject, rows, total


def get_pack(session: Session, actor: Actor, department_id: int | None,
             portfolio_id: int | None, period: str | None = None, rule: Rule | None = None,
             today: date | None = None, matrix_rows: int = MATRIX_ROWS,
             programme_rows: int = PROGRAMME_ROWS, status: str = "active") -> Pack:
    """The executive pack of one department or portfolio for a month.

    The RAG matrix lists the ``matrix_rows`` worst projects, and the programme section the
    ``programme_rows`` largest programmes by planned budget (the totals say how many there are).
    ``status`` picks active work (default), closed and cancelled work, or all; colours are the
    ones the charter says count, with the reported and derived ones beside them.
    """
    day = today or date.today()
    focus = _focus(session, actor, department_id, portfolio_id)
    month = resolve_month(session, period, day)
    projects = and_(policy.readable_projects(actor), focus.members)
    counts = health.load_rule(session)
    matrix, total = _matrix(session, month, projects, matrix_rows, counts, status)
    compliance = _compliance(session, month, focus.departments)
    programmes = _programmes(session, actor, month, projects, rule, counts, status)
    differing = repository.counted(session, month, projects, counts, status).differing
    rollup = level_rows(session, focus.level, month, focus.nodes, projects, rule, counts, status)
    return Pack(
        subject=focus.subject, period=month.label, previous_period=month.previous().label,
        rule=shown_rule(focus.level, rule), generated_on=day, status=status,
        health_basis=counts.basis, disagreements=differing,
        rollup=rollup,
        programmes=programmes[:programme_rows], programme_total=len(programmes),
        matrix=matrix, matrix_total=total, risks=_risks(session, month, projects),
        compliance=compliance,
        compliance_note=(f"Last compliance snapshot of {month.label}" if compliance
                         else f"Compliance: not measured in {month.label}"),
        departments=_departments(session, actor, focus, month, projects, rule, counts, status,
                                 rollup),
        trend=_trend(session, month, projects, counts, status),
        slips=[SlipRow(**asdict(s)) for s in repository_pack.top_slips(
            session, month, projects, TOP_SLIPS, status)],
        narrative=_narrative(session, month, projects, counts, status),
    )


def _departments(session: Session, actor: Actor, focus: _Focus, month: Month,
                 projects: ColumnElement[bool], rule: Rule | None, counts: HealthRule,
                 status: str, rollup: list[RollupRow]) -> list[RollupRow]:
    """The departments with projects in the pack: a department's roll-up is its own; a
    portfolio's projects are rolled up by the departments that run them."""
    if focus.level != "department":
        nodes = repository.list_nodes(session, "department",
                                      policy.node_scope(actor, "department"))
        rollup = level_rows(session, "department", month, nodes, projects, rule, counts, status)
    return [row for row in rollup if row.count]


def _trend(session: Session, month: Month, projects: ColumnElement[bool],
           counts: HealthRule, status: str) -> list[TrendPoint]:
    """The subject's projects per colour in each of the last months (each project once: by
    its department, whatever the subject)."""
    months = [month]
    while len(months) < TREND_MONTHS:
        months.append(months[-1].previous())
    points = []
    for each in reversed(months):
        tally = dict.fromkeys(("green", "amber", "red", "unknown"), 0)
        for row in repository.status_rows(session, "department", each, projects, counts,
                                          status):
            colour = row.colour if row.colour in tally else "unknown"
            tally[colour] += row.count
        points.append(TrendPoint(period=each.label, counts=ColourCounts(**tally)))
    return points


def _narrative(session: Session, month: Month, projects: ColumnElement[bool],
               counts: HealthRule, status: str) -> list[NarrativeRow]:
    """The red, then amber projects' latest achievements and decisions needed, trimmed."""
    return [NarrativeRow(
        project_id=n.project_id, code=n.code, name=n.name, department=n.department,
        health=n.health, reported_for=n.reported_for,
        achievements=trim(n.achievements.strip(), NARRATIVE_CHARS),
        decisions_needed=trim(n.decisions_needed.strip(), NARRATIVE_CHARS))
        for n in repository_pack.worst_narratives(session, month, projects, NARRATIVES,
                                                  counts, status)]


def _programmes(session: Session, actor: Actor, month: Month, projects: ColumnElement[bool],
                rule: Rule | None, counts: HealthRule, status: str) -> list[RollupRow]:
    """The programmes the subject's projects belong to, this month or the month before."""
    nodes = repository.list_nodes(session, "programme", policy.node_scope(actor, "programme"))
    rows = level_rows(session, "programme", month, nodes, projects, rule, counts, status)
    shown = [row for row in rows if row.count or row.previous_colour != "unknown"]
    return sorted(shown, key=lambda row: (-row.planned, row.code))


def _matrix(session: Session, month: Month, projects: ColumnElement[bool], limit: int,
            counts: HealthRule, status: str) -> tuple[list[MatrixRow], int]:
    """The worst ``limit`` projects' latest colours, and how many projects have one."""
    entries, total = repository.rag_matrix(session, month, projects, limit, counts, status)
    rows = [MatrixRow(project_id=e.project_id, code=e.code, name=e.name,
                      department=e.department, overall=e.overall, reported=e.reported,
                      derived=e.derived, dimensions=e.dimensions,
                      reported_for=e.reported_for, carried_forward=e.reported_for < month.start,
                      planned=e.planned)
            for e in entries]
    return rows, total


def _risks(session: Session, month: Month, projects: ColumnElement[bool]) -> list[RiskRow]:
    """The top open risks by score."""
    return [RiskRow(id=r[0], project_code=r[1], project_name=r[2], title=r[3],
                    probability=r[4], impact=r[5], score=r[6], owner=r[7], response=r[8],
                    due_on=r[9])
            for r in repository.top_risks(session, month, projects, TOP_RISKS)]


def _compliance(session: Session, month: Month,
                departments: list[int] | None) -> list[ComplianceRow]:
    """The month's last compliance snapshots of the departments (None: the enterprise)."""
    return [ComplianceRow(department_id=r[0], code=r[1] or "", name=r[2] or ENTERPRISE,
                          taken_on=r[3], score=r[4], projects=r[5], blocking=r[6],
                          warnings=r[7])
            for r in repository.compliance_rows(session, month, departments)]
