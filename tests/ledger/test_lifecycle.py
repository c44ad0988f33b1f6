"""The life cycle: written or proposed, confirmed by the EPMO, validated by finance, with
separation of duties; validation in words; who reads what."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from epmo.auth import service as auth_service
from tests.conftest import Clients
from tests.world import World

API = "/api/v1/ledger/entries"


def entry(world: World, **fields: Any) -> dict[str, Any]:
    """A valid hand-written entry body."""
    return {"category": "hard_saving", "amount": "1000.50", "department_id":
            world.departments["IT"], "occurred_on": "2026-08-14",
            "description": "Licence renegotiated"} | fields


def decide(as_: Clients, user: str, found: dict[str, Any], action: str,
           reason: str = "") -> Any:
    return as_(user).post(f"{API}/{found['id']}/decision",
                          json={"action": action, "version": found["version"],
                                "reason": reason})


def test_confirmed_by_the_epmo_validated_by_finance(as_: Clients, world: World) -> None:
    made = as_("admin").post(API, json=entry(world))
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "proposed" and made.json()["quarter"] == "2026-Q3"
    assert decide(as_, "fin_lead", made.json(), "confirm").status_code == 403
    confirmed = decide(as_, "admin", made.json(), "confirm")
    assert confirmed.status_code == 200 and confirmed.json()["confirmed_by"] == "Admin"
    for user in ("admin", "exec", "it_lead"):
        refused = decide(as_, user, confirmed.json(), "validate")
        assert refused.status_code == 403, user
        assert "finance" in refused.json()["detail"]
    # A finance project manager is no finance lead, and does not read IT's entries.
    assert decide(as_, "fin_pm", confirmed.json(), "validate").status_code == 404
    validated = decide(as_, "fin_lead", confirmed.json(), "validate")
    assert validated.status_code == 200, validated.text
    assert validated.json()["status"] == "validated"
    assert validated.json()["validated_by"] == "Fin Lead" and validated.json()["validated_at"]
    assert decide(as_, "admin", validated.json(), "reject", "late").status_code == 409


def test_whoever_confirmed_may_not_validate(as_: Clients, world: World, db: Session) -> None:
    # A finance lead who is also an EPMO administrator cannot confirm and validate alone.
    user = auth_service.create_user(db, email="both@example.org", name="Both",
                                    role="epmo_admin", password="secret-both-pw-123",
                                    department_codes=["FIN"])
    token = auth_service.create_token(db, user, "tests")[1]
    world.tokens["both"] = token
    made = as_("both").post(API, json=entry(world)).json()
    confirmed = decide(as_, "both", made, "confirm").json()
    assert confirmed["status"] == "confirmed"
    # An administrator is no department lead: finance is the finance department's leads.
    assert decide(as_, "both", confirmed, "validate").status_code == 403
    made = as_("admin").post(API, json=entry(world)).json()
    confirmed = decide(as_, "admin", made, "confirm").json()
    assert "validate" in as_("fin_lead").get(f"{API}/{made['id']}").json()["may"]


def test_only_hard_savings_are_validated(as_: Clients, world: World) -> None:
    made = as_("admin").post(API, json=entry(world, category="days_saved", amount=None,
                                             days=4)).json()
    confirmed = decide(as_, "admin", made, "confirm").json()
    answer = decide(as_, "fin_lead", confirmed, "validate")
    assert answer.status_code == 409 and "Only hard savings" in answer.json()["detail"]


def test_rejection_needs_a_reason_and_finance_may_reject(as_: Clients, world: World) -> None:
    made = as_("admin").post(API, json=entry(world)).json()
    answer = decide(as_, "admin", made, "reject")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "reason"
    confirmed = decide(as_, "admin", made, "confirm").json()
    rejected = decide(as_, "fin_lead", confirmed, "reject", "Not in the ledger of record")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert rejected.json()["rejection_reason"] == "Not in the ledger of record"


def test_a_stale_version_is_refused(as_: Clients, world: World) -> None:
    made = as_("admin").post(API, json=entry(world)).json()
    assert decide(as_, "admin", made, "confirm").status_code == 200
    assert decide(as_, "admin", made, "reject", "x").status_code == 409


def _fields(answer: Any) -> set[str]:
    return {e["field"] for e in answer.json()["errors"]}


def test_validation_in_words(as_: Clients, world: World) -> None:
    post = as_("admin").post
    answer = post(API, json=entry(world, amount="-5"))
    assert answer.status_code == 422 and "amount" in _fields(answer)
    answer = post(API, json=entry(world, category="days_saved", amount=None, days=2.5))
    assert answer.status_code == 422 and "days" in _fields(answer)
    answer = post(API, json=entry(world, evidence_kind="project", evidence_id=999_999))
    assert answer.status_code == 422 and _fields(answer) == {"evidence_id"}
    assert "no project 999999" in answer.text
    answer = post(API, json=entry(world, evidence_kind="invoice", evidence_id=1))
    assert answer.status_code == 422 and "evidence_kind" in _fields(answer)
    answer = post(API, json=entry(world, amount=None))
    assert answer.status_code == 422 and "amount, a number of days" in answer.text
    for link in ("javascript:alert(1)", "//evil.example.org/x"):
        answer = post(API, json=entry(world, links=[link]))
        assert answer.status_code == 422 and "links" in answer.text, link
    answer = post(API, json=entry(world, links=["/projects/1", "https://erp.example.org/a"]))
    assert answer.status_code == 201 and len(answer.json()["links"]) == 2
    answer = post(API, json=entry(world, department_id=999_999))
    assert answer.status_code == 422 and _fields(answer) == {"department_id"}


def test_who_reads_and_writes(as_: Clients, world: World) -> None:
    it = as_("admin").post(API, json=entry(world)).json()
    hr = as_("admin").post(API, json=entry(world, department_id=world.departments["HR"])).json()
    for user in ("exec", "fin_lead"):
        ids = {e["id"] for e in as_(user).get(API).json()["items"]}
        assert {it["id"], hr["id"]} <= ids, user
    for user in ("it_lead", "it_pm", "it_viewer"):
        ids = {e["id"] for e in as_(user).get(API).json()["items"]}
        assert it["id"] in ids and hr["id"] not in ids, user
        assert as_(user).get(f"{API}/{hr['id']}").status_code == 404
    for user in ("exec", "it_lead", "fin_lead", "it_viewer", "hr_viewer"):
        assert as_(user).post(API, json=entry(world)).status_code == 403, user
        assert decide(as_, user, hr, "confirm").status_code in (403, 404), user


def test_hostile_text_is_stored_and_shown_escaped(as_: Clients, world: World) -> None:
    hostile = "<script>alert(1)</script> \"quoted\" ünïcode " + "x" * 4000
    made = as_("admin").post(API, json=entry(world, description=hostile))
    assert made.status_code == 201 and made.json()["description"] == hostile
    page = as_("admin").get("/value/ledger")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_a_proposal_is_corrected_before_confirmation(as_: Clients, world: World) -> None:
    made = as_("admin").post(API, json=entry(world)).json()
    fixed = as_("admin").patch(f"{API}/{made['id']}", json={
        "version": made["version"], "amount": "900", "occurred_on": "2026-10-01"})
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["quarter"] == "2026-Q4" and fixed.json()["amount"] == "900.00"
    confirmed = decide(as_, "admin", fixed.json(), "confirm").json()
    late = as_("admin").patch(f"{API}/{made['id']}", json={"version": confirmed["version"],
                                                          "amount": "1"})
    assert late.status_code == 409
