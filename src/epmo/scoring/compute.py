"""Rows to the scoring engine and back: criteria, alignment, sheets and combined scores.

Scorers enter every criterion as the rubric reads (for risk, 5 is very risky); the engine
wants "higher is better", so a lower-is-better level L enters it as 6 - L and combined levels
are turned back before they are shown. Computed criteria (alignment) are filled in from the
request's goal links for every sheet.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from epmo.engines.scoring import (
    Alignment,
    CombinedScore,
    Criterion,
    CriterionSummary,
    GoalLink,
    ScoringError,
    Spread,
    alignment,
    combine_scores,
    normalise,
    weighted_score,
)
from epmo.errors import FieldError, Invalid
from epmo.scoring import repository
from epmo.scoring.models import RequestScore, ScoringCriterion, ScoringModel

FLIP = 6  # a lower-is-better level L counts as FLIP - L
SCALE = 25.0  # one rubric level is 25 points of the 0..100 score
PLACES = 6  # scores are rounded so that float noise neither shows nor breaks ties


@dataclass(frozen=True, slots=True)
class Panel:
    """One request's scoring under one model: the engine's result, alignment, own scores."""

    request_id: int
    combined: CombinedScore
    alignment: Alignment | None
    own: Mapping[int, float]  # sheet id -> that scorer's own score 0..100

    @property
    def score(self) -> float:
        """The combined weighted score on 0..100."""
        return round(self.combined.score.normalised, PLACES)

    @property
    def spread(self) -> Spread:
        """The spread of the scorers' own weighted scores, on 0..100 like the score."""
        s = self.combined.overall
        return Spread(round(normalise(s.minimum), PLACES), round(normalise(s.maximum), PLACES),
                      round(s.stdev * SCALE, PLACES))


def as_invalid(exc: ScoringError, message: str) -> Invalid:
    """Map the engine's problems to field errors named as the API names its fields."""
    return Invalid(message, [FieldError(field_path(p.path), p.message) for p in exc.problems])


def field_path(path: str) -> str:
    """An engine path as the API names fields: ``matrix[1][0]`` -> ``pairwise.1.0``.

    Dotted indices are what request validation reports too (``criteria.0.rubric``).
    """
    return re.sub(r"\[(\d+)\]", r".\1", re.sub(r"^matrix", "pairwise", path))


def engine_criteria(criteria: Sequence[ScoringCriterion]) -> list[Criterion]:
    """The engine's view of a model's criteria: key and weight in percent."""
    return [Criterion(c.key, float(c.weight)) for c in criteria]


def alignments(session: Session, request_ids: Collection[int]) -> dict[int, Alignment]:
    """Strategic alignment of each request from its goal links and the goals' weights."""
    goals = repository.goal_tree(session)
    links = repository.goal_links(session, request_ids)
    try:
        return {rid: alignment([GoalLink(g, c) for g, c in found], goals)
                for rid, found in links.items()}
    except ScoringError as exc:
        raise as_invalid(exc, "The goals or goal links cannot be scored") from exc


def effective(
    criteria: Sequence[ScoringCriterion], scores: Mapping[str, int], aligned: Alignment | None
) -> dict[str, float]:
    """A sheet as the engine sees it: computed criteria filled, lower-is-better flipped."""
    found: dict[str, float] = {}
    for criterion in criteria:
        if criterion.computed == "alignment":
            value = float(aligned.level if aligned else 1)
        elif criterion.key in scores:
            value = float(scores[criterion.key])
        else:
            continue
        found[criterion.key] = value if criterion.higher_is_better else FLIP - value
    return found


def as_entered(criterion: ScoringCriterion, summary: CriterionSummary) -> CriterionSummary:
    """A combined criterion back on the rubric's own direction (risk: 5 is risky)."""
    if criterion.higher_is_better:
        return summary
    s = summary.spread
    return CriterionSummary(summary.key, FLIP - summary.combined,
                            Spread(FLIP - s.maximum, FLIP - s.minimum, s.stdev))


def panels(
    session: Session, model: ScoringModel, request_ids: Collection[int] | None = None
) -> dict[int, Panel]:
    """Combine every sheet under ``model`` per request (all requests with sheets by default)."""
    criteria = repository.criteria_of(session, model.id)
    by_request: dict[int, list[RequestScore]] = {}
    for sheet in repository.sheets_for(session, model.id, request_ids):
        by_request.setdefault(sheet.request_id, []).append(sheet)
    computed = any(c.computed for c in criteria)
    aligned = alignments(session, by_request.keys()) if computed else {}
    return {rid: _panel(criteria, model.combine, rid, sheets, aligned.get(rid))
            for rid, sheets in by_request.items()}


def _panel(criteria: Sequence[ScoringCriterion], method: str, request_id: int,
           sheets: Sequence[RequestScore], aligned: Alignment | None) -> Panel:
    rows = engine_criteria(criteria)
    seen = [effective(criteria, sheet.scores, aligned) for sheet in sheets]
    try:
        combined = combine_scores(rows, seen, "median" if method == "median" else "mean")
        own = {sheet.id: round(weighted_score(rows, values).normalised, PLACES)
               for sheet, values in zip(sheets, seen, strict=True)}
    except ScoringError as exc:
        raise as_invalid(exc, f"The sheets of request {request_id} cannot be combined") from exc
    return Panel(request_id, combined, aligned, own)


def combined_scores(
    session: Session, model: ScoringModel, request_ids: Sequence[int]
) -> dict[int, float]:
    """Combined weighted score 0..100 of each request with at least one sheet under ``model``."""
    found = panels(session, model, set(request_ids))
    return {rid: found[rid].score for rid in request_ids if rid in found}
