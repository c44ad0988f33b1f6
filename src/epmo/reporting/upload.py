"""Status reports of many projects from one CSV or Excel file, all or nothing.

The file is read and reported on with the file kit the inventory import uses too
(``files.readers``, ``files.problems.Problems``, ``files.writers`` for the template): any bad
row rejects the whole file with every problem by row and column, and nothing is stored. Under
supportive authority contract shortfalls are warnings; under controlling or directive they are
problems.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationError
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.errors import FieldError, Forbidden, Invalid
from epmo.files import readers, writers
from epmo.files.cells import CodeCell, DayCell, RowModel, TextCell, as_choice
from epmo.files.columns import column_letter, header_key
from epmo.files.entities import Column, Entity
from epmo.files.problems import Problems, Row
from epmo.portfolio.models import Project
from epmo.portfolio.policy import READ_ONLY_ROLES
from epmo.portfolio.schemas import Budget, Health
from epmo.reporting import policy, repository
from epmo.reporting.governance import (
    Governance,
    Rules,
    choose_period,
    lateness,
    period_field,
    shortfalls,
)
from epmo.reporting.periods import Period
from epmo.reporting.schemas import DIMENSION_FIELDS, NARRATIVE_FIELDS, UploadProblem, UploadReport
from epmo.reporting.service import duplicate_message, forecast_errors, store_report
from epmo.schema_kit import reason_of

Colour = Annotated[Health, BeforeValidator(as_choice)]
RAG = "green, amber or red"


class ReportCells(RowModel):
    """The cells of a status report every file kind shares: dimension colours and texts (the
    report upload here, a snapshot row of a projects import)."""

    schedule: Colour | None = None
    cost: Colour | None = None
    scope: Colour | None = None
    risk: Colour | None = None
    resources: Colour | None = None
    achievements: TextCell | None = None
    next_steps: TextCell | None = None
    decisions_needed: TextCell | None = None
    key_risks: TextCell | None = None
    key_issues: TextCell | None = None


class StatusReportRow(ReportCells):
    """A row of a status report file."""

    project_code: CodeCell | None = None
    period_start: DayCell | None = None
    period: DayCell | None = None
    overall: Colour | None = None
    forecast_finish: DayCell | None = None
    forecast_cost: Budget | None = None


_EXAMPLES = {"schedule": "amber", "cost": "green", "scope": "green", "risk": "amber",
             "resources": "green", "achievements": "Pilot site live",
             "next_steps": "Roll out to two more sites", "decisions_needed": "",
             "key_risks": "Supplier delivery slips", "key_issues": ""}
COLUMNS = (
    Column("project_code", "Code of the project (one you may report on).", "PRJ-0001",
           empty="required"),
    Column("period_start", "First day of the reporting period under the project's cadence: a "
           "Monday (weekly), the Monday of an odd ISO week (fortnightly) or the 1st of a month "
           "(monthly). Fill this or period.", date(2025, 12, 1), "date"),
    Column("period", "Any day in the reporting period, instead of period_start.", "", "date"),
    Column("overall", f"Overall health: {RAG}.", "amber", empty="required"),
    *(Column(name, f"{name.title()} RAG: {RAG}; needed when the project's reporting contract "
             "requires this dimension.", _EXAMPLES[name]) for name in DIMENSION_FIELDS),
    *(Column(name, f"{name.replace('_', ' ').capitalize()}: free text.", _EXAMPLES[name],
             empty="blank") for name in NARRATIVE_FIELDS),
    Column("forecast_finish", "Forecast finish date (YYYY-MM-DD or an Excel date); sets the "
           "project's forecast finish.", date(2026, 6, 30), "date"),
    Column("forecast_cost", "Forecast total cost, a number >= 0 with up to 2 decimals; sets the "
           "project's forecast budget.", Decimal(260_000), "money"),
)
ENTITY = Entity("status_reports", "Status reports", "Whoever may change the projects",
                COLUMNS, StatusReportRow)
TEMPLATES = {"csv": writers.template_csv, "xlsx": writers.template_xlsx,
             "notes": writers.notes_csv}
REPORT_FIELDS = (*(c.name for c in COLUMNS[3:]),)


@dataclass(frozen=True, slots=True)
class Planned:
    """A checked row, ready to store."""

    row: int
    project: Project
    period: Period
    values: dict[str, Any]
    field: str  # the column that named the period


def template(file_format: str) -> tuple[str, str, bytes]:
    """The upload template as (file name, media type, content): csv, xlsx or notes."""
    if file_format not in TEMPLATES:
        raise Invalid("Unknown template format",
                      [FieldError("format", f"must be one of {', '.join(TEMPLATES)}")])
    suffix = "notes.csv" if file_format == "notes" else f"template.{file_format}"
    return (f"epmo-status-reports-{suffix}", writers.FORMATS[file_format],
            TEMPLATES[file_format](ENTITY))


# --- reading ----------------------------------------------------------------------------


def match_columns(table: readers.Table) -> dict[int, str]:
    """Each column's field; refuse unknown, repeated and missing columns, naming each."""
    fields: dict[int, str] = {}
    errors: list[FieldError] = []
    for index, header in enumerate(table.headers):
        key = header_key(header) if header else ""
        if not key:
            if any(index < len(cells) and cells[index] is not None for _, cells in table.rows):
                errors.append(FieldError(f"column {column_letter(index)}",
                                         "has values but no header", table.header_row))
        elif key not in ENTITY.by_name:
            errors.append(FieldError(header, "is not a column of the status report template",
                                     table.header_row))
        elif key in fields.values():
            errors.append(FieldError(header, f"is {key} again", table.header_row))
        else:
            fields[index] = key
    present = set(fields.values())
    needed = ["project_code", "overall"] + ([] if present & {"period_start", "period"}
                                            else ["period_start"])
    errors += [FieldError(name, f"the file has no {name} column", table.header_row)
               for name in needed if name not in present]
    if errors:
        raise Invalid("The header row does not match the status report template; nothing was "
                      "imported", errors, {"columns": list(ENTITY.field_names)})
    return fields


