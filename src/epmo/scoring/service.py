"""Named writes of the scoring domain: model lifecycle and scorers' sheets; combined scores.

A model is a numbered version of a ``code``: draft -> active -> retired. Only drafts change;
a new version copies the latest into a draft numbered one higher; activating a version
retires the code's previously active one. Only active models take scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.db import utcnow
from epmo.editing import apply, changes_of, check_version, require
from epmo.engines.scoring import Criterion, score_problems
from epmo.errors import Conflict, FieldError, Invalid, NotFound
from epmo.portfolio.models import Portfolio
from epmo.scoring import checks, compute, policy, repository
from epmo.scoring.defaults import standard_model
from epmo.scoring.models import RequestScore, ScoringCriterion, ScoringModel
from epmo.scoring.schemas import CriterionIn, ScoringModelCreate, ScoringModelUpdate, SheetWrite

NULLABLE = frozenset({"portfolio_id", "pairwise"})
COMPUTED = "is computed from the request's goal links; do not enter it"
CLOSED = frozenset({"approved", "rejected"})  # decided for good: scores are frozen


def default_model(session: Session) -> ScoringModel | None:
    """The latest active enterprise model (no portfolio), or None."""
    return repository.default_model(session)


def ensure_default_model(session: Session, actor_user_id: int | None) -> ScoringModel:
    """The default model; when no model exists at all, create and activate "standard" v1."""
    found = repository.default_model(session)
    if found is not None:
        return found
    if repository.any_model(session):
        return repository.list_models(session)[0]
    model = _insert(session, standard_model(), actor_user_id)
    model.status = "active"
    session.flush()
    return model


def combined_scores(
    session: Session, request_ids: Sequence[int], model_id: int | None = None
) -> dict[int, float]:
    """Combined weighted score 0..100 of each request with a sheet under the model."""
    model = (repository.get_model(session, model_id) if model_id is not None
             else repository.default_model(session))
    if model is None:
        return {}
    return compute.combined_scores(session, model, request_ids)


# --- models -------------------------------------------------------------------------------


def _criterion_rows(model_id: int, criteria: Sequence[CriterionIn]) -> list[ScoringCriterion]:
    return [ScoringCriterion(model_id=model_id, position=index, **c.model_dump())
            for index, c in enumerate(criteria)]


def _insert(session: Session, data: ScoringModelCreate, user_id: int | None) -> ScoringModel:
    fields = data.model_dump(exclude={"criteria", "pairwise"})
    model = ScoringModel(**fields, number=1, status="draft", created_by_id=user_id)
    session.add(model)
    session.flush()
    session.add_all(_criterion_rows(model.id, data.criteria))
    session.flush()
    _set_matrix(session, model, data.pairwise if data.method == "pairwise" else None)
    return model


def _set_matrix(session: Session, model: ScoringModel, matrix: list[list[float]] | None) -> None:
    """Store the matrix and its derived weights and CR (or clear them)."""
    model.pairwise = matrix
    model.consistency_ratio = None
    if matrix is not None:
        criteria = repository.criteria_of(session, model.id)
        derived = checks.derive(matrix, len(criteria))
        for criterion, weight in zip(criteria, derived.weights, strict=True):
            criterion.weight = weight
        model.consistency_ratio = derived.consistency_ratio
    session.flush()


def create_model(session: Session, actor: Actor, data: ScoringModelCreate) -> ScoringModel:
    """Create version 1 of a new model code, as a draft."""
    policy.require_manage_models(actor)
    if repository.latest_of_code(session, data.code) is not None:
        raise Conflict(f"Model code {data.code!r} is already used; make a new version of it",
                       [FieldError("code", "already used")])
    checks.require_sound_criteria(data.criteria)
    require(session, Portfolio, data.portfolio_id, "portfolio_id")
    return _insert(session, data, actor.id)


def _draft_or_conflict(model: ScoringModel) -> None:
    if model.status != "draft":
        raise Conflict(f"Version {model.number} of {model.code} is {model.status}; only drafts "
                       "change, so make a new version",
                       [FieldError("status", f"is {model.status}, not draft")])


def update_model(
    session: Session, actor: Actor, model_id: int, data: ScoringModelUpdate
) -> ScoringModel:
    """Change a draft: fields, the whole criteria list, the method and the matrix."""
    model = policy.access_model_or_404(session, actor, model_id)
    policy.require_manage_models(actor)
    check_version(model, data.version)
    _draft_or_conflict(model)
    changes = changes_of(data, NULLABLE)
    criteria = changes.pop("criteria", None)
    matrix = changes.pop("pairwise", _kept_matrix(model, criteria))
    if "portfolio_id" in changes:
        require(session, Portfolio, changes["portfolio_id"], "portfolio_id")
    if data.criteria is not None:
        _replace_criteria(session, model, data.criteria)
    apply(model, changes)
    model.updated_at = utcnow()  # bumps the version even when only criteria changed
    _set_matrix(session, model, matrix if model.method == "pairwise" else None)
    return model


def _kept_matrix(model: ScoringModel, criteria: list[Any] | None) -> list[list[float]] | None:
    """The stored matrix survives a criteria change only while their number stays the same."""
    if model.pairwise is None or criteria is None or len(criteria) == len(model.pairwise):
        return model.pairwise  # type: ignore[no-any-return]
    return None


def _replace_criteria(session: Session, model: ScoringModel,
                      criteria: Sequence[CriterionIn]) -> None:
    checks.require_sound_criteria(criteria)
    for row in repository.criteria_of(session, model.id):
        session.delete(row)
    session.flush()
    session.add_all(_criterion_rows(model.id, criteria))
    session.flush()


def activation_errors(session: Session, model: ScoringModel) -> list[FieldError]:
    """What keeps a model from being activated (empty: it may be activated)."""
    criteria = repository.criteria_of(session, model.id)
    if model.method == "pairwise":
        if model.pairwise is None:
            return [FieldError("pairwise", "enter the pairwise comparisons of the criteria")]
        errors = checks.matrix_errors(model.pairwise, len(criteria))
        if errors:
            return errors
    return checks.weight_errors([c.key for c in criteria], [c.weight for c in criteria])


def activate_model(session: Session, actor: Actor, model_id: int, version: int) -> ScoringModel:
    """Make a draft the code's active version (retiring the previous active one)."""
    model = policy.access_model_or_404(session, actor, model_id)
    policy.require_manage_models(actor)
    check_version(model, version)
    _draft_or_conflict(model)
    errors = activation_errors(session, model)
    if errors:
        raise Invalid(f"{model.code} v{model.number} cannot be activated", errors)
    for other in repository.active_of_code(session, model.code):
        other.status = "retired"
    model.status = "active"
    session.flush()
    return model


