"""Pages of the value ledger: the value report (the Value menu's landing page) and the ledger."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.editing import paginate
from epmo.errors import EpmoError
from epmo.ledger import policy, report, repository, service, views
from epmo.ledger import render as files
from epmo.ledger.models import CATEGORIES, CATEGORY_LABELS, STATUSES
from epmo.ledger.schemas import EntryCreate, EntryDecision, ValueReport
from epmo.resources.scenario_ui import as_id, department_choices
from epmo.web.deps import DB, CurrentActor, PageParams, PathId, SubmittedForm, check_csrf_form
from epmo.web.pages import (
    PICK_LIMIT,
    flash_redirect,
    form_action,
    form_values,
    parse_form,
    pick_label,
    pick_options,
    pick_query,
    query_string,
    render,
    with_ints,
)

router = APIRouter(include_in_schema=False)
CSRF = [Depends(check_csrf_form)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ENTRY_FIELDS = ("category", "amount", "days", "department_id", "occurred_on", "description",
                "evidence_kind", "evidence_id")
FILTERS = ("status", "category", "quarter", "department_id")


def _report(session: Session, actor: Actor, quarter: str | None,
            department_id: str | None) -> tuple[ValueReport | None, EpmoError | None]:
    try:
        return report.value_report(session, actor, quarter, as_id(department_id),
                                   date.today()), None
    except EpmoError as exc:
        return None, exc


@router.get("/value")
def value_page(request: Request, session: DB, actor: CurrentActor, quarter: str | None = None,
               department_id: str | None = None) -> Response:
    """The value report: dollars and days saved per quarter, by department, with evidence."""
    found, error = _report(session, actor, (quarter or "")[:7] or None, department_id)
    chosen = found.quarter if found else report.parse_quarter(None, date.today())
    near = report.quarters_to(chosen, 2)[0], report.quarters_to(_next(chosen), 1)[0]
    keep = query_string(department_id=as_id(department_id))
    return render(request, "ledger/value.html", actor, status=error.status if error else 200,
                  report=found, error=error, labels=CATEGORY_LABELS, previous=near[0],
                  following=near[1], keep=keep, departments=department_choices(session),
                  form={"quarter": chosen, "department_id": as_id(department_id) or ""})


def _next(quarter: str) -> str:
    year, number = int(quarter[:4]), int(quarter[-1])
    return f"{year + 1}-Q1" if number == 4 else f"{year}-Q{number + 1}"


@router.get("/value/report.{extension}")
def value_file(request: Request, session: DB, actor: CurrentActor, extension: str,
               quarter: str | None = None, department_id: str | None = None) -> Response:
    """The value report as PDF or Excel."""
    if extension not in ("pdf", "xlsx"):
        return Response("No such format: pdf or xlsx", status_code=404)
    found = report.value_report(session, actor, (quarter or "")[:7] or None,
                                as_id(department_id), date.today())
    if extension == "pdf":
        body, media = files.to_pdf(found, date.today()), "application/pdf"
    else:
        body, media = files.to_xlsx(found, date.today()), XLSX
    return Response(body, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{files.file_name(found, extension)}"'})


def _filters(raw: dict[str, Any]) -> dict[str, Any]:
    return {"status": raw.get("status") if raw.get("status") in STATUSES else "",
            "category": raw.get("category") if raw.get("category") in CATEGORIES else "",
            "quarter": (raw.get("quarter") or "")[:7],
            "department_id": as_id(raw.get("department_id")) or ""}


def _ledger_page(request: Request, session: Session, actor: Actor, page: Any,
                 shown: dict[str, Any], form: dict[str, Any],
                 error: EpmoError | None = None) -> Response:
    try:
        quarter = report.parse_quarter(shown["quarter"], date.today()) if shown["quarter"] else None
    except EpmoError as exc:
        quarter, error = None, error or exc
    query = repository.entry_query(
        policy.entry_scope(session, actor), status=shown["status"] or None,
        category=shown["category"] or None, quarter=quarter,
        department_id=shown["department_id"] or None)
    rows = paginate(session, query, page.limit, page.offset)
    return render(request, "ledger/ledger.html", actor, status=error.status if error else 200,
                  entries=views.describe_entries(session, actor, rows.items), page=rows,
                  base_query=query_string(**shown), shown=shown, form=form, error=error,
                  labels=CATEGORY_LABELS, statuses=STATUSES, categories=CATEGORIES,
                  departments=department_choices(session), keeper=policy.can_keep(actor),
                  finance=policy.is_finance(session, actor))


@router.get("/value/ledger")
def ledger_page(request: Request, session: DB, actor: CurrentActor, page: PageParams,
                status: str | None = None, category: str | None = None,
                quarter: str | None = None, department_id: str | None = None) -> Response:
    """The ledger: entries with their evidence, filters, and the actions each reader may take."""
    shown = _filters({"status": status, "category": category, "quarter": quarter,
                      "department_id": department_id})
    return _ledger_page(request, session, actor, page, shown, {})


@router.post("/value/ledger", dependencies=CSRF)
def create_page(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                page: PageParams) -> Response:
    """Write an entry by hand (EPMO administrators)."""
    raw = form_values(submitted)

    def write() -> Any:
        values = {k: raw.get(k) for k in ENTRY_FIELDS if raw.get(k) not in (None, "")}
        values["links"] = [line.strip() for line in str(raw.get("links") or "").splitlines()
                           if line.strip()]
        data = parse_form(EntryCreate, with_ints(values, "department_id", "evidence_id"))
        return service.create_entry(session, actor, data)

    def done(made: Any) -> Response:
        return flash_redirect(request, f"Entry {made.id} written; it waits for confirmation",
                              f"/value/ledger?status=proposed#entry-{made.id}")
    return form_action(session, write, lambda exc: _ledger_page(
        request, session, actor, page, _filters({}), raw, exc), done)


@router.post("/value/ledger/propose", dependencies=CSRF)
def propose_page(request: Request, session: DB, actor: CurrentActor,
                 page: PageParams) -> Response:
    """Propose entries from the hub's events not proposed yet."""
    def done(run: Any) -> Response:
        skipped = f"; {len(run.skipped)} event(s) skipped, their figure unknown" if (
            run.skipped) else ""
        return flash_redirect(request, f"{run.proposed} new proposal(s){skipped}",
                              "/value/ledger?status=proposed")
    return form_action(session, lambda: service.propose(session, actor), lambda exc: _ledger_page(
        request, session, actor, page, _filters({}), {}, exc), done)


