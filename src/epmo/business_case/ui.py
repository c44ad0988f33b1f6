"""Pages of the business case: the cases, one case and its options, an option's yearly grid,
the comparison and the PDF for the executive sponsor."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.business_case import export, forms, policy, repository, service, views
from epmo.business_case.models import CASE_STATUSES, BusinessCase
from epmo.business_case.schemas import (
    CaseCreate,
    CaseRead,
    CaseUpdate,
    LinesPut,
    OptionCreate,
    OptionRead,
    OptionUpdate,
)
from epmo.charter import labels
from epmo.errors import EpmoError, Invalid, NotFound
from epmo.schema_kit import MAX_ID
from epmo.web.deps import DB, CurrentActor, PathId, SubmittedForm, check_csrf_form
from epmo.web.pages import flash_redirect, form_action, form_values, parse_form, render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(check_csrf_form)]
STATUS_CHOICES = [(s, s.title()) for s in CASE_STATUSES]
LEVEL_CHOICES = [(t.key, t.label) for t in labels.LEVEL_TERMS]


def _common() -> dict[str, Any]:
    """What every business case template needs to name things."""
    return {"amount": export.amount, "practices": labels.PRACTICE_TERMS,
            "level_labels": labels.LEVEL_LABELS, "level_choices": LEVEL_CHOICES,
            "status_choices": STATUS_CHOICES, "grid_rows": forms.GRID_ROWS,
            "cell_name": forms.cell_name, "who_reads": policy.WHO_READS}


def _as_id(value: Any) -> int | None:
    ok = isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12
    return int(value) if ok and 1 <= int(value) <= MAX_ID else None


def _list_page(request: Request, session: Session, actor: Actor, form: dict[str, Any],
               error: EpmoError | None = None) -> Response:
    cases = (views.summaries(session, repository.list_cases(session))
             if policy.can_read(actor) else [])
    return render(request, "business_case/list.html", actor,
                  status=error.status if error else 200, cases=cases, form=form, error=error,
                  may_read=policy.can_read(actor), may_edit=policy.can_edit(actor),
                  **_common())


@router.get("/business-case")
def list_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """The business cases, and the form to start one (EPMO administrators)."""
    return _list_page(request, session, actor, {"currency": "EUR", "discount_rate": "8",
                                                "horizon_years": "5"})


@router.post("/business-case", dependencies=CSRF)
def create_page(request: Request, submitted: SubmittedForm, session: DB,
                actor: CurrentActor) -> Response:
    """Start a business case and open it."""
    raw = form_values(submitted)
    fields = ("title", "description", "currency", "discount_rate", "horizon_years")
    return form_action(
        session, lambda: service.create_case(
            session, actor, parse_form(CaseCreate, forms.case_values(raw, fields))),
        lambda exc: _list_page(request, session, actor, raw, exc),
        lambda case: flash_redirect(request, f"Business case {case.title} started",
                                    f"/business-case/{case.id}"))


def _case_form(read: CaseRead) -> dict[str, Any]:
    return {"title": read.title, "description": read.description, "currency": read.currency,
            "discount_rate": f"{read.discount_rate:f}", "horizon_years": read.horizon_years,
            "status": read.status, "decision_note": read.decision_note,
            "version": read.version}


def _case_page(request: Request, session: Session, actor: Actor, case: BusinessCase,
               form: dict[str, Any] | None = None, option_form: dict[str, Any] | None = None,
               error: EpmoError | None = None, failed: str = "") -> Response:
    read = views.describe_case(session, case)
    return render(request, "business_case/case.html", actor,
                  status=error.status if error else 200, case=read, error=error,
                  failed=failed, form=form or _case_form(read),
                  option_form=option_form or {}, may_edit=policy.can_edit(actor),
                  locked=case.status in service.LOCKED, **_common())


@router.get("/business-case/{case_id}")
def case_page(request: Request, session: DB, actor: CurrentActor,
              case_id: PathId) -> Response:
    """One case: its terms, its options' key figures, and forms to change them."""
    case = policy.access_case_or_404(session, actor, case_id)
    return _case_page(request, session, actor, case)


@router.post("/business-case/{case_id}", dependencies=CSRF)
def case_action(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                case_id: PathId) -> Response:
    """Change the case (``what=update``), add an option (``add_option``) or delete it."""
    case = policy.access_case_or_404(session, actor, case_id)
    raw = form_values(submitted)
    what = raw.get("what")
    if what == "add_option":
        return form_action(
            session, lambda: service.create_option(
                session, actor, case_id, parse_form(OptionCreate, forms.option_values(raw))),
            lambda exc: _case_page(request, session, actor, case, option_form=raw, error=exc,
                                   failed="option"),
            lambda made: flash_redirect(request, f"Option {made.name} added",
                                        f"/business-case/{case_id}/options/{made.id}"))
    if what == "delete":
        return form_action(
            session, lambda: service.delete_case(session, actor, case_id,
                                                 _as_id(raw.get("version")) or 0),
            lambda exc: _case_page(request, session, actor, case, error=exc, failed="case"),
            lambda _: flash_redirect(request, "Business case deleted", "/business-case"))
    values = forms.case_values(raw, forms.CASE_FIELDS) | {"version": _as_id(raw.get("version"))}
    return form_action(
        session, lambda: service.update_case(session, actor, case_id,
                                             parse_form(CaseUpdate, values)),
        lambda exc: _case_page(request, session, actor, case, form=raw, error=exc,
                               failed="case"),
        lambda saved: flash_redirect(request, "Business case saved",
                                     f"/business-case/{case_id}"))


