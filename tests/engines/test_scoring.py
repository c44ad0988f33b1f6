"""Tests for the scoring engine: table cases, textbook AHP matrices, properties, bad input."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from epmo.engines.scoring import (
    RANDOM_INDEX,
    Criterion,
    GoalLink,
    GoalTree,
    ScoringError,
    ahp_weights,
    alignment,
    alignment_level,
    combine_scores,
    consistent_matrix,
    effective_weights,
    normalise,
    percent_weights,
    random_index,
    rank,
    spread,
    validate_criteria,
    weighted_score,
)

MODEL = (Criterion("alignment", 30), Criterion("value", 25), Criterion("risk", 20),
         Criterion("urgency", 15), Criterion("feasibility", 10))
KEYS = tuple(c.key for c in MODEL)


def sheet(*levels: float) -> dict[str, float]:
    """One scorer's sheet over MODEL's criteria, in order."""
    return dict(zip(KEYS, levels, strict=True))


def paths(error: pytest.ExceptionInfo[ScoringError]) -> list[str]:
    """The field paths an engine error names."""
    return [p.path for p in error.value.problems]


# --- weighted scoring: table cases -----------------------------------------------------------


@dataclass(frozen=True)
class WeightedCase:
    """A sheet of scores and the weighted score MODEL gives it."""

    name: str
    scores: dict[str, float]
    score: float
    normalised: float


WEIGHTED_CASES = [
    WeightedCase("all ones", sheet(1, 1, 1, 1, 1), 1.0, 0.0),
    WeightedCase("all fives", sheet(5, 5, 5, 5, 5), 5.0, 100.0),
    WeightedCase("all threes", sheet(3, 3, 3, 3, 3), 3.0, 50.0),
    WeightedCase("heaviest five, rest one", sheet(5, 1, 1, 1, 1), 2.2, 30.0),
    WeightedCase("mixed", sheet(4, 3, 2, 5, 1), (120 + 75 + 40 + 75 + 10) / 100, 55.0),
    WeightedCase("fractional combined scores", sheet(4.5, 3, 3, 3, 3), 3.45, 61.25),
]


@pytest.mark.parametrize("case", WEIGHTED_CASES, ids=lambda c: c.name)
def test_weighted_score(case: WeightedCase) -> None:
    result = weighted_score(MODEL, case.scores)
    assert result.score == pytest.approx(case.score)
    assert result.normalised == pytest.approx(case.normalised)
    assert math.fsum(result.contributions.values()) == pytest.approx(case.score)


def test_contributions_are_weight_times_score() -> None:
    result = weighted_score(MODEL, sheet(4, 3, 2, 5, 1))
    assert result.contributions["alignment"] == pytest.approx(1.2)
    assert result.contributions["feasibility"] == pytest.approx(0.1)


def test_weights_within_tolerance_are_accepted() -> None:
    model = (Criterion("a", 33.33), Criterion("b", 33.33), Criterion("c", 33.34))
    validate_criteria(model)
    off_by_a_hair = (Criterion("a", 50.005), Criterion("b", 50.0))
    assert weighted_score(off_by_a_hair, {"a": 5, "b": 5}).score == pytest.approx(5.0)


@pytest.mark.parametrize("total", [99.98, 100.02, 90.0, 60.0])
def test_weights_not_summing_to_100_name_criteria_and_sum(total: float) -> None:
    model = (Criterion("value", 60.0), Criterion("risk", total - 60.0))
    with pytest.raises(ScoringError) as error:
        validate_criteria(model)
    assert paths(error) == ["weights"]
    message = str(error.value)
    assert "value 60" in message and "risk" in message
    assert f"sum to {total:.6g}" in message


@pytest.mark.parametrize(
    ("model", "path"),
    [
        ((), "criteria"),
        ((Criterion("a", 50), Criterion("a", 50)), "criteria[1].key"),
        ((Criterion("", 100),), "criteria[0].key"),
        ((Criterion("a", -10), Criterion("b", 110)), "criteria[0].weight"),
        ((Criterion("a", math.nan), Criterion("b", 100)), "criteria[0].weight"),
    ],
)
def test_bad_criteria(model: tuple[Criterion, ...], path: str) -> None:
    with pytest.raises(ScoringError) as error:
        validate_criteria(model)
    assert path in paths(error)


@pytest.mark.parametrize(
    ("scores", "path"),
    [
        ({**sheet(3, 3, 3, 3, 3), "charm": 4}, "scores.charm"),
        ({k: 3 for k in KEYS[1:]}, "scores.alignment"),
        (sheet(0, 3, 3, 3, 3), "scores.alignment"),
        (sheet(3, 3, 3, 3, 6), "scores.feasibility"),
        (sheet(3, 3, math.nan, 3, 3), "scores.risk"),
    ],
)
def test_bad_scores(scores: dict[str, float], path: str) -> None:
    with pytest.raises(ScoringError) as error:
        weighted_score(MODEL, scores)
    assert paths(error) == [path]


def test_normalise_maps_rubric_onto_percent() -> None:
    assert [normalise(x) for x in (1, 2, 3, 4, 5)] == [0, 25, 50, 75, 100]


# --- AHP: textbook matrices ------------------------------------------------------------------

# Saaty's 1/9..9 scale. Widely reproduced teaching examples (the first is the price / gears /
# weight matrix of the mountain-bike exercise; the 5x5 is the example matrix of R AHP packages).
# The figures are the published ones to 3 decimals, cross-checked with LAPACK (numpy.linalg.eig).
BIKE_3 = ((1, 3, 5), (1 / 3, 1, 2), (1 / 5, 1 / 2, 1))
TEXTBOOK_3 = ((1, 1 / 3, 1 / 2), (3, 1, 3), (2, 1 / 3, 1))
TEXTBOOK_5 = ((1, 1 / 2, 4, 3, 3), (2, 1, 7, 5, 5), (1 / 4, 1 / 7, 1, 1 / 2, 1 / 3),
              (1 / 3, 1 / 5, 2, 1, 1), (1 / 3, 1 / 5, 3, 1, 1))


@dataclass(frozen=True)
class AhpCase:
    """A pairwise matrix and its published weights, lambda_max and consistency ratio."""

    name: str
    matrix: tuple[tuple[float, ...], ...]
    weights: tuple[float, ...]
    lambda_max: float
    cr: float


AHP_CASES = [
    AhpCase("bike 3x3", BIKE_3, (0.648, 0.230, 0.122), 3.004, 0.003),
    AhpCase("textbook 3x3", TEXTBOOK_3, (0.157, 0.594, 0.249), 3.054, 0.046),
    AhpCase("textbook 5x5", TEXTBOOK_5, (0.264, 0.476, 0.054, 0.098, 0.109), 5.072, 0.016),
]


@pytest.mark.parametrize("case", AHP_CASES, ids=lambda c: c.name)
def test_ahp_matches_textbook(case: AhpCase) -> None:
    result = ahp_weights(case.matrix)
    assert result.weights == pytest.approx(case.weights, abs=0.0015)
    assert result.lambda_max == pytest.approx(case.lambda_max, abs=0.001)
    assert result.consistency_ratio == pytest.approx(case.cr, abs=0.001)
    n = len(case.matrix)
    assert result.consistency_index == pytest.approx((result.lambda_max - n) / (n - 1))
    assert result.random_index == RANDOM_INDEX[n]
    assert not result.warning


def test_consistent_matrix_recovers_its_weights_exactly() -> None:
    weights = (0.4, 0.3, 0.2, 0.1)
    result = ahp_weights(consistent_matrix(weights))
    assert result.weights == pytest.approx(weights, abs=1e-12)
    assert result.lambda_max == pytest.approx(4.0, abs=1e-12)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-12)


def test_inconsistent_matrix_raises_the_warning() -> None:
    # A prefers B, B prefers C, yet C strongly beats A: a preference cycle.
    cycle = ((1, 5, 1 / 7), (1 / 5, 1, 5), (7, 1 / 5, 1))
    result = ahp_weights(cycle)
    assert result.consistency_ratio > 0.1
    assert result.warning


def test_ahp_is_deterministic() -> None:
    assert ahp_weights(TEXTBOOK_5) == ahp_weights(TEXTBOOK_5)


@pytest.mark.parametrize(("matrix", "weights"),
                         [(((1,),), (1.0,)), (((1, 3), (1 / 3, 1)), (0.75, 0.25))])
def test_small_matrices_have_zero_cr(
    matrix: tuple[tuple[float, ...], ...], weights: tuple[float, ...]
) -> None:
    result = ahp_weights(matrix)
    assert result.weights == pytest.approx(weights)
    assert result.consistency_ratio == 0.0
    assert not result.warning


def test_random_index_table() -> None:
    assert [random_index(n) for n in (1, 2, 3, 4, 10, 15)] == [0, 0, 0.58, 0.90, 1.49, 1.59]
    with pytest.raises(ScoringError):
        random_index(16)


def test_percent_weights_make_a_valid_model() -> None:
    percents = percent_weights(ahp_weights(TEXTBOOK_5))
    validate_criteria(tuple(Criterion(f"c{i}", w) for i, w in enumerate(percents)))


@pytest.mark.parametrize(("a", "typed"), [(3, 0.33), (7, 0.14), (8, 0.13), (9, 0.11)])
def test_reciprocals_typed_to_two_decimals_are_accepted(a: float, typed: float) -> None:
    assert ahp_weights(((1, a), (typed, 1))).weights[0] > 0.5


# --- AHP: bad matrices -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("matrix", "path", "words"),
    [
        (((1, 2), (0.5,)), "matrix[1]", "not square"),
        ((), "matrix", "rows"),
        (((1, 0), (1, 1)), "matrix[0][1]", "positive"),
        (((1, -2), (-0.5, 1)), "matrix[0][1]", "positive"),
        (((1, math.inf), (0, 1)), "matrix[0][1]", "positive"),
        (((1, 2, 4), (0.5, 1, 2), (0.25, 0.4, 1)), "matrix[2][1]", "reciprocal"),
        (((2, 1), (1, 1)), "matrix[0][0]", "diagonal"),
        (((1, 12), (1 / 12, 1)), "matrix[0][1]", "scale"),
    ],
)
def test_bad_matrix_names_the_cell(
    matrix: tuple[tuple[float, ...], ...], path: str, words: str
) -> None:
    with pytest.raises(ScoringError) as error:
        ahp_weights(matrix)
    assert path in paths(error)
    assert words in str(error.value)


def test_reciprocal_error_says_what_was_expected() -> None:
    with pytest.raises(ScoringError) as error:
        ahp_weights(((1, 2, 4), (0.5, 1, 2), (0.25, 0.4, 1)))
    assert "row 2, column 1: entry 0.4" in str(error.value)
    assert "expected 0.5" in str(error.value)


def test_too_large_matrix_is_refused() -> None:
    with pytest.raises(ScoringError, match=r"1\.\.15"):
        ahp_weights(consistent_matrix([1.0] * 16))


# --- several scorers -------------------------------------------------------------------------


def test_combine_by_mean_and_median() -> None:
    sheets = [sheet(5, 3, 2, 4, 1), sheet(3, 3, 4, 4, 1), sheet(1, 3, 3, 4, 5)]
    mean = combine_scores(MODEL, sheets, "mean")
    median = combine_scores(MODEL, sheets, "median")
    assert [c.combined for c in mean.criteria] == pytest.approx([3, 3, 3, 4, 7 / 3])
    assert [c.combined for c in median.criteria] == [3, 3, 3, 4, 1]
    first = mean.criteria[0].spread
    assert (first.minimum, first.maximum) == (1, 5)
    assert first.stdev == pytest.approx(statistics.pstdev([5, 3, 1]))
    assert mean.criteria[1].spread.stdev == 0
    assert mean.scorers == 3


def test_overall_spread_is_over_each_scorers_weighted_score() -> None:
    sheets = [sheet(5, 5, 5, 5, 5), sheet(1, 1, 1, 1, 1)]
    result = combine_scores(MODEL, sheets)
    assert result.overall == spread([5.0, 1.0])
    assert result.overall.stdev == pytest.approx(2.0)
    assert result.score.score == pytest.approx(3.0)


def test_single_scorer_has_no_spread() -> None:
    result = combine_scores(MODEL, [sheet(4, 3, 2, 5, 1)])
    assert result.overall.stdev == 0
    assert result.score == weighted_score(MODEL, sheet(4, 3, 2, 5, 1))


def test_median_of_an_even_panel_averages_the_middle_two() -> None:
    result = combine_scores(MODEL, [sheet(1, 1, 1, 1, 1), sheet(4, 4, 4, 4, 4)], "median")
    assert result.score.score == pytest.approx(2.5)


@pytest.mark.parametrize(
    ("sheets", "method", "path"),
    [
        ([], "mean", "sheets"),
        ([sheet(3, 3, 3, 3, 3)], "mode", "method"),
        ([sheet(3, 3, 3, 3, 3), {"value": 3}], "mean", "sheets[1].alignment"),
        ([sheet(3, 3, 3, 3, 9)], "mean", "sheets[0].feasibility"),
    ],
)
def test_bad_panels(sheets: list[dict[str, float]], method: str, path: str) -> None:
    with pytest.raises(ScoringError) as error:
        combine_scores(MODEL, sheets, method)  # type: ignore[arg-type]
    assert path in paths(error)


# --- strategic alignment ---------------------------------------------------------------------

# Two top goals (60/40); the first has two sub-goals (75/25 of it).
GOALS: GoalTree = {1: (None, 60.0), 2: (None, 40.0), 11: (1, 75.0), 12: (1, 25.0)}


def test_effective_weights_multiply_down_the_tree() -> None:
    assert effective_weights(GOALS) == pytest.approx({1: 0.6, 2: 0.4, 11: 0.45, 12: 0.15})


@dataclass(frozen=True)
class AlignmentCase:
    """A request's goal links and the alignment score and level they give."""

    name: str
    links: tuple[GoalLink, ...]
    score: float
    level: int
    share: float


