"""Named writes of user administration: creating, deactivating and reactivating users."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from epmo.auth import resets, service, sessions
from epmo.auth.models import User
from epmo.auth.policy import Actor, require_admin
from epmo.auth.schemas import UserCreate
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
