"""What-if capacity scenarios: hires, leavers and moves laid over the real calendars.

A scenario is a named list of changes. A hire adds FTE of a role to a department (a role nobody
there holds yet is the point of hiring), a leave takes FTE of a role the department has, a move
takes it from one department and gives it to another; each from its start to its end (none:
open-ended), pro rata of the working days it covers in a month, as a lending does. Nothing real
changes: the heatmap, the queue and the comparison apply a scenario to the sheet they compute.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, can_lead_department
from epmo.editing import apply, changes_of, check_version, ensure_unique
from epmo.errors import FieldError, Forbidden, Invalid, NotFound
from epmo.resources import months as m
from epmo.resources import policy, repository
from epmo.resources.models import CapacityChange, CapacityScenario
from epmo.resources.repository import role_key
from epmo.resources.schemas import (
    CapacityChangeCreate,
    CapacityChangeRead,
    ScenarioCreate,
    ScenarioRead,
    ScenarioUpdate,
)
from epmo.resources.supply import Sheet, coverage

SHOWN_ROLES = 12
FAR = date(9999, 12, 31)  # the end of an open-ended change


def create_scenario(session: Session, actor: Actor, data: ScenarioCreate) -> CapacityScenario:
    """Start a scenario (administrators and department leads); its name is unique."""
    policy.require_plan(actor)
    name = data.name.strip()
    ensure_unique(session, CapacityScenario.name, name, field="name")
    scenario = CapacityScenario(name=name, description=data.description,
                                created_by_id=actor.id or None)
    session.add(scenario)
    session.flush()
    return scenario


def update_scenario(session: Session, actor: Actor, scenario_id: int,
                    data: ScenarioUpdate) -> CapacityScenario:
    """Rename or describe a scenario again (administrators and whoever made it)."""
    scenario = _editable(session, actor, scenario_id)
    check_version(scenario, data.version)
    changes = changes_of(data)
    if "name" in changes:
        changes["name"] = changes["name"].strip()
        ensure_unique(session, CapacityScenario.name, changes["name"], exclude_id=scenario.id,
                      field="name")
    apply(scenario, changes)
    session.flush()
    return scenario


def delete_scenario(session: Session, actor: Actor, scenario_id: int, version: int) -> None:
    """Remove a scenario and its changes (send the version read)."""
    scenario = _editable(session, actor, scenario_id)
    check_version(scenario, version)
    for change in repository.scenario_changes(session, scenario.id):
        session.delete(change)  # one by one, so the audit log records each
    session.delete(scenario)
    session.flush()


def _editable(session: Session, actor: Actor, scenario_id: int) -> CapacityScenario:
    scenario = policy.access_scenario_or_404(session, scenario_id)
    if not policy.can_edit_scenario(actor, scenario):
        policy.require_plan(actor)
        raise Forbidden("A scenario is renamed or removed by EPMO administrators and "
                               "whoever made it")
    return scenario


def add_change(session: Session, actor: Actor, scenario_id: int,
               data: CapacityChangeCreate) -> CapacityChange:
    """Add a hire, leave or move to a scenario (the sending department's leads)."""
    scenario = policy.access_scenario_or_404(session, scenario_id)
    departments = repository.departments(session)
    _require_departments(data, departments.keys())
    policy.require_change(actor, data.department_id, departments[data.department_id].code)
    taken = _taken(repository.scenario_changes(session, scenario.id), data)
    role, errors = _role(session, data, departments[data.department_id].code, taken)
    errors += _shape_errors(data)
    if errors:
        raise Invalid("The change has problems; nothing was saved", errors)
    change = CapacityChange(scenario_id=scenario.id, kind=data.kind,
                            department_id=data.department_id,
                            to_department_id=data.to_department_id, role=role, fte=data.fte,
                            starts=data.starts, ends=data.ends, note=data.note)
    session.add(change)
    session.flush()
    return change


def describe_change(session: Session, actor: Actor, change: CapacityChange) -> CapacityChangeRead:
    """A change with its departments' codes and whether the reader may remove it."""
    return _read(change, actor, {d.id: d.code for d in repository.departments(session).values()})


def _read(change: CapacityChange, actor: Actor, codes: dict[int, str]) -> CapacityChangeRead:
    return CapacityChangeRead.model_validate(change).model_copy(update={
        "department": codes.get(change.department_id, ""),
        "to_department": codes.get(change.to_department_id or 0, ""),
        "may_delete": can_lead_department(actor, change.department_id)})


def delete_change(session: Session, actor: Actor, change_id: int, version: int) -> None:
    """Remove a change from its scenario (send the version read)."""
    change = session.get(CapacityChange, change_id)
    if change is None:
        raise NotFound(f"Capacity change {change_id} not found")
    code = repository.departments(session)[change.department_id].code
    policy.require_change(actor, change.department_id, code)
    check_version(change, version)
    session.delete(change)
    session.flush()


def _require_departments(data: CapacityChangeCreate, known: Collection[int]) -> None:
    missing = [FieldError(field, f"no department {ident}")
               for field, ident in (("department_id", data.department_id),
                                    ("to_department_id", data.to_department_id))
               if ident is not None and ident not in known]
    if missing:
        raise Invalid("The change names a department that does not exist", missing)


def _taken(changes: Sequence[CapacityChange], data: CapacityChangeCreate) -> float:
    """FTE of the role the scenario already takes from the department while ``data`` runs."""
    ends = data.ends or FAR
    return sum(float(c.fte) for c in changes
               if c.kind != "hire" and c.department_id == data.department_id
               and role_key(c.role) == role_key(data.role)
               and c.starts <= ends and data.starts <= (c.ends or FAR))


def _role(session: Session, data: CapacityChangeCreate, code: str,
          taken: float) -> tuple[str, list[FieldError]]:
    """The department's spelling of the role, or why it cannot lose (leave, move) that much."""
    roles = repository.role_fte(session, data.department_id)
    wanted = role_key(data.role)
    if wanted in roles:
        spelled, have = roles[wanted]
        if data.kind != "hire" and float(data.fte) > have - taken + 1e-9:
            already = (f", {taken:g} of it already leaving or moving away in this scenario "
                       "meanwhile" if taken else "")
            return spelled, [FieldError("fte", f"{code} has {have:g} FTE of {spelled}{already}: "
                                               f"a {data.kind} of {data.fte} FTE is more than "
                                               "that")]
        return spelled, []
    if data.kind == "hire":
        return " ".join(data.role.split()), []
    known = sorted((spelled for spelled, _ in roles.values()), key=str.lower)
    listed = (", ".join(known[:SHOWN_ROLES]) + (" ..." if len(known) > SHOWN_ROLES else "")
              if known else "nobody there holds a role")
    return data.role, [FieldError("role", f"{code} has nobody with the role {data.role!r} to "
                                          f"{'lose' if data.kind == 'leave' else 'move'} "
                                          f"(roles there: {listed})")]


def _shape_errors(data: CapacityChangeCreate) -> list[FieldError]:
    errors = []
    if data.kind == "move" and data.to_department_id is None:
        errors.append(FieldError("to_department_id", "a move needs the department it goes to"))
    if data.kind != "move" and data.to_department_id is not None:
        errors.append(FieldError("to_department_id", f"a {data.kind} stays in its department: "
                                                     "only a move goes to another"))
    if data.kind == "move" and data.to_department_id == data.department_id:
        errors.append(FieldError("to_department_id", "a move goes to another department, not "
                                                     "the one it comes from"))
    if data.ends is not None and data.ends < data.starts:
        errors.append(FieldError("ends", f"{data.ends} is before the start ({data.starts})"))
    return errors


def apply_changes(sheet: Sheet, changes: Sequence[CapacityChange]) -> None:
    """Lay the changes over the sheet's supply: a hire adds, a leave takes, a move moves FTE,
    pro rata of the working days each covers in a month."""
    if not sheet.months:
        return
    last = m.bounds(sheet.months[-1])[1]
    for change in changes:
        role = role_key(change.role)
        sheet.spelling.setdefault(role, change.role)
        shares = coverage(sheet.months, change.starts, change.ends or last)
        sign = 1.0 if change.kind == "hire" else -1.0
        _add(sheet, (change.department_id, role), shares, sign * float(change.fte))
        if change.kind == "move" and change.to_department_id is not None:
            _add(sheet, (change.to_department_id, role), shares, float(change.fte))


def _add(sheet: Sheet, key: tuple[int, str], shares: list[float], fte: float) -> None:
    series = sheet.series("supply", key)
    for i, share in enumerate(shares):
        series[i] += fte * share


def scenario_changes(session: Session, scenario_id: int) -> Sequence[CapacityChange]:
    """The changes of a scenario that exists (NotFound otherwise)."""
    policy.access_scenario_or_404(session, scenario_id)
    return repository.scenario_changes(session, scenario_id)


def describe(session: Session, actor: Actor, scenario: CapacityScenario) -> ScenarioRead:
    """A scenario with its changes, departments named, and what the reader may do."""
    codes = {d.id: d.code for d in repository.departments(session).values()}
    changes = [_read(c, actor, codes) for c in repository.scenario_changes(session, scenario.id)]
    return ScenarioRead.model_validate(scenario).model_copy(update={
        "changes": changes, "may_edit": policy.can_edit_scenario(actor, scenario)})
