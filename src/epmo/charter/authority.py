"""The EPMO's authority per department and practice, resolved from the current charter.

A department's level in a practice is its own entry in the charter, else its nearest
ancestor's, else the charter's default for the practice; with no charter at all, ``none``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from epmo.charter import repository
from epmo.charter.models import AUTHORITY_LEVELS, PRACTICES
from epmo.org.repository import department_parents

Levels = dict[str, str]  # practice -> authority level


def current_content(session: Session) -> dict[str, Any]:
    """The content of the highest-numbered charter version ({} when there is none)."""
    content = repository.latest_content(session)
    return dict(content) if content else {}


def resolve(content: Mapping[str, Any], parents: Mapping[int, int | None]) -> dict[int, Levels]:
    """Every department's level per practice under ``content`` (pure; parents: id -> parent)."""
    defaults = content.get("defaults", {})
    base = {p: _level(defaults.get(p)) for p in PRACTICES}
    own = {int(k): v for k, v in content.get("departments", {}).items()}
    resolved: dict[int, Levels] = {}

    def levels_of(dept: int, seen: frozenset[int] = frozenset()) -> Levels:
        if dept in resolved:
            return resolved[dept]
        parent = parents.get(dept)
        inherited = base if parent is None or parent in seen else levels_of(parent, seen | {dept})
        entry = own.get(dept, {})
        resolved[dept] = {p: _level(entry.get(p), inherited[p]) for p in PRACTICES}
        return resolved[dept]

    for dept in parents:
        levels_of(dept)
    return resolved


def _level(value: Any, fallback: str = "none") -> str:
    return value if value in AUTHORITY_LEVELS else fallback


def authority_map(session: Session) -> dict[int, Levels]:
    """Department id -> practice -> authority level, for every department."""
    return resolve(current_content(session), department_parents(session))


def authority_for(session: Session, department_id: int, practice: str) -> str:
    """The EPMO's authority in ``practice`` for one department."""
    return authority_map(session).get(department_id, {}).get(practice, "none")


def is_blocking(level: str) -> bool:
    """Whether violations under this authority level block the action."""
    return level in ("controlling", "directive")
