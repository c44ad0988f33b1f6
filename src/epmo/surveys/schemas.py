"""API shapes of the surveys domain."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from epmo.auth.models import ROLES
from epmo.schema_kit import Day, Id, ReadModel, StrictModel

Score = Annotated[int, Field(ge=1, le=5)]
Comment = Annotated[str, Field(max_length=2000)]
Title = Annotated[str, Field(min_length=1, max_length=200)]


class QuestionCreate(StrictModel):
    """One question of a new instrument version."""

    code: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")
    service: str = Field(min_length=1, max_length=100)
    text: str = Field(min_length=1, max_length=2000)


class InstrumentCreate(StrictModel):
    """A new version of an instrument (a new key starts at version 1)."""

    key: str = Field(min_length=1, max_length=60, pattern=r"^[a-z0-9\-]+$")
    title: Title
    intro: str = Field(default="", max_length=4000)
    questions: list[QuestionCreate] = Field(min_length=1, max_length=40)


class QuestionRead(ReadModel):
    """A question as asked."""

    id: int
    code: str
    service: str
    text: str


class InstrumentRead(ReadModel):
    """An instrument version with its questions."""

    id: int
    key: str
    version: int
    title: str
    intro: str
    questions: list[QuestionRead]


class RoundCreate(StrictModel):
    """Open a round: whom to invite (no departments: the whole enterprise; no roles: every
    role) and the last day answers are taken."""

    title: Title
    instrument_id: Id | None = None
    closes_on: Day
    department_ids: list[Id] = Field(default_factory=list, max_length=500)
    roles: list[str] = Field(default_factory=list, max_length=len(ROLES))


class RoundClose(StrictModel):
    """Close a round by hand (the version read)."""

    version: int


class RoundRead(ReadModel):
    """A round and how many answered."""

    id: int
    version: int
    title: str
    instrument_id: int
    instrument_key: str
    instrument_version: int
    opens_on: date
    closes_on: Day
    closed_on: date | None
    closed: bool
    department_ids: list[int]
    roles: list[str]
    invited: int
    answered: int


class ScoreIn(StrictModel):
    """Satisfaction and importance (1 to 5) for one question, and an optional comment."""

    question_id: Id
    satisfaction: Score
    importance: Score
    comment: Comment = ""


class AnswerSubmit(StrictModel):
    """An anonymous answer: the one-time token of the invitation and a score per question."""

    token: str = Field(min_length=10, max_length=200)
    scores: list[ScoreIn] = Field(min_length=1, max_length=40)


class AnswerTaken(ReadModel):
    """What answering returns: nothing that names the answer."""

    answered: bool
    round_id: int


class Reminded(ReadModel):
    """How many invitees were reminded."""

    reminded: int


class InvitationRead(ReadModel):
    """One of the signed-in user's invitations."""

    round_id: int
    title: str
    closes_on: Day
    open: bool
    answered: bool
    sent_at: datetime


class QuestionResultRead(ReadModel):
    """One question's means over every answer and its quadrant."""

    question_id: int
    code: str
    service: str
    answers: int
    satisfaction: float
    importance: float
    gap: float
    quadrant: str


class GroupRowRead(ReadModel):
    """A department or role with at least five answers, or the pooled "other" row."""

    key: str
    label: str
    answers: int
    satisfaction: float
    importance: float
    by_question: list[float]


class ResponseRowRead(ReadModel):
    """Invited and answered in one department."""

    department_id: int | None
    label: str
    invited: int
    answered: int
    rate: float


class ResultsRead(ReadModel):
    """What the reader may see of a round's results."""

    round_id: int
    closed: bool
    invited: int
    answered: int
    shown: bool
    withheld: str
    questions: list[QuestionResultRead]
    departments: list[GroupRowRead]
    roles: list[GroupRowRead]
    responses: list[ResponseRowRead]
    comments: list[tuple[str, str, int]]
    mid_satisfaction: float | None
    mid_importance: float | None


class TrendPointRead(ReadModel):
    """One closed round in the trend."""

    round_id: int
    title: str
    closes_on: Day
    answers: int
    satisfaction: float
    importance: float
    by_code: list[tuple[str, float, float]]
