"""The compliance engine: table-driven cases, hypothesis properties and a brute-force oracle."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from epmo.engines.compliance import (
    CADENCES,
    LEVELS,
    LIFECYCLE,
    PRACTICE_OF,
    Contract,
    Gate,
    ProjectFacts,
    ProjectResult,
    by_department,
    evaluate,
    evaluate_project,
    next_period,
    period_bounds,
    period_label,
    summarise,
)
from epmo.engines.compliance.periods import Calendar

TODAY = date(2026, 3, 31)
GATES = (Gate("G1", "Approved", "approved"), Gate("G2", "Plan approved", "planning"),
         Gate("G3", "Build approved", "executing"), Gate("G4", "Closure", "closed"))
CONTRACT = Contract(
    required_fields=("sponsor_id", "manager_id"), cadence="monthly",
    artefacts={"approved": ("business_case",), "planning": ("charter", "plan"),
               "closed": ("closure_report", "lessons_learned")},
    gates=GATES,
)
PRACTICES = ("portfolio_governance", "project_leadership", "ppm_administration")
Span = tuple[date, date]


def history(first: date, last: date, cadence: str = "monthly") -> tuple[Span, ...]:
    """A report for every period of ``cadence`` from ``first``'s to ``last``'s."""
    spans: list[Span] = []
    start, end = period_bounds(cadence, first)
    while start <= last:
        spans.append((start, end))
        start, end = period_bounds(cadence, end + timedelta(days=1))
    return tuple(spans)


def without(spans: tuple[Span, ...], *starts: date) -> tuple[Span, ...]:
    """The reports except those of the periods starting on ``starts``."""
    return tuple(s for s in spans if s[0] not in starts)


def due_count(since: date, cadence: str = "monthly", today: date = TODAY, grace: int = 5) -> int:
    """How many periods were due (a plain walk)."""
    count, end = 0, period_bounds(cadence, since)[1]
    while end + timedelta(days=grace) < today:
        count += 1
        end = period_bounds(cadence, end + timedelta(days=1))[1]
    return count


SINCE = date(2025, 1, 1)
REPORTED = history(SINCE, TODAY)  # every month to date
N = 2 + due_count(SINCE) + 3 + 3  # checks of a project in executing: 2 + 14 + 3 + 3
WEEKLY = replace(CONTRACT, cadence="weekly")
NW = 8 + due_count(SINCE, "weekly")


def levels(level: str = "supportive", **per_practice: str) -> dict[str, str]:
    """Every practice at ``level`` unless named."""
    return {p: per_practice.get(p, level) for p in PRACTICES}


def facts(stage: str = "executing", level: str = "supportive", **fields: object) -> ProjectFacts:
    """A fully compliant project in ``stage`` unless ``fields`` say otherwise."""
    base = ProjectFacts(
        id=1, department_id=10, tier=2, stage=stage, contract=CONTRACT,
        authority=levels(level), empty_fields=frozenset(),
        reports=REPORTED, reporting_since=SINCE,
        artefacts=frozenset({"business_case", "charter", "plan", "closure_report",
                             "lessons_learned"}),
        gates_passed=frozenset({"G1", "G2", "G3", "G4"}),
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def rules_of(result: ProjectResult) -> list[tuple[str, str, str]]:
    """(rule, subject, severity) of each finding."""
    return [(f.rule, f.subject, f.severity) for f in result.findings]


# --- table-driven cases -----------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A project, the findings it should get and its score."""

    name: str
    facts: ProjectFacts
    findings: list[tuple[str, str, str]]
    checks: int
    score: float


