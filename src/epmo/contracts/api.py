"""REST endpoints of the contracts domain (/api/v1): tiers, reporting contracts, department
methods, a project's effective terms and its artefacts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ValidationError
from starlette.datastructures import UploadFile

from epmo.config import get_settings
from epmo.contracts import artefacts, policy, repository, service, views
from epmo.contracts.models import ReportingContract
from epmo.contracts.schemas import (
    ArtefactLink,
    ArtefactRead,
    ArtefactUpload,
    ContractRead,
    ContractUpdate,
    MethodRead,
    MethodUpdate,
    TermsRead,
    TierRuleRead,
    TierRulesResult,
    TierRulesUpdate,
)
from epmo.editing import paginate
from epmo.errors import FieldError, Invalid, NotFound
from epmo.schema_kit import PageOf, field_errors
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, Version

router = APIRouter(tags=["contracts"])
TierPath = Annotated[int, Path(ge=1, le=4, description="1 (most demanding) .. 4")]
ARTEFACT_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"$ref": "#/components/schemas/ArtefactLink"}},
    "multipart/form-data": {"schema": {"type": "object", "required": ["kind", "file"],
                                       "properties": {
                                           "kind": {"type": "string"},
                                           "stage": {"type": "string"},
                                           "title": {"type": "string"},
                                           "file": {"type": "string", "format": "binary"}}}},
}}}


def validated(model: type[BaseModel], data: Any) -> Any:
    """Validate input with a schema, naming each bad field (as request validation does)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = field_errors(exc.errors())
        raise Invalid("; ".join(e.message for e in errors), errors) from exc


def contract_reads(session: DB, contracts: Sequence[ReportingContract]) -> list[ContractRead]:
    """Contracts with their tier names."""
    names = {rule.tier: rule.name for rule in repository.list_rules(session)}
    return [ContractRead.model_validate(c).model_copy(update={"tier_name": names.get(c.tier, "")})
            for c in contracts]


# --- tiers --------------------------------------------------------------------------------


@router.get("/tiers", response_model=list[TierRuleRead])
def list_tiers(session: DB, actor: CurrentActor) -> object:
    """The tier rules, most demanding tier first."""
    return repository.list_rules(session)


@router.put("/tiers", response_model=TierRulesResult)
def update_tiers(session: DB, actor: CurrentActor, body: TierRulesUpdate) -> object:
    """Change every tier's thresholds (EPMO administrators); every project is reclassified."""
    rules, result = service.update_tier_rules(session, actor, body)
    return {"rules": rules, "reclassified": result}


# --- reporting contracts ------------------------------------------------------------------


@router.get("/reporting-contracts", response_model=list[ContractRead])
def list_contracts(session: DB, actor: CurrentActor) -> object:
    """Every tier's reporting contract: the enterprise minimum."""
    return contract_reads(session, repository.list_contracts(session))


@router.get("/reporting-contracts/{tier}", response_model=ContractRead)
def get_contract(session: DB, actor: CurrentActor, tier: TierPath) -> object:
    """One tier's reporting contract."""
    contract = repository.get_contract(session, tier)
    if contract is None:
        raise NotFound(f"There is no reporting contract for tier {tier}")
    return contract_reads(session, [contract])[0]


@router.put("/reporting-contracts/{tier}", response_model=ContractRead)
def put_contract(session: DB, actor: CurrentActor, tier: TierPath, body: ContractUpdate) -> object:
    """Replace a tier's contract (EPMO administrators); send the version you read."""
    return contract_reads(session, [service.update_contract(session, actor, tier, body)])[0]


# --- department methods -------------------------------------------------------------------


@router.get("/departments/{department_id}/method", response_model=MethodRead)
def get_method(session: DB, actor: CurrentActor, department_id: PathId) -> object:
    """The department's method: its own, else the nearest parent department's."""
    department = policy.access_department_or_404(session, actor, department_id)
    method = views.describe_method(session, actor, department)
    if method is None:
        raise NotFound(f"Department {department.code} has no method; the reporting contracts "
                       "apply as they are")
    return method


@router.put("/departments/{department_id}/method", response_model=MethodRead)
def put_method(session: DB, actor: CurrentActor, department_id: PathId,
               body: MethodUpdate) -> object:
    """Create or replace the department's own method (its lead or the EPMO)."""
    service.put_method(session, actor, department_id, body)
    department = policy.access_department_or_404(session, actor, department_id)
    return views.describe_method(session, actor, department)


