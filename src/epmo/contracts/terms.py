"""The effective reporting terms of a project: its tier's contract plus its department's method.

A department method applies to its department and every sub-department without a method of
its own. It can only add to the contract (fields, gates) or tighten it (cadence); the
contracts service refuses a method that would fall below the minimum, and this merge takes
the stricter of the two anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from epmo.contracts import repository
from epmo.contracts.models import CADENCE_DAYS, CADENCES, DepartmentMethod, ReportingContract


@dataclass(frozen=True, slots=True)
class GateTerm:
    """A gate a project must pass before it enters ``stage``."""

    code: str
    name: str
    stage: str
    criteria: tuple[str, ...] = ()
    approver_roles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ContractTerms:
    """What one project must meet (see ``ReportingContract`` for the meaning of each part)."""

    tier: int
    cadence: str
    required_fields: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()
    artefacts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    gates: tuple[GateTerm, ...] = ()
    records: tuple[str, ...] = ()
    rag_thresholds: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    method: str = ""  # the department method's name, "" when the contract applies as is
    stage_names: Mapping[str, str] = field(default_factory=dict)  # dept name -> enterprise

    @property
    def cadence_days(self) -> int:
        """Days between two reports at this cadence."""
        return CADENCE_DAYS[self.cadence]


def gate_terms(gates: list[dict[str, Any]]) -> tuple[GateTerm, ...]:
    """Gate dicts as stored in JSON to GateTerms."""
    return tuple(GateTerm(code=g["code"], name=g.get("name", g["code"]), stage=g["stage"],
                          criteria=tuple(g.get("criteria", ())),
                          approver_roles=tuple(g.get("approver_roles", ())))
                 for g in gates)


def stricter_cadence(a: str, b: str | None) -> str:
    """The more frequent of two cadences (``b`` None: ``a``)."""
    if b is None:
        return a
    return a if CADENCES.index(a) <= CADENCES.index(b) else b


@dataclass(frozen=True, slots=True)
class Terms:
    """Every contract and method, loaded once, to answer for many projects."""

    contracts: Mapping[int, ReportingContract]
    methods: Mapping[int, DepartmentMethod]  # by the department it is effective for
    default_tier: int = 4

    def for_project(self, department_id: int, tier: int) -> ContractTerms | None:
        """The terms of a project in this department and tier (None: no contract for it)."""
        contract = self.contracts.get(tier)
        if contract is None:
            return None
        method = self.methods.get(department_id)
        own_cadence = method.cadence if method else None
        fields = tuple(contract.required_fields or ())
        gates = list(contract.gates or ())
        if method is not None:
            fields += tuple(f for f in method.extra_fields or () if f not in fields)
            gates += list(method.extra_gates or ())
        return ContractTerms(
            tier=tier, cadence=stricter_cadence(contract.cadence, own_cadence),
            required_fields=fields, dimensions=tuple(contract.dimensions or ()),
            artefacts={k: tuple(v) for k, v in (contract.artefacts or {}).items()},
            gates=gate_terms(gates), records=tuple(contract.records or ()),
            rag_thresholds=dict(contract.rag_thresholds or {}),
            method=method.name if method else "",
            stage_names=dict(method.stage_names or {}) if method else {},
        )


def load_terms(session: Session) -> Terms:
    """Read every contract and method; methods inherited down the department tree."""
    contracts = {c.tier: c for c in repository.list_contracts(session)}
    own = {m.department_id: m for m in repository.list_methods(session)}
    parents = repository.department_parents(session)
    return Terms(contracts=contracts, methods=_inherited(own, parents))


def _inherited(own: Mapping[int, DepartmentMethod],
               parents: Mapping[int, int | None]) -> dict[int, DepartmentMethod]:
    """Each department's method: its own, else its nearest ancestor's."""
    found: dict[int, DepartmentMethod] = {}
    for dept in parents:
        current: int | None = dept
        seen: set[int] = set()
        while current is not None and current not in seen:
            if current in own:
                found[dept] = own[current]
                break
            seen.add(current)
            current = parents.get(current)
    return found
