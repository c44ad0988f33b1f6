"""Page forms of the business case: the case and option forms and the yearly grid.

The grid shows one row per kind and category and one column per year; each cell is an input
named ``cell-<kind>-<category>-<year>``. An empty cell is no amount; a filled one becomes a
line. Problems are reported on the cell ("People cost, year 2: must be 0 or more") so the
page can mark it, with everything typed kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from epmo.business_case.models import CATEGORIES
from epmo.business_case.schemas import LineIn, OptionRead
from epmo.charter.models import PRACTICES
from epmo.errors import FieldError, Invalid
from epmo.schema_kit import reason_of

CASE_FIELDS = ("title", "description", "currency", "discount_rate", "horizon_years", "status",
               "decision_note")
OPTION_FIELDS = ("name", "description", "staffing_fte")
KIND_WORDS = {"cost": "cost", "benefit": "benefit"}
CATEGORY_WORDS = {"people": "People", "tools": "Tools", "training": "Training",
                  "other": "Other", "savings": "Savings", "cost_avoidance": "Cost avoidance",
                  "days_saved": "Days saved (valued)", "revenue": "Revenue"}


@dataclass(frozen=True, slots=True)
class GridRow:
    """One row of the grid: a kind and category."""

    kind: str
    category: str
    label: str


GRID_ROWS = tuple(GridRow(kind, category, f"{CATEGORY_WORDS[category]} {KIND_WORDS[kind]}")
                  for kind in ("cost", "benefit") for category in CATEGORIES[kind])


def cell_name(kind: str, category: str, year: int) -> str:
    """The input name of one cell."""
    return f"cell-{kind}-{category}-{year}"


def grid_values(option: OptionRead) -> dict[str, str]:
    """The stored amounts as the grid's inputs show them."""
    return {cell_name(x.kind, x.category, x.year): _plain(x.amount) for x in option.lines}


def _plain(amount: Decimal) -> str:
    return f"{amount:f}".rstrip("0").rstrip(".") if "." in f"{amount:f}" else f"{amount:f}"


def grid_lines(raw: Mapping[str, Any], horizon: int) -> tuple[list[LineIn], list[str]]:
    """The filled cells as lines, and each line's cell name (to report problems on it)."""
    lines: list[LineIn] = []
    names: list[str] = []
    problems: list[FieldError] = []
    for row in GRID_ROWS:
        for year in range(horizon + 1):
            name = cell_name(row.kind, row.category, year)
            value = raw.get(name)
            if value in (None, ""):
                continue
            text = str(value).replace(" ", "").replace("\u00a0", "")
            try:
                lines.append(LineIn.model_validate({"year": year, "kind": row.kind,
                                                    "category": row.category,
                                                    "amount": text}))
                names.append(name)
            except ValidationError as exc:
                problems += [FieldError(name, f"{row.label}, year {year}: {reason_of(e)}")
                             for e in exc.errors()]
    if problems:
        raise Invalid(_count(problems), problems)
    return lines, names


def _count(problems: Sequence[FieldError]) -> str:
    return ("One amount cannot be saved; nothing was changed" if len(problems) == 1 else
            f"{len(problems)} amounts cannot be saved; nothing was changed")


def on_cells(exc: Invalid, names: Sequence[str]) -> Invalid:
    """A service's refusal of ``lines.<i>.<field>`` said on the cells the lines came from."""
    moved = []
    for error in exc.errors:
        parts = error.field.split(".")
        if parts[0] == "lines" and len(parts) > 1 and parts[1].isdigit() and \
                int(parts[1]) < len(names):
            moved.append(FieldError(names[int(parts[1])], _cell_words(names[int(parts[1])],
                                                                      error.message)))
        else:
            moved.append(error)
    return Invalid(exc.message, moved)


def _cell_words(name: str, message: str) -> str:
    _, kind, category, year = name.split("-", 3)
    return f"{CATEGORY_WORDS.get(category, category)} {kind}, year {year}: {message}"


def option_values(raw: Mapping[str, Any]) -> dict[str, Any]:
    """An option form's values as the option schemas take them."""
    values: dict[str, Any] = {k: raw.get(k) for k in OPTION_FIELDS if raw.get(k) is not None}
    values.setdefault("description", "")
    values["staffing_fte"] = raw.get("staffing_fte")  # emptied: not said
    values["authority"] = {p: raw.get(f"authority_{p}") for p in PRACTICES
                           if raw.get(f"authority_{p}")}
    values["recommended"] = bool(raw.get("recommended"))
    return values


def option_form(option: OptionRead) -> dict[str, Any]:
    """A stored option as its form shows it."""
    form: dict[str, Any] = {"name": option.name, "description": option.description,
                            "staffing_fte": "" if option.staffing_fte is None
                            else _plain(option.staffing_fte),
                            "recommended": option.recommended, "version": option.version}
    form.update({f"authority_{p}": option.authority.get(p, "") for p in PRACTICES})
    return form


def case_values(raw: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    """A case form's values: text as typed, the horizon as a whole number when it is one."""
    values = {k: raw.get(k) for k in fields if raw.get(k) is not None}
    horizon = values.get("horizon_years")
    if isinstance(horizon, str) and horizon.isascii() and horizon.isdigit() and \
            len(horizon) < 6:
        values["horizon_years"] = int(horizon)
    currency = values.get("currency")
    if isinstance(currency, str):
        values["currency"] = currency.upper()  # "eur" typed means EUR
    for text in ("description", "decision_note"):
        if text in fields:
            values.setdefault(text, "")
    return values

