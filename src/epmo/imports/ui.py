"""The import page: choose what the file holds, upload, map columns, see problems or a summary."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.errors import EpmoError
from epmo.files.entities import Entity
from epmo.files.readers import read_upload
from epmo.imports import policy, profiles, service
from epmo.imports.entities import ENTITIES, get_entity
from epmo.imports.profile_schemas import ProfileBody
from epmo.imports.schemas import ImportReport
from epmo.web.deps import DB, CurrentActor, check_csrf_form
from epmo.web.pages import flash, flash_redirect, form_action, redirect, render

router = APIRouter(include_in_schema=False)
CSRF = Depends(check_csrf_form)
NOT_CHOSEN = "?"


def _page(request: Request, session: Session, actor: Actor, entity: Entity, status: int = 200,
          **context: Any) -> Response:
    base: dict[str, Any] = {
        "profiles": profiles.list_profiles(session, actor), "profile": None, "preview": None,
        "entities": service.list_entities(), "entity": service.describe(entity),
        "allowed": {name: policy.can_import(actor, e) for name, e in ENTITIES.items()},
        "fields": list(entity.field_names), "error": None, "columns": None, "mapping": None,
        "unmapped": None, "preview_error": None, "sheet": None, "dry_run": False,
    }
    return render(request, "imports/page.html", actor, status, **(base | context))


@router.get("/imports")
def imports_page(request: Request, session: DB, actor: CurrentActor,
                 entity: str = "projects") -> Response:
    """The upload form, the profiles, the templates and what each column means."""
    return _page(request, session, actor, ENTITIES.get(entity, ENTITIES["projects"]))


def _mapping(headers: list[str] | None, fields: list[str] | None) -> dict[str, str | None] | None:
    # Columns still on "choose" stay out of the mapping, so the import asks about them again.
    pairs = zip(headers or [], fields or [], strict=False)
    chosen: dict[str, str | None] = {h: f for h, f in pairs if f != NOT_CHOSEN}
    return chosen if headers else None


MAX_FLASHED = 10  # warnings shown after an import; the API report lists them all


def summary(report: ImportReport) -> str:
    """One line telling what an import did (or would do)."""
    if report.dry_run:
        return (f"Dry run of {report.filename}: would create {report.created}, update "
                f"{report.updated}, leave {report.unchanged} unchanged; nothing was changed")
    return (f"Imported {report.filename}: {report.created} {report.entity} created, "
            f"{report.updated} updated, {report.unchanged} unchanged")


@router.post("/imports", dependencies=[CSRF])
def import_upload(
    request: Request, session: DB, actor: CurrentActor, entity: Annotated[str, Form()],
    file: Annotated[UploadFile, File()], dry_run: Annotated[bool, Form()] = False,
    sheet: Annotated[str | None, Form()] = None,
    map_header: Annotated[list[str] | None, Form()] = None,
    map_field: Annotated[list[str] | None, Form()] = None,
    profile: Annotated[str | None, Form()] = None,
) -> Response:
    """Import the uploaded file; on problems show them (or the column mapping step); a dry
    run shows, row by row, what the import would create and change."""
    spec = get_entity(entity)
    mapping = _mapping(map_header, map_field)

    def again(exc: EpmoError) -> Response:
        unmapped = exc.extra.get("unmapped")
        return _page(request, session, actor, spec, exc.status, error=exc, sheet=sheet,
                     dry_run=dry_run, columns=exc.extra.get("columns") if unmapped else None,
                     mapping=mapping, unmapped=unmapped, profile=profile)

    def done(report: ImportReport) -> Response:
        flash(request, summary(report))
        if report.dry_run:
            return _page(request, session, actor, spec, preview=report, dry_run=True,
                         profile=profile, sheet=sheet)
        for warning in report.warnings[:MAX_FLASHED]:
            flash(request, f"Warning (row {warning.row}, {warning.field}): {warning.message}")
        if len(report.warnings) > MAX_FLASHED:
            flash(request, f"... and {len(report.warnings) - MAX_FLASHED} more warnings")
        return redirect(f"/imports?entity={spec.name}")
    def write() -> ImportReport:
        body = profiles.resolve(session, actor, spec.name, profile)
        return service.import_file(session, actor, spec.name, file.filename or "upload",
                                   read_upload(file.file), mapping, dry_run,
                                   sheet=sheet or None, profile=body)
    return form_action(session, write, again, done)


@router.post("/imports/profiles", dependencies=[CSRF])
def save_mapping(
    request: Request, session: DB, actor: CurrentActor, entity: Annotated[str, Form()],
    save_as: Annotated[str, Form()], profile: Annotated[str | None, Form()] = None,
    map_header: Annotated[list[str] | None, Form()] = None,
    map_field: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Save the column mapping chosen on the page (over the chosen profile) as a profile."""
    spec = get_entity(entity)

    def again(exc: EpmoError) -> Response:
        return _page(request, session, actor, spec, exc.status, error=exc, profile=profile)

    def write() -> str:
        base = profiles.resolve(session, actor, spec.name, profile) or ProfileBody()
        columns = {k: v or "" for k, v in (_mapping(map_header, map_field) or {}).items()}
        body = base.model_copy(update={"columns": base.columns | columns})
        data = profiles.new_profile(save_as, spec.name, body)
        return profiles.create_profile(session, actor, data).name
    return form_action(session, write, again, lambda name: flash_redirect(
        request, f"Saved import profile {name}", f"/imports?entity={spec.name}"))


@router.post("/imports/columns", dependencies=[CSRF])
def import_columns(
    request: Request, actor: CurrentActor, entity: Annotated[str, Form()],
    file: Annotated[UploadFile | None, File()] = None,
    sheet: Annotated[str | None, Form()] = None,
) -> Response:
    """htmx: the chosen file's columns, each with a select of our fields."""
    spec = get_entity(entity)
    context: dict[str, Any] = {"fields": list(spec.field_names), "mapping": None,
                               "unmapped": None, "columns": None, "preview_error": None}
    if file is not None and file.filename:
        try:
            context["columns"] = service.preview_columns(spec.name, file.filename,
                                                         read_upload(file.file), sheet or None)
        except EpmoError as exc:
            context["preview_error"] = exc
    return render(request, "imports/_mapping.html", actor, **context)
