"""The group-size rule: no group under five can be seen, directly or by subtraction."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from epmo.surveys.grouping import pooled_size, shown_groups

CASES = [
    # sizes, shown
    ({"A": 7, "B": 6}, {"A", "B"}),
    ({"A": 7, "B": 4}, set()),  # B alone under five: pooling A with it leaves only the total
    ({"A": 7, "B": 6, "C": 2}, {"A"}),  # C (2) needs B (6) to make "other" 8
    ({"A": 9, "B": 2, "C": 3}, {"A"}),  # B + C = 5: "other" may show
    ({"A": 4}, set()),  # under five in all: nothing at all
    ({"A": 5, "B": 5, "C": 5}, {"A", "B", "C"}),
    ({"A": 3, "B": 3}, set()),  # six in all, no group of five: only the total
    ({}, set()),
]


@pytest.mark.parametrize(("sizes", "shown"), CASES)
def test_table(sizes: dict[str, int], shown: set[str]) -> None:
    assert shown_groups(sizes, 5) == shown


@given(st.dictionaries(st.text("ABCDEFG", min_size=1, max_size=1),
                       st.integers(min_value=1, max_value=12), max_size=7))
def test_nothing_under_five_shows_even_by_subtraction(sizes: dict[str, int]) -> None:
    shown = shown_groups(sizes, 5)
    total = sum(sizes.values())
    assert all(sizes[k] >= 5 for k in shown)
    pooled = pooled_size(sizes, shown)
    assert pooled == 0 or pooled >= 5 or not shown
    # the total (shown when >= 5) minus any set of shown rows: never 1 to 4 answers
    for n in range(len(shown) + 1):
        for subset in combinations(sorted(shown), n):
            rest = total - sum(sizes[k] for k in subset)
            assert rest == 0 or rest >= 5 or total < 5


@given(st.dictionaries(st.text("ABCDEFG", min_size=1, max_size=1),
                       st.integers(min_value=5, max_value=30), min_size=1, max_size=7))
def test_groups_of_five_or_more_all_show(sizes: dict[str, int]) -> None:
    assert shown_groups(sizes, 5) == frozenset(sizes)
