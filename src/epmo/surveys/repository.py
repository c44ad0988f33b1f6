"""Reads of the surveys domain. Answers are only ever read grouped (never row by row), except
for the seal's digest and the comments, which are read without department or role."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import case, delete, func, insert, select, update
from sqlalchemy.orm import Session

from epmo.auth.models import User, UserDepartment
from epmo.notifications.models import Notification
from epmo.org.models import Department
from epmo.surveys.models import (
    SurveyAnswer,
    SurveyInstrument,
    SurveyInvitation,
    SurveyQuestion,
    SurveyRound,
    SurveyScore,
    SurveyToken,
)

INVITATION_KIND = "survey.invitation"


def get_instrument(session: Session, instrument_id: int) -> SurveyInstrument | None:
    """An instrument version by id."""
    return session.get(SurveyInstrument, instrument_id)


def latest_instrument(session: Session, key: str) -> SurveyInstrument | None:
    """The newest version of the instrument ``key``."""
    query = select(SurveyInstrument).where(SurveyInstrument.key == key)
    return session.scalar(query.order_by(SurveyInstrument.version.desc()).limit(1))


def list_instruments(session: Session) -> Sequence[SurveyInstrument]:
    """Every instrument version, by key and version."""
    query = select(SurveyInstrument).order_by(SurveyInstrument.key, SurveyInstrument.version)
    return session.scalars(query).all()


def questions_of(session: Session,
                 instrument_ids: Sequence[int]) -> dict[int, list[SurveyQuestion]]:
    """The questions of these instruments in their order, by instrument (one query)."""
    query = (select(SurveyQuestion).where(SurveyQuestion.instrument_id.in_(instrument_ids))
             .order_by(SurveyQuestion.instrument_id, SurveyQuestion.position, SurveyQuestion.id))
    found: dict[int, list[SurveyQuestion]] = {i: [] for i in instrument_ids}
    for question in session.scalars(query):
        found[question.instrument_id].append(question)
    return found


def get_round(session: Session, round_id: int) -> SurveyRound | None:
    """A round by id."""
    return session.get(SurveyRound, round_id)


def list_rounds(session: Session, instrument_ids: Sequence[int] | None = None,
                closed_only: bool = False) -> Sequence[SurveyRound]:
    """Rounds newest first (of these instruments; only those with a closing recorded)."""
    query = select(SurveyRound).order_by(SurveyRound.opens_on.desc(), SurveyRound.id.desc())
    if instrument_ids is not None:
        query = query.where(SurveyRound.instrument_id.in_(instrument_ids))
    if closed_only:
        query = query.where(SurveyRound.closed_on.is_not(None))
    return session.scalars(query).all()


def instruments_by_key(session: Session, key: str) -> list[int]:
    """Ids of every version of the instrument ``key``."""
    return list(session.scalars(select(SurveyInstrument.id).where(SurveyInstrument.key == key)))


def active_members(session: Session) -> list[tuple[int, str, list[int]]]:
    """Every active user: (id, role, their departments), in two queries."""
    users = session.execute(select(User.id, User.role).where(User.is_active.is_(True))
                            .order_by(User.id)).all()
    found: dict[int, list[int]] = {}
    for user_id, dept in session.execute(select(UserDepartment.user_id,
                                                UserDepartment.department_id)
                                         .order_by(UserDepartment.department_id)):
        found.setdefault(user_id, []).append(dept)
    return [(uid, role, found.get(uid, [])) for uid, role in users]


def invitation_of(session: Session, round_id: int, user_id: int) -> SurveyInvitation | None:
    """The user's invitation to a round, if any."""
    query = select(SurveyInvitation).where(SurveyInvitation.round_id == round_id,
                                           SurveyInvitation.user_id == user_id)
    return session.scalar(query)


def invitations_of_user(session: Session, user_id: int) -> list[tuple[SurveyInvitation,
                                                                      SurveyRound]]:
    """A user's invitations with their rounds, newest round first."""
    query = (select(SurveyInvitation, SurveyRound)
             .join(SurveyRound, SurveyRound.id == SurveyInvitation.round_id)
             .where(SurveyInvitation.user_id == user_id)
             .order_by(SurveyRound.opens_on.desc(), SurveyRound.id.desc()))
    return [(row[0], row[1]) for row in session.execute(query)]


