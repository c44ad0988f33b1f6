"""Import every domain's tables so metadata (and Alembic) sees them all."""

from epmo.audit.models import AuditEntry, AuditHead
from epmo.auth.models import ApiToken, User, UserDepartment
from epmo.charter.models import CharterVersion
from epmo.compliance.models import ComplianceSnapshot, GateReview
from epmo.contracts.models import Artefact, DepartmentMethod, ReportingContract, TierRule
from epmo.db import Base
from epmo.intake.models import (
    IntakeRequest,
    RequestCost,
    RequestDemand,
    RequestDependency,
    RequestGoal,
)
from epmo.network.models import (
    ChangeEvent,
    ChangeImpact,
    ChangeResponse,
    Dependency,
    NetworkDate,
    NetworkHead,
)
from epmo.notifications.models import (
    DeliveryPreference,
    DigestItem,
    Event,
    Notification,
    OutboundEmail,
    Subscription,
    Webhook,
    WebhookDelivery,
)
from epmo.org.models import Department, Person
from epmo.portfolio.models import (
    Milestone,
    Portfolio,
    Programme,
    ProgrammeDepartment,
    Project,
    ProjectDemand,
    ProjectDepartment,
    ProjectGoal,
    ProjectPortfolio,
)
from epmo.reporting.models import RaidItem, StatusReport
from epmo.scoring.models import RequestScore, ScoringCriterion, ScoringModel
from epmo.selection.models import Scenario, ScenarioCandidate
from epmo.strategy.models import Goal

__all__ = [
    "ApiToken", "Artefact", "AuditEntry", "AuditHead", "Base", "ChangeEvent", "ChangeImpact",
    "ChangeResponse", "CharterVersion", "ComplianceSnapshot", "DeliveryPreference", "Department",
    "DepartmentMethod", "Dependency", "DigestItem", "Event", "GateReview", "Goal", "IntakeRequest",
    "Milestone", "NetworkDate", "NetworkHead", "Notification", "OutboundEmail", "Person",
    "Portfolio", "Programme", "ProgrammeDepartment", "Project", "ProjectDemand",
    "ProjectDepartment", "ProjectGoal", "ProjectPortfolio", "RaidItem", "ReportingContract",
    "RequestCost", "RequestDemand",
    "RequestDependency", "RequestGoal", "RequestScore", "Scenario", "ScenarioCandidate",
    "ScoringCriterion", "ScoringModel", "StatusReport", "Subscription", "TierRule", "User",
    "UserDepartment", "Webhook", "WebhookDelivery",
]
