"""The charter API: versions, who may write them, inheritance, validation and the audit log."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.audit.models import AuditEntry
from epmo.charter import authority
from tests.charter.conftest import API, Charters, levels, row
from tests.conftest import Clients
from tests.world import World

OTHER_ROLES = ("exec", "it_lead", "it_pm", "it_member", "it_viewer", "fin_lead", "fin_pm",
               "hr_viewer")


def _errors(response: Any) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


def test_no_charter_yet_is_a_404_problem(as_: Clients) -> None:
    r = as_("it_viewer").get(API)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["detail"] == "The EPMO has no charter yet"
    assert as_("it_viewer").get(f"{API}/versions").json()["total"] == 0


def test_admin_publishes_numbered_versions_with_who_and_why(charters: Charters,
                                                            as_: Clients) -> None:
    first = charters.publish(statement="First statement", reason="Start")
    assert (first["number"], first["author_name"], first["reason"]) == (1, "Admin", "Start")
    assert first["content"]["services"][0]["code"] == "GATES"
    second = charters.publish(statement="Second statement", reason="Board review")
    assert second["number"] == 2
    current = as_("it_member").get(API).json()
    assert (current["number"], current["statement"]) == (2, "Second statement")
    old = as_("it_member").get(f"{API}/versions/1").json()
    assert (old["statement"], old["reason"]) == ("First statement", "Start")
    assert as_("it_member").get(f"{API}/versions/3").status_code == 404


def test_history_is_paged_newest_first(charters: Charters, as_: Clients) -> None:
    for reason in ("one", "two", "three"):
        charters.publish(reason=reason)
    page = as_("hr_viewer").get(f"{API}/versions", params={"limit": 2}).json()
    assert [v["reason"] for v in page["items"]] == ["three", "two"] and page["total"] == 3
    rest = as_("hr_viewer").get(f"{API}/versions", params={"limit": 2, "offset": 2}).json()
    assert [(v["number"], v["author_name"]) for v in rest["items"]] == [(1, "Admin")]


@pytest.mark.parametrize("user", OTHER_ROLES)
def test_every_other_role_reads_but_may_not_write(user: str, charters: Charters,
                                                  as_: Clients) -> None:
    charters.publish(reason="by the EPMO")
    assert as_(user).get(API).status_code == 200
    refused = as_(user).post(API, json=charters.body(reason="mine"))
    assert refused.status_code == 403, refused.text
    assert refused.json()["detail"] == "Only EPMO administrators change the charter"
    assert as_(user).get(f"{API}/versions").json()["total"] == 1


def test_anonymous_requests_are_401(as_: Clients, charters: Charters) -> None:
    assert as_.anon.get(API).status_code == 401
    assert as_.anon.post(API, json=charters.body()).status_code == 401


def test_sub_department_inherits_parent_override_others_get_default(
        charters: Charters, as_: Clients, world: World, db: Session) -> None:
    charter = charters.publish(
        defaults=levels(ppm="controlling"),
        departments={"IT": {"project_leadership": "directive"},
                     "IT-INFRA": {"ppm_administration": "none"}})
    it, infra, fin = (row(charter, c) for c in ("IT", "IT-INFRA", "FIN"))
    assert it["levels"] == levels(pl="directive", ppm="controlling")
    assert it["own"] == ["project_leadership"]
    assert infra["levels"] == levels(pl="directive", ppm="none")
    assert (infra["own"], infra["depth"], infra["parent_id"]) == (
        ["ppm_administration"], 1, world.departments["IT"])
    assert fin["levels"] == levels(ppm="controlling") and fin["own"] == []
    # Other domains ask the shared resolver; it must agree with what the API shows.
    infra_id = world.departments["IT-INFRA"]
    assert authority.authority_for(db, infra_id, "project_leadership") == "directive"
    assert authority.is_blocking(authority.authority_for(db, infra_id, "ppm_administration")) \
        is False
    assert authority.authority_map(db)[world.departments["HR"]] == levels(ppm="controlling")


def test_tree_order_puts_children_under_parents(charters: Charters) -> None:
    codes = [(r["code"], r["depth"]) for r in charters.publish()["authority"]]
    assert codes.index(("IT-INFRA", 1)) == codes.index(("IT", 0)) + 1


def test_empty_overrides_are_not_stored(charters: Charters) -> None:
    charter = charters.publish(departments={"HR": {}, "FIN": {"project_leadership": "none"}})
    assert charter["content"]["departments"] == {
        charters.dept("FIN"): {"project_leadership": "none"}}


def test_unknown_department_is_named_by_its_field(charters: Charters, as_: Clients) -> None:
    body = charters.body()
    body["content"]["departments"]["987654"] = {"project_leadership": "directive"}
    body["content"]["services"][0]["department_ids"] = [charters.world.departments["IT"], 987655]
    r = as_("admin").post(API, json=body)
    assert r.status_code == 422
    assert _errors(r) == ["content.departments.987654", "content.services.0.department_ids"]
    assert "987655" in r.json()["errors"][1]["message"]
    assert as_("admin").get(f"{API}/versions").json()["total"] == 0


def test_duplicate_service_code_is_named(charters: Charters, as_: Clients) -> None:
    service = {"code": "GATES", "name": "Again", "practice": "project_leadership"}
    body = charters.body()
    body["content"]["services"].append(service)
    r = as_("admin").post(API, json=body)
    assert r.status_code == 422 and _errors(r) == ["content.services.1.code"]
    assert "already used" in r.json()["errors"][0]["message"]


@pytest.mark.parametrize(("change", "field"), [
    (lambda b: b.update(reason=""), "reason"),
    (lambda b: b.update(reason="   "), "reason"),
    (lambda b: b.pop("reason"), "reason"),
    (lambda b: b.update(statement=""), "statement"),
    (lambda b: b.update(statement="nul \x00 inside"), "statement"),
    (lambda b: b["content"]["services"][0].update(description="\x00"),
     "content.services.0.description"),
    (lambda b: b["content"]["defaults"].update(portfolio_governance="total"),
     "content.defaults.portfolio_governance"),
    (lambda b: b["content"]["defaults"].pop("ppm_administration"),
     "content.defaults.ppm_administration"),
    (lambda b: b["content"]["departments"].update({"abc": {}}), "content.departments.abc.[key]"),
    (lambda b: b["content"]["departments"].update({"1": {"strategy": "none"}}),
     "content.departments.1.strategy"),
    (lambda b: b["content"]["services"][0].update(practice="finance"),
     "content.services.0.practice"),
    (lambda b: b["content"]["services"][0].update(code="has space"), "content.services.0.code"),
    (lambda b: b["content"].update(colour="red"), "content.colour"),
])
def test_bad_input_names_the_field(change: Any, field: str, charters: Charters,
                                   as_: Clients) -> None:
    body = charters.body()
    change(body)
    r = as_("admin").post(API, json=body)
    assert r.status_code == 422, r.text
    assert field in _errors(r)
    assert as_("admin").get(f"{API}/versions").json()["total"] == 0


def test_stale_based_on_is_409_and_stores_nothing(charters: Charters, as_: Clients) -> None:
    charters.publish()
    assert as_("admin").post(API, json=charters.body() | {"based_on": 1}).status_code == 201
    stale = as_("admin").post(API, json=charters.body(reason="late") | {"based_on": 1})
    assert stale.status_code == 409
    assert stale.json()["current_number"] == 2 and _errors(stale) == ["based_on"]
    assert as_("admin").get(API).json()["number"] == 2


def test_versions_are_immutable(charters: Charters, as_: Clients) -> None:
    charters.publish(reason="keep me")
    for method in ("patch", "put", "delete"):
        for path in (API, f"{API}/versions/1"):
            r = as_("admin").request(method.upper(), path, json={"reason": "changed"})
            assert r.status_code == 405, (method, path)
    assert as_("admin").get(f"{API}/versions/1").json()["reason"] == "keep me"


def test_publishing_is_audited(charters: Charters, world: World, db: Session) -> None:
    charters.publish(reason="audit me")
    entries = db.scalars(select(AuditEntry).where(AuditEntry.entity == "charter_version")).all()
    assert [e.action for e in entries] == ["create"]
    entry = entries[0]
    assert entry.actor == "admin@example.org" and entry.actor_id == world.users["admin"]
    assert entry.after is not None
    assert (entry.after["number"], entry.after["reason"]) == (1, "audit me")


def test_refused_write_leaves_no_audit_entry(charters: Charters, as_: Clients,
                                             db: Session) -> None:
    as_("it_lead").post(API, json=charters.body())
    as_("admin").post(API, json=charters.body(reason=""))
    found = db.scalars(select(AuditEntry).where(AuditEntry.entity == "charter_version")).all()
    assert found == []