def token_by_hash(session: Session, digest: str) -> SurveyToken | None:
    """The token row with this SHA-256, if any."""
    return session.get(SurveyToken, digest)


def invitation_link(session: Session, round_id: int, user_id: int) -> str | None:
    """The personal answer link of the user's in-app invitation to a round (their own
    notification carries the one-time token; nothing else stores it)."""
    query = (select(Notification.link)
             .where(Notification.user_id == user_id, Notification.kind == INVITATION_KIND,
                    Notification.link.like(f"/surveys/{round_id}/answer/%"))
             .order_by(Notification.id.desc()).limit(1))
    return session.scalar(query)


def response_counts(session: Session, round_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """(invited, answered) per round, in one query."""
    answered = func.sum(case((SurveyInvitation.answered.is_(True), 1), else_=0))
    query = (select(SurveyInvitation.round_id, func.count(), answered)
             .where(SurveyInvitation.round_id.in_(round_ids))
             .group_by(SurveyInvitation.round_id))
    return {int(r): (int(n), int(a or 0)) for r, n, a in session.execute(query)}


def response_by_department(session: Session, round_id: int) -> list[Any]:
    """(department id, code, name, invited, answered) of a round, by department code."""
    answered = func.sum(case((SurveyInvitation.answered.is_(True), 1), else_=0))
    query = (select(SurveyInvitation.department_id, Department.code, Department.name,
                    func.count(), answered)
             .outerjoin(Department, Department.id == SurveyInvitation.department_id)
             .where(SurveyInvitation.round_id == round_id)
             .group_by(SurveyInvitation.department_id, Department.code, Department.name)
             .order_by(Department.code))
    return list(session.execute(query))


def answer_sizes(session: Session, round_id: int) -> tuple[dict[int | None, int],
                                                           dict[str, int]]:
    """How many answers each department and each role gave in a round (two queries)."""
    by_dept = session.execute(select(SurveyAnswer.department_id, func.count())
                              .where(SurveyAnswer.round_id == round_id)
                              .group_by(SurveyAnswer.department_id))
    by_role = session.execute(select(SurveyAnswer.role, func.count())
                              .where(SurveyAnswer.round_id == round_id)
                              .group_by(SurveyAnswer.role))
    return ({d: int(n) for d, n in by_dept}, {r: int(n) for r, n in by_role})


def score_sums(session: Session, round_id: int, by: str) -> list[Any]:
    """(group, question id, count, sum of satisfaction, sum of importance), grouped by the
    answer's ``department`` or ``role``: only sums leave the database."""
    group = SurveyAnswer.department_id if by == "department" else SurveyAnswer.role
    query = (select(group, SurveyScore.question_id, func.count(),
                    func.sum(SurveyScore.satisfaction), func.sum(SurveyScore.importance))
             .join(SurveyAnswer, SurveyAnswer.id == SurveyScore.answer_id)
             .where(SurveyAnswer.round_id == round_id)
             .group_by(group, SurveyScore.question_id))
    return list(session.execute(query))


def comments(session: Session, round_id: int) -> list[tuple[int, str]]:
    """(question id, comment) of a round's non-empty comments, in text order (never in the
    order they came, and without department or role)."""
    query = (select(SurveyScore.question_id, SurveyScore.comment)
             .join(SurveyAnswer, SurveyAnswer.id == SurveyScore.answer_id)
             .where(SurveyAnswer.round_id == round_id, SurveyScore.comment != "")
             .order_by(SurveyScore.question_id, SurveyScore.comment))
    return [(int(q), str(c)) for q, c in session.execute(query)]


def sealed_rows(session: Session, round_id: int) -> tuple[list[Any], list[Any]]:
    """A round's answers and scores in key order, for the seal's digest and reshuffle."""
    answers = session.execute(
        select(SurveyAnswer.id, SurveyAnswer.round_id, SurveyAnswer.department_id,
               SurveyAnswer.role)
        .where(SurveyAnswer.round_id == round_id).order_by(SurveyAnswer.id)).all()
    scores = session.execute(
        select(SurveyScore.answer_id, SurveyScore.question_id, SurveyScore.satisfaction,
               SurveyScore.importance, SurveyScore.comment)
        .join(SurveyAnswer, SurveyAnswer.id == SurveyScore.answer_id)
        .where(SurveyAnswer.round_id == round_id)
        .order_by(SurveyScore.answer_id, SurveyScore.question_id)).all()
    return list(answers), list(scores)


def due_rounds(session: Session, today: Any) -> Sequence[SurveyRound]:
    """Open rounds whose last day has passed (to be sealed)."""
    query = select(SurveyRound).where(SurveyRound.closed_on.is_(None),
                                      SurveyRound.closes_on < today)
    return session.scalars(query.order_by(SurveyRound.id)).all()


def department_names(session: Session) -> dict[int, tuple[str, str]]:
    """Every department's (code, name) by id."""
    rows = session.execute(select(Department.id, Department.code, Department.name))
    return {int(i): (str(c), str(n)) for i, c, n in rows}


def trend_sums(session: Session, round_ids: Sequence[int]) -> list[Any]:
    """(round id, question code, count, sum of satisfaction, sum of importance) of rounds."""
    query = (select(SurveyAnswer.round_id, SurveyQuestion.code, func.count(),
                    func.sum(SurveyScore.satisfaction), func.sum(SurveyScore.importance))
             .join(SurveyAnswer, SurveyAnswer.id == SurveyScore.answer_id)
             .join(SurveyQuestion, SurveyQuestion.id == SurveyScore.question_id)
             .where(SurveyAnswer.round_id.in_(round_ids))
             .group_by(SurveyAnswer.round_id, SurveyQuestion.code))
    return list(session.execute(query))


def answers_per_round(session: Session, round_ids: Sequence[int]) -> dict[int, int]:
    """How many answers each round has."""
    query = (select(SurveyAnswer.round_id, func.count()).where(SurveyAnswer.round_id.in_(round_ids))
             .group_by(SurveyAnswer.round_id))
    return {int(r): int(n) for r, n in session.execute(query)}


# --- the few writes that must not go through the ORM (see service) --------------------------


def spend_token(session: Session, digest: str) -> bool:
    """Mark a token used if it still is not, in one conditional UPDATE: of two requests with
    the same link, one wins. The ORM is bypassed on purpose: a used flag is no edit to audit."""
    spent = session.execute(update(SurveyToken).where(
        SurveyToken.token_hash == digest, SurveyToken.used.is_(False))
        .values(used=True).execution_options(synchronize_session=False))
    return getattr(spent, "rowcount", 0) == 1


def rewrite_answers(session: Session, round_id: int, answers: Sequence[Any],
                    scores: Sequence[Any]) -> None:
    """Delete a round's answers and write them again in key (random) order, and drop its
    tokens: after the seal, not even the storage order of the answers remains."""
    ids = select(SurveyAnswer.id).where(SurveyAnswer.round_id == round_id)
    session.execute(delete(SurveyScore).where(SurveyScore.answer_id.in_(ids)))
    session.execute(delete(SurveyAnswer).where(SurveyAnswer.round_id == round_id))
    if answers:
        session.execute(insert(SurveyAnswer), [dict(a._mapping) for a in answers])
    if scores:
        session.execute(insert(SurveyScore), [dict(s._mapping) for s in scores])
    session.execute(delete(SurveyToken).where(SurveyToken.round_id == round_id))


def not_answered(session: Session, round_id: int) -> list[int]:
    """The users invited to a round who have not answered yet."""
    query = (select(SurveyInvitation.user_id)
             .where(SurveyInvitation.round_id == round_id,
                    SurveyInvitation.answered.is_(False))
             .order_by(SurveyInvitation.user_id))
    return [int(u) for u in session.scalars(query)]