@router.delete("/departments/{department_id}/method", status_code=204)
def delete_method(session: DB, actor: CurrentActor, department_id: PathId,
                  version: Version) -> Response:
    """Remove the department's own method; pass ``?version=``."""
    service.delete_method(session, actor, department_id, version)
    return Response(status_code=204)


# --- a project's terms and artefacts ------------------------------------------------------


@router.get("/projects/{project_id}/terms", response_model=TermsRead)
def project_terms(session: DB, actor: CurrentActor, project_id: PathId) -> object:
    """What the project must meet: its tier's contract merged with its department's method."""
    return views.project_terms(session, actor, project_id)


@router.get("/projects/{project_id}/artefacts", response_model=PageOf[ArtefactRead])
def list_artefacts(session: DB, actor: CurrentActor, project_id: PathId,
                   page: PageParams) -> object:
    """A project's artefacts, newest first (metadata; files come from their download_url)."""
    project = policy.access_project_or_404(session, actor, project_id)
    found = paginate(session, repository.artefact_query(project.id), page.limit, page.offset)
    return {"items": artefacts.describe(found.items), "total": found.total,
            "limit": found.limit, "offset": found.offset}


@dataclass(frozen=True, slots=True)
class UploadInput:
    """An upload's form fields and its file."""

    fields: ArtefactUpload
    upload: artefacts.Upload


async def read_upload(form: Any) -> UploadInput:
    """The fields and file of a multipart artefact upload (at most one byte past the limit)."""
    file = form.get("file")
    if not isinstance(file, UploadFile):
        raise Invalid("Choose a file to upload", [FieldError("file", "is missing")])
    content = await file.read(get_settings().artefact_max_bytes + 1)
    fields = validated(ArtefactUpload, {k: form.get(k) or None for k in ("kind", "stage", "title")
                                        if form.get(k)})
    return UploadInput(fields, artefacts.Upload(file.filename or "upload", content))


async def artefact_body(request: Request) -> ArtefactLink | UploadInput:
    """A link as JSON, or a file as multipart/form-data."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        return await read_upload(await request.form())
    try:
        data = await request.json()
    except ValueError:
        raise Invalid("Send a link as JSON or a file as multipart/form-data",
                      [FieldError("body", "is neither JSON nor multipart/form-data")]) from None
    return validated(ArtefactLink, data)  # type: ignore[no-any-return]


@router.post("/projects/{project_id}/artefacts", response_model=ArtefactRead, status_code=201,
             openapi_extra=ARTEFACT_BODY)
def add_artefact(session: DB, actor: CurrentActor, project_id: PathId,
                 body: Annotated[ArtefactLink | UploadInput, Depends(artefact_body)]) -> object:
    """Record a link (JSON) or upload a file (multipart: kind, stage, title, file)."""
    if isinstance(body, UploadInput):
        made = artefacts.upload_artefact(session, actor, project_id, body.fields.kind,
                                         body.fields.stage, body.fields.title, body.upload)
    else:
        made = artefacts.add_artefact_link(session, actor, project_id, body)
    return artefacts.describe([made])[0]


def attachment(name: str) -> str:
    """A Content-Disposition that keeps any file name intact and safe."""
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


@router.get("/artefacts/{artefact_id}/download", response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}}},
                       303: {"description": "A link: its address"}})
def download_artefact(session: DB, actor: CurrentActor, artefact_id: PathId) -> Response:
    """The artefact's file; a link answers with a redirect to its address."""
    artefact = policy.access_artefact_or_404(session, actor, artefact_id)
    if artefact.url:
        return RedirectResponse(artefact.url, status_code=303)
    _, content = artefacts.file_of(session, actor, artefact_id)
    return Response(content, media_type=artefact.content_type or artefacts.DEFAULT_TYPE,
                    headers={"Content-Disposition": attachment(artefact.file_name or "file"),
                             "X-Content-Type-Options": "nosniff"})


@router.delete("/artefacts/{artefact_id}", status_code=204)
def delete_artefact(session: DB, actor: CurrentActor, artefact_id: PathId,
                    version: Version) -> Response:
    """Remove an artefact; pass ``?version=``."""
    artefacts.delete_artefact(session, actor, artefact_id, version)
    return Response(status_code=204)