def parse_rows(table: readers.Table, fields: Mapping[int, str],
               problems: Problems) -> list[Row]:
    """Validate every row's cells; report bad cells and empty required ones."""
    rows = []
    for number, cells in table.rows:
        if any(cell is not None for cell in cells[len(table.headers):]):
            problems.add(number, "(after the last column)", "has values but no header")
        raw = {field: cells[i] if i < len(cells) else None for i, field in fields.items()}
        try:
            values = StatusReportRow.model_validate(raw).model_dump(include=set(raw))
        except ValidationError as exc:
            for error in exc.errors():
                problems.add(number, str(error["loc"][0]), reason_of(error))
            continue
        missing = [name for name in ("project_code", "overall") if values.get(name) is None]
        for name in missing:
            problems.add(number, name, "may not be empty")
        if not missing:
            rows.append(Row(number, values))
    return rows


# --- checking ---------------------------------------------------------------------------


class Checker:
    """Checks rows against projects, periods, the database and the charter."""

    def __init__(self, session: Session, actor: Actor, problems: Problems, today: date) -> None:
        self.session, self.actor, self.problems, self.today = session, actor, problems, today
        self.governance = Governance(session)
        self.warnings: list[UploadProblem] = []
        self.seen: dict[tuple[int, date], int] = {}

    def project(self, row: Row, projects: Mapping[str, Project]) -> tuple[Project, Rules] | None:
        """The row's project if the actor may report on it, with its rules."""
        code = row.values["project_code"]
        project = projects.get(code)
        if project is None or not policy.can_write(self.actor, project):
            self.problems.add(row.number, "project_code", f"project {code} not found")
            return None
        rules = self.governance.rules(project)
        refusal = policy.submit_refusal(self.actor, project, rules.authority)
        if refusal is not None:
            self.problems.add(row.number, "project_code", refusal)
            return None
        return project, rules

    def check(self, row: Row, project: Project, rules: Rules) -> Planned | None:
        """The row's period, uniqueness in the file, forecasts and contract shortfalls."""
        values = row.values
        period = choose_period(rules.cadence, values.get("period_start"), values.get("period"),
                               self.today)
        if isinstance(period, FieldError):
            self.problems.add(row.number, period.field, period.message)
            return None
        key = (project.id, period.start)
        if key in self.seen:
            self.problems.add(row.number, "project_code", f"{project.code} {period.label} is "
                              f"also on row {self.seen[key]}")
            return None
        self.seen[key] = row.number
        report = {name: values.get(name) for name in REPORT_FIELDS}
        report |= {name: report[name] or "" for name in NARRATIVE_FIELDS}
        for error in forecast_errors(project, report):
            self.problems.add(row.number, error.field, error.message)
        self._shortfalls(row.number, rules, report, period, period_field(values))
        return Planned(row.number, project, period, report, period_field(values))

    def _shortfalls(self, number: int, rules: Rules, values: Mapping[str, Any],
                    period: Period, field: str) -> None:
        for late in lateness(rules, period, self.today, field):
            column = self.problems.headers.get(late.field, late.field)
            self.warnings.append(UploadProblem(row=number, column=column, message=late.message))
        if rules.authority == "none":
            return
        for error in shortfalls(rules, values):
            if rules.blocking:
                self.problems.add(number, error.field, f"{error.message} ({rules.authority} "
                                  "authority)")
            else:
                column = self.problems.headers.get(error.field, error.field)
                self.warnings.append(UploadProblem(row=number, column=column,
                                                   message=error.message))

    def duplicates_in_database(self, planned: list[Planned]) -> None:
        """Rows whose project already has a report for the period."""
        stored = repository.existing_periods(
            self.session, [(p.project.id, p.period.start) for p in planned])
        for item in planned:
            if (item.project.id, item.period.start) in stored:
                self.problems.add(item.row, item.field,
                                  duplicate_message(item.project, item.period))


def upload_reports(session: Session, actor: Actor, filename: str, data: bytes, *,
                   today: date | None = None) -> UploadReport:
    """Check a whole file of status reports and store them all, or refuse it listing why."""
    if actor.role in READ_ONLY_ROLES:
        raise Forbidden("Your role only reads; status reports are submitted by those who may "
                        "change the projects")
    table = readers.read_table(filename, data)
    fields = match_columns(table)
    problems = Problems({field: table.headers[i] for i, field in fields.items()}, filename)
    rows = parse_rows(table, fields, problems)
    checker = Checker(session, actor, problems, today or date.today())
    projects = repository.projects_by_code(session, [r.values["project_code"] for r in rows])
    planned = []
    for row in rows:
        found = checker.project(row, projects)
        item = found and checker.check(row, *found)
        if item:
            planned.append(item)
    checker.duplicates_in_database(planned)
    problems.raise_if_any()
    for item in planned:
        store_report(session, actor, item.project, item.period, item.values, "upload")
    return UploadReport(filename=filename, rows=len(table.rows), stored=len(planned),
                        projects=len({p.project.id for p in planned}),
                        warnings=checker.warnings)
