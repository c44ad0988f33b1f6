"""Named writes of the surveys domain: instruments, opening, answering and closing rounds.

Answering is where anonymity is kept (see ``models``): the one-time token is spent with a
plain conditional UPDATE (two tabs posting at once: one wins, the other reads "already used"),
the invitation flips ``answered`` (that, and only that, is attributed in the audit log), and
the answer goes in with a random key, the invited department and the role, nothing else.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy.orm import Session

from epmo.audit import service as audit
from epmo.auth.models import ROLES
from epmo.auth.policy import Actor, scope_below
from epmo.editing import check_version
from epmo.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from epmo.notifications.publishing import publish
from epmo.org.repository import department_parents
from epmo.surveys import instrument, policy, repository, tokens
from epmo.surveys.models import (
    SurveyAnswer,
    SurveyInstrument,
    SurveyInvitation,
    SurveyQuestion,
    SurveyRound,
    SurveyScore,
    SurveyToken,
)
from epmo.surveys.schemas import AnswerSubmit, InstrumentCreate, RoundCreate, ScoreIn

NOT_KNOWN = "This survey link is not known; use the link in your invitation"


def is_open(found: SurveyRound, today: date) -> bool:
    """Whether the round takes answers today."""
    return found.closed_on is None and found.opens_on <= today <= found.closes_on


def is_closed(found: SurveyRound, today: date) -> bool:
    """Closed by hand, or past its last day: results may show."""
    return found.closed_on is not None or today > found.closes_on


# --- instruments ---------------------------------------------------------------------------


def _add_instrument(session: Session, key: str, title: str, intro: str,
                    questions: Sequence[tuple[str, str, str]]) -> SurveyInstrument:
    latest = repository.latest_instrument(session, key)
    made = SurveyInstrument(key=key, version=(latest.version + 1) if latest else 1, title=title,
                            intro=intro)
    session.add(made)
    session.flush()
    session.add_all(SurveyQuestion(instrument_id=made.id, position=i, code=code, service=service,
                                   text=text) for i, (code, service, text) in enumerate(questions))
    session.flush()
    return made


def standard_instrument(session: Session) -> SurveyInstrument:
    """The newest version of the EPMO's own questionnaire (version 1 is made the first time)."""
    found = repository.latest_instrument(session, instrument.STANDARD_KEY)
    if found is not None:
        return found
    return _add_instrument(session, instrument.STANDARD_KEY, instrument.STANDARD_TITLE,
                           instrument.STANDARD_INTRO, instrument.STANDARD_QUESTIONS)


def create_instrument(session: Session, actor: Actor, data: InstrumentCreate) -> SurveyInstrument:
    """A new version of an instrument (administrators); keep a question's code to compare it
    with earlier rounds."""
    policy.require_run_rounds(actor)
    codes = [q.code for q in data.questions]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise Invalid("Each question needs its own code",
                      [FieldError("questions", f"the code {c!r} is used twice") for c in twice])
    return _add_instrument(session, data.key, data.title, data.intro,
                           [(q.code, q.service, q.text) for q in data.questions])


# --- opening a round -----------------------------------------------------------------------


def _root(parents: Mapping[int, int | None], department_id: int) -> int:
    seen = {department_id}
    while (parent := parents.get(department_id)) is not None and parent not in seen:
        department_id = parent
        seen.add(parent)
    return department_id


def invitees(session: Session, department_ids: Sequence[int],
             roles: Sequence[str]) -> list[tuple[int, int | None]]:
    """(user id, department invited as) of every active user the targets reach: members of a
    named department or one below it (as that department), or with no departments named,
    everyone (as their top department)."""
    parents = department_parents(session)
    targets = sorted(set(department_ids))
    below = {t: scope_below(parents, {t}) for t in targets}
    found: list[tuple[int, int | None]] = []
    for user_id, role, own in repository.active_members(session):
        if roles and role not in roles:
            continue
        if not targets:
            found.append((user_id, _root(parents, own[0]) if own else None))
            continue
        home = next((t for t in targets if any(d in below[t] for d in own)), None)
        if home is not None:
            found.append((user_id, home))
    return found