def _option_of(session: Session, actor: Actor, case_id: int,
               option_id: int) -> tuple[BusinessCase, OptionRead, CaseRead]:
    case, option = policy.access_option_or_404(session, actor, option_id)
    if case.id != case_id:
        raise NotFound(f"Option {option_id} not found")
    read = views.describe_case(session, case)
    return case, next(o for o in read.option_list if o.id == option.id), read


def _option_page(request: Request, session: Session, actor: Actor, case_id: int,
                 option_id: int, form: dict[str, Any] | None = None,
                 grid: dict[str, Any] | None = None, error: EpmoError | None = None,
                 failed: str = "") -> Response:
    case, option, read = _option_of(session, actor, case_id, option_id)
    return render(request, "business_case/option.html", actor,
                  status=error.status if error else 200, case=read, option=option,
                  form=form or forms.option_form(option),
                  grid=grid if grid is not None else forms.grid_values(option),
                  grid_version=(grid or {}).get("version", option.version), error=error,
                  failed=failed, may_edit=policy.can_edit(actor),
                  locked=case.status in service.LOCKED, **_common())


@router.get("/business-case/{case_id}/options/{option_id}")
def option_page(request: Request, session: DB, actor: CurrentActor, case_id: PathId,
                option_id: PathId) -> Response:
    """One option: its authority mix and staffing, and the grid of yearly amounts."""
    return _option_page(request, session, actor, case_id, option_id)


@router.post("/business-case/{case_id}/options/{option_id}", dependencies=CSRF)
def option_action(request: Request, submitted: SubmittedForm, session: DB,
                  actor: CurrentActor, case_id: PathId, option_id: PathId) -> Response:
    """Save the grid (``what=lines``), change the option (``update``), copy or delete it."""
    case, _, _ = _option_of(session, actor, case_id, option_id)
    raw = form_values(submitted)
    version = _as_id(raw.get("version")) or 0
    here = f"/business-case/{case_id}/options/{option_id}"
    if raw.get("what") == "lines":
        return form_action(
            session, lambda: _save_grid(session, actor, case, option_id, raw, version),
            lambda exc: _option_page(request, session, actor, case_id, option_id, grid=raw,
                                     error=exc, failed="grid"),
            lambda _: flash_redirect(request, "Amounts saved", here))
    if raw.get("what") == "copy":
        return form_action(
            session, lambda: service.copy_option(session, actor, option_id),
            lambda exc: _option_page(request, session, actor, case_id, option_id, error=exc,
                                     failed="option"),
            lambda made: flash_redirect(request, f"Copied as {made.name}",
                                        f"/business-case/{case_id}/options/{made.id}"))
    if raw.get("what") == "delete":
        return form_action(
            session, lambda: service.delete_option(session, actor, option_id, version),
            lambda exc: _option_page(request, session, actor, case_id, option_id, error=exc,
                                     failed="option"),
            lambda _: flash_redirect(request, "Option deleted", f"/business-case/{case_id}"))
    values = forms.option_values(raw) | {"version": version}
    return form_action(
        session, lambda: service.update_option(session, actor, option_id,
                                               parse_form(OptionUpdate, values)),
        lambda exc: _option_page(request, session, actor, case_id, option_id, form=raw,
                                 error=exc, failed="option"),
        lambda _: flash_redirect(request, "Option saved", here))


def _save_grid(session: Session, actor: Actor, case: BusinessCase, option_id: int,
               raw: dict[str, Any], version: int) -> object:
    policy.require_edit(actor)
    lines, names = forms.grid_lines(raw, case.horizon_years)
    try:
        return service.set_lines(session, actor, option_id,
                                 LinesPut(version=version, lines=lines))
    except Invalid as exc:
        raise forms.on_cells(exc, names) from exc


@router.get("/business-case/{case_id}/compare")
def compare_page(request: Request, session: DB, actor: CurrentActor,
                 case_id: PathId) -> Response:
    """The options side by side: totals, NPV, IRR, payback, ROI, sensitivity and a chart."""
    case = policy.access_case_or_404(session, actor, case_id)
    found = views.comparison(session, case)
    return render(request, "business_case/compare.html", actor, found=found,
                  chart=export.chart_data(found), **_common())


@router.get("/business-case/{case_id}/print")
def print_page(session: DB, actor: CurrentActor, case_id: PathId) -> Response:
    """The self-contained print version the PDF is made from."""
    case = policy.access_case_or_404(session, actor, case_id)
    return Response(export.to_html(views.comparison(session, case)), media_type="text/html")


@router.get("/business-case/{case_id}/pdf")
def case_pdf(session: DB, actor: CurrentActor, case_id: PathId) -> Response:
    """The business case as a PDF an executive sponsor can read."""
    case = policy.access_case_or_404(session, actor, case_id)
    found = views.comparison(session, case)
    pdf = export.to_pdf(found)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{export.file_name(found)}"'})
