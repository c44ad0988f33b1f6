"""Reporting periods per cadence: the pure arithmetic and what the API accepts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from epmo.reporting.periods import CADENCES, is_period_start, period_of, stored_period
from tests.conftest import Clients
from tests.factories import Maker
from tests.reporting.conftest import API, Governance, period_start, report

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@pytest.mark.parametrize(("cadence", "day", "start", "end", "label"), [
    ("weekly", date(2025, 3, 5), date(2025, 3, 3), date(2025, 3, 9), "2025-W10"),
    ("weekly", date(2025, 3, 3), date(2025, 3, 3), date(2025, 3, 9), "2025-W10"),
    ("weekly", date(2024, 12, 31), date(2024, 12, 30), date(2025, 1, 5), "2025-W01"),
    ("fortnightly", date(2025, 3, 5), date(2025, 2, 24), date(2025, 3, 9), "2025-W09/10"),
    ("fortnightly", date(2025, 3, 10), date(2025, 3, 10), date(2025, 3, 23), "2025-W11/12"),
    # 2026 has 53 ISO weeks: week 53 is a one-week period, week 1 of 2027 starts the next
    ("fortnightly", date(2026, 12, 30), date(2026, 12, 28), date(2027, 1, 3), "2026-W53"),
    ("fortnightly", date(2027, 1, 4), date(2027, 1, 4), date(2027, 1, 17), "2027-W01/02"),
    ("monthly", date(2024, 2, 29), date(2024, 2, 1), date(2024, 2, 29), "2024-02"),
    ("monthly", date(2025, 12, 31), date(2025, 12, 1), date(2025, 12, 31), "2025-12"),
])
def test_period_table(cadence: str, day: date, start: date, end: date, label: str) -> None:
    period = period_of(cadence, day)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert is_period_start(cadence, start) and stored_period(start, end).label == label


@given(cadence=st.sampled_from(CADENCES), day=DAYS)
def test_periods_tile_the_calendar(cadence: str, day: date) -> None:
    period = period_of(cadence, day)
    assert period.start <= day <= period.end
    assert is_period_start(cadence, period.start)
    assert period_of(cadence, period.end) == period
    following = period_of(cadence, period.end + timedelta(days=1))
    assert following.start == period.end + timedelta(days=1)
    assert is_period_start(cadence, day) == (day == period.start)


@given(day=DAYS)
def test_fortnights_start_on_odd_iso_weeks(day: date) -> None:
    period = period_of("fortnightly", day)
    assert period.start.weekday() == 0 and period.start.isocalendar().week % 2 == 1
    assert (period.end - period.start).days in (6, 13)


@pytest.mark.parametrize(("cadence", "rule"), [
    ("weekly", "a Monday"), ("fortnightly", "odd ISO week"), ("monthly", "first day of a month")])
def test_api_refuses_a_day_that_starts_no_period(as_: Clients, make: Maker, gov: Governance,
                                                 cadence: str, rule: str) -> None:
    gov.contract(cadence=cadence)
    project = make.project("IT")
    url = f"{API}/projects/{project['id']}/status-reports"
    start = period_start(cadence)
    r = as_("it_pm").post(url, json=report(period_start=(start + timedelta(days=1)).isoformat()))
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "period_start" and rule in r.json()["detail"]
    ok = as_("it_pm").post(url, json=report(period_start=start.isoformat()))
    assert ok.status_code == 201, ok.text
    assert ok.json()["period_end"] == period_of(cadence, start).end.isoformat()


@pytest.mark.parametrize("cadence", CADENCES)
def test_api_takes_any_day_of_the_period(as_: Clients, make: Maker, gov: Governance,
                                         cadence: str) -> None:
    gov.contract(cadence=cadence)
    project = make.project("IT")
    body = report(period=date.today().isoformat())
    del body["period_start"]
    r = as_("it_pm").post(f"{API}/projects/{project['id']}/status-reports", json=body)
    assert r.status_code == 201, r.text
    assert r.json()["period_start"] == period_start(cadence).isoformat()


def test_api_refuses_a_future_period_and_a_mismatch(as_: Clients, make: Maker,
                                                    gov: Governance) -> None:
    gov.contract(cadence="weekly")
    project = make.project("IT")
    url = f"{API}/projects/{project['id']}/status-reports"
    next_week = period_start("weekly") + timedelta(days=7)
    r = as_("it_pm").post(url, json=report(period_start=next_week.isoformat()))
    assert r.status_code == 422 and "has not started" in r.json()["detail"]
    both = report(period_start=period_start("weekly").isoformat(),
                  period=(date.today() - timedelta(days=7)).isoformat())
    r = as_("it_pm").post(url, json=both)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "period_start"
    for far in ("9999-12-31", "0001-01-01"):
        r = as_("it_pm").post(url, json=report(period_start=far))
        assert r.status_code in (201, 422), r.text
    assert as_("it_pm").post(url, json=report(period_start="9999-12-31")).status_code == 422
    body = report(period="9999-12-31")
    del body["period_start"]
    r = as_("it_pm").post(url, json=body)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "period"


def test_project_without_contract_reports_monthly(as_: Clients, make: Maker) -> None:
    project = make.project("IT")
    url = f"{API}/projects/{project['id']}/status-reports"
    monday = period_start("weekly")
    if monday.day != 1:
        r = as_("it_pm").post(url, json=report(period_start=monday.isoformat()))
        assert r.status_code == 422 and "monthly" in r.json()["detail"]
    r = as_("it_pm").post(url, json=report(period_start=period_start("monthly").isoformat()))
    assert r.status_code == 201, r.text