ALIGNMENT_CASES = [
    AlignmentCase("no links", (), 0.0, 1, 0.0),
    AlignmentCase("fully serves the heaviest goal", (GoalLink(1, 100),), 100.0, 5, 60.0),
    AlignmentCase("fully serves the big sub-goal", (GoalLink(11, 100),), 75.0, 4, 45.0),
    AlignmentCase("half of the small sub-goal", (GoalLink(12, 50),), 12.5, 1, 7.5),
    AlignmentCase("the lighter top goal", (GoalLink(2, 100),), 200 / 3, 4, 40.0),
    AlignmentCase("two sub-goals add up", (GoalLink(11, 40), GoalLink(12, 40)), 40.0, 3, 24.0),
    AlignmentCase("capped at 100", (GoalLink(1, 100), GoalLink(2, 100)), 100.0, 5, 100.0),
    AlignmentCase("zero contribution", (GoalLink(2, 0),), 0.0, 1, 0.0),
]


@pytest.mark.parametrize("case", ALIGNMENT_CASES, ids=lambda c: c.name)
def test_alignment(case: AlignmentCase) -> None:
    result = alignment(case.links, GOALS)
    assert result.score == pytest.approx(case.score)
    assert result.level == case.level
    assert result.share == pytest.approx(case.share)


