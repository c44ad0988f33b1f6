"""Named writes of user administration: creating, deactivating and reactivating users."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from epmo.auth import repository, resets, service, sessions
from epmo.auth.models import ROLES, User
from epmo.auth.policy import Actor, require_admin
from epmo.auth.schemas import UserCreate, UserUpdate
from epmo.editing import check_version
from epmo.errors import FieldError, Invalid
from epmo.org import repository as org_repository


def _check_departments(session: Session, codes: Iterable[str]) -> None:
    unknown = [code for code in codes if org_repository.get_department_by_code(session, code)
               is None]
    if unknown:
        raise Invalid("Unknown department", [FieldError("department_codes",
                                                        f"no department {', '.join(unknown)}")])


def create_user(session: Session, actor: Actor, data: UserCreate) -> User:
    """Create a user (EPMO administrators), checking every department before writing."""
    require_admin(actor)
    _check_departments(session, data.department_codes)
    return service.create_user(session, **data.model_dump())


def update_user(session: Session, actor: Actor, user_id: int, data: UserUpdate) -> User:
    """Change a user's name, role, departments or person (EPMO administrators). The last
    active administrator keeps the role, so someone can always administer the hub; the
    change applies from the user's next request."""
    require_admin(actor)
    user = service.get_user(session, user_id)
    check_version(user, data.version)
    given = data.model_fields_set
    if data.role is not None and data.role not in ROLES:
        raise Invalid("Unknown role", [FieldError("role", f"must be one of {', '.join(ROLES)}")])
    if ("role" in given and data.role != "epmo_admin" and user.role == "epmo_admin"
            and user.is_active and repository.active_admins(session) <= 1):
        raise Invalid("The hub needs an administrator",
                      [FieldError("role", "this is the last active EPMO administrator")])
    if data.person_id is not None and org_repository.get_person(session, data.person_id) is None:
        raise Invalid("Unknown person", [FieldError("person_id", f"no person {data.person_id}")])
    if data.department_codes is not None:
        _check_departments(session, data.department_codes)
        service.set_departments(session, user, data.department_codes)
    for name in ("name", "role"):
        if name in given and getattr(data, name) is not None:
            setattr(user, name, getattr(data, name))
    if "person_id" in given:
        user.person_id = data.person_id
    session.flush()
    return user


def set_user_active(
    session: Session, actor: Actor, user_id: int, active: bool, version: int
) -> User:
    """Deactivate (sign-in and tokens stop working) or reactivate a user."""
    require_admin(actor)
    user = service.get_user(session, user_id)
    check_version(user, version)
    if user.id == actor.id and not active:
        # An administrator locking themselves out could leave nobody to undo it.
        raise Invalid("You cannot deactivate yourself",
                      [FieldError("is_active", "ask another administrator")])
    user.is_active = active
    session.flush()
    if not active:
        # Deactivation ends every browser session and reset link now; reactivation revives
        # none of them.
        sessions.revoke_all(session, user.id)
        resets.cancel_all(session, user.id)
    return user


def reset_password(session: Session, actor: Actor, user_id: int) -> tuple[User, str]:
    """Make a one-time reset link for a user (EPMO administrators); return user and token."""
    require_admin(actor)
    user = service.get_user(session, user_id)
    if not user.is_active:
        raise Invalid("The user is deactivated", [FieldError("is_active", "reactivate first")])
    return user, resets.create_reset(session, user)
