"""Comparing charter versions, and the default charter a new hub starts with."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from epmo.charter.service import ensure_default_charter
from tests.charter.conftest import API, Charters, levels
from tests.conftest import Clients

GATES = {"code": "GATES", "name": "Gate reviews", "practice": "portfolio_governance",
         "description": "Chairs gate reviews", "department_ids": []}
COACH = {"code": "COACH", "name": "Method coaching", "practice": "project_leadership",
         "description": "", "department_ids": []}
BROKER = {"code": "BROKER", "name": "Resource brokering", "practice": "ppm_administration",
          "description": "", "department_ids": []}


def _two_versions(charters: Charters) -> None:
    charters.publish(statement="Line one\nLine two", services=[GATES, COACH],
                     departments={"FIN": {"ppm_administration": "none"}})
    fin = charters.world.departments["FIN"]
    charters.publish(statement="Line one\nLine 2\nLine three", reason="IT leads now",
                     defaults=levels(pg="controlling"),
                     departments={"IT": {"project_leadership": "directive"},
                                  "FIN": {"ppm_administration": "none"}},
                     services=[GATES | {"department_ids": [fin], "name": "Gates"}, BROKER])


def _changes(diff: dict[str, Any]) -> set[tuple[str, str, str, str]]:
    return {(c["code"], c["practice"], c["before"], c["after"])
            for c in diff["authority_changes"]}


def test_compare_reports_statement_authority_and_services(charters: Charters,
                                                          as_: Clients) -> None:
    _two_versions(charters)
    diff = as_("fin_pm").get(f"{API}/compare", params={"from": 1, "to": 2}).json()
    assert (diff["from_number"], diff["to_number"], diff["reason_to"]) == (1, 2, "IT leads now")
    assert diff["statement_changed"] is True
    assert diff["statement_diff"][:2] == ["--- version 1", "+++ version 2"]
    assert {"-Line two", "+Line 2", "+Line three", " Line one"} <= set(diff["statement_diff"])
    assert [(c["practice"], c["before"], c["after"]) for c in diff["default_changes"]] == [
        ("portfolio_governance", "supportive", "controlling")]
    assert _changes(diff) == {
        (code, "portfolio_governance", "supportive", "controlling")
        for code in ("IT", "IT-INFRA", "FIN", "HR")
    } | {("IT", "project_leadership", "supportive", "directive"),
         ("IT-INFRA", "project_leadership", "supportive", "directive")}
    assert [s["code"] for s in diff["services_added"]] == ["BROKER"]
    assert [s["code"] for s in diff["services_removed"]] == ["COACH"]
    [changed] = diff["services_changed"]
    assert (changed["code"], changed["fields"]) == ("GATES", ["name", "department_ids"])
    assert changed["after"]["department_ids"] == [charters.world.departments["FIN"]]


def test_compare_backwards_inverts_the_levels(charters: Charters, as_: Clients) -> None:
    _two_versions(charters)
    diff = as_("admin").get(f"{API}/compare", params={"from": 2, "to": 1}).json()
    assert ("IT-INFRA", "project_leadership", "directive", "supportive") in _changes(diff)
    assert [s["code"] for s in diff["services_added"]] == ["COACH"]


def test_compare_a_version_with_itself_is_empty(charters: Charters, as_: Clients) -> None:
    charters.publish()
    diff = as_("admin").get(f"{API}/compare", params={"from": 1, "to": 1}).json()
    assert diff["statement_changed"] is False and diff["statement_diff"] == []
    empty = ("default_changes", "authority_changes", "services_added", "services_removed",
             "services_changed")
    assert all(diff[key] == [] for key in empty)


def test_compare_unknown_or_missing_versions(charters: Charters, as_: Clients) -> None:
    charters.publish()
    missing = as_("admin").get(f"{API}/compare", params={"from": 1, "to": 7})
    assert missing.status_code == 404 and "Charter version 7" in missing.json()["detail"]
    no_from = as_("admin").get(f"{API}/compare", params={"to": 1})
    assert no_from.status_code == 422
    assert [e["field"] for e in no_from.json()["errors"]] == ["from"]
    bad = as_("admin").get(f"{API}/compare", params={"from": "x", "to": 1})
    assert bad.status_code == 422


def test_default_charter_is_created_once(as_: Clients, db: Session) -> None:
    assert ensure_default_charter(db) is True
    assert ensure_default_charter(db) is False
    db.flush()
    charter = as_("it_viewer").get(API).json()
    assert charter["number"] == 1 and charter["reason"]
    assert charter["content"]["defaults"] == levels()
    assert "three practices" in charter["statement"]
    by_practice = {(s["name"], s["practice"]) for s in charter["content"]["services"]}
    assert by_practice == {
        ("Intake triage", "portfolio_governance"), ("Gate reviews", "portfolio_governance"),
        ("Benefits tracking", "portfolio_governance"), ("PM assignment", "project_leadership"),
        ("Method coaching", "project_leadership"),
        ("Status consolidation", "ppm_administration"),
        ("Resource brokering", "ppm_administration"),
    }
    assert all(r["levels"] == levels() for r in charter["authority"])


def test_default_charter_is_a_valid_base_for_the_next_version(as_: Clients,
                                                              db: Session) -> None:
    ensure_default_charter(db)
    db.flush()
    current = as_("admin").get(API).json()
    body = {"statement": current["statement"], "reason": "Unchanged re-issue", "based_on": 1,
            "content": current["content"]}
    again = as_("admin").post(API, json=body)
    assert again.status_code == 201, again.text
    diff = as_("admin").get(f"{API}/compare", params={"from": 1, "to": 2}).json()
    assert diff["services_changed"] == [] and diff["authority_changes"] == []
