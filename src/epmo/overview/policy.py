"""What the overview may show whom: everything to enterprise roles, the rest only what they open.

Department staff (members, project managers, department leads, viewers) see the overview of
the projects they may open (the portfolio policy's project scope) under the names of the
programmes they may open; projects they may open in a programme they may not are grouped as
"Other programmes". Everything else appears at most once, on the enterprise-wide view, as one
anonymous total, and only when it holds at least ``EPMO_OVERVIEW_MIN_GROUP`` projects. Drill-
downs never show it: the difference between two anonymous totals would single projects out.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, spans_enterprise
from epmo.portfolio.policy import access_programme_or_404, programme_scope, project_scope


@dataclass(frozen=True, slots=True)
class Visibility:
    """WHERE clauses of the projects and programmes a restricted reader may open."""

    projects: ColumnElement[bool]
    programmes: ColumnElement[bool]
    key: tuple[Hashable, ...]


def visibility_of(actor: Actor) -> Visibility | None:
    """The reader's limits, or None for enterprise roles (who see everything)."""
    if spans_enterprise(actor):
        return None
    # Exactly what project_scope and programme_scope read: the department scope and person.
    key = (tuple(sorted(actor.scope)), actor.person_id)
    return Visibility(project_scope(actor), programme_scope(actor), key)


def cache_key(actor: Actor) -> tuple[Hashable, ...]:
    """The part of an overview's cache key that says what the reader may see."""
    visibility = visibility_of(actor)
    return ("enterprise",) if visibility is None else ("restricted", *visibility.key)


def check_programme_filter(session: Session, actor: Actor, programme_id: int | None) -> None:
    """A programme drill-down is for those who may open the programme (else 404)."""
    if programme_id is not None and not spans_enterprise(actor):
        access_programme_or_404(session, actor, programme_id)
