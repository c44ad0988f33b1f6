"""The charter in action: checks the portfolio domain calls before it changes a project.

Under ``supportive`` authority a rule only produces a compliance finding; under
``controlling`` a violation blocks the change; under ``directive`` only EPMO roles may
perform the practice's actions in that department.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.portfolio.models import Project


def check_stage_change(session: Session, actor: Actor, project: Project, stage: str) -> None:
    """Refuse a stage change the charter and the project's gates do not allow."""
    # TODO(helper-compliance): gates under controlling/directive, directive actor check.
    del session, actor, project, stage


def check_project_change(session: Session, actor: Actor, project: Project,
                         changes: dict[str, Any]) -> None:
    """Refuse field changes that belong to a practice the EPMO directs in this department."""
    # TODO(helper-compliance): e.g. manager/methodology under directive Project Leadership.
    del session, actor, project, changes