@pytest.mark.parametrize(("score", "level"), [(0, 1), (19.99, 1), (20, 2), (39.9, 2), (40, 3),
                                              (59.9, 3), (60, 4), (79.9, 4), (80, 5), (100, 5)])
def test_alignment_cutoffs(score: float, level: int) -> None:
    assert alignment_level(score) == level


def test_goals_of_zero_weight_give_zero_alignment() -> None:
    assert alignment([GoalLink(1, 100)], {1: (None, 0.0)}).score == 0.0


@pytest.mark.parametrize(
    ("goals", "links", "path"),
    [
        ({1: (None, 120.0)}, (), "goals[1].weight"),
        ({1: (7, 50.0)}, (), "goals[1].parent"),
        ({1: (2, 50.0), 2: (1, 50.0)}, (), "goals[1].parent"),
        ({1: (1, 50.0)}, (), "goals[1].parent"),
        (GOALS, (GoalLink(99, 50),), "links[0].goal_id"),
        (GOALS, (GoalLink(1, 50), GoalLink(1, 20)), "links[1].goal_id"),
        (GOALS, (GoalLink(1, 150),), "links[0].contribution"),
        (GOALS, (GoalLink(1, -1),), "links[0].contribution"),
    ],
)
def test_bad_goals_and_links(goals: GoalTree, links: tuple[GoalLink, ...], path: str) -> None:
    with pytest.raises(ScoringError) as error:
        alignment(links, goals)
    assert path in paths(error)


