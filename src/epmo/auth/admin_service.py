"""Named writes of user administration: creating, deactivating and reactivating users."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from epmo.auth import service
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
    return user
