"""Which health counts: the reported RAG, the derived one, or the worse of the two.

The charter's ``health_basis`` chooses it for the whole enterprise: ``reported`` (what the
project says), ``derived`` (schedule and cost variance banded by the tier contract's RAG
thresholds, ``engines.rag``; the reported one where nothing can be derived), ``worse`` (the
worse of the two) or ``auto`` (the default): ``worse`` where the EPMO has controlling or
directive authority in PPM administration for the project's department, ``reported`` where it
advises or has none. Wherever both exist and differ the project is flagged, whatever counts.

The figures are SQL expressions over a project's (or a status report's) columns, so the
overview and the roll-up keep grouping in the database instead of loading one row per
project. Constants are written into the SQL text (never bound parameters) so an expression
reads the same in SELECT and GROUP BY on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import ColumnElement, and_, case, literal_column, null, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Integer

from epmo.charter.authority import authority_map, current_content, is_blocking
from epmo.charter.models import HEALTH_BASES
from epmo.contracts.terms import load_terms
from epmo.engines.rag import Band, Thresholds, thresholds_from
from epmo.reporting.policy import PRACTICE

COLOURS: Final = ("green", "amber", "red")  # index = rank, worst last
DEFAULT_BASIS: Final = "auto"


@dataclass(frozen=True, slots=True)
class HealthRule:
    """The charter's basis, each department's resolved mode and each tier's thresholds."""

    basis: str
    modes: Mapping[int, str]  # department id -> reported | derived | worse
    thresholds: Mapping[int, Thresholds]  # tier -> RAG thresholds of its contract

    def mode(self, department_id: int) -> str:
        """The health that counts in one department."""
        return self.modes.get(department_id, mode_of(self.basis, "none"))


@dataclass(frozen=True, slots=True)
class Columns:
    """Where the figures come from: a project, or a status report and its project."""

    reported: Any
    tier: Any
    department_id: Any
    baseline_finish: Any
    forecast_finish: Any
    baseline_budget: Any
    forecast_cost: Any


@dataclass(frozen=True, slots=True)
class Health:
    """SQL expressions: the derived colour (NULL: not derivable), the colour that counts,
    and whether reported and derived both exist and differ."""

    derived: ColumnElement[Any]
    counted: ColumnElement[Any]
    differs: ColumnElement[bool]


def mode_of(basis: str, authority: str) -> str:
    """The health that counts under a basis and an authority level."""
    if basis in ("reported", "derived", "worse"):
        return basis
    return "worse" if is_blocking(authority) else "reported"


def basis_of(content: Mapping[str, Any]) -> str:
    """The charter content's health basis (``auto`` when unset or unrecognised)."""
    value = content.get("health_basis")
    return value if value in HEALTH_BASES else DEFAULT_BASIS


def load_rule(session: Session) -> HealthRule:
    """Read the charter and the contracts once (four queries)."""
    basis = basis_of(current_content(session))
    levels = authority_map(session)
    modes = {dept: mode_of(basis, own.get(PRACTICE, "none")) for dept, own in levels.items()}
    terms = load_terms(session)
    thresholds = {tier: thresholds_from(contract.rag_thresholds or {})
                  for tier, contract in terms.contracts.items()}
    return HealthRule(basis, modes, thresholds)


class DaysBetween(FunctionElement[int]):
    """Whole days from the second date to the first (NULL when either is NULL)."""

    type = Integer()
    name = "days_between"
    inherit_cache = True


@compiles(DaysBetween)
def _days(element: DaysBetween, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"({later} - {earlier})"


@compiles(DaysBetween, "sqlite")
def _days_sqlite(element: DaysBetween, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


class Cents(FunctionElement[int]):
    """A money column in whole cents: exact integers on SQLite (which stores NUMERIC as
    floating point), exact NUMERIC on PostgreSQL."""

    type = Integer()
    name = "cents"
    inherit_cache = True


@compiles(Cents)
def _cents(element: Cents, compiler: SQLCompiler, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)} * 100)"