CASES = [
    Case("compliant in executing", facts(), [], N, 100.0),
    Case("proposed: fields only", facts("proposed", gates_passed=frozenset(),
                                        artefacts=frozenset(), reports=()),
         [], 2, 100.0),
    Case("one field empty", facts(empty_fields=frozenset({"manager_id", "description"})),
         [("required_field", "manager_id", "warning")], N, 100 * (N - 1) / N),
    Case("artefact of an earlier stage missing",
         facts(artefacts=frozenset({"charter", "plan"})),
         [("artefact", "business_case", "warning")], N, 100 * (N - 1) / N),
    Case("artefacts of a later stage are not due",
         facts("planning", artefacts=frozenset({"business_case", "charter", "plan"})),
         [], N - 1, 100.0),
    Case("gate of the current stage not passed, controlling",
         facts(level="controlling", gates_passed=frozenset({"G1", "G2"})),
         [("gate", "G3", "blocking")], N, 100 * (N - 1) / N),
    Case("directive is blocking too", facts(level="directive", empty_fields=frozenset({"sponsor_id"})),
         [("required_field", "sponsor_id", "blocking")], N, 100 * (N - 1) / N),
    Case("none: nothing is checked",
         facts(level="none", empty_fields=frozenset({"sponsor_id"}), gates_passed=frozenset()),
         [], 0, 100.0),
    Case("report overdue", facts(reports=history(SINCE, date(2026, 1, 31))),
         [("status_report", "2026-02-01", "warning")], N, 100 * (N - 1) / N),
    Case("last month reported", facts(reports=history(SINCE, date(2026, 2, 28))), [], N, 100.0),
    Case("a month missing in the middle of the history",
         facts(reports=without(REPORTED, date(2025, 6, 1))),
         [("status_report", "2025-06-01", "warning")], N, 100 * (N - 1) / N),
    Case("three months missing in two runs weigh three checks",
         facts(reports=without(REPORTED, date(2025, 6, 1), date(2025, 7, 1), date(2025, 9, 1))),
         [("status_report", "2025-06-01", "warning")], N, 100 * (N - 3) / N),
    Case("silent for 13 months: 13 failed checks",
         facts(reports=(), reporting_since=date(2025, 2, 1)),
         [("status_report", "2025-02-01", "warning")], 8 + 13, 100 * 8 / 21),
    Case("report within the grace days",
         facts(reports=history(SINCE, date(2026, 3, 22), "weekly"), contract=WEEKLY),
         [], NW, 100.0),
    Case("weekly report late",
         facts(reports=history(SINCE, date(2026, 3, 15), "weekly"), contract=WEEKLY),
         [("status_report", "2026-03-16", "warning")], NW, 100 * (NW - 1) / NW),
    Case("monthly reports of before still cover the weeks inside them",
         facts(reports=history(SINCE, date(2026, 2, 28)) + history(date(2026, 3, 2), TODAY,
                                                                    "weekly"),
               contract=WEEKLY),
         [("status_report", "2026-02-23", "warning")], NW, 100 * (NW - 1) / NW),  # to Mar 1
    Case("never reported", facts(reports=(), reporting_since=date(2026, 1, 1)),
         [("status_report", "2026-01-01", "warning")], 10, 100 * 8 / 10),
    Case("first report not due yet", facts(reports=(), reporting_since=date(2026, 3, 10)),
         [], 8, 100.0),
    Case("a report older than the start of reporting counts from the start",
         facts(reports=history(date(2024, 1, 1), date(2024, 1, 31)),
               reporting_since=date(2026, 3, 1)), [], 8, 100.0),
    Case("no reports in approved", facts("approved", reports=(),
                                        artefacts=frozenset({"business_case"})),
         [], 2 + 1 + 1, 100.0),
    Case("closed: closure artefacts and every gate, no report",
         facts("closed", artefacts=frozenset({"business_case", "charter", "plan"}),
               reports=()),
         [("artefact", "closure_report", "warning"), ("artefact", "lessons_learned", "warning")],
         2 + 5 + 4, 100 * 9 / 11),
    Case("on hold: fields only (its place in the lifecycle is unknown)",
         facts("on_hold", gates_passed=frozenset(), artefacts=frozenset(), reports=()),
         [], 2, 100.0),
    Case("no contract: nothing applies", facts(contract=None, empty_fields=frozenset({"x"})),
         [], 0, 100.0),
    Case("mixed authority: gates blocking, administration warned",
         facts(authority=levels("supportive", portfolio_governance="controlling"),
               gates_passed=frozenset({"G1"}), empty_fields=frozenset({"sponsor_id"})),
         [("required_field", "sponsor_id", "warning"), ("gate", "G2", "blocking"),
          ("gate", "G3", "blocking")], N, 100 * (N - 3) / N),
    Case("administration off, governance checked",
         facts(authority=levels("none", portfolio_governance="supportive"),
               gates_passed=frozenset(), empty_fields=frozenset({"sponsor_id"})),
         [("gate", "G1", "warning"), ("gate", "G2", "warning"), ("gate", "G3", "warning")],
         3, 0.0),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_cases(case: Case) -> None:
    result = evaluate_project(case.facts, TODAY, grace_days=5)
    assert rules_of(result) == case.findings
    assert result.checks == case.checks
    assert result.score == pytest.approx(case.score)


def test_findings_carry_practice_level_and_a_message() -> None:
    result = evaluate_project(facts(level="controlling", gates_passed=frozenset({"G1", "G2"}),
                                    reports=history(SINCE, date(2026, 1, 31))),
                              TODAY, grace_days=5)
    gate, report = sorted(result.findings, key=lambda f: f.rule)
    assert (gate.practice, gate.level) == ("portfolio_governance", "controlling")
    assert gate.message == "entered executing without passing gate G3 'Build approved'"
    assert report.practice == "ppm_administration"
    assert report.message == ("1 monthly report missing, 2026-02 (2026-02-01 to 2026-02-28, "
                              "due by 2026-03-05)")
    assert (report.count, report.periods) == (1, (date(2026, 2, 1),))


def test_missing_periods_are_one_finding_per_project_named_by_runs() -> None:
    silent = evaluate_project(facts(reports=(), reporting_since=date(2025, 11, 20)),
                              date(2026, 12, 8), grace_days=7)
    (report,) = [f for f in silent.findings if f.rule == "status_report"]
    assert report.message == ("13 monthly reports missing, 2025-11 .. 2026-11 "
                              "(no status report yet)")
    assert report.count == 13 and report.periods[0] == date(2025, 11, 1)
    assert report.periods[-1] == date(2026, 11, 1) and report.subject == "2025-11-01"
    assert summarise([silent]).warnings == 13
    gaps = without(REPORTED, *(date(2025, m, 1) for m in (2, 4, 5, 7, 9, 11)))
    many = evaluate_project(facts(reports=gaps), TODAY, grace_days=5)
    assert many.findings[0].message == ("6 monthly reports missing, 2025-02, 2025-04 .. 2025-05, "
                                        "2025-07, ..., 2025-11")
    weekly = evaluate_project(facts(contract=WEEKLY, reports=without(
        history(SINCE, TODAY, "weekly"), date(2026, 3, 2), date(2026, 3, 9))), TODAY, 5)
    assert weekly.findings[0].message == "2 weekly reports missing, 2026-W10 .. 2026-W11"


def test_calendar_numbers_periods_and_covers_reports() -> None:
    calendar = Calendar("monthly", date(2025, 1, 15), date(2025, 6, 3))
    assert (calendar.first, len(calendar.starts)) == (date(2025, 1, 1), 6)
    assert calendar.index(date(2024, 12, 31)) == -1 and calendar.index(date(2025, 3, 31)) == 2
    assert calendar.last_due(date(2025, 4, 7), 7) == 1  # March is due by April 7
    assert calendar.last_due(date(2025, 4, 8), 7) == 2
    quarter = (date(2025, 1, 1), date(2025, 3, 31))
    assert calendar.covered([quarter]) == {0, 1, 2}
    assert calendar.covered([(date(2024, 12, 1), date(2025, 2, 28))]) == {0, 1}
    assert calendar.covered([(date(2025, 9, 1), date(2025, 9, 30))]) == set()  # after it
    assert period_label("fortnightly", date(2026, 1, 12), date(2026, 1, 25)) == "2026-W03/04"
    assert period_label("fortnightly", date(2026, 12, 28), date(2027, 1, 3)) == "2026-W53"


def test_cancelled_projects_are_left_out_and_duplicates_count_once() -> None:
    twice = replace(CONTRACT, required_fields=("sponsor_id", "sponsor_id"),
                    gates=(*GATES, Gate("G1", "Again", "approved")))
    result = evaluate([facts(contract=twice), facts("cancelled")], TODAY)
    assert len(result) == 1 and result[0].checks == 1 + due_count(SINCE, grace=7) + 3 + 3


def test_next_period() -> None:
    period = next_period(date(2026, 1, 31), date(2025, 1, 1), "weekly", 2)
    assert (period.start, period.end, period.due_by) == (date(2026, 1, 26), date(2026, 2, 1),
                                                         date(2026, 2, 3))
    first = next_period(None, date(2026, 3, 10), "monthly", 7)
    assert (first.start, first.end, first.due_by) == (date(2026, 3, 1), date(2026, 3, 31),
                                                      date(2026, 4, 7))
    fortnight = next_period(date(2026, 1, 11), date(2025, 1, 1), "fortnightly", 0)
    assert (fortnight.start, fortnight.end) == (date(2026, 1, 12), date(2026, 1, 25))
    partly = next_period(date(2026, 1, 4), date(2025, 1, 1), "fortnightly", 0)
    assert (partly.start, partly.end) == (date(2025, 12, 29), date(2026, 1, 11))
    long_year = period_bounds("fortnightly", date(2026, 12, 30))  # 2026 has an ISO week 53
    assert long_year == (date(2026, 12, 28), date(2027, 1, 3))
    with pytest.raises(ValueError, match="unknown cadence"):
        period_bounds("yearly", TODAY)


@given(st.sampled_from(CADENCES), st.dates(date(2000, 1, 1), date(2100, 1, 1)))
def test_periods_tile_the_calendar(cadence: str, day: date) -> None:
    start, end = period_bounds(cadence, day)
    assert start <= day <= end
    assert period_bounds(cadence, start) == (start, end) == period_bounds(cadence, end)
    assert period_bounds(cadence, end + timedelta(days=1))[0] == end + timedelta(days=1)
    assert period_bounds(cadence, start - timedelta(days=1))[1] == start - timedelta(days=1)
    length = (end - start).days + 1
    assert length in {"weekly": {7}, "fortnightly": {7, 14}, "monthly": {28, 29, 30, 31}}[cadence]


def test_department_summaries_include_sub_departments() -> None:
    parents = {1: None, 2: 1, 3: None}
    results = [ProjectResult(1, 1, 4, 4), ProjectResult(2, 2, 4, 2), ProjectResult(3, 2, 0, 0),
               ProjectResult(4, 3, 2, 0)]
    summaries = by_department(results, parents)
    assert summaries[2].projects == 2 and summaries[2].score == pytest.approx(75.0)
    assert summaries[1].projects == 3 and summaries[1].score == pytest.approx(250 / 3)
    assert summaries[3].score == 0.0
    assert summarise(results).score == pytest.approx((100 + 50 + 100 + 0) / 4)
    assert summarise([]).score == 100.0 and summarise([]).projects == 0


# --- properties ---------------------------------------------------------------------------

KINDS = ("business_case", "charter", "plan", "closure_report", "lessons_learned")
STAGES = (*LIFECYCLE, "on_hold", "cancelled")
FIELDS = ("sponsor_id", "manager_id", "description", "planned_start")
day = st.dates(date(2025, 1, 1), date(2026, 6, 30))

contracts = st.builds(
    Contract,
    required_fields=st.lists(st.sampled_from(FIELDS), max_size=4).map(tuple),
    cadence=st.sampled_from(CADENCES),
    artefacts=st.dictionaries(st.sampled_from(LIFECYCLE),
                              st.lists(st.sampled_from(KINDS), max_size=3).map(tuple),
                              max_size=4),
    gates=st.lists(st.builds(Gate, st.sampled_from(("G1", "G2", "G3", "G4", "G5")),
                             st.just("gate"), st.sampled_from(LIFECYCLE[1:])),
                   max_size=4).map(tuple),
)
authorities = st.fixed_dictionaries({p: st.sampled_from(LEVELS) for p in PRACTICES})


@st.composite
def projects(draw: st.DrawFn, ident: int = 1) -> ProjectFacts:
    """Any project: any stage, contract, authority, fields, reports, artefacts and gates."""
    return ProjectFacts(
        id=ident, department_id=draw(st.sampled_from((1, 2, 3))), tier=1,
        stage=draw(st.sampled_from(STAGES)), contract=draw(st.none() | contracts),
        authority=draw(authorities),
        empty_fields=frozenset(draw(st.lists(st.sampled_from(FIELDS)))),
        reports=tuple(draw(st.lists(st.tuples(st.sampled_from(CADENCES), day).map(
            lambda pick: period_bounds(*pick)), max_size=12))),
        reporting_since=draw(day),
        artefacts=frozenset(draw(st.lists(st.sampled_from(KINDS)))),
        gates_passed=frozenset(draw(st.lists(st.sampled_from(("G1", "G2", "G3", "G4", "G5"))))),
    )


@given(projects(), st.tuples(st.sampled_from(CADENCES), day), day)
def test_adding_a_report_never_lowers_the_score(p: ProjectFacts, pick: tuple[str, date],
                                                today: date) -> None:
    before = evaluate_project(p, today)
    after = evaluate_project(replace(p, reports=(*p.reports, period_bounds(*pick))), today)
    assert after.score >= before.score and after.checks == before.checks


@given(projects(), st.sampled_from(KINDS), day)
def test_adding_an_artefact_never_lowers_the_score(p: ProjectFacts, kind: str, today: date) -> None:
    before = evaluate_project(p, today)
    after = evaluate_project(replace(p, artefacts=p.artefacts | {kind}), today)
    assert after.score >= before.score
    assert len(after.findings) <= len(before.findings)


@given(projects(), st.sampled_from(PRACTICES), day)
def test_a_stricter_authority_never_produces_fewer_findings(p: ProjectFacts, practice: str,
                                                           today: date) -> None:
    level = p.authority[practice]
    if level == LEVELS[-1]:
        return
    stricter = dict(p.authority) | {practice: LEVELS[LEVELS.index(level) + 1]}
    before = evaluate_project(p, today)
    after = evaluate_project(replace(p, authority=stricter), today)
    assert len(after.findings) >= len(before.findings)
    assert sum(f.severity == "blocking" for f in after.findings) >= sum(
        f.severity == "blocking" for f in before.findings)


@given(projects(), day)
def test_score_and_findings_agree(p: ProjectFacts, today: date) -> None:
    result = evaluate_project(p, today)
    assert 0.0 <= result.score <= 100.0
    assert sum(f.count for f in result.findings) == result.checks - result.passed
    assert all(f.count == len(f.periods) for f in result.findings if f.rule == "status_report")
    for finding in result.findings:
        assert finding.practice == PRACTICE_OF[finding.rule]
        assert finding.level == p.authority[finding.practice]
        assert finding.severity == ("warning" if finding.level == "supportive" else "blocking")


# --- brute-force oracle -------------------------------------------------------------------


def missing_by_walking(p: ProjectFacts, cadence: str, today: date,
                       grace: int) -> dict[date, bool]:
    """Walk the periods from the one reporting starts in while their due day is past: each is
    reported when a report starts inside it or spans all of it."""
    found: dict[date, bool] = {}
    start, end = period_bounds(cadence, p.reporting_since)
    while end + timedelta(days=grace) < today:
        found[start] = any(start <= first <= end or (first <= start and last >= end)
                           for first, last in p.reports)
        start, end = period_bounds(cadence, end + timedelta(days=1))
    return found


def oracle(p: ProjectFacts, today: date, grace: int) -> tuple[set[tuple[str, str]], int]:
    """(failed (rule, subject) pairs, number of checks) written out naively."""
    contract = p.contract
    if contract is None or p.stage == "cancelled":
        return set(), 0
    reached = [s for s in LIFECYCLE if p.stage in LIFECYCLE
               and LIFECYCLE.index(s) <= LIFECYCLE.index(p.stage)]
    checks: dict[tuple[str, str], bool] = {}
    for name in contract.required_fields:
        checks[("required_field", name)] = name not in p.empty_fields
    if p.stage in ("planning", "executing", "closing"):
        for start, ok in missing_by_walking(p, contract.cadence, today, grace).items():
            checks[("status_report", start.isoformat())] = ok
    for stage in reached:
        for kind in contract.artefacts.get(stage, ()):
            checks[("artefact", kind)] = kind in p.artefacts
    for gate in contract.gates:
        if gate.stage in reached:
            checks[("gate", gate.code)] = gate.code in p.gates_passed
    applicable = {k: ok for k, ok in checks.items()
                  if p.authority[PRACTICE_OF[k[0]]] != "none"}
    return {k for k, ok in applicable.items() if not ok}, len(applicable)


@settings(max_examples=300)
@given(projects(), st.dates(date(2025, 1, 1), date(2026, 12, 31)), st.integers(0, 10))
def test_engine_matches_the_oracle(p: ProjectFacts, today: date, grace: int) -> None:
    result = evaluate_project(p, today, grace)
    failed, checks = oracle(p, today, grace)
    found = {(f.rule, f.subject) for f in result.findings if f.rule != "status_report"}
    found |= {(f.rule, day.isoformat()) for f in result.findings if f.rule == "status_report"
              for day in f.periods}
    assert found == failed
    assert result.checks == checks


def oracle_department_scores(results: list[ProjectResult],
                             parents: dict[int, int | None]) -> dict[int, float]:
    """Mean score of the projects each department sits above (or owns), by walking up."""
    scores: dict[int, float] = {}
    for department in parents:
        mine = [r.score for r in results if _is_under(r.department_id, department, parents)]
        if mine:
            scores[department] = sum(mine) / len(mine)
    return scores


def _is_under(department: int, top: int, parents: dict[int, int | None]) -> bool:
    current: int | None = department
    for _ in range(len(parents) + 1):
        if current == top:
            return True
        if current is None:
            return False
        current = parents.get(current)
    return False


@given(st.lists(projects(), max_size=8), day)
def test_department_scores_match_the_oracle(found: list[ProjectFacts], today: date) -> None:
    parents: dict[int, int | None] = {1: None, 2: 1, 3: 2}
    results = evaluate([replace(p, id=i) for i, p in enumerate(found)], today)
    summaries = by_department(results, parents)
    expected = oracle_department_scores(results, parents)
    assert {d: s.score for d, s in summaries.items()} == pytest.approx(expected)
