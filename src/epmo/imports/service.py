"""Import an inventory file, all or nothing: read, match columns, check every row, then write.

Nothing is written unless every row of the file is good; otherwise Invalid lists each
problem by row (as the file numbers it, the header being row 1) and column (as the file
names it). Rows are matched to stored records on their code: a known code updates, any
other creates. Writes go through the ORM so the audit log records each of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.db import work_of
from epmo.errors import FieldError, Invalid
from epmo.files import readers, writers
from epmo.files.columns import Layout, match_columns, suggestions
from epmo.files.entities import Entity
from epmo.files.problems import Problems, Row
from epmo.imports import new_departments, outcome, policy
from epmo.imports.conversions import Reader
from epmo.imports.core import Context
from epmo.imports.demand_rows import import_demand
from epmo.imports.entities import ENTITIES, get_entity
from epmo.imports.org_rows import plan_departments, plan_people
from epmo.imports.portfolio_rows import plan_programmes, plan_projects
from epmo.imports.profile_schemas import ProfileBody
from epmo.imports.profiles import entity_of
from epmo.imports.schemas import ColumnInfo, EntityInfo, ImportReport
from epmo.imports.snapshots import SNAPSHOTS, ReportItem, latest_rows, plan_reports, write_reports
from epmo.imports.strategy_rows import plan_goals
from epmo.imports.writes import Plan, execute
from epmo.schema_kit import reason_of

Planner = Callable[[Context, list[Row]], Plan]
PLANNERS: dict[str, Planner] = {
    "departments": plan_departments,
    "people": plan_people,
    "goals": plan_goals,
    "programmes": plan_programmes,
    "projects": plan_projects,
}
FRIENDLY = {
    "string_pattern_mismatch": "use only letters, digits, '.', '_' and '-'",
}


def import_file(
    session: Session, actor: Actor, entity: str, filename: str, data: bytes,
    mapping: Mapping[str, str | None] | None = None, dry_run: bool = False, *,
    sheet: str | None = None, profile: ProfileBody | None = None, today: date | None = None,
) -> ImportReport:
    """Check a whole file and, unless it is a dry run, create and update its rows.

    A ``profile`` says how to read the file (its mapping comes first; ``mapping`` overrides
    it column by column), may ask for snapshot mode and for missing departments.
    """
    spec = get_entity(entity)
    policy.require_import(actor, spec)
    if profile is not None:
        spec = entity_of(spec, profile)
    table = readers.read_table(filename, data, sheet)
    layout = match_columns(spec, table, {**(profile.columns if profile else {}), **(mapping or {})})
    problems = Problems(layout.headers, filename)
    reader = Reader(spec, profile, set(layout.headers)) if profile is not None else None
    rows = parse_rows(spec, table, layout, problems, reader)
    ctx = Context(session, actor, spec, problems)
    if spec.name == "project_demand":  # lines, not records with codes: their own import
        return import_demand(ctx, rows, (filename, len(table.rows)), dry_run)
    today = today or date.today()
    plan, reports = _plan(ctx, rows, profile, today)
    problems.raise_if_any()
    report = _report(spec, filename, len(table.rows), plan, dry_run)
    outcome.add_details(report, plan, reports, problems, sorted(ctx.new_departments))
    if not dry_run:
        work_of(session).mark_source("import", f"import {filename}")  # names the change events
        new_departments.create_departments(session, actor, ctx.new_departments, plan)
        execute(session, plan)
        write_reports(session, actor, reports, plan, today)
    return report


def _plan(ctx: Context, rows: list[Row], profile: ProfileBody | None,
          today: date) -> tuple[Plan, list[ReportItem]]:
    """The record writes and, for snapshots, the status reports the rows ask for."""
    if profile is not None and profile.create_departments:
        new_departments.plan_new_departments(ctx, rows)
    if ctx.entity is not SNAPSHOTS:
        return PLANNERS[ctx.entity.name](ctx, rows), []
    register, dated = latest_rows(ctx, rows)
    plan = plan_projects(ctx, register)
    return plan, plan_reports(ctx, dated, plan, today)


def parse_rows(entity: Entity, table: readers.Table, layout: Layout, problems: Problems,
               reader: Reader | None = None) -> list[Row]:
    """Validate every row with the entity's row model; report bad cells and repeated codes.

    A ``reader`` (from an import profile) first maps the file's words, dates and numbers.
    """
    validate = entity.row_model.model_validate
    width = len(table.headers)
    first_row: dict[str, int] = {}
    rows = []
    for number, cells in table.rows:
        if any(cell is not None for cell in cells[width:]):
            problems.add(number, "(after the last column)", "has values but no header")
        raw: dict[str, Any] | None = {
            field: cells[i] if i < len(cells) else None for i, field in layout.fields.items()}
        if reader is not None and raw is not None:
            raw = reader.read(number, raw, problems)
        if raw is None:
            continue
        try:
            values = validate(raw).model_dump(include=set(raw))
        except ValidationError as exc:
            _report_cells(entity, number, raw, exc, problems)
            continue
        row = Row(number, values)
        if entity.key != "code" or _unique_code(row, first_row, problems, entity is not SNAPSHOTS):
            rows.append(row)
    return rows


def _report_cells(entity: Entity, number: int, raw: Mapping[str, object],
                  exc: ValidationError, problems: Problems) -> None:
    """Report the bad cells and, since the row goes no further, its empty required ones."""
    bad = set()
    for error in exc.errors():
        bad.add(str(error["loc"][0]))
        problems.add(number, str(error["loc"][0]), _message(error))
    for field, value in raw.items():
        if value is None and field not in bad and entity.column(field).required:
            problems.add(number, field, "may not be empty")


def _unique_code(row: Row, first_row: dict[str, int], problems: Problems,
                 unique: bool = True) -> bool:
    code = row.values.get("code")
    if code is None:
        problems.add(row.number, "code", "may not be empty")
        return False
    if not unique:  # snapshots: a code on many rows, but each needs its date
        if row.values.get("as_of") is None:
            problems.add(row.number, "as_of", "may not be empty")
            return False
        return True
    if code in first_row:
        problems.add(row.number, "code", f"{code} is also on row {first_row[code]}")
        return False
    first_row[code] = row.number
    return True


def _message(error: ErrorDetails) -> str:
    if error["type"] in FRIENDLY:
        return FRIENDLY[error["type"]]
    message = reason_of(error)
    if len(error["loc"]) > 1:
        message = f"{error['loc'][1]}: {message}"
    return message


def _report(entity: Entity, filename: str, rows: int, plan: Plan, dry_run: bool) -> ImportReport:
    created = [item.code for item in plan.items if item.obj is None]
    updated = [item.code for item in plan.items
               if item.obj is not None and item.changed(plan.stored)]
    return ImportReport(
        entity=entity.name, filename=filename, rows=rows, created=len(created),
        updated=len(updated), unchanged=len(plan.items) - len(created) - len(updated),
        dry_run=dry_run, created_codes=created, updated_codes=updated,
    )


# --- templates and column help -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Download:
    """A file to send: its name, media type and bytes."""

    filename: str
    media_type: str
    content: bytes


def template(entity: str, file_format: str) -> Download:
    """The template of ``entity``: csv, xlsx (with a notes sheet) or the notes alone as CSV."""
    spec = get_entity(entity)
    builders = {"csv": writers.template_csv, "xlsx": writers.template_xlsx,
                "notes": writers.notes_csv}
    if file_format not in builders:
        raise Invalid("Unknown template format",
                      [FieldError("format", f"must be one of {', '.join(builders)}")])
    suffix = "notes.csv" if file_format == "notes" else f"template.{file_format}"
    return Download(f"epmo-{spec.name}-{suffix}", writers.FORMATS[file_format],
                    builders[file_format](spec))


def describe(entity: Entity) -> EntityInfo:
    """An entity's columns, what they mean and where its templates are."""
    base = f"/api/v1/imports/{entity.name}/template?format="
    return EntityInfo(
        entity=entity.name, label=entity.label, who=entity.who,
        columns=[ColumnInfo(name=c.name, required=c.required, meaning=c.meaning,
                            example=writers.as_text(c.example)) for c in entity.columns],
        templates={kind: base + kind for kind in writers.FORMATS},
    )


def list_entities() -> list[EntityInfo]:
    """Every importable entity, in the order to import them."""
    return [describe(entity) for entity in ENTITIES.values()]


def parse_mapping(text: str | None) -> dict[str, str | None] | None:
    """Read a column mapping sent as JSON text: {"their header": "our_field" or ""}."""
    if text is None or not text.strip():
        return None
    try:
        mapping = json.loads(text)
    except ValueError as exc:
        raise _bad_mapping(f"is not valid JSON ({exc})") from None
    if not isinstance(mapping, dict) or not all(
            isinstance(key, str) and (value is None or isinstance(value, str))
            for key, value in mapping.items()):
        raise _bad_mapping('must be a JSON object like {"their header": "our_field"}')
    return mapping


def _bad_mapping(message: str) -> Invalid:
    return Invalid(f"The column mapping {message}", [FieldError("mapping", message)])


def preview_columns(entity: str, filename: str, data: bytes,
                    sheet: str | None = None) -> dict[str, str]:
    """The file's headers, each with the field it matches by itself ("" when none)."""
    spec = get_entity(entity)
    return suggestions(spec, readers.read_table(filename, data, sheet).headers)
