"""REST endpoints of the surveys domain (/api/v1/surveys)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from epmo.surveys import policy, repository, service, views
from epmo.surveys.results import round_results
from epmo.surveys.schemas import (
    AnswerSubmit,
    AnswerTaken,
    InstrumentCreate,
    InstrumentRead,
    InvitationRead,
    Reminded,
    ResultsRead,
    RoundClose,
    RoundCreate,
    RoundRead,
    TrendPointRead,
)
from epmo.web.deps import DB, CurrentActor, PathId

router = APIRouter(tags=["surveys"])
KeyQuery = Annotated[str, Query(min_length=1, max_length=60)]


def today() -> date:
    """Today (the day answers and closings count from)."""
    return date.today()


@router.get("/surveys/instruments", response_model=list[InstrumentRead])
def list_instruments(session: DB, actor: CurrentActor) -> object:
    """Every questionnaire version with its questions (anyone signed in: an invitee answering
    through the API needs the question ids of the round's ``instrument_id``)."""
    return views.describe_instruments(session)


@router.post("/surveys/instruments", response_model=InstrumentRead, status_code=201)
def create_instrument(session: DB, actor: CurrentActor, data: InstrumentCreate) -> object:
    """A new version of a questionnaire (EPMO administrators)."""
    made = service.create_instrument(session, actor, data)
    return next(i for i in views.describe_instruments(session) if i.id == made.id)


@router.get("/surveys/rounds", response_model=list[RoundRead])
def list_rounds(session: DB, actor: CurrentActor) -> object:
    """Rounds, newest first, with invited and answered counts."""
    policy.require_read_results(actor)
    found = [r for r in repository.list_rounds(session) if policy.may_see_round(actor, r)]
    return views.describe_rounds(session, found, today())


@router.post("/surveys/rounds", response_model=RoundRead, status_code=201)
def open_round(session: DB, actor: CurrentActor, data: RoundCreate) -> object:
    """Open a round and invite (EPMO administrators): each invitee gets a personal one-time
    link in the app and by e-mail."""
    made = service.open_round(session, actor, data, today())
    return views.describe_rounds(session, [made], today())[0]


@router.get("/surveys/rounds/{round_id}", response_model=RoundRead)
def get_round(session: DB, actor: CurrentActor, round_id: PathId) -> object:
    """One round with its counts."""
    found = policy.access_round_or_404(session, actor, round_id)
    return views.describe_rounds(session, [found], today())[0]


@router.post("/surveys/rounds/{round_id}/close", response_model=RoundRead)
def close_round(session: DB, actor: CurrentActor, round_id: PathId, data: RoundClose) -> object:
    """Close a round by hand (EPMO administrators): it takes no more answers."""
    found = service.close_round(session, actor, round_id, data.version, today())
    return views.describe_rounds(session, [found], today())[0]


@router.post("/surveys/rounds/{round_id}/remind", response_model=Reminded)
def remind(session: DB, actor: CurrentActor, round_id: PathId) -> object:
    """Remind everyone invited who has not answered yet (EPMO administrators)."""
    return Reminded(reminded=service.remind(session, actor, round_id, today()))


@router.get("/surveys/rounds/{round_id}/results", response_model=ResultsRead)
def get_results(session: DB, actor: CurrentActor, round_id: PathId) -> object:
    """Response rates; once closed, scores per question, department and role (groups of at
    least five), the quadrant and the comments, as the reader may see them."""
    found = policy.access_round_or_404(session, actor, round_id)
    return ResultsRead.model_validate(round_results(session, actor, found, today()),
                                      from_attributes=True)


@router.get("/surveys/trend", response_model=list[TrendPointRead])
def get_trend(session: DB, actor: CurrentActor, key: KeyQuery = "epmo-services") -> object:
    """Closed rounds of a questionnaire (every version), oldest first."""
    policy.require_read_results(actor)
    return [TrendPointRead.model_validate(p, from_attributes=True)
            for p in views.trend(session, key, today())]


@router.get("/surveys/invitations", response_model=list[InvitationRead])
def my_invitations(session: DB, actor: CurrentActor) -> object:
    """The signed-in user's invitations, newest first."""
    return views.my_invitations(session, actor, today())


@router.post("/surveys/answers", response_model=AnswerTaken, status_code=201)
def submit_answer(session: DB, actor: CurrentActor, data: AnswerSubmit) -> object:
    """Answer anonymously with the one-time token of your invitation (signed in as yourself);
    nothing returned names the answer."""
    found = service.submit_answer(session, actor, data, today())
    return AnswerTaken(answered=True, round_id=found.id)
