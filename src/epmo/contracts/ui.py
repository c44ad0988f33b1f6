"""Pages of the contracts domain: tier rules, reporting contracts, department methods and a
project's artefacts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from epmo.auth.models import ROLES
from epmo.auth.policy import Actor
from epmo.config import get_settings
from epmo.contracts import artefacts, forms, policy, repository, service, views
from epmo.contracts.models import ARTEFACT_KINDS, CADENCES, DIMENSIONS, RAID_KINDS
from epmo.contracts.schemas import (
    ArtefactLink,
    ArtefactUpload,
    ContractUpdate,
    MethodUpdate,
    TierRulesUpdate,
)
from epmo.contracts.validation import GATE_STAGES, MAIN_STAGES, PROJECT_FIELDS, RAG_MEASURES
from epmo.editing import as_int, paginate
from epmo.errors import EpmoError, FieldError, Invalid, NotFound
from epmo.portfolio.models import STAGES
from epmo.web.deps import DB, CurrentActor, PathId, SubmittedForm, check_csrf_form
from epmo.web.pages import flash_redirect, form_action, parse_form, render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(check_csrf_form)]
TierPath = Annotated[int, Path(ge=1, le=4)]
ALL_ARTEFACTS = 500
CHOICES: dict[str, Any] = {"cadences": CADENCES, "dimensions": DIMENSIONS, "kinds": ARTEFACT_KINDS,
           "stages": STAGES, "main_stages": MAIN_STAGES, "gate_stages": GATE_STAGES,
           "roles": ROLES, "fields": PROJECT_FIELDS, "records": RAID_KINDS,
           "measures": RAG_MEASURES}




def _status(error: EpmoError | None) -> int:
    return error.status if error else 200


# --- tier rules ---------------------------------------------------------------------------


def _tiers_page(request: Request, session: Session, actor: Actor, form: dict[str, Any],
                error: EpmoError | None = None) -> Response:
    return render(request, "contracts/tiers.html", actor, status=_status(error),
                  rules=repository.list_rules(session), form=form, error=error,
                  can_edit=policy.can_edit_contracts(actor))


@router.get("/tiers")
def tiers_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """The tier rules: how projects are classified; administrators edit them here."""
    state = forms.rules_state(list(repository.list_rules(session)))
    return _tiers_page(request, session, actor, state)


@router.post("/tiers", dependencies=CSRF)
def save_tiers_page(request: Request, session: DB, actor: CurrentActor,
                    form: SubmittedForm) -> Response:
    """Save every tier's thresholds and reclassify the projects, or show what is wrong."""
    values = forms.rules_input(form)

    def write() -> dict[str, Any]:
        policy.require_edit_contracts(actor)
        return service.update_tier_rules(session, actor, parse_form(TierRulesUpdate, values))[1]
    return form_action(
        session, write, lambda exc: _tiers_page(request, session, actor, values, exc),
        lambda result: flash_redirect(
            request, f"Tier rules saved; {result['changed']:,} of {result['projects']:,} "
                     "projects changed tier", "/tiers"))


# --- reporting contracts ------------------------------------------------------------------


@router.get("/contracts")
def contracts_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Every tier's reporting contract as a readable page, and the department methods."""
    contracts = repository.list_contracts(session)
    names = {rule.tier: rule.name for rule in repository.list_rules(session)}
    return render(request, "contracts/contracts.html", actor, contracts=contracts, names=names,
                  methods=repository.methods_with_departments(session),
                  departments=repository.list_departments(session),
                  can_edit=policy.can_edit_contracts(actor), **CHOICES)


def _contract_form(request: Request, actor: Actor, tier: int, form: dict[str, Any],
                   error: EpmoError | None = None) -> Response:
    return render(request, "contracts/contract_form.html", actor, status=_status(error),
                  tier=tier, form=form, gates=forms.with_spare_gates(form["gates"]),
                  error=error, **CHOICES)


@router.get("/contracts/{tier}/edit")
def edit_contract_page(request: Request, session: DB, actor: CurrentActor,
                       tier: TierPath) -> Response:
    """The form to change a tier's contract (administrators)."""
    policy.require_edit_contracts(actor)
    contract = repository.get_contract(session, tier)
    if contract is None:
        raise NotFound(f"There is no reporting contract for tier {tier}")
    return _contract_form(request, actor, tier, forms.contract_state(contract))


@router.post("/contracts/{tier}/edit", dependencies=CSRF)
def save_contract_page(request: Request, session: DB, actor: CurrentActor, tier: TierPath,
                       form: SubmittedForm) -> Response:
    """Save the contract, or show the form again naming what is wrong."""
    values = forms.contract_input(form)
    return form_action(
        session, lambda: service.update_contract(session, actor, tier,
                                                 parse_form(ContractUpdate, values)),
        lambda exc: _contract_form(request, actor, tier, values, exc),
        lambda _: flash_redirect(request, f"Contract of tier {tier} saved",
                                 f"/contracts#tier-{tier}"))


# --- department methods -------------------------------------------------------------------


def _method_page(request: Request, session: Session, actor: Actor, department_id: int,
                 form: dict[str, Any] | None = None, error: EpmoError | None = None) -> Response:
    department = policy.access_department_or_404(session, actor, department_id)
    own = repository.get_method(session, department.id)
    state = form if form is not None else forms.method_state(own)
    return render(request, "contracts/method.html", actor, status=_status(error),
                  department=department, own=own, form=state,
                  effective=views.describe_method(session, actor, department),
                  floor=service.cadence_floor(session), stage_rows=forms.stage_rows(state),
                  gates=forms.with_spare_gates(state["extra_gates"]), error=error,
                  can_edit=policy.can_edit_method(actor, department.id), **CHOICES)


