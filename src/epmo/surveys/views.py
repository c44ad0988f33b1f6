"""Read models of the surveys domain: rounds as listed, a user's invitations, the trend across
rounds, and ``satisfaction_summary`` (what the diagnostics read)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from epmo.auth.policy import SYSTEM, Actor
from epmo.surveys import repository
from epmo.surveys.models import MIN_GROUP, SurveyRound
from epmo.surveys.results import round_results
from epmo.surveys.schemas import InstrumentRead, InvitationRead, QuestionRead, RoundRead
from epmo.surveys.service import is_closed, is_open


def describe_rounds(session: Session, rounds: Sequence[SurveyRound],
                    today: date) -> list[RoundRead]:
    """Rounds with their instrument and response counts (three queries however many)."""
    counts = repository.response_counts(session, [r.id for r in rounds])
    instruments = {i.id: i for i in repository.list_instruments(session)}
    return [RoundRead(id=r.id, version=r.version, title=r.title, instrument_id=r.instrument_id,
                      instrument_key=instruments[r.instrument_id].key,
                      instrument_version=instruments[r.instrument_id].version,
                      opens_on=r.opens_on, closes_on=r.closes_on, closed_on=r.closed_on,
                      closed=is_closed(r, today), department_ids=list(r.department_ids),
                      roles=list(r.roles), invited=counts.get(r.id, (0, 0))[0],
                      answered=counts.get(r.id, (0, 0))[1]) for r in rounds]


def describe_instruments(session: Session) -> list[InstrumentRead]:
    """Every instrument version with its questions (two queries)."""
    found = repository.list_instruments(session)
    questions = repository.questions_of(session, [i.id for i in found])
    return [InstrumentRead(id=i.id, key=i.key, version=i.version, title=i.title, intro=i.intro,
                           questions=[QuestionRead(id=q.id, code=q.code, service=q.service,
                                                   text=q.text) for q in questions[i.id]])
            for i in found]


def my_invitations(session: Session, actor: Actor, today: date) -> list[InvitationRead]:
    """The actor's invitations, newest first."""
    return [InvitationRead(round_id=r.id, title=r.title, closes_on=r.closes_on,
                           open=is_open(r, today), answered=i.answered, sent_at=i.sent_at)
            for i, r in repository.invitations_of_user(session, actor.id)]


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One closed round of an instrument with enough answers: its means, overall and by
    question code."""

    round_id: int
    title: str
    closes_on: date
    answers: int
    satisfaction: float
    importance: float
    by_code: tuple[tuple[str, float, float], ...]


def trend(session: Session, key: str, today: date) -> list[TrendPoint]:
    """Closed rounds of every version of the instrument ``key``, oldest first; a question is
    followed across versions by its code; rounds under MIN_GROUP answers are left out."""
    rounds = [r for r in repository.list_rounds(session, repository.instruments_by_key(
        session, key)) if is_closed(r, today)]
    answers = repository.answers_per_round(session, [r.id for r in rounds])
    rounds = [r for r in rounds if answers.get(r.id, 0) >= MIN_GROUP]
    sums: dict[int, list[tuple[str, int, int, int]]] = {}
    for round_id, code, n, ssum, isum in repository.trend_sums(session, [r.id for r in rounds]):
        sums.setdefault(int(round_id), []).append((str(code), int(n), int(ssum), int(isum)))
    return [_point(r, answers[r.id], sorted(sums.get(r.id, []))) for r in reversed(rounds)]


def _point(found: SurveyRound, answers: int,
           rows: list[tuple[str, int, int, int]]) -> TrendPoint:
    n = sum(r[1] for r in rows) or 1
    return TrendPoint(found.id, found.title, found.closes_on, answers,
                      round(sum(r[2] for r in rows) / n, 2), round(sum(r[3] for r in rows) / n, 2),
                      tuple((code, round(s / c, 2), round(i / c, 2)) for code, c, s, i in rows))


# --- for the diagnostics -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuestionMean:
    """One service's means over every answer of the round (1 to 5)."""

    code: str
    service: str
    satisfaction: float
    importance: float


@dataclass(frozen=True, slots=True)
class DepartmentMean:
    """A department with at least MIN_GROUP answers: its means over every question (1 to 5)."""

    department_id: int
    label: str
    answers: int
    satisfaction: float
    importance: float


@dataclass(frozen=True, slots=True)
class SatisfactionSummary:
    """A round's satisfaction as the diagnostics read it. ``results_shown`` is False while
    the round is open or when fewer than MIN_GROUP answered: then the means are None and the
    tuples empty, and only the counts say something."""

    round_id: int
    title: str
    instrument_key: str
    instrument_version: int
    opens_on: date
    closes_on: date
    closed_on: date | None
    invited: int
    answered: int
    results_shown: bool
    satisfaction: float | None
    importance: float | None
    questions: tuple[QuestionMean, ...]
    departments: tuple[DepartmentMean, ...]

    @property
    def response_rate(self) -> float:
        """Answered as a percentage of invited."""
        return round(100 * self.answered / self.invited, 1) if self.invited else 0.0


def _latest_closed(session: Session, today: date) -> SurveyRound | None:
    closed = [r for r in repository.list_rounds(session) if is_closed(r, today)]
    return max(closed, key=lambda r: (r.closed_on or r.closes_on, r.id), default=None)


def satisfaction_summary(session: Session, round_id: int | None = None,
                         today: date | None = None) -> SatisfactionSummary | None:
    """The summary of round ``round_id``, or of the latest closed round; None when there is
    no such round. Department rows follow the group-size rule (``grouping``)."""
    today = today or date.today()
    found = (repository.get_round(session, round_id) if round_id is not None
             else _latest_closed(session, today))
    if found is None:
        return None
    seen = round_results(session, SYSTEM, found, today)
    made = repository.get_instrument(session, found.instrument_id)
    assert made is not None
    dept = [DepartmentMean(int(r.key), r.label, r.answers, r.satisfaction, r.importance)
            for r in seen.departments if r.key.isdigit()]
    total = sum(q.answers for q in seen.questions) or 1
    return SatisfactionSummary(
        found.id, found.title, made.key, made.version, found.opens_on, found.closes_on,
        found.closed_on, seen.invited, seen.answered, seen.shown,
        round(sum(q.satisfaction * q.answers for q in seen.questions) / total, 2)
        if seen.shown else None,
        round(sum(q.importance * q.answers for q in seen.questions) / total, 2)
        if seen.shown else None,
        tuple(QuestionMean(q.code, q.service, q.satisfaction, q.importance)
              for q in seen.questions), tuple(dept))
