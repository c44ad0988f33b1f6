"""A round's results: per question, by department and by role (the group-size rule applied),
importance against satisfaction, response rates, comments; and the trend across rounds.

Scores show only once the round is closed (while it is open, each new answer would move the
figures and watching them would reveal it) and only for groups of ``MIN_GROUP`` or more (see
``grouping``). Response rates show at any time: taking part is not secret, what one says is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.surveys import policy, repository
from epmo.surveys.grouping import pooled_size, shown_groups
from epmo.surveys.models import MIN_GROUP, SurveyQuestion, SurveyRound
from epmo.surveys.service import is_closed

OTHER = "other"
QUADRANTS = ("fix first", "keep it up", "watch", "more than needed")
ROLE_WORDS = {"epmo_admin": "EPMO administrators", "executive": "Executives",
              "department_lead": "Department leads", "project_manager": "Project managers",
              "member": "Members", "viewer": "Viewers"}


@dataclass(frozen=True, slots=True)
class QuestionResult:
    """One question's means over every answer, and where it sits in the quadrant."""

    question_id: int
    code: str
    service: str
    text: str
    answers: int
    satisfaction: float
    importance: float
    gap: float
    quadrant: str


@dataclass(frozen=True, slots=True)
class GroupRow:
    """A department or role (or the pooled "other" row) with at least MIN_GROUP answers."""

    key: str
    label: str
    answers: int
    satisfaction: float
    importance: float
    by_question: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class ResponseRow:
    """Invited and answered in one department."""

    department_id: int | None
    label: str
    invited: int
    answered: int

    @property
    def rate(self) -> float:
        """Answered as a percentage of invited."""
        return round(100 * self.answered / self.invited, 1) if self.invited else 0.0


@dataclass(frozen=True, slots=True)
class RoundResults:
    """What a reader may see of one round."""

    round_id: int
    closed: bool
    invited: int
    answered: int
    shown: bool
    withheld: str
    questions: tuple[QuestionResult, ...]
    departments: tuple[GroupRow, ...]
    roles: tuple[GroupRow, ...]
    responses: tuple[ResponseRow, ...]
    comments: tuple[tuple[str, str, int], ...]
    mid_satisfaction: float | None
    mid_importance: float | None


def _mean(total: int, count: int) -> float:
    return round(total / count, 2) if count else 0.0


def _quadrant(sat: float, imp: float, mid_sat: float, mid_imp: float) -> str:
    if imp >= mid_imp:
        return QUADRANTS[0] if sat < mid_sat else QUADRANTS[1]
    return QUADRANTS[2] if sat < mid_sat else QUADRANTS[3]


def question_results(questions: Sequence[SurveyQuestion],
                     sums: Iterable[Sequence[Any]]) -> tuple[list[QuestionResult],
                                                             float | None, float | None]:
    """Per question over all groups: means, gap (importance minus satisfaction), quadrant;
    and the cross-hairs (the mean of the question means)."""
    totals: dict[int, list[int]] = {q.id: [0, 0, 0] for q in questions}
    for _group, qid, n, ssum, isum in sums:
        if qid in totals:
            totals[qid] = [totals[qid][0] + int(n), totals[qid][1] + int(ssum),
                           totals[qid][2] + int(isum)]
    means = {q: (_mean(t[1], t[0]), _mean(t[2], t[0]), t[0]) for q, t in totals.items()}
    asked = [m for m in means.values() if m[2]]
    if not asked:
        return [], None, None
    mid_sat = round(sum(m[0] for m in asked) / len(asked), 2)
    mid_imp = round(sum(m[1] for m in asked) / len(asked), 2)
    found = [QuestionResult(q.id, q.code, q.service, q.text, means[q.id][2], means[q.id][0],
                            means[q.id][1], round(means[q.id][1] - means[q.id][0], 2),
                            _quadrant(means[q.id][0], means[q.id][1], mid_sat, mid_imp))
             for q in questions if means[q.id][2]]
    return found, mid_sat, mid_imp


