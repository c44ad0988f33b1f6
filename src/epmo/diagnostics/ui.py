"""Pages of the diagnostics domain: rounds, the questionnaire, results and the report PDF."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.diagnostics import policy, report, repository, service, views
from epmo.diagnostics.instrument import (
    CAPABILITY_LABELS,
    CURRENT,
    INSTRUMENTS,
    LEVEL_NAMES,
    PRACTICE_LABELS,
    get_instrument,
)
from epmo.diagnostics.models import DiagnosticRound
from epmo.diagnostics.schemas import RoundCreate, ScoreEntry
from epmo.errors import EpmoError, FieldError, Invalid, NotFound
from epmo.web.deps import DB, CurrentActor, PathId, SubmittedForm, check_csrf_form
from epmo.web.pages import flash_redirect, form_action, form_values, parse_form, render, with_ints

router = APIRouter(include_in_schema=False)
CSRF = [Depends(check_csrf_form)]


def _departments(session: Session) -> list[tuple[int, str]]:
    labels = repository.department_labels(session)
    return sorted(((i, f"{c} · {n}") for i, (c, n) in labels.items()), key=lambda x: x[1])


def _index(request: Request, session: Session, actor: Actor, form: dict[str, Any],
           error: EpmoError | None = None) -> Response:
    rounds = repository.list_rounds(session, policy.round_scope(actor))
    columns, cells = views.compare_departments(session, actor, CURRENT)
    return render(request, "diagnostics/index.html", actor, compared=columns, cells=cells,
                  capabilities=CAPABILITY_LABELS, heat_colour=report.heat_colour,
                  current=CURRENT,
                  status=error.status if error else 200, form=form, error=error,
                  rounds=views.describe_rounds(session, actor, rounds),
                  may_open=policy.can_open(actor), departments=_departments(session),
                  versions=[(v, f"{v} · {i.title} ({len(i.items)} items)")
                            for v, i in INSTRUMENTS.items()])


@router.get("/diagnostics")
def index_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """The assessment rounds you may read, and the form to open one (administrators)."""
    return _index(request, session, actor, {"instrument_version": CURRENT})


@router.post("/diagnostics", dependencies=CSRF)
def open_page(request: Request, submitted: SubmittedForm, session: DB,
              actor: CurrentActor) -> Response:
    """Open a round."""
    raw = form_values(submitted)

    def write() -> DiagnosticRound:
        values = {k: raw.get(k) for k in ("name", "instrument_version", "department_id", "note")
                  if raw.get(k) not in (None, "")}
        return service.open_round(session, actor,
                                  parse_form(RoundCreate, with_ints(values, "department_id")))
    return form_action(session, write, lambda exc: _index(request, session, actor, raw, exc),
                       lambda made: flash_redirect(request, f"Round {made.name!r} opened",
                                                   f"/diagnostics/rounds/{made.id}/assess"))


@router.get("/diagnostics/instruments/{version}")
def instrument_page(request: Request, actor: CurrentActor, version: str) -> Response:
    """A published questionnaire with every level description."""
    found = get_instrument(version[:20])
    if found is None:
        raise NotFound(f"Instrument version {version[:20]!r} not found")
    return render(request, "diagnostics/instrument.html", actor, instrument=found,
                  practices=PRACTICE_LABELS, capabilities=CAPABILITY_LABELS, levels=LEVEL_NAMES)


@router.get("/diagnostics/rounds/{round_id}")
def results_page(request: Request, session: DB, actor: CurrentActor,
                 round_id: PathId) -> Response:
    """A round's results: radar, heatmap, evidence, what to fix first, trend."""
    found = policy.access_round_or_404(session, actor, round_id)
    results = views.results(session, actor, found, date.today())
    satisfaction = views.satisfaction_of(session, actor, found, date.today())
    return render(request, "diagnostics/results.html", actor, r=results, found=found,
                  notes=views.notes(session, actor, found), may_open=policy.can_open(actor),
                  chart=_chart(results), heat_colour=report.heat_colour,
                  caps=CAPABILITY_LABELS, satisfaction=satisfaction)


def _chart(results: Any) -> dict[str, Any]:
    """The radar's and trend's data for static/diagnostics.js."""
    return {"indicators": [c.label for c in results.capabilities],
            "values": [c.mean for c in results.capabilities],
            "trend": {"rounds": [t.name for t in results.trend],
                      "series": [{"name": p.label,
                                  "data": [t.practices.get(p.practice) for t in results.trend]}
                                 for p in results.practices]}}


