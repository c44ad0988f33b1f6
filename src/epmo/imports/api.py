"""REST endpoints of the imports domain (/api/v1/imports)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, Response, UploadFile

from epmo import events
from epmo.files.readers import read_upload
from epmo.imports import policy, profiles, service
from epmo.imports.entities import get_entity
from epmo.imports.profile_schemas import ProfileCreate, ProfileRead, ProfileUpdate
from epmo.imports.schemas import EntityInfo, ImportReport
from epmo.web.deps import DB, CurrentActor, PathId

router = APIRouter(tags=["imports"])
TemplateFormat = Literal["csv", "xlsx", "notes"]


def download(item: service.Download) -> Response:
    """Send a file as an attachment."""
    return Response(item.content, media_type=item.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{item.filename}"'})


# --- profiles (declared before /imports/{entity}, which would take "profiles" as an entity) --


@router.get("/imports/profiles", response_model=list[ProfileRead])
def list_profiles(session: DB, actor: CurrentActor, entity: str | None = None) -> object:
    """Saved import profiles of the entities you may import (of one entity, if given)."""
    return profiles.list_profiles(session, actor, entity)


@router.post("/imports/profiles", response_model=ProfileRead, status_code=201)
def create_profile(session: DB, actor: CurrentActor, body: ProfileCreate) -> object:
    """Save a profile: mapping, value words, date and number formats, defaults, modes."""
    return profiles.create_profile(session, actor, body)


@router.get("/imports/profiles/{profile_id}", response_model=ProfileRead)
def get_profile(session: DB, actor: CurrentActor, profile_id: PathId) -> object:
    """One saved profile."""
    return policy.access_profile_or_404(session, actor, profile_id)


@router.put("/imports/profiles/{profile_id}", response_model=ProfileRead)
def update_profile(session: DB, actor: CurrentActor, profile_id: PathId,
                   body: ProfileUpdate) -> object:
    """Rename a profile or replace its body; send the ``version`` you read."""
    return profiles.update_profile(session, actor, profile_id, body)


@router.delete("/imports/profiles/{profile_id}", status_code=204)
def delete_profile(session: DB, actor: CurrentActor, profile_id: PathId,
                   version: Annotated[int, Query()]) -> Response:
    """Delete a profile; pass ``?version=`` of what you read."""
    profiles.delete_profile(session, actor, profile_id, version)
    return Response(status_code=204)


# --- entities and files -------------------------------------------------------------------


@router.get("/imports", response_model=list[EntityInfo])
def list_importable(actor: CurrentActor) -> object:
    """What can be imported, in the order to import it, with each file's columns."""
    return service.list_entities()


@router.get("/imports/{entity}", response_model=EntityInfo)
def describe_entity(actor: CurrentActor, entity: str) -> object:
    """The columns of one entity's import file and links to its templates."""
    return service.describe(get_entity(entity))


@router.get("/imports/{entity}/template")
def download_template(
    actor: CurrentActor, entity: str,
    format: Annotated[TemplateFormat, Query(
        description="csv, xlsx (with a notes sheet) or notes (the column notes as CSV)")] = "csv",
) -> Response:
    """A template: the header row and one example row, ready to fill in and import."""
    return download(service.template(entity, format))


@router.post("/imports/{entity}", response_model=ImportReport)
def import_entity(
    session: DB, actor: CurrentActor, entity: str,
    file: Annotated[UploadFile, File(description="A CSV (UTF-8, ';' or ',') or Excel file")],
    mapping: Annotated[str | None, Form(
        description='JSON {"their header": "our_field"}; "" ignores a column')] = None,
    dry_run: Annotated[bool, Form(description="Check only; change nothing")] = False,
    sheet: Annotated[str | None, Form(description="Workbook sheet (default: the first)")] = None,
    profile: Annotated[str | None, Form(
        description="A saved profile's name, or a profile body as JSON")] = None,
) -> object:
    """Import a file, all or nothing: 200 with what changed, or 422 listing every bad cell."""
    report = service.import_file(
        session, actor, entity, file.filename or "upload", read_upload(file.file),
        service.parse_mapping(mapping), dry_run, sheet=sheet or None,
        profile=profiles.resolve(session, actor, entity, profile),
    )
    return report if dry_run else report.model_copy(
        update={"change_events": events.changes_caused(session)})
