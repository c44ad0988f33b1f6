"""The demo's stakeholder surveys, made through the survey service as a real EPMO would.

The demo has only a handful of sign-ins, fewer than five per department, so some of its people
get an account of their own to answer with ("respondents": role member, no password, so
nobody signs in as them). Three rounds of the EPMO's questionnaire go to every top department:
one half a year ago and one last month, both answered and closed (the earlier one's dates are
moved back after it closed, since a round opens today), and one open now that the demo's
sign-ins can answer. Each respondent answers with the one-time link in their own invitation
(their notification), through ``surveys.service.submit_answer`` as themselves; the scores are
drawn from a seeded profile (resource coordination and tools rated low but important, intake
and status reporting rated well; a little better in the later round). A few departments get
fewer than five respondents, so their answers are pooled as the rule says.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Final

from sqlalchemy.orm import Session

from epmo.auth import repository as auth_repository
from epmo.auth import service as auth_service
from epmo.auth.models import User, UserDepartment
from epmo.auth.policy import Actor, scope_below
from epmo.demo import repository
from epmo.org.models import Department
from epmo.org.repository import department_parents
from epmo.surveys import repository as surveys_repository
from epmo.surveys import service
from epmo.surveys.schemas import AnswerSubmit, RoundCreate, ScoreIn

# question code -> (satisfaction, importance) as the enterprise feels it, 1 to 5
PROFILE: Final = {
    "intake": (4.0, 4.3), "prioritisation": (3.2, 4.4), "status_reporting": (3.8, 3.4),
    "governance_gates": (3.3, 3.6), "resource_coordination": (2.4, 4.6),
    "dependencies": (2.9, 4.0), "methods_support": (3.7, 3.2), "training": (3.1, 2.8),
    "tools": (2.6, 4.2), "communication": (3.4, 3.7), "value": (3.5, 4.5)}
COMMENTS: Final = {
    "resource_coordination": ("We hear about shared specialists too late to plan around them.",
                              "Booking people from other departments takes weeks.",
                              "The lending requests work, but nobody answers them in time."),
    "tools": ("Please let us upload our own tool's export instead of retyping it.",
              "The status form asks for fields our projects do not have.",
              "Hard to find things in the hub on a phone."),
    "intake": ("The new intake form is quick and the answer came in a week.",
               "We still do not know why our request was turned down."),
    "dependencies": ("We learnt about the data centre move from a rumour first.",),
    "training": ("The planning course was good; more of those, please.",),
    "value": ("The portfolio view finally shows what the other departments are doing.",
              "Useful for the board, less so for us in the departments.")}
ROUNDS: Final = (("Stakeholder pulse, half a year ago", 190, -0.4),
                 ("Stakeholder pulse, last month", 35, 0.0))
OPEN_TITLE: Final = "Stakeholder pulse, now open"


def _score(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.8))))


def _respondents(session: Session, rng: random.Random,
                 tops: list[Department]) -> list[User]:
    """Accounts for a few people of each top department (reused when they exist)."""
    made: list[User] = []
    parents = department_parents(session)
    for index, top in enumerate(tops):
        wanted = 4 + (index * 3) % 6 + rng.randint(0, 1)  # 4 to 10: some groups under five
        people = repository.people_of(session, scope_below(parents, {top.id}), wanted)
        for person in people:
            email = f"survey.{person.code.lower()}@demo.epmo"
            user = repository.user_by_email(session, email)
            if user is None:
                user = auth_service.create_user(
                    session, email=email, name=person.name, role="member", password=None,
                    department_codes=[top.code], person_id=person.id)
            elif top.id not in auth_repository.department_ids(session, user.id):
                # a forced reload cleared the memberships (and the people) but kept accounts
                session.add(UserDepartment(user_id=user.id, department_id=top.id))
                user.person_id = person.id
            made.append(user)
    return made


def _answer(session: Session, rng: random.Random, user: User, round_id: int, today: date,
            lift: float) -> bool:
    link = surveys_repository.invitation_link(session, round_id, user.id)
    if link is None:
        return False
    found = surveys_repository.get_round(session, round_id)
    assert found is not None
    questions = surveys_repository.questions_of(session, [found.instrument_id])
    scores = []
    for q in questions[found.instrument_id]:
        sat, imp = PROFILE.get(q.code, (3.5, 3.5))
        said = COMMENTS.get(q.code, ())
        comment = rng.choice(said) if said and rng.random() < 0.06 else ""
        scores.append(ScoreIn(question_id=q.id, satisfaction=_score(rng, sat + lift),
                              importance=_score(rng, imp), comment=comment))
    actor = auth_service.actor_for(session, user)
    service.submit_answer(session, actor, AnswerSubmit(token=link.rsplit("/", 1)[1],
                                                       scores=scores), today)
    return True


def _round(session: Session, admin: Actor, title: str, tops: list[Department], today: date,
           days: int) -> int:
    made = service.open_round(session, admin, RoundCreate(
        title=title, closes_on=today + timedelta(days=days),
        department_ids=[t.id for t in tops]), today)
    return made.id


def build_surveys(session: Session, today: date, seed: int) -> dict[str, int]:
    """Two closed rounds and an open one; return how many rounds and answers were made."""
    admin_user = repository.first_admin(session)
    tops = repository.top_departments(session)
    if admin_user is None or not tops:
        return {}
    admin = auth_service.actor_for(session, admin_user)
    rng = random.Random(f"surveys-{seed}")
    people = _respondents(session, rng, tops)
    answers = 0
    for title, days_ago, lift in ROUNDS:
        round_id = _round(session, admin, title, tops, today, 14)
        answers += sum(_answer(session, rng, user, round_id, today, lift)
                       for user in people if rng.random() < 0.9)
        found = surveys_repository.get_round(session, round_id)
        assert found is not None
        service.close_round(session, admin, round_id, found.version, today)
        # a round opens today: move the closed one back to when it ran
        found.opens_on = today - timedelta(days=days_ago)
        found.closes_on = found.closed_on = found.opens_on + timedelta(days=14)
    open_id = _round(session, admin, OPEN_TITLE, tops, today, 21)
    answers += sum(_answer(session, rng, user, open_id, today, 0.1)
                   for user in people if rng.random() < 0.5)
    session.flush()
    return {"survey_round": len(ROUNDS) + 1, "survey_answer": answers,
            "survey_respondent": len(people)}
