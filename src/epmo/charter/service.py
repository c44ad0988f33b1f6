"""Named writes and composed reads of the charter domain."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.charter import defaults, diffing, policy, repository
from epmo.charter.authority import resolve
from epmo.charter.models import CharterVersion
from epmo.charter.schemas import (
    CharterContent,
    CharterCreate,
    CharterDiff,
    CharterRead,
    ContentRead,
    DepartmentAuthority,
)
from epmo.editing import depth_first
from epmo.errors import Conflict, FieldError, Invalid
from epmo.org.models import Department

SYSTEM_AUTHOR = "epmo (default charter)"


def create_charter_version(session: Session, actor: Actor, data: CharterCreate) -> CharterVersion:
    """Store the next charter version (EPMO administrators); earlier versions never change."""
    policy.require_edit_charter(actor)
    number = _next_number(session, data.based_on)
    _check_references(session, data.content)
    version = CharterVersion(
        number=number, statement=data.statement,
        content=_stored(data.content), reason=data.reason,
        author_id=actor.id or None, author_name=actor.name or actor.email,
    )
    session.add(version)
    session.flush()
    return version


def ensure_default_charter(session: Session) -> bool:
    """Create version 1 (supportive everywhere, the standard catalogue) if there is none."""
    if repository.latest(session) is not None:
        return False
    session.add(CharterVersion(
        number=1, statement=defaults.DEFAULT_STATEMENT, content=defaults.default_content(),
        reason=defaults.DEFAULT_REASON, author_id=None, author_name=SYSTEM_AUTHOR,
    ))
    session.flush()
    return True


def _next_number(session: Session, based_on: int | None) -> int:
    """The new version's number; refuse an edit of anything but the current version."""
    number = repository.next_number(session)
    if based_on is not None and based_on != number - 1:
        raise Conflict(
            f"The charter was changed meanwhile (you edited version {based_on}, the current "
            f"one is {number - 1}); reload it and apply your change again",
            [FieldError("based_on", f"stale: the current version is {number - 1}")],
            {"current_number": number - 1},
        )
    return number


def _check_references(session: Session, content: CharterContent) -> None:
    """Every department the content names must exist; codes in the catalogue must be unique."""
    known = {d.id for d in repository.departments(session)}
    errors = [FieldError(f"content.departments.{key}", f"no department with id {key}")
              for key in content.departments if int(key) not in known]
    seen: dict[str, int] = {}
    for index, service in enumerate(content.services):
        where = f"content.services.{index}"
        errors += [FieldError(f"{where}.department_ids", f"no department with id {ident}")
                   for ident in service.department_ids if ident not in known]
        if service.code in seen:
            errors.append(FieldError(f"{where}.code", f"{service.code!r} is already used by "
                                                      f"service {seen[service.code]}"))
        seen.setdefault(service.code, index)
    if errors:
        raise Invalid("The charter refers to things that do not exist or repeats a code", errors)


def _stored(content: CharterContent) -> dict[str, Any]:
    """The JSON kept in a version: overrides without gaps, reach sorted and without repeats."""
    overrides = {key: levels.model_dump(exclude_none=True)
                 for key, levels in content.departments.items()}
    services = [s.model_dump() | {"department_ids": sorted(set(s.department_ids))}
                for s in content.services]
    return {"defaults": content.defaults.model_dump(),
            "departments": {k: v for k, v in overrides.items() if v}, "services": services,
            "health_basis": content.health_basis}


def authority_rows(session: Session, content: Mapping[str, Any]) -> list[DepartmentAuthority]:
    """The resolved levels of every department under ``content``, as an indented tree."""
    departments = repository.departments(session)
    resolved = resolve(content, {d.id: d.parent_id for d in departments})
    own = content.get("departments", {})
    return [
        DepartmentAuthority(department_id=d.id, code=d.code, name=d.name, parent_id=d.parent_id,
                            depth=depth, levels=resolved[d.id],
                            own=sorted(own.get(str(d.id), {})))
        for d, depth in _tree(departments)
    ]


def _tree(departments: Sequence[Department]) -> list[tuple[Department, int]]:
    return depth_first(departments, lambda d: d.id, lambda d: d.parent_id)


def charter_read(session: Session, version: CharterVersion) -> CharterRead:
    """A version with its content and the authority it gives in every department."""
    return CharterRead(
        number=version.number, statement=version.statement, reason=version.reason,
        author_name=version.author_name, created_at=version.created_at,
        content=ContentRead.model_validate(version.content or {}),
        authority=authority_rows(session, version.content or {}),
    )


def compare(session: Session, actor: Actor, from_number: int, to_number: int) -> CharterDiff:
    """What changed from version ``from_number`` to ``to_number`` (any order, any two)."""
    old = policy.access_version_or_404(session, actor, from_number)
    new = policy.access_version_or_404(session, actor, to_number)
    old_content, new_content = old.content or {}, new.content or {}
    added, removed, changed = diffing.service_changes(old_content, new_content)
    lines = diffing.statement_diff(old.statement, new.statement, old.number, new.number)
    return CharterDiff(
        from_number=old.number, to_number=new.number,
        statement_changed=old.statement != new.statement,
        statement_diff=lines, reason_to=new.reason,
        default_changes=diffing.default_changes(old_content, new_content),
        authority_changes=diffing.authority_changes(authority_rows(session, old_content),
                                                    authority_rows(session, new_content)),
        services_added=added, services_removed=removed, services_changed=changed,
        health_basis_before=old_content.get("health_basis", "auto"),
        health_basis_after=new_content.get("health_basis", "auto"),
    )
