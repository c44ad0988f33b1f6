"""Match a file's header row to our fields, directly or through the user's column mapping.

A header matches a field when they agree ignoring case, spaces and punctuation ("Department
code" is department_code). A mapping {"their header": "our_field"} overrides that; mapping a
header to "" ignores its column. A header that matches nothing is an error, so no data is
dropped silently; the error lists every header with our best guess for the mapping step.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from epmo.errors import FieldError, Invalid
from epmo.files.entities import Entity
from epmo.files.readers import Table

IGNORE = ""


@dataclass(frozen=True, slots=True)
class Layout:
    """Which file column feeds which field, and what the file calls each field."""

    fields: dict[int, str]
    headers: dict[str, str]


def header_key(text: str) -> str:
    """Normalise a header for matching: lower case, words joined by underscores."""
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def guess(entity: Entity, header: str) -> str | None:
    """The field a header names by itself, if any."""
    key = header_key(header)
    return key if key in entity.by_name else None


def suggestions(entity: Entity, headers: list[str]) -> dict[str, str]:
    """Every non-empty header with its guessed field ("" when there is no guess)."""
    return {header: guess(entity, header) or IGNORE for header in headers if header}


def _mapped(header: str, mapping: Mapping[str, str | None]) -> tuple[bool, str | None]:
    if header in mapping:
        return True, mapping[header]
    key = header_key(header)
    for theirs, ours in mapping.items():
        if header_key(theirs) == key:
            return True, ours
    return False, None


def match_columns(entity: Entity, table: Table,
                  mapping: Mapping[str, str | None] | None = None) -> Layout:
    """Decide the field of every column or raise Invalid naming each column that has none."""
    fields: dict[int, str] = {}
    headers: dict[str, str] = {}
    errors: list[FieldError] = []
    unmapped: list[str] = []
    for index, header in enumerate(table.headers):
        if not header:
            if _has_values(table, index):
                errors.append(FieldError(f"column {column_letter(index)}",
                                         "has values but no header", table.header_row))
            continue
        field = _field_of(entity, header, mapping or {}, errors, unmapped, table.header_row)
        if not field:
            continue
        if field in headers:
            errors.append(FieldError(header, f"is {field} again (already column "
                                     f"{headers[field]!r})", table.header_row))
            continue
        fields[index], headers[field] = field, header
    if entity.key not in headers and not unmapped:
        errors.append(FieldError(entity.key, f"the file has no {entity.key} column",
                                 table.header_row))
    if errors or unmapped:
        _refuse(entity, table, errors, unmapped)
    return Layout(fields, headers)


def _field_of(entity: Entity, header: str, mapping: Mapping[str, str | None],
              errors: list[FieldError], unmapped: list[str], row: int) -> str | None:
    found, target = _mapped(header, mapping)
    if not found:
        target = guess(entity, header)
        if target is None:
            unmapped.append(header)
        return target
    if not target:
        return None
    target = target.strip()
    if target not in entity.by_name:
        errors.append(FieldError(header, f"is mapped to {target!r}, which is not a field of "
                                 f"{entity.name}", row))
        return None
    return target


def _has_values(table: Table, index: int) -> bool:
    return any(index < len(cells) and cells[index] is not None for _, cells in table.rows)


def _refuse(entity: Entity, table: Table, errors: list[FieldError], unmapped: list[str]) -> None:
    for header in unmapped:
        errors.append(FieldError(header, f"is not a field of {entity.name}; map it to one or "
                                 "ignore it", table.header_row))
    message = "The header row has problems"
    if unmapped:
        message = (f"Not epmo fields: {', '.join(unmapped)}; map each column to a field of "
                   f"{entity.name} or ignore it")
    raise Invalid(message, errors, {
        "unmapped": unmapped,
        "columns": suggestions(entity, table.headers),
        "fields": list(entity.field_names),
    })