def group_rows(questions: Sequence[SurveyQuestion], sums: Iterable[Sequence[Any]],
               sizes: Mapping[Any, int], labels: Mapping[Any, str],
               other_label: str) -> list[GroupRow]:
    """The shown groups (largest first) and the pooled "other" row when it is not empty."""
    shown = shown_groups(sizes, MIN_GROUP)
    cells: dict[str, dict[int, list[int]]] = {}
    for group, qid, n, ssum, isum in sums:
        key = str(group) if group in shown else OTHER
        cell = cells.setdefault(key, {}).setdefault(int(qid), [0, 0, 0])
        cell[0], cell[1], cell[2] = cell[0] + int(n), cell[1] + int(ssum), cell[2] + int(isum)
    keys = [str(k) for k in sorted(shown, key=lambda k: (-sizes[k], str(labels.get(k, k))))]
    if shown and pooled_size(sizes, shown):
        keys.append(OTHER)
    names = {str(k): v for k, v in labels.items()} | {OTHER: other_label}
    counts = {str(k): n for k, n in sizes.items() if k in shown}
    counts[OTHER] = pooled_size(sizes, shown)
    return [_row(key, names.get(key, key), counts[key], cells.get(key, {}), questions)
            for key in keys]


def _row(key: str, label: str, answers: int, cells: Mapping[int, list[int]],
         questions: Sequence[SurveyQuestion]) -> GroupRow:
    n = sum(c[0] for c in cells.values())
    return GroupRow(key, label, answers, _mean(sum(c[1] for c in cells.values()), n),
                    _mean(sum(c[2] for c in cells.values()), n),
                    tuple(_mean(cells[q.id][1], cells[q.id][0]) if q.id in cells else 0.0
                          for q in questions))


def responses(session: Session, round_id: int,
              visible: frozenset[int] | None) -> tuple[ResponseRow, ...]:
    """Invited and answered per department (those the reader may see)."""
    rows = repository.response_by_department(session, round_id)
    return tuple(ResponseRow(d, f"{code} {name}" if code else "No department", int(n),
                             int(a or 0))
                 for d, code, name, n, a in rows if visible is None or d in visible)


def round_results(session: Session, actor: Actor, found: SurveyRound,
                  today: date) -> RoundResults:
    """What the actor may see of a round (see the module's rules)."""
    visible = policy.department_filter(actor)
    invited, answered = repository.response_counts(session, [found.id]).get(found.id, (0, 0))
    rates = responses(session, found.id, visible)
    closed = is_closed(found, today)
    withheld = ("" if closed and answered >= MIN_GROUP else
                "Scores show once the survey has closed." if not closed else
                f"Fewer than {MIN_GROUP} people answered: no scores are shown.")
    if withheld:
        return RoundResults(found.id, closed, invited, answered, False, withheld, (), (), (),
                            rates, (), None, None)
    return _scored(session, actor, found, invited, answered, rates)


def _scored(session: Session, actor: Actor, found: SurveyRound, invited: int, answered: int,
            rates: tuple[ResponseRow, ...]) -> RoundResults:
    questions = repository.questions_of(session, [found.instrument_id])[found.instrument_id]
    by_dept, by_role = repository.answer_sizes(session, found.id)
    dept_sums = repository.score_sums(session, found.id, "department")
    overall, mid_sat, mid_imp = question_results(questions, dept_sums)
    names = {i: f"{c} {n}" for i, (c, n) in repository.department_names(session).items()}
    names_any: dict[Any, str] = {**names, None: "No department"}
    departments = group_rows(questions, dept_sums, by_dept, names_any, "Other departments")
    visible = policy.department_filter(actor)
    if visible is not None:
        departments = [r for r in departments if r.key.isdigit() and int(r.key) in visible]
    roles: list[GroupRow] = []
    notes: tuple[tuple[str, str, int], ...] = ()
    if policy.sees_roles_and_comments(actor):
        roles = group_rows(questions, repository.score_sums(session, found.id, "role"), by_role,
                           ROLE_WORDS, "Other roles")
        service_of = {q.id: q.service for q in questions}
        said = Counter(repository.comments(session, found.id))  # the same words: once, counted
        notes = tuple((service_of.get(q, ""), text, n) for (q, text), n in said.items())
    return RoundResults(found.id, True, invited, answered, True, "", tuple(overall),
                        tuple(departments), tuple(roles), rates, notes, mid_sat, mid_imp)
