"""The scenario settings form: text lines to the API's shapes, and the API's shapes to lines.

    budgets:             2027 = 1200000
    capacity overrides:  Data engineer | 2027-Q1 = 12
    exclusive groups:    REQ-0001, REQ-0002
    requires:            REQ-0003 -> REQ-0001      (REQ-0003 only if REQ-0001)
    balance:             category:regulatory 0.1 0.5
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from epmo.errors import FieldError, Invalid

Lookup = Callable[[str], int | None]


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _number(text: str, field: str, errors: list[FieldError]) -> float:
    try:
        return float(text.replace(",", "").replace("_", ""))
    except ValueError:
        errors.append(FieldError(field, f"{text.strip()!r} is not a number"))
        return 0.0


def budgets(text: str | None, errors: list[FieldError]) -> dict[str, Any]:
    """``2027 = 1200000`` per line."""
    found: dict[str, Any] = {}
    for k, line in enumerate(_lines(text)):
        year, eq, amount = line.partition("=")
        if not eq:
            errors.append(FieldError("budgets", f"line {k + 1}: write YEAR = AMOUNT"))
            continue
        found[year.strip()] = _number(amount, "budgets", errors)
    return found


def overrides(text: str | None, errors: list[FieldError]) -> dict[str, dict[str, float]]:
    """``Role | 2027-Q1 = 12`` per line."""
    found: dict[str, dict[str, float]] = {}
    for k, line in enumerate(_lines(text)):
        role, bar, rest = line.partition("|")
        quarter, eq, fte = rest.partition("=")
        if not (bar and eq):
            errors.append(FieldError("capacity_overrides",
                                     f"line {k + 1}: write ROLE | YYYY-Qn = FTE-MONTHS"))
            continue
        found.setdefault(role.strip(), {})[quarter.strip()] = _number(
            fte, "capacity_overrides", errors)
    return found


def _ids(codes: list[str], lookup: Lookup, field: str, errors: list[FieldError]) -> list[int]:
    found = []
    for code in codes:
        ident = lookup(code)
        if ident is None:
            errors.append(FieldError(field, f"{code} is not a candidate of this scenario"))
        else:
            found.append(ident)
    return found


def exclusive(text: str | None, lookup: Lookup, errors: list[FieldError]) -> list[list[int]]:
    """Comma-separated candidate codes per line."""
    return [_ids([c.strip() for c in line.split(",") if c.strip()], lookup, "exclusive", errors)
            for line in _lines(text)]


def requires(text: str | None, lookup: Lookup, errors: list[FieldError]) -> list[list[int]]:
    """``B -> A`` per line: B only if A."""
    found = []
    for k, line in enumerate(_lines(text)):
        b, arrow, a = line.partition("->")
        if not arrow:
            errors.append(FieldError("requires", f"line {k + 1}: write CODE -> CODE"))
            continue
        found.append(_ids([b.strip(), a.strip()], lookup, "requires", errors))
    return found


def balance(text: str | None, errors: list[FieldError]) -> list[dict[str, Any]]:
    """``tag min max`` per line, shares between 0 and 1."""
    found = []
    for k, line in enumerate(_lines(text)):
        parts = line.split()
        if len(parts) != 3:
            errors.append(FieldError("balance", f"line {k + 1}: write TAG MIN MAX"))
            continue
        found.append({"tag": parts[0], "min_share": _number(parts[1], "balance", errors),
                      "max_share": _number(parts[2], "balance", errors)})
    return found


def settings(values: Mapping[str, Any], lookup: Lookup) -> dict[str, Any]:
    """The settings form as the fields of ScenarioUpdate (without version)."""
    errors: list[FieldError] = []
    found = {
        "name": values.get("name"), "description": values.get("description") or "",
        "objective": values.get("objective"),
        "budgets": budgets(values.get("budgets"), errors),
        "capacity_overrides": overrides(values.get("capacity_overrides"), errors),
        "exclusive": exclusive(values.get("exclusive"), lookup, errors),
        "requires": requires(values.get("requires"), lookup, errors),
        "balance": balance(values.get("balance"), errors),
        "time_limit": _number(values.get("time_limit") or "10", "time_limit", errors),
    }
    if errors:
        raise Invalid("Please correct the highlighted fields", errors)
    return found


def plain(value: float) -> str:
    """A number as a person types it back: no exponent (6039000, not 6.039e+06), no padding."""
    return format(Decimal(repr(float(value))).normalize(), "f")


def as_text(scenario: Any, codes: Mapping[int, str]) -> dict[str, Any]:
    """The scenario's settings as the form shows them."""
    def code(i: int) -> str:
        return codes.get(i, str(i))

    return {
        "name": scenario.name, "description": scenario.description,
        "objective": scenario.objective, "time_limit": f"{scenario.time_limit:g}",
        "budgets": "\n".join(f"{y} = {plain(v)}" for y, v in sorted(scenario.budgets.items())),
        "capacity_overrides": "\n".join(f"{r} | {q} = {v:g}" for r, periods in
                                        scenario.capacity_overrides.items()
                                        for q, v in sorted(periods.items())),
        "exclusive": "\n".join(", ".join(code(i) for i in g) for g in scenario.exclusive),
        "requires": "\n".join(f"{code(b)} -> {code(a)}" for b, a in scenario.requires),
        "balance": "\n".join(f"{b['tag']} {b['min_share']:g} {b['max_share']:g}"
                             for b in scenario.balance),
    }
