"""Read models of the business case domain: cases with their options' amounts and figures.

The service layer's half of the finance engine: rows become yearly cost and benefit lists
(floats), ``engines.finance`` computes, and the figures come back as Decimals rounded to
cents (money), two decimals (percent, years). Three queries per case: the options, their
lines and the owner's name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.orm import Session

from epmo.business_case import repository
from epmo.business_case.models import BusinessCase, BusinessCaseLine, BusinessCaseOption
from epmo.business_case.schemas import (
    CaseBrief,
    CaseRead,
    CaseSummary,
    ComparisonRead,
    FiguresRead,
    LineRead,
    OptionFigures,
    OptionRead,
    SensitivityRead,
    SensitivityRowRead,
)
from epmo.engines import finance

CENT = Decimal("0.01")


def money(value: float) -> Decimal:
    """A float amount as Decimal cents."""
    return Decimal(repr(value)).quantize(CENT)


def percent(value: float | None) -> Decimal | None:
    """A fraction as a percent with two decimals (None stays None)."""
    return None if value is None else Decimal(repr(value * 100)).quantize(CENT)


def years(value: float | None) -> Decimal | None:
    """A duration in years with two decimals (None stays None)."""
    return None if value is None else Decimal(repr(value)).quantize(CENT)


def rate_of(case: BusinessCase) -> float:
    """The case's discount rate as a fraction."""
    return float(case.discount_rate) / 100


def yearly(lines: Sequence[BusinessCaseLine], horizon: int) -> tuple[list[float], list[float]]:
    """Costs and benefits per year 0..horizon (a year without amounts counts as nothing)."""
    costs, benefits = [0.0] * (horizon + 1), [0.0] * (horizon + 1)
    for line in lines:
        if line.year <= horizon:
            target = costs if line.kind == "cost" else benefits
            target[line.year] += float(line.amount)
    return costs, benefits


def figures(rate: float, costs: list[float], benefits: list[float]) -> FiguresRead:
    """An option's figures from its yearly costs and benefits."""
    found = finance.appraise(rate, costs, benefits)
    net = finance.net_flows(costs, benefits)
    return FiguresRead(
        total_cost=money(found.total_cost), total_benefit=money(found.total_benefit),
        net=money(found.net), pv_cost=money(found.pv_cost), pv_benefit=money(found.pv_benefit),
        npv=money(found.npv), irr_percent=percent(found.irr), irr_unique=found.irr_unique,
        payback_years=years(found.payback),
        discounted_payback_years=years(found.discounted_payback),
        roi_percent=percent(found.roi), benefit_margin_percent=percent(found.benefit_margin),
        costs_by_year=[money(v) for v in costs], benefits_by_year=[money(v) for v in benefits],
        net_by_year=[money(v) for v in net],
        cumulative_by_year=[money(v) for v in finance.cumulative(net)],
        cumulative_discounted_by_year=[money(v) for v in
                                       finance.cumulative(finance.discounted(rate, net))])


def sensitivity(rate: float, costs: list[float], benefits: list[float]) -> SensitivityRead:
    """An option's sensitivity table (benefits -30 % to +30 %, rate +-2 points)."""
    found = finance.sensitivity(rate, costs, benefits)
    return SensitivityRead(
        rates_percent=[percent(r) or Decimal(0) for r in found.rates],
        rows=[SensitivityRowRead(change_percent=round(row.change * 100), npv=money(row.npv),
                                 npv_by_rate=[money(v) for v in row.npv_by_rate],
                                 payback_years=years(row.payback), roi_percent=percent(row.roi))
              for row in found.rows])


def _option(case: BusinessCase, option: BusinessCaseOption,
            lines: Sequence[BusinessCaseLine]) -> OptionRead:
    costs, benefits = yearly(lines, case.horizon_years)
    return OptionRead(
        id=option.id, case_id=option.case_id, name=option.name,
        description=option.description, position=option.position,
        authority=dict(option.authority or {}),
        staffing_fte=None if option.staffing_fte is None
        else Decimal(option.staffing_fte).quantize(CENT),
        recommended=option.recommended, version=option.version,
        lines=[LineRead(year=x.year, kind=x.kind, category=x.category,
                        amount=Decimal(x.amount).quantize(CENT)) for x in lines],
        figures=figures(rate_of(case), costs, benefits))


def _lines_by_option(session: Session,
                     options: Sequence[BusinessCaseOption]) -> dict[int, list[BusinessCaseLine]]:
    found: dict[int, list[BusinessCaseLine]] = defaultdict(list)
    for line in repository.lines_of(session, [o.id for o in options]):
        found[line.option_id].append(line)
    return found


def summaries(session: Session, cases: Sequence[BusinessCase]) -> list[CaseSummary]:
    """Cases for a list: two more queries (option counts, owner names) however many."""
    counts = repository.option_counts(session, [c.id for c in cases])
    names = repository.user_names(session, [c.owner_id for c in cases])
    return [_summary(case, counts.get(case.id, 0), names) for case in cases]


def _summary(case: BusinessCase, options: int, names: dict[int, str]) -> CaseSummary:
    return CaseSummary(
        id=case.id, title=case.title, status=case.status, currency=case.currency,
        discount_rate=Decimal(case.discount_rate).quantize(CENT),
        horizon_years=case.horizon_years,
        owner_id=case.owner_id, owner_name=names.get(case.owner_id or 0), options=options,
        version=case.version, updated_at=case.updated_at)


def _brief(session: Session, case: BusinessCase, options: int) -> CaseBrief:
    summary = _summary(case, options, repository.user_names(session, [case.owner_id]))
    return CaseBrief(**summary.model_dump(), description=case.description,
                     decision_note=case.decision_note,
                     years=list(range(case.horizon_years + 1)))


def describe_case(session: Session, case: BusinessCase) -> CaseRead:
    """A case with every option, its amounts and figures (three queries)."""
    options = repository.options_of(session, case.id)
    lines = _lines_by_option(session, options)
    return CaseRead(**_brief(session, case, len(options)).model_dump(),
                    option_list=[_option(case, o, lines[o.id]) for o in options])


def comparison(session: Session, case: BusinessCase) -> ComparisonRead:
    """The case's options side by side, each with its sensitivity table (three queries)."""
    options = repository.options_of(session, case.id)
    lines = _lines_by_option(session, options)
    compared = []
    for option in options:
        costs, benefits = yearly(lines[option.id], case.horizon_years)
        read = _option(case, option, lines[option.id])
        compared.append(OptionFigures(**read.model_dump(),
                                      sensitivity=sensitivity(rate_of(case), costs, benefits)))
    best = max(compared, key=lambda o: o.figures.npv, default=None)
    return ComparisonRead(case=_brief(session, case, len(options)), options=compared,
                          best_npv_option_id=best.id if best else None,
                          steps_percent=[round(s * 100) for s in finance.SENSITIVITY_STEPS])