@router.get("/departments/{department_id}/method")
def method_page(request: Request, session: DB, actor: CurrentActor,
                department_id: PathId) -> Response:
    """A department's method: what it adds to the contracts; its lead edits it here."""
    return _method_page(request, session, actor, department_id)


@router.post("/departments/{department_id}/method", dependencies=CSRF)
def save_method_page(request: Request, session: DB, actor: CurrentActor, department_id: PathId,
                     form: SubmittedForm) -> Response:
    """Save the department's method, or show it again saying which minimum it would break."""
    values = forms.method_input(form)

    def write() -> None:
        forms.refuse_repeated_stage_names(form)
        service.put_method(session, actor, department_id, parse_form(MethodUpdate, values))
    return form_action(
        session, write,
        lambda exc: _method_page(request, session, actor, department_id, values, exc),
        lambda _: flash_redirect(request, "Department method saved",
                                 f"/departments/{department_id}/method"))


@router.post("/departments/{department_id}/method/delete", dependencies=CSRF)
def delete_method_page(request: Request, session: DB, actor: CurrentActor,
                       department_id: PathId, form: SubmittedForm) -> Response:
    """Remove the department's own method."""
    return form_action(
        session, lambda: service.delete_method(session, actor, department_id,
                                               as_int(form.get("version"))),
        lambda exc: _method_page(request, session, actor, department_id, None, exc),
        lambda _: flash_redirect(
            request, "Department method removed; the reporting contracts apply as they are",
            f"/departments/{department_id}/method"))


# --- artefacts ----------------------------------------------------------------------------


def _artefacts_page(request: Request, session: Session, actor: Actor, project_id: int,
                    error: EpmoError | None = None, typed: dict[str, Any] | None = None
                    ) -> Response:
    project = policy.access_project_or_404(session, actor, project_id)
    found = paginate(session, repository.artefact_query(project.id), ALL_ARTEFACTS, 0)
    return render(request, "contracts/artefacts.html", actor, status=_status(error),
                  project=project, tab="artefacts", artefacts=artefacts.describe(found.items),
                  can_write=policy.can_write_project(actor, project), error=error,
                  typed=typed or {}, limit=get_settings().artefact_max_bytes, **CHOICES)


@router.get("/projects/{project_id}/artefacts")
def artefacts_page(request: Request, session: DB, actor: CurrentActor,
                   project_id: PathId) -> Response:
    """A project's artefacts: links and files, filed by stage; add and remove them."""
    return _artefacts_page(request, session, actor, project_id)


def _typed(form: FormData, keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: str(form.get(key) or "").strip() for key in keys}


@router.post("/projects/{project_id}/artefacts/link", dependencies=CSRF)
def add_link_page(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
                  form: SubmittedForm) -> Response:
    """Record a link, or show the page again with what is wrong."""
    typed = _typed(form, ("kind", "stage", "title", "url"))
    return form_action(
        session, lambda: artefacts.add_artefact_link(
            session, actor, project_id,
            parse_form(ArtefactLink, {k: v for k, v in typed.items() if v})),
        lambda exc: _artefacts_page(request, session, actor, project_id, exc,
                                    typed | {"as": "link"}),
        lambda _: flash_redirect(request, "Link added", f"/projects/{project_id}/artefacts"))


@router.post("/projects/{project_id}/artefacts/upload", dependencies=CSRF)
def upload_page(request: Request, session: DB, actor: CurrentActor, project_id: PathId,
                      form: SubmittedForm) -> Response:
    """Upload a file, or show the page again with what is wrong."""
    typed = _typed(form, ("kind", "stage", "title"))
    file = form.get("file")

    def write() -> str:
        fields = parse_form(ArtefactUpload, {k: v for k, v in typed.items() if v})
        if not isinstance(file, UploadFile) or not file.filename:
            raise Invalid("Choose a file to upload", [FieldError("file", "is missing")])
        # The form dependency read the upload on the event loop; its .file is a spooled
        # temporary file, read here synchronously in the thread pool.
        upload = artefacts.Upload(file.filename,
                                  file.file.read(get_settings().artefact_max_bytes + 1))
        artefacts.upload_artefact(session, actor, project_id, fields.kind, fields.stage,
                                  fields.title, upload)
        return artefacts.clean_name(file.filename)
    return form_action(
        session, write,
        lambda exc: _artefacts_page(request, session, actor, project_id, exc,
                                    typed | {"as": "file"}),
        lambda name: flash_redirect(request, f"File {name} uploaded",
                                    f"/projects/{project_id}/artefacts"))


@router.post("/artefacts/{artefact_id}/delete", dependencies=CSRF)
def delete_artefact_page(request: Request, session: DB, actor: CurrentActor,
                         artefact_id: PathId, form: SubmittedForm) -> Response:
    """Remove an artefact and go back to its project's artefacts."""
    artefact = policy.access_artefact_or_404(session, actor, artefact_id)
    project_id = artefact.project_id
    return form_action(
        session, lambda: artefacts.delete_artefact(session, actor, artefact_id,
                                                   as_int(form.get("version"))),
        lambda exc: _artefacts_page(request, session, actor, project_id, exc),
        lambda _: flash_redirect(request, "Artefact removed",
                                 f"/projects/{project_id}/artefacts"))