def new_version(session: Session, actor: Actor, model_id: int, version: int) -> ScoringModel:
    """Copy the code's latest version into a new draft numbered one higher."""
    model = policy.access_model_or_404(session, actor, model_id)
    policy.require_manage_models(actor)
    check_version(model, version)
    latest = repository.latest_of_code(session, model.code) or model
    if latest.status == "draft":
        raise Conflict(f"Version {latest.number} of {model.code} is still a draft; edit it",
                       [FieldError("status", "a draft version already exists")])
    return _copy(session, latest, actor.id)


def _copy(session: Session, source: ScoringModel, user_id: int) -> ScoringModel:
    keep = ("code", "name", "description", "method", "combine", "pairwise",
            "consistency_ratio", "threshold", "portfolio_id")
    fields: dict[str, Any] = {name: getattr(source, name) for name in keep}
    model = ScoringModel(**fields, number=source.number + 1, status="draft",
                         created_by_id=user_id)
    session.add(model)
    session.flush()
    skip = {"id", "model_id"}
    for row in repository.criteria_of(session, source.id):
        values = {c.key: getattr(row, c.key) for c in ScoringCriterion.__table__.columns
                  if c.key not in skip}
        session.add(ScoringCriterion(model_id=model.id, **values))
    session.flush()
    return model


def retire_model(session: Session, actor: Actor, model_id: int, version: int) -> ScoringModel:
    """Retire a draft or active version; its sheets stay, it takes no new scores."""
    model = policy.access_model_or_404(session, actor, model_id)
    policy.require_manage_models(actor)
    check_version(model, version)
    if model.status == "retired":
        raise Conflict(f"{model.code} v{model.number} is already retired",
                       [FieldError("status", "already retired")])
    model.status = "retired"
    session.flush()
    return model


# --- sheets -------------------------------------------------------------------------------


def model_for_scores(session: Session, actor: Actor, model_id: int | None) -> ScoringModel:
    """The model named, or the default one; Invalid when there is none."""
    if model_id is not None:
        return policy.access_model_or_404(session, actor, model_id)
    model = repository.default_model(session)
    if model is None:
        raise Invalid("There is no active enterprise scoring model; name one",
                      [FieldError("model_id", "no default model: activate one first")])
    return model


def sheet_errors(criteria: Sequence[ScoringCriterion], scores: dict[str, int]) -> list[FieldError]:
    """Computed criteria entered, unknown or missing keys, levels outside 1..5."""
    computed = {c.key for c in criteria if c.computed}
    errors = [FieldError(f"scores.{key}", COMPUTED) for key in sorted(computed & set(scores))]
    entered = [Criterion(c.key, float(c.weight)) for c in criteria if not c.computed]
    rest = {k: float(v) for k, v in scores.items() if k not in computed}
    errors += [FieldError(p.path, p.message) for p in score_problems(entered, rest, "scores")]
    return errors


def save_sheet(session: Session, actor: Actor, request_id: int, data: SheetWrite) -> RequestScore:
    """Create or replace the actor's own sheet for a request under an active model."""
    request = policy.access_request_or_404(session, actor, request_id)
    policy.require_score(actor, request)
    model = model_for_scores(session, actor, data.model_id)
    if model.status != "active":
        raise Invalid(f"{model.code} v{model.number} is {model.status}; only active models "
                      "take scores", [FieldError("model_id", f"model is {model.status}")])
    if request.stage in CLOSED:
        raise Conflict(f"Request {request.code} is {request.stage}; its scores are final",
                       [FieldError("stage", f"is {request.stage}")])
    errors = sheet_errors(repository.criteria_of(session, model.id), data.scores)
    if errors:
        raise Invalid("The scores are not valid", errors)
    sheet = repository.sheet_of(session, request.id, model.id, actor.id)
    if sheet is None:
        sheet = RequestScore(request_id=request.id, model_id=model.id, scorer_id=actor.id)
        session.add(sheet)
    apply(sheet, {"scores": dict(sorted(data.scores.items())), "comment": data.comment,
                  "scored_at": utcnow()})
    session.flush()
    return sheet


def delete_sheet(session: Session, actor: Actor, request_id: int, model_id: int | None) -> None:
    """Remove the actor's own sheet for a request under the model (default: the default)."""
    request = policy.access_request_or_404(session, actor, request_id)
    model = model_for_scores(session, actor, model_id)
    sheet = repository.sheet_of(session, request.id, model.id, actor.id)
    if sheet is None:
        raise NotFound(f"You have no sheet for request {request.code} under {model.code} "
                       f"v{model.number}")
    session.delete(sheet)
    session.flush()