def _assess(request: Request, session: Session, actor: Actor, found: DiagnosticRound,
            form: dict[str, Any] | None, error: EpmoError | None = None) -> Response:
    if form is None:
        form = {}
        for key, row in repository.scores_by(session, found.id, actor.id).items():
            form[f"score-{key}"], form[f"note-{key}"] = str(row.score), row.note
    return render(request, "diagnostics/assess.html", actor,
                  status=error.status if error else 200, form=form, error=error, found=found,
                  instrument=service.instrument_of(found), practices=PRACTICE_LABELS,
                  capabilities=CAPABILITY_LABELS, levels=LEVEL_NAMES,
                  may_assess=found.status == "open" and policy.can_assess(actor, found))


@router.get("/diagnostics/rounds/{round_id}/assess")
def assess_page(request: Request, session: DB, actor: CurrentActor,
                round_id: PathId) -> Response:
    """The questionnaire with your scores so far (read-only for those who do not assess)."""
    found = policy.access_round_or_404(session, actor, round_id)
    return _assess(request, session, actor, found, None)


def entries_of(raw: dict[str, Any], found: DiagnosticRound) -> list[ScoreEntry]:
    """The scored items of a submitted questionnaire (an item left unscored is skipped)."""
    entries, errors = [], []
    for item in service.instrument_of(found).items:
        text = raw.get(f"score-{item.key}")
        if text in (None, ""):
            continue
        if not str(text).lstrip("-").isdigit():
            errors.append(FieldError(f"scores.{item.key}", f"Item {item.key}: the score must "
                                                           f"be a whole number from 0 to 5"))
            continue
        try:
            entries.append(ScoreEntry.model_validate(
                {"item_key": item.key, "score": int(text),
                 "note": str(raw.get(f"note-{item.key}") or "")}))
        except ValidationError:
            errors.append(FieldError(f"scores.{item.key}", f"Item {item.key}: the note cannot "
                                     "be stored (over 5000 characters or a NUL character)"))
    if errors:
        raise Invalid(errors[0].message, errors)
    if not entries:
        raise Invalid("Score at least one item", [FieldError("scores", "Score at least one "
                                                                       "item before saving")])
    return entries


@router.post("/diagnostics/rounds/{round_id}/assess", dependencies=CSRF)
def save_page(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
              round_id: PathId) -> Response:
    """Save your scores."""
    found = policy.access_round_or_404(session, actor, round_id)
    raw = form_values(submitted)
    return form_action(
        session, lambda: service.submit_scores(session, actor, found.id, entries_of(raw, found)),
        lambda exc: _assess(request, session, actor, found, raw, exc),
        lambda saved: flash_redirect(request, f"{len(saved)} scores saved",
                                     f"/diagnostics/rounds/{found.id}/assess"))


@router.post("/diagnostics/rounds/{round_id}/complete", dependencies=CSRF)
def complete_page(request: Request, submitted: SubmittedForm, session: DB,
                  actor: CurrentActor, round_id: PathId) -> Response:
    """Complete (lock) the round and store the evidence."""
    found = policy.access_round_or_404(session, actor, round_id)
    raw = form_values(submitted)
    version = int(raw["version"]) if str(raw.get("version") or "").isdigit() else -1

    def again(exc: EpmoError) -> Response:
        results = views.results(session, actor, found, date.today())
        return render(request, "diagnostics/results.html", actor, status=exc.status,
                      error=exc, r=results, found=found, notes=views.notes(session, actor, found),
                      may_open=policy.can_open(actor), chart=_chart(results),
                      heat_colour=report.heat_colour, caps=CAPABILITY_LABELS,
                      satisfaction=views.satisfaction_of(session, actor, found, date.today()))
    return form_action(
        session, lambda: service.complete_round(session, actor, found.id, version, date.today()),
        again, lambda done: flash_redirect(request, f"Round {done.name!r} completed",
                                           f"/diagnostics/rounds/{done.id}"))


@router.get("/diagnostics/rounds/{round_id}/report.pdf")
def report_page(session: DB, actor: CurrentActor, round_id: PathId) -> Response:
    """The diagnostic report as a PDF."""
    found = policy.access_round_or_404(session, actor, round_id)
    satisfaction = views.satisfaction_of(session, actor, found, date.today())
    return Response(**report.download(*report.pdf_of(session, actor, found, date.today(),
                                                      satisfaction)))
