"""Pages of the charter domain: the charter document, its editor, history, comparison, PDF."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.charter import defaults, forms, labels, policy, repository, service
from epmo.charter.models import CharterVersion
from epmo.charter.schemas import CharterCreate
from epmo.editing import paginate
from epmo.errors import EpmoError
from epmo.files.pdf import pdf_from_html
from epmo.schema_kit import MAX_ID
from epmo.web.deps import DB, CurrentActor, PageParams, SubmittedForm, check_csrf_form
from epmo.web.pages import flash_redirect, form_action, form_values, parse_form, render
from epmo.web.templating import templates

router = APIRouter(include_in_schema=False)
CSRF = Depends(check_csrf_form)
EDIT_FORM = "charter/edit.html"
VersionParam = Annotated[int | None, Query(ge=1, le=MAX_ID)]


def _terms() -> dict[str, Any]:
    """What every charter template needs to name practices and levels."""
    return {"practices": labels.PRACTICE_TERMS, "levels": labels.LEVEL_TERMS,
            "practice_labels": labels.PRACTICE_LABELS, "level_labels": labels.LEVEL_LABELS,
            "bases": labels.BASIS_TERMS, "basis_labels": labels.BASIS_LABELS}


def _version(session: Session, actor: Actor, number: int | None) -> CharterVersion:
    if number is None:
        return policy.access_current_or_404(session, actor)
    return policy.access_version_or_404(session, actor, number)


def _document(session: Session, version: CharterVersion) -> dict[str, Any]:
    """The charter as the page and the print template show it."""
    read = service.charter_read(session, version)
    codes = {row.department_id: row.code for row in read.authority}
    by_practice = {p: [s for s in read.content.services if s.practice == p]
                   for p in labels.PRACTICE_LABELS}
    return {"version": version, "charter": read, "codes": codes,
            "services_by_practice": by_practice} | _terms()


@router.get("/charter")
def charter_page(request: Request, session: DB, actor: CurrentActor,
                 version: VersionParam = None) -> Response:
    """The charter as a readable document (the current one, or ``?version=N``)."""
    current = repository.latest(session)
    can_edit = policy.can_edit_charter(actor)
    if current is None:
        return render(request, "charter/empty.html", actor, can_edit=can_edit)
    shown = _version(session, actor, version)
    return render(request, "charter/charter.html", actor, current=current, can_edit=can_edit,
                  **_document(session, shown))


def _print_html(session: Session, version: CharterVersion) -> str:
    document = _document(session, version)
    return templates.env.get_template("charter/print.html").render(**document)


@router.get("/charter/print")
def print_page(session: DB, actor: CurrentActor, version: VersionParam = None) -> Response:
    """The self-contained print version of the charter that the PDF is made from."""
    html = _print_html(session, _version(session, actor, version))
    return Response(html, media_type="text/html")


@router.get("/charter.pdf")
def charter_pdf(session: DB, actor: CurrentActor, version: VersionParam = None) -> Response:
    """The charter (current or ``?version=N``) as a PDF document."""
    shown = _version(session, actor, version)
    pdf = pdf_from_html(_print_html(session, shown))
    name = f"epmo-charter-v{shown.number}.pdf"
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _fallback() -> dict[str, Any]:
    return {"statement": defaults.DEFAULT_STATEMENT, "content": defaults.default_content()}


def _show_form(request: Request, session: Session, actor: Actor, draft: dict[str, Any],
               error: EpmoError | None = None) -> Response:
    preview = service.authority_rows(session, draft["content"])
    return render(
        request, EDIT_FORM, actor, status=error.status if error else 200, error=error,
        draft=draft, form=forms.flat(draft), rows=forms.service_rows(draft),
        departments=preview, by_id={row.department_id: row for row in preview},
        level_choices=[(t.key, t.label) for t in labels.LEVEL_TERMS],
        basis_choices=[(t.key, t.label) for t in labels.BASIS_TERMS],
        current=repository.latest(session), **_terms(),
    )


@router.get("/charter/edit")
def edit_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """The charter editor (EPMO administrators), filled with the current charter."""
    policy.require_edit_charter(actor)
    draft = forms.draft_of(repository.latest(session), _fallback())
    return _show_form(request, session, actor, draft)


@router.post("/charter/edit", dependencies=[CSRF])
def save_charter(request: Request, submitted: SubmittedForm,
                 session: DB, actor: CurrentActor) -> Response:
    """Publish the edited charter as a new version, or show the form again with what is wrong."""
    policy.require_edit_charter(actor)
    draft = forms.draft_from_form(form_values(submitted))
    return form_action(
        session, lambda: service.create_charter_version(
            session, actor, parse_form(CharterCreate, draft)),
        lambda exc: _show_form(request, session, actor, draft, exc),
        lambda version: flash_redirect(request, f"Charter version {version.number} published",
                                       "/charter"))


@router.get("/charter/history")
def history_page(request: Request, session: DB, actor: CurrentActor,
                 page: PageParams) -> Response:
    """Every version with who changed the charter, when and why; pick two to compare."""
    found = paginate(session, repository.version_query(), page.limit, page.offset)
    numbers = [v.number for v in found.items]
    return render(request, "charter/history.html", actor, page=found, base_query="",
                  pick_to=numbers[0] if numbers else None,
                  pick_from=numbers[1] if len(numbers) > 1 else None,
                  can_edit=policy.can_edit_charter(actor))


@router.get("/charter/compare")
def compare_page(
    request: Request, session: DB, actor: CurrentActor,
    from_number: Annotated[int, Query(alias="from", ge=1, le=MAX_ID)],
    to_number: Annotated[int, Query(alias="to", ge=1, le=MAX_ID)],
) -> Response:
    """What changed between two versions, side by side with the reason for the newer one."""
    diff = service.compare(session, actor, from_number, to_number)
    codes = {d.id: d.code for d in repository.departments(session)}
    return render(request, "charter/compare.html", actor, diff=diff, codes=codes, **_terms())

