"""Comparing two charter versions: statement lines, levels and the services catalogue (pure)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from epmo.charter.models import PRACTICES
from epmo.charter.schemas import DepartmentAuthority, LevelChange, ServiceChange, ServiceRead

SERVICE_FIELDS = ("name", "practice", "description", "department_ids")


def statement_diff(before: str, after: str, from_number: int, to_number: int) -> list[str]:
    """A unified diff of the two statements, one entry per line ([] when equal)."""
    return list(difflib.unified_diff(
        before.splitlines(), after.splitlines(),
        fromfile=f"version {from_number}", tofile=f"version {to_number}", lineterm="",
    ))


def default_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[LevelChange]:
    """Practices whose default level differs."""
    old, new = before.get("defaults", {}), after.get("defaults", {})
    return [
        LevelChange(department_id=None, code="(default)", name="Default for every department",
                    practice=p, before=old.get(p, "none"), after=new.get(p, "none"))
        for p in PRACTICES if old.get(p, "none") != new.get(p, "none")
    ]


def authority_changes(before: Sequence[DepartmentAuthority],
                      after: Sequence[DepartmentAuthority]) -> list[LevelChange]:
    """Per department and practice, the resolved levels that differ (in ``after``'s order)."""
    old = {row.department_id: row.levels for row in before}
    changes = []
    for row in after:
        for practice in PRACTICES:
            was = old.get(row.department_id, {}).get(practice, "none")
            now = row.levels.get(practice, "none")
            if was != now:
                changes.append(LevelChange(department_id=row.department_id, code=row.code,
                                           name=row.name, practice=practice,
                                           before=was, after=now))
    return changes


def _by_code(content: Mapping[str, Any]) -> dict[str, ServiceRead]:
    return {s["code"]: ServiceRead.model_validate(s) for s in content.get("services", [])}


def _changed_fields(before: ServiceRead, after: ServiceRead) -> list[str]:
    return [f for f in SERVICE_FIELDS if getattr(before, f) != getattr(after, f)]


def service_changes(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[list[ServiceRead], list[ServiceRead], list[ServiceChange]]:
    """Services added, removed and changed (matched by code)."""
    old, new = _by_code(before), _by_code(after)
    added = [s for code, s in new.items() if code not in old]
    removed = [s for code, s in old.items() if code not in new]
    changed = [
        ServiceChange(code=code, fields=fields, before=old[code], after=s)
        for code, s in new.items()
        if code in old and (fields := _changed_fields(old[code], s))
    ]
    return added, removed, changed
