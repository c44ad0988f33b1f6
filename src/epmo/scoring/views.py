"""Read shapes the API and pages share: a model, a request's scores, a ranking."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.engines.scoring import CR_LIMIT, Spread, rank
from epmo.intake.models import IntakeRequest
from epmo.scoring import compute, policy, repository, service
from epmo.scoring.models import ScoringCriterion, ScoringModel
from epmo.scoring.schemas import (
    CriterionRead,
    CriterionScore,
    RankedRequest,
    RankingRead,
    RequestScores,
    ScoringModelRead,
    SheetRead,
    SpreadRead,
)


def model_read(session: Session, model: ScoringModel) -> ScoringModelRead:
    """A model with its criteria, weight total, CR warning and what blocks activation."""
    criteria = repository.criteria_of(session, model.id)
    total = sum((Decimal(c.weight) for c in criteria), Decimal(0))
    problems = ([f"{e.field}: {e.message}" for e in service.activation_errors(session, model)]
                if model.status == "draft" else [])
    read = ScoringModelRead.model_validate(model)
    return read.model_copy(update={
        "criteria": [CriterionRead.model_validate(c) for c in criteria],
        "weight_total": total, "problems": problems,
        "consistency_warning": (model.consistency_ratio or 0) > CR_LIMIT,
    })


def _spread(value: Spread) -> SpreadRead:
    return SpreadRead(minimum=value.minimum, maximum=value.maximum, stdev=value.stdev)


def request_scores(
    session: Session, actor: Actor, request: IntakeRequest, model: ScoringModel
) -> RequestScores:
    """The request's sheets the actor may see, the combined score and per-criterion spread."""
    criteria = repository.criteria_of(session, model.id)
    panel = compute.panels(session, model, {request.id}).get(request.id)
    sheets = list(repository.sheets_for(session, model.id, {request.id}))
    names = repository.user_names(session, {s.scorer_id for s in sheets})
    shown = [SheetRead(id=s.id, model_id=s.model_id, scorer_id=s.scorer_id,
                       scorer=names.get(s.scorer_id, ""), scores=s.scores, comment=s.comment,
                       score=panel.own[s.id] if panel else 0.0, scored_at=s.scored_at)
             for s in policy.visible_sheets(actor, sheets)]
    aligned = (compute.alignments(session, {request.id}).get(request.id)
               if any(c.computed for c in criteria) else None)
    return RequestScores(
        request_id=request.id, model_id=model.id, model=f"{model.name} v{model.number}",
        combine=model.combine, scorers=len(sheets),
        score=panel.score if panel else None,
        spread=_spread(panel.spread) if panel else None,
        alignment=aligned.score if aligned else None,
        criteria=_criterion_scores(criteria, panel), sheets=shown,
        can_score=policy.can_score(actor, request) and model.status == "active",
    )


def _criterion_scores(criteria: Sequence[ScoringCriterion],
                      panel: compute.Panel | None) -> list[CriterionScore]:
    if panel is None:
        return []
    summaries = {s.key: s for s in panel.combined.criteria}
    found = []
    for criterion in criteria:
        summary = compute.as_entered(criterion, summaries[criterion.key])
        found.append(CriterionScore(key=criterion.key, name=criterion.name,
                                    computed=criterion.computed, combined=summary.combined,
                                    spread=_spread(summary.spread)))
    return found


def threshold_of(model: ScoringModel, threshold: float | None) -> float:
    """The minimum score to apply: the one asked for, else the model's."""
    return float(model.threshold) if threshold is None else threshold


def ranking(
    session: Session, actor: Actor, model: ScoringModel, threshold: float | None = None
) -> RankingRead:
    """Requests the actor may read that are scored under the model, best first."""
    minimum = threshold_of(model, threshold)
    panels = compute.panels(session, model)
    rows = repository.request_rows(session, panels.keys(), policy.request_scope(actor))
    ranked = rank({rid: panels[rid].score for rid in rows}, minimum)
    items = []
    for entry in (*ranked.ranked, *ranked.below):
        row, panel = rows[entry.id], panels[entry.id]
        items.append(RankedRequest(
            position=entry.position, request_id=row.id, code=row.code, title=row.title,
            score=entry.score, spread=panel.spread.stdev,
            scorers=panel.combined.scorers, department_id=row.department_id,
            department=row.department, cost_total=row.cost_total, risk_rating=row.risk_rating,
            above_threshold=entry.score >= minimum))
    return RankingRead(model_id=model.id, threshold=minimum, items=items)