def _round_errors(session: Session, data: RoundCreate, today: date) -> list[FieldError]:
    errors = []
    if data.closes_on < today:
        errors.append(FieldError("closes_on", f"{data.closes_on} is in the past"))
    wrong = [r for r in data.roles if r not in ROLES]
    if wrong:
        errors.append(FieldError("roles", f"unknown role {wrong[0]!r} (roles: "
                                          f"{', '.join(ROLES)})"))
    known = department_parents(session)
    missing = [d for d in data.department_ids if d not in known]
    if missing:
        errors.append(FieldError("department_ids", f"no department {missing[0]}"))
    return errors


def _instrument_of(session: Session, instrument_id: int | None) -> SurveyInstrument:
    if instrument_id is None:
        return standard_instrument(session)
    found = repository.get_instrument(session, instrument_id)
    if found is None:
        raise Invalid("The survey cannot be opened",
                      [FieldError("instrument_id", f"no instrument {instrument_id}")])
    return found


def open_round(session: Session, actor: Actor, data: RoundCreate, today: date) -> SurveyRound:
    """Open a round (administrators): invite everyone the departments and roles reach, each
    with a personal one-time link, in the app and by e-mail."""
    policy.require_run_rounds(actor)
    used = _instrument_of(session, data.instrument_id)
    errors = _round_errors(session, data, today)
    if errors:
        raise Invalid("The survey cannot be opened", errors)
    people = invitees(session, data.department_ids, data.roles)
    if not people:
        raise Invalid("Nobody would be invited", [FieldError(
            "department_ids", "no active user of these departments has these roles")])
    made = SurveyRound(instrument_id=used.id, title=data.title, opens_on=today,
                       closes_on=data.closes_on, roles=list(dict.fromkeys(data.roles)),
                       department_ids=sorted(set(data.department_ids)),
                       opened_by_id=actor.id or None)
    session.add(made)
    session.flush()
    _invite(session, made, people)
    return made


def _invite(session: Session, made: SurveyRound, people: Sequence[tuple[int, int | None]]) -> None:
    session.add_all(SurveyInvitation(round_id=made.id, user_id=user_id, department_id=dept)
                    for user_id, dept in people)
    links = {user_id: tokens.new_token(made.id, user_id) for user_id, _ in people}
    rows = [SurveyToken(token_hash=tokens.digest(t), round_id=made.id) for t in links.values()]
    secrets.SystemRandom().shuffle(rows)  # stored in no order the invitations could give away
    session.add_all(rows)
    session.flush()
    audit.record(session, "survey_round", str(made.id), "invite",
                 {"invited": len(people), "tokens": len(rows)})
    for user_id, token in links.items():
        publish(session, kind=repository.INVITATION_KIND,
                title=f"Survey: {made.title}",
                body=(f"The EPMO asks how well it serves you. Your answer is anonymous. "
                      f"The survey is open until {made.closes_on}; the link works once."),
                link=f"/surveys/{made.id}/answer/{token}", payload={"round_id": made.id},
                targets=[], recipients=[user_id], webhooks=False)


# --- answering -----------------------------------------------------------------------------


def _score_errors(questions: Sequence[SurveyQuestion],
                  scores: Sequence[ScoreIn]) -> list[FieldError]:
    asked = {q.id: q for q in questions}
    given = [s.question_id for s in scores]
    errors = [FieldError(f"question_{q}", "is not a question of this survey")
              for q in given if q not in asked]
    errors += [FieldError(f"question_{q}", "is answered twice")
               for q in sorted({q for q in given if given.count(q) > 1})]
    errors += [FieldError(f"question_{q.id}", f"{q.service}: choose a satisfaction and an "
                                              "importance from 1 to 5")
               for q in questions if q.id not in given]
    return errors


def _usable_round(session: Session, actor: Actor, token: str,
                  today: date) -> tuple[SurveyToken, SurveyRound]:
    """The token's row and round, or why the link cannot be used, in words."""
    row = repository.token_by_hash(session, tokens.digest(token))
    found = repository.get_round(session, row.round_id) if row is not None else None
    if row is None or found is None:
        raise NotFound(NOT_KNOWN, [FieldError("token", "unknown link")])
    if row.used:
        raise Conflict("This link has already been used: each invitation can answer once",
                       [FieldError("token", "already used")])
    if not is_open(found, today):
        raise Conflict(f"This survey closed on {found.closed_on or found.closes_on}; answers "
                       "are no longer taken", [FieldError("token", "the survey is closed")])
    if not tokens.belongs_to(token, found.id, actor.id):
        raise Forbidden("This link was sent to someone else; use the link in your own "
                        "invitation", [FieldError("token", "not your link")])
    return row, found


