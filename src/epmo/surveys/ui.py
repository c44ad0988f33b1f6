"""Pages of the surveys domain: your surveys, the answer page, the EPMO's rounds and results."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.orm import Session

from epmo.auth.models import ROLES
from epmo.auth.policy import Actor
from epmo.errors import EpmoError, FieldError, Invalid
from epmo.surveys import policy, repository, service, views
from epmo.surveys.models import SurveyQuestion, SurveyRound
from epmo.surveys.results import ROLE_WORDS, RoundResults, round_results
from epmo.surveys.schemas import AnswerSubmit, RoundCreate, ScoreIn
from epmo.web.deps import DB, CurrentActor, PathId, SubmittedForm, check_csrf_form
from epmo.web.pages import flash_redirect, form_action, form_values, parse_form, render, with_ints

router = APIRouter(include_in_schema=False)
CSRF = [Depends(check_csrf_form)]
MAX_COMMENT = 2000


@router.get("/surveys")
def mine_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """The signed-in user's surveys: open ones with their personal link, and those answered."""
    invitations = views.my_invitations(session, actor, date.today())
    links = {i.round_id: repository.invitation_link(session, i.round_id, actor.id)
             for i in invitations if i.open and not i.answered}
    return render(request, "surveys/mine.html", actor, invitations=invitations, links=links,
                  reads_results=policy.can_read_results(actor))


def _rounds_page(request: Request, session: Session, actor: Actor, form: dict[str, Any],
                 error: EpmoError | None = None) -> Response:
    policy.require_read_results(actor)
    rounds = [r for r in repository.list_rounds(session) if policy.may_see_round(actor, r)]
    names = repository.department_names(session)
    return render(request, "surveys/rounds.html", actor, status=error.status if error else 200,
                  form=form, error=error, rounds=views.describe_rounds(session, rounds,
                                                                       date.today()),
                  may_run=policy.can_run_rounds(actor), roles=[(r, ROLE_WORDS[r]) for r in ROLES],
                  departments=sorted(((i, f"{c} {n}") for i, (c, n) in names.items()),
                                     key=lambda d: d[1]),
                  trend=views.trend(session, "epmo-services", date.today()))


@router.get("/surveys/rounds")
def rounds_page(request: Request, session: DB, actor: CurrentActor) -> Response:
    """The EPMO's survey rounds, the trend across them, and the form to open one."""
    return _rounds_page(request, session, actor, {})


@router.post("/surveys/rounds", dependencies=CSRF)
def open_round_page(request: Request, submitted: SubmittedForm, session: DB,
                    actor: CurrentActor) -> Response:
    """Open a round and send the invitations."""
    raw = form_values(submitted)

    def write() -> SurveyRound:
        values = {k: raw.get(k) for k in ("title", "closes_on", "department_ids", "roles")
                  if raw.get(k) not in (None, "", [])}
        values["roles"] = [str(r) for r in submitted.getlist("roles") if r]
        data = parse_form(RoundCreate, with_ints(values, "department_ids"))
        return service.open_round(session, actor, data, date.today())
    return form_action(session, write, lambda exc: _rounds_page(request, session, actor, raw, exc),
                       lambda made: flash_redirect(request, f"Survey opened: {made.title}",
                                                   f"/surveys/rounds/{made.id}"))


def _round_page(request: Request, session: Session, actor: Actor, round_id: int,
                error: EpmoError | None = None) -> Response:
    found = policy.access_round_or_404(session, actor, round_id)
    seen = round_results(session, actor, found, date.today())
    questions = repository.questions_of(session, [found.instrument_id])[found.instrument_id]
    return render(request, "surveys/round.html", actor, status=error.status if error else 200,
                  error=error, round=views.describe_rounds(session, [found], date.today())[0],
                  results=seen, questions=questions, may_run=policy.can_run_rounds(actor),
                  chart=_chart(seen))


def _chart(seen: RoundResults) -> dict[str, Any]:
    return {"questions": [{"service": q.service, "satisfaction": q.satisfaction,
                           "importance": q.importance, "quadrant": q.quadrant}
                          for q in seen.questions],
            "mid": [seen.mid_satisfaction, seen.mid_importance]}


@router.get("/surveys/rounds/{round_id}")
def round_page(request: Request, session: DB, actor: CurrentActor, round_id: PathId) -> Response:
    """A round: response by department; once closed, its results."""
    return _round_page(request, session, actor, round_id)


