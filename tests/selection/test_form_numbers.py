"""A scenario's budgets as its settings form shows them: typed back as they were, never in
exponent notation (6039000, not 6.039e+06)."""

from __future__ import annotations

import pytest

from epmo.selection.forms import budgets, plain


@pytest.mark.parametrize(("value", "shown"), [
    (6039000.0, "6039000"), (1200000.5, "1200000.5"), (0.1, "0.1"), (1e20, "100000000000000000000"),
    (250.0, "250"),
])
def test_plain_numbers_read_back(value: float, shown: str) -> None:
    assert plain(value) == shown
    assert budgets(f"2027 = {shown}", []) == {"2027": value}
