"""The charter edit form: its fields are named by the API path they fill.

``content.defaults.<practice>``, ``content.departments.<id>.<practice>`` (blank: inherit) and
``content.services.<n>.<field>``, so a validation error's field names the input it is about.
Blank service rows are dropped and the rest renumbered; the form is re-rendered from the
renumbered draft, so the names still match.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from epmo.charter.models import CharterVersion

SPARE_ROWS = 3
_DEFAULT = re.compile(r"^content\.defaults\.(\w+)$")
_OVERRIDE = re.compile(r"^content\.departments\.(\d+)\.(\w+)$")
_SERVICE = re.compile(r"^content\.services\.(\d+)\.(\w+)$")
_TEXT_FIELDS = ("code", "name", "description")


def draft_of(version: CharterVersion | None, fallback: Mapping[str, Any]) -> dict[str, Any]:
    """The form's starting point: the version's statement and content (or ``fallback``)."""
    content = dict(version.content) if version else dict(fallback["content"])
    return {
        "statement": version.statement if version else fallback["statement"],
        "reason": "", "based_on": version.number if version else 0,
        "content": {"defaults": dict(content.get("defaults", {})),
                    "departments": {k: dict(v) for k, v in content.get("departments", {}).items()},
                    "services": [dict(s) for s in content.get("services", [])],
                    "health_basis": content.get("health_basis", "auto")},
    }


def draft_from_form(values: Mapping[str, Any]) -> dict[str, Any]:
    """Turn submitted form values into the API's ``CharterCreate`` shape."""
    content = {"defaults": _defaults(values), "departments": _overrides(values),
               "services": _services(values),
               "health_basis": values.get("content.health_basis") or "auto"}
    return {"statement": values.get("statement") or "", "reason": values.get("reason") or "",
            "based_on": _number(values.get("based_on")), "content": content}


def _number(value: Any) -> Any:
    return int(value) if isinstance(value, str) and value.isdigit() else value


def _defaults(values: Mapping[str, Any]) -> dict[str, Any]:
    return {m.group(1): value for key, value in values.items()
            if (m := _DEFAULT.match(key)) and value is not None}


def _overrides(values: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    overrides: dict[str, dict[str, Any]] = {}
    for key, value in sorted(values.items()):
        if (m := _OVERRIDE.match(key)) and value is not None:
            overrides.setdefault(m.group(1), {})[m.group(2)] = value
    return overrides


def _services(values: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    for key, value in values.items():
        if m := _SERVICE.match(key):
            rows.setdefault(int(m.group(1)), {})[m.group(2)] = value
    return [_service(row) for _, row in sorted(rows.items()) if not _blank(row)]


def _blank(row: Mapping[str, Any]) -> bool:
    return not any(row.get(f) for f in (*_TEXT_FIELDS, "department_ids"))


def _service(row: Mapping[str, Any]) -> dict[str, Any]:
    service = {f: row.get(f) or "" for f in _TEXT_FIELDS}
    service["practice"] = row.get("practice") or ""
    service["department_ids"] = [_number(v) for v in row.get("department_ids") or [] if v]
    return service


def flat(draft: Mapping[str, Any]) -> dict[str, Any]:
    """The draft as input name -> value, for the form macros."""
    content = draft["content"]
    values: dict[str, Any] = {k: draft.get(k) for k in ("statement", "reason", "based_on")}
    values |= {f"content.defaults.{p}": v for p, v in content["defaults"].items()}
    values["content.health_basis"] = content.get("health_basis", "auto")
    for dept, levels in content["departments"].items():
        values |= {f"content.departments.{dept}.{p}": v for p, v in levels.items()}
    return values


def service_rows(draft: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The catalogue's rows plus a few blank ones to add services with."""
    rows = [dict(s) for s in draft["content"]["services"]]
    blank = {"code": "", "name": "", "practice": "", "description": "", "department_ids": []}
    return rows + [dict(blank) for _ in range(SPARE_ROWS)]
