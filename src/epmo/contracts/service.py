"""Named writes of the contracts domain: tier rules, reporting contracts, department methods.

Artefacts have their own module (``artefacts.py``); classification is in ``tiering.py``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from epmo import events
from epmo.auth.policy import Actor
from epmo.contracts import defaults, policy, repository, tiering, validation
from epmo.contracts.events import ThresholdsChanged
from epmo.contracts.models import DepartmentMethod, ReportingContract, TierRule
from epmo.contracts.schemas import (
    ContractUpdate,
    MethodUpdate,
    TierRulesUpdate,
)
from epmo.editing import apply, check_version
from epmo.engines.tiering import threshold_problems
from epmo.errors import Conflict, FieldError, Invalid, NotFound
from epmo.portfolio.models import STAGES

THRESHOLDS = ("name", "min_budget", "min_duration_days", "min_headcount", "min_risk")


def _fail(errors: list[FieldError], message: str = "") -> None:
    if errors:
        raise Invalid(message or "; ".join(f"{e.field}: {e.message}" for e in errors), errors)


def _check_put_version(obj: Any | None, version: int | None) -> None:
    """A PUT over a stored row must carry the version read; a new row needs none."""
    if obj is None:
        return
    if version is None:
        raise Conflict(f"{type(obj).__name__} already exists (version {obj.version}); send the "
                       "version you read",
                       [FieldError("version", f"required: current version is {obj.version}")],
                       {"current_version": obj.version})
    check_version(obj, version)


# --- defaults -----------------------------------------------------------------------------


def ensure_defaults(session: Session) -> bool:
    """Create the default tier rules and contracts that are missing; True if any was created.

    New rules reclassify every project, so an upgraded hub's tiers follow them at once.
    """
    have = {rule.tier for rule in repository.list_rules(session)}
    for tier, (name, budget, days, people, risk) in defaults.RULES.items():
        if tier not in have:
            session.add(TierRule(tier=tier, name=name, min_budget=budget,
                                 min_duration_days=days, min_headcount=people, min_risk=risk))
    session.flush()
    contracts = {contract.tier for contract in repository.list_contracts(session)}
    missing = [tier for tier in defaults.CONTRACTS if tier not in contracts]
    for tier in missing:
        session.add(ReportingContract(tier=tier, **copy.deepcopy(defaults.CONTRACTS[tier])))
    session.flush()
    if set(defaults.RULES) - have:
        tiering.reclassify(session)
    if missing:  # new RAG thresholds
        events.record(session, ThresholdsChanged())
    return bool(set(defaults.RULES) - have or missing)


# --- tier rules ---------------------------------------------------------------------------


def _rule_set_errors(data: TierRulesUpdate, stored: Mapping[int, TierRule]) -> list[FieldError]:
    errors, seen = [], set()
    for index, item in enumerate(data.rules):
        if item.tier in seen:
            errors.append(FieldError(f"rules.{index}.tier", f"tier {item.tier} is listed twice"))
        elif item.tier not in stored:
            errors.append(FieldError(f"rules.{index}.tier", f"there is no tier {item.tier}"))
        seen.add(item.tier)
    errors += [FieldError("rules", f"tier {tier} is missing; send every tier")
               for tier in sorted(set(stored) - seen)]
    return errors


def _order_errors(data: TierRulesUpdate) -> list[FieldError]:
    """Thresholds may not decrease from a more demanding tier to the next one."""
    index = {item.tier: i for i, item in enumerate(data.rules)}
    wanted = tiering.thresholds_of(data.rules)
    return [FieldError(f"rules.{index[p.tier]}.{p.field}", p.message)
            for p in threshold_problems(wanted)]


def update_tier_rules(session: Session, actor: Actor,
                      data: TierRulesUpdate) -> tuple[Sequence[TierRule], dict[str, Any]]:
    """Change every tier's thresholds (EPMO), then reclassify every project."""
    policy.require_edit_contracts(actor)
    stored = {rule.tier: rule for rule in repository.list_rules(session)}
    _fail(_rule_set_errors(data, stored))
    for item in data.rules:
        check_version(stored[item.tier], item.version)
    _fail(_order_errors(data), "A more demanding tier needs thresholds at least as high as "
                               "the next one")
    for item in data.rules:
        apply(stored[item.tier], item.model_dump(include=set(THRESHOLDS)))
    session.flush()
    result = tiering.reclassify(session)
    return repository.list_rules(session), result


# --- reporting contracts ------------------------------------------------------------------


def _method_facts(session: Session) -> list[validation.MethodFacts]:
    return [validation.MethodFacts(dept.code, method.name, method.cadence,
                                   frozenset(str(g.get("code")) for g in method.extra_gates or ()))
            for method, dept in repository.methods_with_departments(session)]


def _contract_values(data: ContractUpdate) -> dict[str, Any]:
    values = data.model_dump(exclude={"version"})
    values["artefacts"] = {stage: values["artefacts"][stage] for stage in STAGES
                           if stage in values["artefacts"]}
    return values


def update_contract(session: Session, actor: Actor, tier: int,
                    data: ContractUpdate) -> ReportingContract:
    """Replace a tier's reporting contract (EPMO); refused if a method would fall below it."""
    policy.require_edit_contracts(actor)
    if session.get(TierRule, tier) is None:
        raise NotFound(f"Tier {tier} not found")
    contract = repository.get_contract(session, tier)
    _check_put_version(contract, data.version)
    _fail(validation.contract_errors(data)
          + validation.methods_below(tier, data, _method_facts(session)))
    if contract is None:
        contract = ReportingContract(tier=tier)
        session.add(contract)
    apply(contract, _contract_values(data))
    session.flush()
    events.record(session, ThresholdsChanged())  # its RAG thresholds may have changed
    return contract


# --- department methods -------------------------------------------------------------------


def _taken_gate_codes(session: Session) -> dict[str, str]:
    return {str(gate["code"]): f"a gate of the tier {contract.tier} contract"
            for contract in repository.list_contracts(session)
            for gate in contract.gates or ()}


def put_method(session: Session, actor: Actor, department_id: int,
               data: MethodUpdate) -> DepartmentMethod:
    """Create or replace a department's own method (its lead or the EPMO), never below the
    enterprise minimum."""
    department = policy.access_department_or_404(session, actor, department_id)
    policy.require_edit_method(actor, department.id)
    method = repository.get_method(session, department.id)
    _check_put_version(method, data.version)
    cadences = {c.tier: c.cadence for c in repository.list_contracts(session)}
    _fail(validation.method_errors(data, cadences, _taken_gate_codes(session)))
    if method is None:
        method = DepartmentMethod(department_id=department.id)
        session.add(method)
    apply(method, data.model_dump(exclude={"version"}))
    session.flush()
    return method


def delete_method(session: Session, actor: Actor, department_id: int, version: int) -> None:
    """Remove a department's own method; the contracts (or a parent's method) apply again."""
    department = policy.access_department_or_404(session, actor, department_id)
    policy.require_edit_method(actor, department.id)
    method = repository.get_method(session, department.id)
    if method is None:
        raise NotFound(f"Department {department.code} has no method of its own")
    check_version(method, version)
    session.delete(method)
    session.flush()


# --- reads --------------------------------------------------------------------------------


def cadence_floor(session: Session) -> tuple[str, int] | None:
    """The cadence every department method must meet, and the tier whose contract sets it."""
    return validation.cadence_floor({c.tier: c.cadence for c in repository.list_contracts(session)})
