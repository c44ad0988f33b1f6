"""Who sees what in the roll-up: enterprise roles everything, department staff their scope."""

from __future__ import annotations

import pytest

from tests.conftest import Clients
from tests.rollup.conftest import Data
from tests.rollup.test_api import rollup, rows


@pytest.mark.parametrize("user", ["admin", "exec"])
def test_enterprise_roles_see_every_node(as_: Clients, data: Data, user: str) -> None:
    departments = rows(rollup(as_, user, level="department", period="2025-03"))
    portfolios = rows(rollup(as_, user, level="portfolio", period="2025-03"))
    assert set(departments) == {"IT", "IT-INFRA", "FIN", "HR"}
    assert set(portfolios) == {"PF-ENT", "PF-IT", "PF-FIN"}
    assert portfolios["PF-ENT"]["count"] == 2


@pytest.mark.parametrize("user", ["it_lead", "it_pm", "it_member", "it_viewer"])
def test_it_staff_see_their_scope_only(as_: Clients, data: Data, user: str) -> None:
    departments = rollup(as_, user, level="department", period="2025-03")
    assert [(r["code"], r["depth"]) for r in departments["rows"]] == [("IT", 0), ("IT-INFRA", 1)]
    assert rows(departments)["IT"]["count"] == 3
    assert set(rows(rollup(as_, user, level="programme", period="2025-03"))) == {"PRG-A"}
    portfolios = rows(rollup(as_, user, level="portfolio", period="2025-03"))
    assert set(portfolios) == {"PF-ENT", "PF-IT"}
    # The enterprise portfolio counts only the projects they may read: P1, not FIN's P4.
    assert (portfolios["PF-ENT"]["count"], portfolios["PF-ENT"]["planned"]) == (1, "100000.00")
    goals = rows(rollup(as_, user, level="goal", period="2025-03"))
    assert (goals["COST"]["count"], goals["GROW"]["count"]) == (0, 3)
    assert departments["carried_forward"] == 1


def test_fin_staff_see_finance_only(as_: Clients, data: Data) -> None:
    departments = rows(rollup(as_, "fin_pm", level="department", period="2025-03"))
    assert set(departments) == {"FIN"} and departments["FIN"]["colour"] == "amber"
    goals = rows(rollup(as_, "fin_lead", level="goal", period="2025-03"))
    assert (goals["COST"]["count"], goals["GROW"]["count"]) == (1, 0)


def test_hr_viewer_sees_nothing_of_others(as_: Clients, data: Data) -> None:
    body = rollup(as_, "hr_viewer", level="department", period="2025-01")
    assert [(r["code"], r["colour"], r["count"]) for r in body["rows"]] == [("HR", "red", 1)]
    assert set(rows(rollup(as_, "hr_viewer", level="programme", period="2025-03"))) == set()
    assert set(rows(rollup(as_, "hr_viewer", level="portfolio", period="2025-03"))) == {"PF-ENT"}
    assert rows(rollup(as_, "hr_viewer", level="portfolio",
                       period="2025-03"))["PF-ENT"]["count"] == 0
