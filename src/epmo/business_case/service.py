"""Writes of the business case domain: cases, options and the yearly amounts of an option.

Rules said in words: amounts are never negative (the schema refuses them; a benefit is a
benefit line, not a negative cost), every year lies within the case's horizon (year 0 to
horizon), a cost has a cost category and a benefit a benefit category, an amount appears
once per year, kind and category, option names are unique within a case, the horizon cannot
shrink below a year that holds amounts, and an approved case is the record of what its
sponsor approved: reopen it as a draft before changing its options or figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.models import User
from epmo.auth.policy import Actor
from epmo.business_case import policy, repository
from epmo.business_case.models import (
    CATEGORIES,
    BusinessCase,
    BusinessCaseLine,
    BusinessCaseOption,
)
from epmo.business_case.schemas import (
    CaseCreate,
    CaseUpdate,
    LineIn,
    LinesPut,
    OptionCreate,
    OptionUpdate,
)
from epmo.db import utcnow
from epmo.editing import apply, check_version, require
from epmo.errors import Conflict, FieldError, Invalid

LOCKED = ("approved",)  # statuses whose options and amounts are frozen
CASE_ONLY = frozenset({"status", "decision_note"})  # what may change on a locked case
CASE_NULLABLE = frozenset({"owner_id"})  # null clears the owner
OPTION_NULLABLE = frozenset({"staffing_fte", "authority"})  # null: not said / as the charter


def create_case(session: Session, actor: Actor, data: CaseCreate) -> BusinessCase:
    """Start a business case as a draft, owned by the creator unless another owner is named."""
    policy.require_edit(actor)
    require(session, User, data.owner_id, "owner_id")
    owner = data.owner_id if data.owner_id is not None else (actor.id or None)
    case = BusinessCase(title=data.title, description=data.description, currency=data.currency,
                        discount_rate=data.discount_rate, horizon_years=data.horizon_years,
                        owner_id=owner, status="draft")
    session.add(case)
    session.flush()
    return case


def update_case(session: Session, actor: Actor, case_id: int, data: CaseUpdate) -> BusinessCase:
    """Change a case's terms or status (send the version read)."""
    case = policy.access_case_or_404(session, actor, case_id)
    policy.require_edit(actor)
    check_version(case, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    _no_nulls(changes, CASE_NULLABLE)
    if case.status in LOCKED and set(changes) - CASE_ONLY and changes.get("status") in (
            None, *LOCKED):
        raise _locked(case)
    require(session, User, changes.get("owner_id"), "owner_id")
    _check_horizon(session, case, changes.get("horizon_years"))
    apply(case, changes)
    session.flush()
    return case


def _no_nulls(changes: dict[str, Any], nullable: frozenset[str]) -> None:
    """Refuse an explicit null for a field that always has a value, naming it."""
    empty = [key for key, value in changes.items() if value is None and key not in nullable]
    if empty:
        raise Invalid("Some fields cannot be emptied", [
            FieldError(key, "cannot be empty; leave it out to keep it") for key in empty])


def _check_horizon(session: Session, case: BusinessCase, horizon: int | None) -> None:
    last = repository.last_year_used(session, case.id)
    if horizon is not None and last is not None and horizon < last:
        raise Invalid("The horizon is shorter than the years the options already hold", [
            FieldError("horizon_years", f"an option has amounts in year {last}; clear those "
                       f"years first or keep at least {last} years")])


def _locked(case: BusinessCase) -> Conflict:
    return Conflict(f"The business case {case.title!r} is approved: its options and figures "
                    "are the record of what was approved; set its status back to draft "
                    "before changing them", [FieldError("status", "approved cases are frozen; "
                                                        "reopen it as a draft first")])


def delete_case(session: Session, actor: Actor, case_id: int, version: int) -> None:
    """Remove a case with its options and amounts (send the version read)."""
    case = policy.access_case_or_404(session, actor, case_id)
    policy.require_edit(actor)
    check_version(case, version)
    if case.status in LOCKED:
        raise _locked(case)
    session.delete(case)
    session.flush()


def _open_case(session: Session, actor: Actor, case_id: int) -> BusinessCase:
    case = policy.access_case_or_404(session, actor, case_id)
    policy.require_edit(actor)
    if case.status in LOCKED:
        raise _locked(case)
    repository.lock_case(session, case.id)
    return case


def _unique_name(session: Session, case_id: int, name: str, exclude_id: int | None) -> None:
    if repository.name_taken(session, case_id, name, exclude_id):
        raise Conflict(f"The case already has an option named {name!r}",
                       [FieldError("name", "already used by another option of this case")])


def _authority(value: Any) -> dict[str, str]:
    """The practices an option sets (those left as the charter has them are left out)."""
    if value is None:
        return {}
    dumped = value if isinstance(value, dict) else value.model_dump()
    return {practice: level for practice, level in dumped.items() if level is not None}


def create_option(session: Session, actor: Actor, case_id: int,
                  data: OptionCreate) -> BusinessCaseOption:
    """Add an option to a case (its name unique within the case)."""
    case = _open_case(session, actor, case_id)
    _unique_name(session, case.id, data.name, None)
    option = BusinessCaseOption(case_id=case.id, name=data.name, description=data.description,
                                position=repository.next_position(session, case.id),
                                authority=_authority(data.authority),
                                staffing_fte=data.staffing_fte, recommended=data.recommended)
    session.add(option)
    session.flush()
    _one_recommended(session, option)
    return option


def update_option(session: Session, actor: Actor, option_id: int,
                  data: OptionUpdate) -> BusinessCaseOption:
    """Rename or re-describe an option, its authority mix or staffing (send the version)."""
    case, option = policy.access_option_or_404(session, actor, option_id)
    _open_case(session, actor, case.id)
    check_version(option, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    _no_nulls(changes, OPTION_NULLABLE)
    if "name" in changes:
        _unique_name(session, case.id, changes["name"], option.id)
    if "authority" in changes:
        changes["authority"] = _authority(changes["authority"])
    apply(option, changes)
    session.flush()
    _one_recommended(session, option)
    return option


def _one_recommended(session: Session, option: BusinessCaseOption) -> None:
    """A case recommends at most one option: recommending one withdraws the others."""
    if not option.recommended:
        return
    for other in repository.options_of(session, option.case_id):
        if other.id != option.id and other.recommended:
            other.recommended = False
    session.flush()


def delete_option(session: Session, actor: Actor, option_id: int, version: int) -> None:
    """Remove an option with its amounts (send the version read)."""
    case, option = policy.access_option_or_404(session, actor, option_id)
    _open_case(session, actor, case.id)
    check_version(option, version)
    session.delete(option)
    session.flush()


def copy_option(session: Session, actor: Actor, option_id: int,
                name: str | None = None) -> BusinessCaseOption:
    """A copy of an option with its authority mix, staffing and amounts, to vary; named
    ``name`` or "<name> (copy)", "(copy 2)"... and never recommended."""
    case, option = policy.access_option_or_404(session, actor, option_id)
    _open_case(session, actor, case.id)
    name = name or _free_copy_name(session, case.id, option.name)
    _unique_name(session, case.id, name, None)
    made = BusinessCaseOption(case_id=case.id, name=name, description=option.description,
                              position=repository.next_position(session, case.id),
                              authority=dict(option.authority or {}),
                              staffing_fte=option.staffing_fte, recommended=False)
    session.add(made)
    session.flush()
    session.add_all(BusinessCaseLine(option_id=made.id, year=x.year, kind=x.kind,
                                     category=x.category, amount=x.amount)
                    for x in repository.lines_of(session, [option.id]))
    session.flush()
    return made


def _free_copy_name(session: Session, case_id: int, name: str) -> str:
    for number in range(1, 1000):
        suffix = " (copy)" if number == 1 else f" (copy {number})"
        candidate = name[:200 - len(suffix)] + suffix
        if not repository.name_taken(session, case_id, candidate, None):
            return candidate
    raise Conflict("Too many copies of this option", [FieldError("name", "name the copy")])


def line_problems(lines: Sequence[LineIn], horizon: int) -> list[FieldError]:
    """What is wrong with an option's amounts, by line: year, category, duplicates."""
    problems: list[FieldError] = []
    seen: dict[tuple[int, str, str], int] = {}
    for index, line in enumerate(lines):
        if line.year > horizon:
            problems.append(FieldError(f"lines.{index}.year", f"year {line.year} is beyond "
                                       f"the case's horizon of {horizon} years"))
        if line.category not in CATEGORIES[line.kind]:
            problems.append(FieldError(f"lines.{index}.category", f"{line.category!r} is not a "
                                       f"{line.kind} category (one of "
                                       f"{', '.join(CATEGORIES[line.kind])})"))
        cell = (line.year, line.kind, line.category)
        if cell in seen:
            problems.append(FieldError(f"lines.{index}.year", f"the {line.kind} {line.category} "
                                       f"of year {line.year} is already given on line "
                                       f"{seen[cell] + 1}"))
        seen.setdefault(cell, index)
    return problems


def set_lines(session: Session, actor: Actor, option_id: int,
              data: LinesPut) -> BusinessCaseOption:
    """Replace an option's amounts with those sent (send the option's version)."""
    case, option = policy.access_option_or_404(session, actor, option_id)
    _open_case(session, actor, case.id)
    check_version(option, data.version)
    problems = line_problems(data.lines, case.horizon_years)
    if problems:
        raise Invalid("Some amounts cannot be saved; nothing was changed", problems)
    _replace(session, option, data.lines)
    option.updated_at = utcnow()  # the option's version moves with its amounts
    session.flush()
    return option


def _replace(session: Session, option: BusinessCaseOption, lines: Sequence[LineIn]) -> None:
    """Update the cells that stay, delete those gone, then insert the new ones."""
    kept = {(x.year, x.kind, x.category): x for x in repository.lines_of(session, [option.id])}
    wanted = {(x.year, x.kind, x.category): x.amount for x in lines}
    for cell, row in kept.items():
        if cell not in wanted:
            session.delete(row)
        elif row.amount != wanted[cell]:
            row.amount = wanted[cell]
    session.flush()  # deletes first: a re-added cell must not meet its old row
    session.add_all(BusinessCaseLine(option_id=option.id, year=year, kind=kind,
                                     category=category, amount=amount)
                    for (year, kind, category), amount in wanted.items()
                    if (year, kind, category) not in kept)
