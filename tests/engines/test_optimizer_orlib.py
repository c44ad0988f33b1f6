"""The optimiser on OR-Library's mknap1: every problem reaches its proven optimum."""

from __future__ import annotations

import pytest
from bench.optimizer_orlib import read_best, read_mknap, to_problem

from epmo.engines.optimizer import solve, violations
from tests.conftest import SHARED_DATA

ORLIB = SHARED_DATA / "orlib-mknap"
MKNAP1 = ORLIB / "mknap1.txt"
pytestmark = pytest.mark.skipif(
    not MKNAP1.is_file(), reason=f"OR-Library reference data absent: {MKNAP1} not found")


def test_every_mknap1_problem_reaches_its_proven_optimum() -> None:
    problems = read_mknap(MKNAP1)
    assert [(p.n, p.m) for p in problems] == [
        (6, 10), (10, 10), (15, 10), (20, 10), (28, 10), (39, 5), (50, 5)]
    for mknap in problems:
        problem = to_problem(mknap, time_limit=30.0)
        solution = solve(problem)
        assert solution.status == "optimal"
        assert solution.value == pytest.approx(mknap.optimum)
        assert violations(problem, solution.selected) == []


def test_best_known_table_is_read_by_problem_name() -> None:
    best = read_best(ORLIB / "mkcbres.txt")
    assert best["5.100-00"] == 24381
    assert len([name for name in best if name.startswith(("5.100", "10.100", "30.100"))]) == 90
