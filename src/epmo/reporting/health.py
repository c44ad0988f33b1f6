"""Which health counts: the reported RAG, the derived one, or the worse of the two.

The charter's ``health_basis`` chooses it for the whole enterprise: ``reported`` (what the
project says), ``derived`` (schedule and cost variance banded by the tier contract's RAG
thresholds, ``engines.rag``; the reported one where nothing can be derived), ``worse`` (the
worse of the two) or ``auto`` (the default): ``worse`` where the EPMO has controlling or
directive authority in PPM administration for the project's department, ``reported`` where it
advises or has none. Wherever both exist and differ the project is flagged, whatever counts.

The derived colour is stored: ``derived_colour`` is the rule as SQL over a project's (or a
status report's) dates and money, which ``reporting.health_store`` writes into
``derived_health`` whenever they change. The colour that counts is then a small expression
over stored columns (the reported colour, the stored derived one and the department), so the
overview and the roll-up group in the database on columns instead of evaluating the tier
thresholds per row. Constants are written into the SQL text (never bound parameters) so an
expression reads the same in SELECT and GROUP BY on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any, Final

from sqlalchemy import ColumnElement, and_, case, func, literal_column, null, or_
from sqlalchemy.orm import Session

from epmo.charter.authority import authority_map, current_content, is_blocking
from epmo.charter.models import HEALTH_BASES
from epmo.contracts.repository import list_contracts
from epmo.engines.rag import Band, Thresholds, thresholds_from
from epmo.reporting.policy import PRACTICE
from epmo.sql import Cents, DaysAfter, Greatest

COLOURS: Final = ("green", "amber", "red")  # index = rank, worst last
_WORST_FIRST: Final = tuple(reversed(COLOURS))
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
    """Where a derived colour comes from: a project, or a status report and its project."""

    tier: Any
    baseline_finish: Any
    forecast_finish: Any
    baseline_budget: Any
    forecast_cost: Any


@dataclass(frozen=True, slots=True)
class Stored:
    """Where the colour that counts comes from: the reported colour, the stored derived one
    (``derived_health``) and the department whose mode applies."""

    reported: Any
    derived: Any
    department_id: Any


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
    return HealthRule(basis, modes, load_thresholds(session))


def load_thresholds(session: Session) -> dict[int, Thresholds]:
    """Each tier's RAG thresholds, from its reporting contract (one query)."""
    return {contract.tier: thresholds_from(contract.rag_thresholds or {})
            for contract in list_contracts(session)}


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


# Ranks are integers: 0 green, 1 amber, 2 red and -1 for "none", never NULL, so the worse of
# two is one GREATEST and a colour is one simple CASE: each part is evaluated once per row.
_NONE: Final = -1


def _banded(value: ColumnElement[Any], band: Band, unknown: ColumnElement[bool],
            scale: ColumnElement[Any] | None = None) -> ColumnElement[Any]:
    """2 at or past red, 1 at or past amber, else 0; -1 when ``unknown``."""
    def reached(limit: Decimal) -> ColumnElement[bool]:
        return value >= (_number(limit) if scale is None else _number(limit) * scale)
    return case((unknown, _rank(_NONE)), (reached(band.red), _rank(2)),
                (reached(band.amber), _rank(1)), else_=_rank(0))


def _schedule_rank(cols: Columns, band: Band) -> ColumnElement[Any]:
    """Slip (whole days) at or past a threshold <=> forecast >= baseline + ceil(threshold) days:
    one date addition per threshold instead of a difference of two parsed dates."""
    def reached(limit: Decimal) -> ColumnElement[bool]:
        days = int(limit.to_integral_value(rounding=ROUND_CEILING))
        forecast: ColumnElement[Any] = cols.forecast_finish
        return forecast >= DaysAfter(cols.baseline_finish, literal_column(f"{days:+d}"))
    unknown = or_(cols.forecast_finish.is_(None), cols.baseline_finish.is_(None))
    return case((unknown, _rank(_NONE)), (reached(band.red), _rank(2)),
                (reached(band.amber), _rank(1)), else_=_rank(0))


