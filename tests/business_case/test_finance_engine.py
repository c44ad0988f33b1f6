"""The finance engine against worked examples from textbooks and vendor documentation.

Sources (each figure below is the one printed there, to the precision printed):

- Microsoft Excel ``NPV`` function documentation, example 1: rate 10 %, an initial cost of
  10,000 one year from today, then 3,000, 4,200 and 6,800: NPV 1,188.44. Excel discounts its
  first value by one period, so in our year-0 convention the flows start with a 0.
- Microsoft Excel ``IRR`` function documentation: -70,000 then 12,000, 15,000, 18,000, 21,000
  and 26,000: IRR after four years -2.1 %, after five years 8.7 %, after two years -44.4 %.
- Brealey, Myers & Allen, *Principles of Corporate Finance*, ch. 2: an office building costing
  350,000 that will be worth 400,000 in a year, at a 7 % opportunity cost of capital: PV
  373,832, NPV 23,832.
- The payback period as Investopedia defines it (cost / annual inflow for even flows; for
  uneven flows the years before recovery plus the unrecovered cost over the next year's flow),
  and the discounted payback period on the flows' present values.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from epmo.engines import finance


def test_npv_excel_example_with_year_zero_convention() -> None:
    assert finance.npv(0.10, [0, -10_000, 3_000, 4_200, 6_800]) == pytest.approx(1_188.44,
                                                                                 abs=0.005)


def test_npv_brealey_myers_office_building() -> None:
    assert finance.npv(0.07, [0, 400_000]) == pytest.approx(373_831.78, abs=0.01)
    assert finance.npv(0.07, [-350_000, 400_000]) == pytest.approx(23_831.78, abs=0.01)


@pytest.mark.parametrize(("flows", "expected"), [
    ([-70_000, 12_000, 15_000, 18_000, 21_000], -0.021),
    ([-70_000, 12_000, 15_000, 18_000, 21_000, 26_000], 0.087),
    ([-70_000, 12_000, 15_000], -0.444),
])
def test_irr_excel_examples(flows: list[float], expected: float) -> None:
    found = finance.irr(flows)
    assert found is not None and round(found, 3) == expected
    assert finance.npv(found, flows) == pytest.approx(0, abs=1e-6)


def test_irr_none_without_a_sign_change_and_root_nearest_zero_when_several() -> None:
    assert finance.irr([100, 200]) is None
    assert finance.irr([-100, -50]) is None
    assert finance.irr([]) is None
    # -100, +230, -132 has roots at 10 % and 20 %: the nearer to zero, and flagged not unique
    assert finance.irr([-100, 230, -132]) == pytest.approx(0.10, abs=1e-9)
    assert finance.sign_changes([-100, 230, -132]) == 2


@pytest.mark.parametrize(("flows", "expected"), [
    ([-100_000, 25_000, 25_000, 25_000, 25_000, 25_000], 4.0),  # even flows: cost / inflow
    ([-100, 30, 40, 50], 2.6),  # 2 years + 30 of the third year's 50
    ([-100, 100], 1.0),
    ([50, 10], 0.0),  # never negative: paid back at once
    ([-100, 30, 40], None),  # never within the horizon
    ([-100, 150, -80, 10], None),  # positive then negative again at the end
    ([-100, 150, -80, 50, 50], 2.6),  # dips to -30 in year 2, positive for good in year 3
])
def test_payback(flows: list[float], expected: float | None) -> None:
    found = finance.payback(flows)
    assert found == (None if expected is None else pytest.approx(expected))


def test_discounted_payback_worked_by_hand() -> None:
    # At 10 %: -1000, 500/1.1 = 454.55, 500/1.21 = 413.22, 500/1.331 = 375.66; cumulative
    # -545.45, -132.23, +243.43: 2 + 132.23 / 375.66 = 2.352 years.
    found = finance.discounted_payback(0.10, [-1_000, 500, 500, 500])
    assert found == pytest.approx(2.352, abs=0.001)
    assert finance.payback([-1_000, 500, 500, 500]) == pytest.approx(2.0)
    assert finance.discounted_payback(0.10, [-1_000, 500, 500]) is None  # 867.77 < 1000


def test_roi() -> None:
    assert finance.roi(1_500, 1_000) == pytest.approx(0.5)
    assert finance.roi(800, 1_000) == pytest.approx(-0.2)
    assert finance.roi(500, 0) is None


def test_appraise_an_option_without_benefits_and_a_losing_one() -> None:
    nothing = finance.appraise(0.08, [1_000, 200, 200], [0, 0, 0])
    assert nothing.npv == pytest.approx(-1_000 - 200 / 1.08 - 200 / 1.08 ** 2)
    assert nothing.irr is None and nothing.payback is None and nothing.benefit_margin is None
    assert nothing.roi == pytest.approx(-1.0)
    losing = finance.appraise(0.10, [1_000, 0], [0, 1_000])
    assert losing.npv < 0 and losing.irr == pytest.approx(0.0, abs=1e-9)
    assert losing.payback == pytest.approx(1.0) and losing.discounted_payback is None
    assert losing.benefit_margin == pytest.approx(1 - 1_000 / (1_000 / 1.1))  # must rise 10 %


def test_benefit_margin_is_where_the_npv_turns_zero() -> None:
    costs, benefits = [1_000, 100, 100, 100], [0, 600, 600, 600]
    found = finance.appraise(0.08, costs, benefits)
    assert found.benefit_margin is not None and 0 < found.benefit_margin < 1
    at_margin = finance.net_flows(costs, benefits, 1 - found.benefit_margin)
    assert finance.npv(0.08, at_margin) == pytest.approx(0, abs=1e-6)


def test_sensitivity_table_steps_and_rates() -> None:
    table = finance.sensitivity(0.08, [1_000, 100, 100], [0, 700, 700])
    assert [round(r.change, 2) for r in table.rows] == [-0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.3]
    assert table.rates == (0.06, 0.08, 0.10)
    middle = table.rows[3]
    assert middle.npv == pytest.approx(finance.appraise(0.08, [1_000, 100, 100],
                                                        [0, 700, 700]).npv)
    assert middle.npv_by_rate[1] == pytest.approx(middle.npv)
    npvs = [r.npv for r in table.rows]
    assert npvs == sorted(npvs)  # more benefit, more value
    assert table.rows[0].npv == pytest.approx(-1_000 - (100 - 490) / 1.08
                                              - (100 - 490) / 1.08 ** 2)
    assert finance.sensitivity(0.01, [1], [2]).rates == (0.01, 0.03)  # no negative rate


def test_npv_refuses_a_rate_of_minus_100_percent() -> None:
    with pytest.raises(ValueError, match="above -100"):
        finance.npv(-1.0, [1, 2])


money = st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False)


@given(st.lists(money, min_size=2, max_size=8), st.lists(money, min_size=2, max_size=8),
       st.floats(min_value=0, max_value=0.5))
def test_properties(costs: list[float], benefits: list[float], rate: float) -> None:
    """NPV is the discounted benefits less the discounted costs; a found IRR zeroes the NPV;
    payback, when found, lies inside the horizon."""
    found = finance.appraise(rate, costs, benefits)
    flows = finance.net_flows(costs, benefits)
    assert found.npv == pytest.approx(finance.npv(rate, flows), rel=1e-9, abs=1e-3)
    if found.irr is not None:
        scale = max(1.0, max(abs(f) for f in flows))
        assert abs(finance.npv(found.irr, flows)) <= 1e-6 * scale
    if found.payback is not None:
        assert 0 <= found.payback <= len(flows) - 1
