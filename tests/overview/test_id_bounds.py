"""Overview filters beyond 32 bits (found by the API fuzz test) get a 422 naming the filter."""

from __future__ import annotations

import pytest

from tests.conftest import Clients


@pytest.mark.parametrize("field", ["department_id", "goal_id", "programme_id"])
def test_out_of_range_filter_names_it(as_: Clients, field: str) -> None:
    r = as_("exec").get("/api/v1/overview", params={field: 2**40})
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == [field]