# --- ranking ---------------------------------------------------------------------------------


def test_ranking_orders_by_score_then_id_and_applies_threshold() -> None:
    result = rank({7: 3.5, 3: 4.0, 5: 3.5, 9: 2.0, 1: 1.5}, minimum=2.0)
    assert [(r.id, r.position) for r in result.ranked] == [(3, 1), (5, 2), (7, 3), (9, 4)]
    assert [r.id for r in result.below] == [1]
    assert result.below[0].position == 5


def test_ranking_of_nothing_is_empty() -> None:
    assert rank({}).ranked == ()


def test_ranking_refuses_nan() -> None:
    with pytest.raises(ScoringError) as error:
        rank({1: math.nan}, minimum=math.inf)
    assert paths(error) == ["scores[1]", "minimum"]


# --- properties ------------------------------------------------------------------------------

saaty_weights = st.lists(st.floats(1.0, 9.0), min_size=1, max_size=15)
any_weights = st.lists(st.floats(1e-3, 1e3), min_size=1, max_size=15)


@settings(max_examples=200, deadline=None)
@given(saaty_weights)
def test_consistent_matrix_gives_its_weights_back(raw: list[float]) -> None:
    total = math.fsum(raw)
    result = ahp_weights(consistent_matrix(raw))
    assert result.weights == pytest.approx([w / total for w in raw], rel=1e-9)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-9)
    assert not result.warning


