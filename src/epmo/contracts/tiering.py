"""Tier classification of projects by the EPMO's tier rules (the ``tiering`` engine applied).

One project is classified when it is created or changed (``assign_tier``, called by the
portfolio service, and by imports through ``classifier``); every project is reclassified
when the rules change (``reclassify``). Reclassifying is set-based: the facts are read in
batches, classified in Python, and the changed tiers written with one ORM-enabled
``UPDATE ... WHERE id IN (...)`` per tier and chunk. Such statements do not pass through the
flush, so the audit listener does not see them; ``reclassify`` records one audit entry with
the counts instead, as the demo loader does for its bulk insert.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from epmo import events
from epmo.audit import service as audit_service
from epmo.contracts import repository
from epmo.contracts.events import TiersChanged
from epmo.contracts.models import TierRule
from epmo.engines.tiering import Classifier, ProjectFacts, TierThresholds, duration_days
from epmo.portfolio.events import ProjectProposed
from epmo.portfolio.models import Project
from epmo.sql import chunks

SPANS = (("planned_start", "planned_finish"), ("baseline_start", "baseline_finish"),
         ("forecast_start", "forecast_finish"))
FACT_FIELDS = ("budget_planned", "headcount", "risk_rating", *(n for s in SPANS for n in s))
Values = Mapping[str, Any]


def thresholds_of(rules: Iterable[TierRule | Any]) -> list[TierThresholds]:
    """Tier rules (stored, or as sent) as the engine's input."""
    return [TierThresholds(r.tier, Decimal(r.min_budget), r.min_duration_days, r.min_headcount,
                           r.min_risk) for r in rules]


def load_classifier(session: Session) -> Classifier | None:
    """The classifier of the stored rules (None while no rule exists: tiers stay as they are)."""
    rules = thresholds_of(repository.list_rules(session))
    return Classifier(rules) if rules else None


def facts_of(values: Values) -> ProjectFacts:
    """A project's facts from its fields (a Project's columns or any mapping of them)."""
    spans = [(values.get(start), values.get(finish)) for start, finish in SPANS]
    return ProjectFacts(budget=Decimal(values.get("budget_planned") or 0),
                        duration_days=duration_days(spans),
                        headcount=int(values.get("headcount") or 0),
                        risk=int(values.get("risk_rating") or 1))  # the column's default


def fields_of(project: Project) -> dict[str, Any]:
    """The fields of a stored project that tiering reads."""
    return {name: getattr(project, name) for name in FACT_FIELDS}


def assign_tier(session: Session, project: Project) -> None:
    """Set ``project.tier`` from the tier rules (called after every project create/update)."""
    classifier = load_classifier(session)
    if classifier is None:
        return
    tier = classifier.tier(facts_of(fields_of(project)))
    if project.tier != tier:
        project.tier = tier


def on_project_proposed(session: Session, event: ProjectProposed) -> None:
    """A project about to be written gets the tier its fields give (while rules exist)."""
    found = load_classifier(session)
    if found is not None:
        event.values["tier"] = found.tier(facts_of(event.values))


def classifier(session: Session) -> Callable[[Values], int | None]:
    """A function from a project's fields to its tier (None while there are no rules)."""
    found = load_classifier(session)
    return lambda values: None if found is None else found.tier(facts_of(values))


def reclassify(session: Session) -> dict[str, Any]:
    """Give every project the tier the stored rules say; return what changed, audited once."""
    found = load_classifier(session)
    if found is None:
        return {"projects": 0, "changed": 0, "by_tier": {}}
    moves, by_tier = _moves(session, found)
    for tier, ids in sorted(moves.items()):
        for chunk in chunks(ids):
            repository.set_tiers(session, tier, chunk)
    events.record(session, TiersChanged(tuple(i for ids in moves.values() for i in ids)))
    changed = sum(len(ids) for ids in moves.values())
    result = {"projects": sum(by_tier.values()), "changed": changed,
              "by_tier": {tier: by_tier[tier] for tier in sorted(by_tier)}}
    if changed:
        audit_service.record(session, "project", "*", "reclassify",
                             result | {"moved_to": {t: len(i) for t, i in sorted(moves.items())}})
    return result


def _moves(session: Session, found: Classifier) -> tuple[dict[int, list[int]], Counter[int]]:
    """Ids of the projects whose tier changes, by their new tier; and how many end in each."""
    moves: dict[int, list[int]] = defaultdict(list)
    by_tier: Counter[int] = Counter()
    for rows in repository.project_facts(session):
        for ident, current, budget, people, risk, *dates in rows:
            spans = ((dates[0], dates[1]), (dates[2], dates[3]), (dates[4], dates[5]))
            tier = found.tier(ProjectFacts(Decimal(budget or 0), duration_days(spans),
                                           people or 0, risk or 0))
            by_tier[tier] += 1
            if tier != current:
                moves[tier].append(ident)
    return moves, by_tier
