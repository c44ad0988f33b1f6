"""Who may read and change the charter: everyone signed in reads it, the EPMO changes it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from epmo.auth.policy import Actor, is_admin
from epmo.charter import repository
from epmo.charter.models import CharterVersion
from epmo.errors import Forbidden, NotFound


def can_edit_charter(actor: Actor) -> bool:
    """Only EPMO administrators write new charter versions."""
    return is_admin(actor)


def require_edit_charter(actor: Actor) -> None:
    """Raise Forbidden unless the actor may change the charter (everyone may read it)."""
    if not can_edit_charter(actor):
        raise Forbidden("Only EPMO administrators change the charter")


def access_current_or_404(session: Session, actor: Actor) -> CharterVersion:
    """The current charter; it is the EPMO's public role statement, so everyone reads it."""
    version = repository.latest(session)
    if version is None:
        raise NotFound("The EPMO has no charter yet")
    return version


def access_version_or_404(session: Session, actor: Actor, number: int) -> CharterVersion:
    """Any version of the charter, readable by every signed-in user."""
    version = repository.get_by_number(session, number)
    if version is None:
        raise NotFound(f"Charter version {number} not found")
    return version