@router.post("/surveys/rounds/{round_id}/close", dependencies=CSRF)
def close_page(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
               round_id: PathId) -> Response:
    """Close a round by hand."""
    raw = form_values(submitted)
    version = int(raw["version"]) if str(raw.get("version") or "").isdigit() else 0
    return form_action(
        session, lambda: service.close_round(session, actor, round_id, version, date.today()),
        lambda exc: _round_page(request, session, actor, round_id, exc),
        lambda _: flash_redirect(request, "Survey closed", f"/surveys/rounds/{round_id}"))


@router.post("/surveys/rounds/{round_id}/remind", dependencies=CSRF)
def remind_page(request: Request, session: DB, actor: CurrentActor,
                round_id: PathId) -> Response:
    """Remind those who have not answered."""
    return form_action(
        session, lambda: service.remind(session, actor, round_id, date.today()),
        lambda exc: _round_page(request, session, actor, round_id, exc),
        lambda n: flash_redirect(request, f"{n} invitee(s) reminded",
                                 f"/surveys/rounds/{round_id}"))


# --- answering -----------------------------------------------------------------------------


def _answer_page(request: Request, session: Session, actor: Actor, round_id: int, token: str,
                 form: dict[str, Any], error: EpmoError | None = None) -> Response:
    found, questions, refused = None, [], error
    try:
        found = service.check_link(session, actor, token, date.today())
        if found.id != round_id:
            raise Invalid(service.NOT_KNOWN, [FieldError("token", "unknown link")])
        questions = repository.questions_of(session, [found.instrument_id])[found.instrument_id]
    except EpmoError as exc:
        found, refused = None, exc
    made = repository.get_instrument(session, found.instrument_id) if found else None
    return render(request, "surveys/answer.html", actor,
                  status=refused.status if refused else 200, round=found, instrument=made,
                  questions=questions, form=form, error=refused, token=token)


@router.get("/surveys/{round_id}/answer/{token}")
def answer_page(request: Request, session: DB, actor: CurrentActor, round_id: PathId,
                token: str) -> Response:
    """The plain answer page a personal link opens (signed in as its invitee)."""
    return _answer_page(request, session, actor, round_id, token[:200], {})


def scores_of(questions: list[SurveyQuestion],
              raw: dict[str, Any]) -> tuple[list[ScoreIn], list[FieldError]]:
    """The form's scores per question, or what is missing in words."""
    scores, errors = [], []
    for q in questions:
        sat, imp = str(raw.get(f"sat_{q.id}") or ""), str(raw.get(f"imp_{q.id}") or "")
        comment = str(raw.get(f"comment_{q.id}") or "")
        if sat not in "12345" or imp not in "12345" or not sat or not imp:
            errors.append(FieldError(f"question_{q.id}", "choose a satisfaction and an "
                                                         "importance from 1 to 5"))
        elif len(comment) > MAX_COMMENT:
            errors.append(FieldError(f"question_{q.id}",
                                     f"the comment is longer than {MAX_COMMENT} characters"))
        else:
            scores.append(ScoreIn(question_id=q.id, satisfaction=int(sat), importance=int(imp),
                                  comment=comment))
    return scores, errors


@router.post("/surveys/{round_id}/answer/{token}", dependencies=CSRF)
def submit_page(request: Request, submitted: SubmittedForm, session: DB, actor: CurrentActor,
                round_id: PathId, token: str) -> Response:
    """Take the answer; the link works once."""
    raw = form_values(submitted)

    def write() -> SurveyRound:
        found = service.check_link(session, actor, token[:200], date.today())
        questions = repository.questions_of(session, [found.instrument_id])[found.instrument_id]
        scores, errors = scores_of(questions, raw)
        if errors:
            raise Invalid("Please answer every question" if len(errors) > 1
                          else "Please answer the highlighted question", errors)
        return service.submit_answer(session, actor, AnswerSubmit(token=token[:200],
                                                                  scores=scores), date.today())
    return form_action(
        session, write, lambda exc: _answer_page(request, session, actor, round_id, token[:200],
                                                 raw, exc),
        lambda _: flash_redirect(request, "Thank you: your answer is recorded, anonymously",
                                 "/surveys"))


