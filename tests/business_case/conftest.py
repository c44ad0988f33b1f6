"""A business case with two options and five years of amounts, made through the API."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Clients

API = "/api/v1"
HOSTILE = "<script>alert(1)</script> \"quoted\" 'single' ünïcødé ✓"


def lines(costs: dict[str, list[int]], benefits: dict[str, list[int]]) -> list[dict[str, Any]]:
    """API lines from {category: [amount per year]} (0 amounts left out)."""
    found = []
    for kind, table in (("cost", costs), ("benefit", benefits)):
        for category, amounts in table.items():
            found += [{"year": year, "kind": kind, "category": category, "amount": str(amount)}
                      for year, amount in enumerate(amounts) if amount]
    return found


@pytest.fixture
def case(as_: Clients) -> dict[str, Any]:
    """A case at 10 % over 3 years: option A (-1000, then 500 a year net), option B (worse)."""
    admin = as_("admin")
    r = admin.post(f"{API}/business-cases", json={
        "title": "EPMO 2027", "description": "Why an EPMO", "currency": "EUR",
        "discount_rate": "10", "horizon_years": 3})
    assert r.status_code == 201, r.text
    made = r.json()
    options = {}
    for name, amounts in (("A", ({"people": [1000, 100, 100, 100]},
                                 {"savings": [0, 600, 600, 600]})),
                          ("B", ({"people": [2000, 300, 300, 300], "tools": [0, 50, 50, 50]},
                                 {"cost_avoidance": [0, 500, 500, 500]}))):
        r = admin.post(f"{API}/business-cases/{made['id']}/options", json={
            "name": name, "staffing_fte": "3.5",
            "authority": {"portfolio_governance": "controlling"}})
        assert r.status_code == 201, r.text
        option = r.json()
        r = admin.put(f"{API}/business-case-options/{option['id']}/lines", json={
            "version": option["version"], "lines": lines(*amounts)})
        assert r.status_code == 200, r.text
        options[name] = r.json()
    return {"case": made, "options": options}
