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

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.errors import FieldError, Invalid
from epmo.imports import policy, readers, writers
from epmo.imports.columns import Layout, match_columns, suggestions
from epmo.imports.core import Context, Problems, Row
from epmo.imports.demand_rows import import_demand
from epmo.imports.entities import ENTITIES, Entity, get_entity
from epmo.imports.org_rows import plan_departments, plan_people
from epmo.imports.portfolio_rows import plan_programmes, plan_projects
from epmo.imports.schemas import ColumnInfo, EntityInfo, ImportReport, ImportWarning
from epmo.imports.strategy_rows import plan_goals
from epmo.imports.writes import Plan, execute
from epmo.network.capture import mark_source
from epmo.reporting import health_store
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
    sheet: str | None = None,
) -> ImportReport:
    """Check a whole file and, unless it is a dry run, create and update its rows."""
    spec = get_entity(entity)
    policy.require_import(actor, spec)
    table = readers.read_table(filename, data, sheet)
    layout = match_columns(spec, table, mapping)
    problems = Problems(layout.headers, filename)
    rows = parse_rows(spec, table, layout, problems)
    if spec.name == "project_demand":  # lines, not records with codes: their own import
        return import_demand(Context(session, actor, spec, problems), rows,
                             (filename, len(table.rows)), dry_run)
    plan = PLANNERS[spec.name](Context(session, actor, spec, problems), rows)
    problems.raise_if_any()
    report = _report(spec, filename, len(table.rows), plan, dry_run)
    report.warnings = [ImportWarning(row=w.row or 0, field=w.field, message=w.message)
                       for w in problems.warnings]
    if not dry_run:
        mark_source(session, "import", f"import {filename}")  # names the change events
        execute(session, plan)
        if spec.name == "projects":  # dates, money and tier may have changed
            health_store.refresh_projects(session, [item.obj.id for item in plan.items if item.obj])
    return report


def parse_rows(entity: Entity, table: readers.Table, layout: Layout,
               problems: Problems) -> list[Row]:
    """Validate every row with the entity's row model; report bad cells and repeated codes."""
    validate = entity.row_model.model_validate
    width = len(table.headers)
    first_row: dict[str, int] = {}
    rows = []
    for number, cells in table.rows:
        if any(cell is not None for cell in cells[width:]):
            problems.add(number, "(after the last column)", "has values but no header")
        raw = {field: cells[i] if i < len(cells) else None for i, field in layout.fields.items()}
        try:
            values = validate(raw).model_dump(include=set(raw))
        except ValidationError as exc:
            _report_cells(entity, number, raw, exc, problems)
            continue
        row = Row(number, values)
        if entity.key != "code" or _unique_code(row, first_row, problems):
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


def _unique_code(row: Row, first_row: dict[str, int], problems: Problems) -> bool:
    code = row.values.get("code")
    if code is None:
        problems.add(row.number, "code", "may not be empty")
        return False
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
