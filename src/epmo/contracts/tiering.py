"""Tier classification of projects by the EPMO's tier rules (owned by the tiers work)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from epmo.portfolio.models import Project


def assign_tier(session: Session, project: Project) -> None:
    """Set ``project.tier`` from the tier rules (called after every project create/update)."""
    # TODO(helper-tiers): classify with engines and the tier_rule table.
    del session, project