def _tier_rank(cols: Columns, thresholds: Thresholds) -> ColumnElement[Any] | None:
    """The derived rank under one tier's thresholds (None: nothing derivable)."""
    ranks = []
    if thresholds.schedule is not None:
        ranks.append(_schedule_rank(cols, thresholds.schedule))
    if thresholds.cost is not None:
        budget, forecast = cols.baseline_budget, cols.forecast_cost
        # overrun % >= t  <=>  (forecast - budget) * 100 >= t * budget, for budget > 0;
        # in whole cents and integer-scaled thresholds, so no division and no float.
        band, scale = _cost_band(thresholds.cost)
        over = (Cents(forecast) - Cents(budget)) * literal_column(str(scale))
        ranks.append(_banded(over, band, or_(budget.is_(None), forecast.is_(None),
                                             budget <= literal_column("0")), Cents(budget)))
    if not ranks:
        return None
    return ranks[0] if len(ranks) == 1 else Greatest(*ranks)


def _derived_rank(thresholds_of: Mapping[int, Thresholds],
                  cols: Columns) -> ColumnElement[Any]:
    """The derived rank (-1: not derivable), by tier; tiers with the same thresholds share a
    branch."""
    by_thresholds: dict[Thresholds, list[int]] = {}
    for tier, thresholds in sorted(thresholds_of.items()):
        by_thresholds.setdefault(thresholds, []).append(tier)
    whens = []
    for thresholds, tiers in by_thresholds.items():
        rank = _tier_rank(cols, thresholds)
        if rank is not None:
            whens.append((cols.tier.in_([literal_column(str(t)) for t in tiers]), rank))
    return case(*whens, else_=_rank(_NONE)) if whens else _rank(_NONE)


def _colour(rank: ColumnElement[Any], otherwise: Any) -> ColumnElement[Any]:
    """The colour of a rank, ``otherwise`` for -1 (the rank is evaluated once)."""
    return case(*((_rank(i), _text(c)) for i, c in enumerate(COLOURS)),
                value=rank, else_=otherwise)


def _text(colour: str) -> ColumnElement[Any]:
    return literal_column(f"'{colour}'")


def derived_colour(thresholds: Mapping[int, Thresholds], cols: Columns) -> ColumnElement[Any]:
    """The derived colour as SQL (NULL: not derivable): what ``derived_health`` stores."""
    return _colour(_derived_rank(thresholds, cols), null())


def _worse(reported: Any, derived: Any) -> ColumnElement[Any]:
    """The worse of two colours; the reported one when neither is a colour."""
    return case(*((or_(reported == _text(c), derived == _text(c)), _text(c))
                  for c in reversed(COLOURS)), else_=reported)


def expressions(rule: HealthRule, cols: Stored) -> Health:
    """The derived colour, the colour that counts and the disagreement flag as SQL."""
    reported: ColumnElement[Any] = cols.reported
    derived: ColumnElement[Any] = cols.derived
    differs = and_(derived.is_not(None), reported.in_([_text(c) for c in COLOURS]),
                   derived != reported)
    by_mode = {
        "reported": reported,
        "derived": func.coalesce(derived, reported),
        "worse": _worse(reported, derived),
    }
    return Health(derived, _counted(rule, cols, by_mode), differs)


def _counted(rule: HealthRule, cols: Stored,
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


def counted_colour(rule: HealthRule) -> Callable[[Any, Any, Any], Any]:
    """``expressions(rule, cols).counted`` as Python: (department id, reported colour, stored
    derived colour) -> the colour that counts, for rows grouped on the raw columns (an index's
    order, so the database streams them instead of sorting by the expression)."""
    fallback = mode_of(rule.basis, "none")
    used = {mode for mode in rule.modes.values()} | {fallback}
    if not rule.thresholds or used == {"reported"}:
        return lambda _department, reported, _derived: reported
    modes = rule.modes

    def counted(department: Any, reported: Any, derived: Any) -> Any:
        mode = modes.get(department, fallback)
        if mode == "reported":
            return reported
        if mode == "derived":
            return reported if derived is None else derived
        for colour in _WORST_FIRST:  # as _worse
            if reported == colour or derived == colour:
                return colour
        return reported
    return counted


def disagree(reported: Any, derived: Any) -> bool:
    """``expressions(...).differs`` as Python: both colours exist and differ."""
    return derived is not None and reported in COLOURS and derived != reported
