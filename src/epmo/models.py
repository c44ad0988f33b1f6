"""Import every domain's tables so metadata (and Alembic) sees them all."""

from epmo.audit.models import AuditEntry, AuditHead
from epmo.auth.models import ApiToken, User, UserDepartment
from epmo.db import Base
from epmo.org.models import Department, Person
from epmo.portfolio.models import (
    Milestone,
    Portfolio,
    Programme,
    ProgrammeDepartment,
    Project,
    ProjectDepartment,
    ProjectGoal,
    ProjectPortfolio,
)
from epmo.strategy.models import Goal

__all__ = [
    "ApiToken", "AuditEntry", "AuditHead", "Base", "Department", "Goal", "Milestone", "Person",
    "Portfolio", "Programme", "ProgrammeDepartment", "Project", "ProjectDepartment",
    "ProjectGoal", "ProjectPortfolio", "User", "UserDepartment",
]