def check_link(session: Session, actor: Actor, token: str, today: date) -> SurveyRound:
    """The round a still-usable link of the actor's opens, or the refusal in words."""
    found = _usable_round(session, actor, token, today)[1]
    invitation = repository.invitation_of(session, found.id, actor.id)
    if invitation is None:
        raise Forbidden("You are not invited to this survey", [FieldError("token", "not invited")])
    if invitation.answered:
        raise Conflict("You have already answered this survey", [FieldError("token", "answered")])
    return found


def submit_answer(session: Session, actor: Actor, data: AnswerSubmit,
                  today: date) -> SurveyRound:
    """Take an anonymous answer with a one-time link (signed in as its invitee)."""
    found = check_link(session, actor, data.token, today)
    questions = repository.questions_of(session, [found.instrument_id])[found.instrument_id]
    errors = _score_errors(questions, data.scores)
    if errors:
        raise Invalid("Please answer every question" if len(errors) > 1 else errors[0].message,
                      errors)
    if not repository.spend_token(session, tokens.digest(data.token)):
        raise Conflict("This link has already been used: each invitation can answer once",
                       [FieldError("token", "already used")])
    invitation = repository.invitation_of(session, found.id, actor.id)
    assert invitation is not None
    invitation.answered = True
    answer = SurveyAnswer(id=uuid.uuid4().hex, round_id=found.id,
                          department_id=invitation.department_id, role=actor.role)
    session.add(answer)
    session.add_all(SurveyScore(answer_id=answer.id, question_id=s.question_id,
                                satisfaction=s.satisfaction, importance=s.importance,
                                comment=s.comment.strip()) for s in data.scores)
    session.flush()
    return found


# --- closing -------------------------------------------------------------------------------


def digest_of(answers: Sequence[Sequence[object]], scores: Sequence[Sequence[object]]) -> str:
    """The SHA-256 of a round's answers and scores in key order (the seal)."""
    text = json.dumps([[list(a) for a in answers], [list(s) for s in scores]],
                      separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def seal(session: Session, found: SurveyRound, closed_on: date) -> str:
    """Close a round for good: record its answers' count and digest in the audit log, write
    the answers again in key (random) order so not even storage order remains, and delete its
    tokens (no link works any more)."""
    session.flush()
    answers, scores = repository.sealed_rows(session, found.id)
    digest = digest_of(answers, scores)
    repository.rewrite_answers(session, found.id, answers, scores)
    found.closed_on, found.sealed_digest = closed_on, digest
    session.flush()
    audit.record(session, "survey_round", str(found.id), "seal",
                 {"answers": len(answers), "scores": len(scores), "digest": digest})
    return digest


def close_round(session: Session, actor: Actor, round_id: int, version: int,
                today: date) -> SurveyRound:
    """Close a round by hand (administrators): no more answers; results may show."""
    policy.require_run_rounds(actor)
    found = repository.get_round(session, round_id)
    if found is None:
        raise NotFound(f"Survey round {round_id} not found")
    check_version(found, version)
    if found.closed_on is not None:
        raise Conflict(f"The survey closed on {found.closed_on} already",
                       [FieldError("version", "already closed")])
    seal(session, found, min(today, found.closes_on))
    return found


def close_due(session: Session, today: date) -> int:
    """Seal every round whose last day has passed (``epmo surveys close-due``); how many."""
    due = repository.due_rounds(session, today)
    for found in due:
        seal(session, found, found.closes_on)
    return len(due)


def remind(session: Session, actor: Actor, round_id: int, today: date) -> int:
    """Remind everyone invited to an open round who has not answered (administrators): a
    message pointing to "Your surveys", where their own link waits; how many were reminded."""
    policy.require_run_rounds(actor)
    found = repository.get_round(session, round_id)
    if found is None:
        raise NotFound(f"Survey round {round_id} not found")
    if not is_open(found, today):
        raise Conflict("The survey is closed: there is nobody to remind",
                       [FieldError("round_id", "closed")])
    waiting = repository.not_answered(session, round_id)
    if waiting:
        publish(session, kind="survey.reminder", title=f"Reminder: {found.title}",
                body=(f"The EPMO's survey is open until {found.closes_on} and takes two "
                      "minutes; your answer is anonymous. Your personal link is on "
                      "\"Your surveys\"."),
                link="/surveys", payload={"round_id": found.id}, targets=[],
                recipients=waiting, webhooks=False)
    return len(waiting)