@router.post("/value/ledger/{entry_id}", dependencies=CSRF)
def decide_page(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                entry_id: PathId, page: PageParams) -> Response:
    """Confirm, validate or reject an entry."""
    raw = form_values(submitted)

    def write() -> Any:
        values = {k: raw.get(k) for k in ("action", "version", "reason")
                  if raw.get(k) not in (None, "")}
        data = parse_form(EntryDecision, with_ints(values, "version"))
        return service.decide_entry(session, actor, entry_id, data)

    def done(entry: Any) -> Response:
        return flash_redirect(request, f"Entry {entry.id} {entry.status}",
                              f"/value/ledger#entry-{entry.id}")
    return form_action(session, write, lambda exc: _ledger_page(
        request, session, actor, page, _filters({}), {}, exc), done)


@router.get("/pick/evidence")
def pick_evidence(request: Request, session: DB, actor: CurrentActor,
                  evidence_kind: str = "project") -> Response:
    """The ledger's evidence of the chosen kind whose code or name holds what was typed
    (for the ledger's keepers, who read the whole hub)."""
    if not policy.can_keep(actor) or evidence_kind not in repository.EVIDENCE_MODELS:
        return pick_options(request, [])
    rows = repository.evidence_holding(session, evidence_kind, pick_query(request), PICK_LIMIT)
    return pick_options(request, [pick_label(*words, ident=i) for i, words in rows])