@settings(max_examples=100, deadline=None)
@given(any_weights)
def test_consistent_matrix_off_the_saaty_scale(raw: list[float]) -> None:
    total = math.fsum(raw)
    result = ahp_weights(consistent_matrix(raw), scale=None)
    assert result.weights == pytest.approx([w / total for w in raw], rel=1e-6)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-9)


saaty_values = st.sampled_from([1 / 9, 1 / 7, 1 / 5, 1 / 3, 1.0, 3.0, 5.0, 7.0, 9.0, 2.0, 0.5])


@st.composite
def reciprocal_matrices(draw: st.DrawFn) -> list[list[float]]:
    """Any reciprocal matrix on Saaty's scale, consistent or not."""
    n = draw(st.integers(1, 10))
    matrix = [[1.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            matrix[i][j] = draw(saaty_values)
            matrix[j][i] = 1.0 / matrix[i][j]
    return matrix


@settings(max_examples=200, deadline=None)
@given(reciprocal_matrices())
def test_weights_always_sum_to_one(matrix: list[list[float]]) -> None:
    result = ahp_weights(matrix)
    assert math.fsum(result.weights) == pytest.approx(1.0, abs=1e-12)
    assert all(w > 0 for w in result.weights)
    assert result.lambda_max >= len(matrix) - 1e-9  # Perron root of a reciprocal matrix
    assert result.warning == (result.consistency_ratio > 0.1)
    product = [math.fsum(a * w for a, w in zip(row, result.weights, strict=True)) for row in matrix]
    assert product == pytest.approx([result.lambda_max * w for w in result.weights], rel=1e-8)


@settings(max_examples=200, deadline=None)
@given(saaty_values, saaty_values, saaty_values)
def test_lambda_max_of_3x3_matches_closed_form(a12: float, a13: float, a23: float) -> None:
    # For a 3x3 reciprocal matrix, lambda_max = 1 + x + 1/x with x = cbrt(a12 a23 / a13).
    matrix = ((1, a12, a13), (1 / a12, 1, a23), (1 / a13, 1 / a23, 1))
    x = (a12 * a23 / a13) ** (1 / 3)
    result = ahp_weights(matrix)
    assert result.lambda_max == pytest.approx(1 + x + 1 / x, rel=1e-9)
    assert result.consistency_ratio == pytest.approx((x + 1 / x - 2) / 2 / 0.58, abs=1e-9)


levels = st.integers(1, 5).map(float)
panels = st.lists(st.tuples(levels, levels, levels, levels, levels), min_size=1, max_size=7)


@settings(max_examples=200, deadline=None)
@given(panels, panels, st.floats(0.05, 1.0))
def test_scaling_scores_never_reorders_combined_means(
    first: list[tuple[float, ...]], second: list[tuple[float, ...]], k: float
) -> None:
    def combined(panel: list[tuple[float, ...]], scale: float) -> float:
        sheets = [sheet(*(1 + scale * (x - 1) for x in row)) for row in panel]
        return combine_scores(MODEL, sheets, "mean").score.score

    before = combined(first, 1.0) - combined(second, 1.0)
    after = combined(first, k) - combined(second, k)
    if abs(before) > 1e-9:
        assert math.copysign(1, before) == math.copysign(1, after)
    else:
        assert abs(after) <= 1e-9


@settings(max_examples=200, deadline=None)
@given(st.lists(levels, min_size=1, max_size=9).filter(lambda v: len(v) % 2 == 1),
       st.lists(levels, min_size=1, max_size=9).filter(lambda v: len(v) % 2 == 1))
def test_any_monotone_map_keeps_odd_panel_medians_in_order(a: list[float], b: list[float]) -> None:
    def squash(x: float) -> float:
        return 1 + 4 * math.sqrt((x - 1) / 4)

    order = statistics.median(a) - statistics.median(b)
    mapped = combine_scores((Criterion("x", 100),), [{"x": squash(x)} for x in a], "median")
    other = combine_scores((Criterion("x", 100),), [{"x": squash(x)} for x in b], "median")
    after = mapped.score.score - other.score.score
    assert order * after >= 0


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.integers(0, 50), st.floats(0, 100)), st.floats(0, 100))
def test_ranking_is_sorted_complete_and_split(scores: dict[int, float], minimum: float) -> None:
    result = rank(scores, minimum)
    listed = [*result.ranked, *result.below]
    assert sorted(r.id for r in listed) == sorted(scores)
    keys = [(-r.score, r.id) for r in listed]
    assert keys == sorted(keys)
    assert [r.position for r in listed] == list(range(1, len(listed) + 1))
    assert all(r.score >= minimum for r in result.ranked)
    assert all(r.score < minimum for r in result.below)