@compiles(Cents, "sqlite")
def _cents_sqlite(element: Cents, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(ROUND({compiler.process(element.clauses, **kw)} * 100) AS INTEGER)"


def _number(value: Decimal) -> ColumnElement[Any]:
    return literal_column(str(value))  # a finite Decimal from thresholds_from: safe as text


def _cost_band(band: Band) -> tuple[Band, int]:
    """The band in the integer units the cost comparison uses, and the scale applied.

    The engine rounds the overrun to hundredths before comparing, so an overrun of at least
    ``threshold - 0.005`` reaches the threshold: with both sides scaled to integers the
    comparison is exact on every database.
    """
    exponent = max(3, *(-int(v.as_tuple().exponent) + 1 for v in (band.amber, band.red)))
    scale = 10 ** exponent
    half = scale // 200  # 0.005 at this scale

    def scaled(value: Decimal) -> Decimal:
        return Decimal(int(value * scale) - half)
    return Band(scaled(band.amber), scaled(band.red)), scale * 100


def _rank(index: int) -> ColumnElement[Any]:
    return literal_column(str(index))


def _banded(value: ColumnElement[Any], band: Band, unknown: ColumnElement[bool],
            scale: ColumnElement[Any] | None = None) -> ColumnElement[Any]:
    """2 at or past red, 1 at or past amber, else 0; NULL when ``unknown``."""
    def reached(limit: Decimal) -> ColumnElement[bool]:
        return value >= (_number(limit) if scale is None else _number(limit) * scale)
    return case((unknown, null()), (reached(band.red), _rank(2)),
                (reached(band.amber), _rank(1)), else_=_rank(0))


def _worse(a: ColumnElement[Any] | None, b: ColumnElement[Any] | None) -> ColumnElement[Any]:
    """The larger of two nullable ranks (NULL only when both are)."""
    if a is None or b is None:
        return a if a is not None else (b if b is not None else null())
    return case((a.is_(None), b), (b.is_(None), a), (a >= b, a), else_=b)


def _tier_rank(cols: Columns, thresholds: Thresholds) -> ColumnElement[Any] | None:
    """The derived rank under one tier's thresholds (None: nothing derivable)."""
    schedule = cost = None
    if thresholds.schedule is not None:
        slip = DaysBetween(cols.forecast_finish, cols.baseline_finish)
        schedule = _banded(slip, thresholds.schedule, or_(
            cols.forecast_finish.is_(None), cols.baseline_finish.is_(None)))
    if thresholds.cost is not None:
        budget, forecast = cols.baseline_budget, cols.forecast_cost
        # overrun % >= t  <=>  (forecast - budget) * 100 >= t * budget, for budget > 0;
        # in whole cents and integer-scaled thresholds, so no division and no float.
        band, scale = _cost_band(thresholds.cost)
        over = (Cents(forecast) - Cents(budget)) * literal_column(str(scale))
        cost = _banded(over, band, or_(budget.is_(None), forecast.is_(None), budget <= 0),
                       Cents(budget))
    if schedule is None and cost is None:
        return None
    return _worse(schedule, cost)


def _derived_rank(rule: HealthRule, cols: Columns) -> ColumnElement[Any]:
    whens = [(cols.tier == literal_column(str(tier)), rank)
             for tier, thresholds in sorted(rule.thresholds.items())
             if (rank := _tier_rank(cols, thresholds)) is not None]
    return case(*whens, else_=null()) if whens else null()


def _colour(rank: ColumnElement[Any]) -> ColumnElement[Any]:
    return case(*((rank == _rank(i), literal_column(f"'{c}'")) for i, c in enumerate(COLOURS)),
                else_=null())


def _reported_rank(reported: Any) -> ColumnElement[Any]:
    return case(*((reported == literal_column(f"'{c}'"), _rank(i))
                  for i, c in enumerate(COLOURS)), else_=null())


def expressions(rule: HealthRule, cols: Columns) -> Health:
    """The derived colour, the colour that counts and the disagreement flag as SQL."""
    derived = _derived_rank(rule, cols)
    reported = _reported_rank(cols.reported)
    differs = and_(derived.is_not(None), reported.is_not(None), derived != reported)
    by_mode = {
        "reported": cols.reported,
        "derived": case((derived.is_(None), cols.reported), else_=_colour(derived)),
        "worse": case((derived.is_(None), cols.reported),
                      (or_(reported.is_(None), derived > reported), _colour(derived)),
                      else_=cols.reported),
    }
    return Health(_colour(derived), _counted(rule, cols, by_mode), differs)


def _counted(rule: HealthRule, cols: Columns,
             by_mode: Mapping[str, ColumnElement[Any]]) -> ColumnElement[Any]:
    """The colour that counts: one expression per mode, chosen by department."""
    fallback = mode_of(rule.basis, "none")
    used = {mode for mode in rule.modes.values()} | {fallback}
    reported: ColumnElement[Any] = cols.reported
    if not rule.thresholds or used == {"reported"}:
        return reported
    if len(used) == 1:
        return by_mode[fallback]
    whens = []
    for mode in sorted(used - {fallback}):
        ids = sorted(d for d, m in rule.modes.items() if m == mode)
        whens.append((cols.department_id.in_([literal_column(str(i)) for i in ids]),
                      by_mode[mode]))
    return case(*whens, else_=by_mode[fallback])
