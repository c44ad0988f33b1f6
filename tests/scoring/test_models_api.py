"""Scoring models through the API: drafts, activation, versions, weights and pairwise AHP."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from epmo.engines.scoring import ahp_weights
from epmo.scoring import service
from tests.conftest import Clients
from tests.scoring.conftest import CIRCULAR, TEXTBOOK, THREE, activate, create_model, fields

API = "/api/v1/scoring-models"


def test_create_read_list_and_update_a_draft(as_: Clients) -> None:
    model = create_model(as_, "crud", threshold=40)
    assert model["status"] == "draft" and model["number"] == 1
    assert [c["key"] for c in model["criteria"]] == ["value", "risk", "urgency"]
    assert model["criteria"][0]["rubric"] == ["none", "little", "some", "much", "huge"]
    assert model["criteria"][1]["higher_is_better"] is False
    assert float(model["weight_total"]) == 100 and model["problems"] == []
    listed = as_("it_viewer").get(API).json()
    assert model["id"] in [m["id"] for m in listed["items"]]
    assert as_("it_viewer").get(f"{API}/{model['id']}").json()["name"] == "Model crud"
    two = [{"key": "value", "name": "Value", "weight": 60},
           {"key": "cost", "name": "Cost", "weight": 30, "higher_is_better": False}]
    r = as_("admin").patch(f"{API}/{model['id']}", json={"version": model["version"],
                                                          "criteria": two, "combine": "median"})
    assert r.status_code == 200, r.text
    changed = r.json()
    assert [c["key"] for c in changed["criteria"]] == ["value", "cost"]
    assert changed["combine"] == "median" and changed["version"] == model["version"] + 1
    assert changed["problems"] == [
        "weights: weights must sum to 100 (tolerance 0.01) but value 60, cost 30 sum to 90"]
    stale = as_("admin").patch(f"{API}/{model['id']}", json={"version": model["version"],
                                                              "name": "x"})
    assert stale.status_code == 409


def test_only_admins_change_models(as_: Clients) -> None:
    model = create_model(as_, "owned")
    body = {"code": "mine", "name": "Mine", "criteria": THREE}
    assert as_("it_lead").post(API, json=body).status_code == 403
    assert as_("exec").patch(f"{API}/{model['id']}",
                             json={"version": model["version"], "name": "x"}).status_code == 403
    assert as_("exec").post(f"{API}/{model['id']}/activate",
                            json={"version": model["version"]}).status_code == 403
    assert as_("it_lead").get(f"{API}/999999").status_code == 404


def test_activation_refuses_weights_that_do_not_sum_to_100(as_: Clients) -> None:
    criteria = [dict(THREE[0], weight=50), dict(THREE[1], weight=30), dict(THREE[2], weight=15)]
    model = create_model(as_, "bad-weights", criteria=criteria)
    r = as_("admin").post(f"{API}/{model['id']}/activate", json={"version": model["version"]})
    assert r.status_code == 422
    assert fields(r) == {"weights"}
    assert "sum to 95" in r.json()["errors"][0]["message"]
    assert as_("admin").get(f"{API}/{model['id']}").json()["status"] == "draft"
    empty = create_model(as_, "empty", criteria=[])
    r = as_("admin").post(f"{API}/{empty['id']}/activate", json={"version": empty["version"]})
    assert r.status_code == 422 and fields(r) == {"criteria"}


def test_bad_criteria_are_named(as_: Clients) -> None:
    twice = [THREE[0], dict(THREE[1], key="value")]
    r = as_("admin").post(API, json={"code": "twice", "name": "x", "criteria": twice})
    assert r.status_code == 422 and fields(r) == {"criteria.1.key"}
    short = [dict(THREE[0], rubric=["a", "b"])]
    r = as_("admin").post(API, json={"code": "short", "name": "x", "criteria": short})
    assert r.status_code == 422 and fields(r) == {"criteria.0.rubric"}
    aligned = [dict(THREE[0], computed="alignment"), dict(THREE[1], computed="alignment")]
    r = as_("admin").post(API, json={"code": "aligned", "name": "x", "criteria": aligned})
    assert r.status_code == 422 and fields(r) == {"criteria.1.computed"}
    r = as_("admin").post(API, json={"code": "neg", "name": "x",
                                     "criteria": [dict(THREE[0], weight=-5)]})
    assert r.status_code == 422 and fields(r) == {"criteria.0.weight"}
    create_model(as_, "dup")
    assert as_("admin").post(API, json={"code": "dup", "name": "x"}).status_code == 409


def test_versions_copy_activate_and_retire(as_: Clients) -> None:
    first = activate(as_, create_model(as_, "ver"))
    assert first["status"] == "active"
    locked = as_("admin").patch(f"{API}/{first['id']}",
                                json={"version": first["version"], "name": "x"})
    assert locked.status_code == 409 and "only drafts change" in locked.json()["detail"]
    r = as_("admin").post(f"{API}/{first['id']}/new-version", json={"version": first["version"]})
    assert r.status_code == 201, r.text
    second = r.json()
    assert (second["code"], second["number"], second["status"]) == ("ver", 2, "draft")
    assert [c["key"] for c in second["criteria"]] == ["value", "risk", "urgency"]
    assert [c["id"] for c in second["criteria"]] != [c["id"] for c in first["criteria"]]
    again = as_("admin").post(f"{API}/{first['id']}/new-version",
                              json={"version": first["version"]})
    assert again.status_code == 409 and "still a draft" in again.json()["detail"]
    r = as_("admin").patch(f"{API}/{second['id']}", json={"version": second["version"],
                                                           "threshold": 55})
    second = activate(as_, r.json())
    assert float(second["threshold"]) == 55
    assert as_("admin").get(f"{API}/{first['id']}").json()["status"] == "retired"
    r = as_("admin").post(f"{API}/{second['id']}/retire", json={"version": second["version"]})
    assert r.status_code == 200 and r.json()["status"] == "retired"
    r = as_("admin").post(f"{API}/{second['id']}/retire", json={"version": r.json()["version"]})
    assert r.status_code == 409
    listed = as_("admin").get(API, params={"status": "retired"}).json()["items"]
    assert {(m["code"], m["number"]) for m in listed} >= {("ver", 1), ("ver", 2)}


def test_pairwise_weights_match_the_engine(as_: Clients) -> None:
    model = create_model(as_, "ahp", method="pairwise", pairwise=TEXTBOOK)
    expected = ahp_weights(TEXTBOOK)
    weights = [float(c["weight"]) for c in model["criteria"]]
    assert weights == pytest.approx([w * 100 for w in expected.weights], abs=1e-4)
    assert weights == pytest.approx([63.70, 25.83, 10.47], abs=0.01)
    assert model["consistency_ratio"] == pytest.approx(expected.consistency_ratio)
    assert model["consistency_ratio"] == pytest.approx(0.033, abs=0.001)
    assert model["consistency_warning"] is False and model["problems"] == []
    active = activate(as_, model)
    assert [pytest.approx(row) for row in TEXTBOOK] == active["pairwise"]


def test_inconsistent_matrix_warns_but_activates(as_: Clients) -> None:
    model = create_model(as_, "circular", method="pairwise", pairwise=CIRCULAR)
    assert model["consistency_ratio"] > 0.1 and model["consistency_warning"] is True
    assert activate(as_, model)["status"] == "active"


@pytest.mark.parametrize(("matrix", "field", "words"), [
    ([[1, 3, 5], [0.5, 1, 3], [0.2, 1 / 3, 1]], "pairwise.1.0", "not the reciprocal"),
    ([[1, -3, 5], [1 / 3, 1, 3], [0.2, 1 / 3, 1]], "pairwise.0.1", "positive"),
    ([[1, 3, 0], [1 / 3, 1, 3], [0.2, 1 / 3, 1]], "pairwise.0.2", "positive"),
    ([[1, 3], [1 / 3, 1]], "pairwise", "needs 3 rows"),
    ([[1, 3, 5], [1 / 3, 1], [0.2, 1 / 3, 1]], "pairwise.1", "not square"),
])
def test_bad_matrix_is_named_cell_by_cell(
    as_: Clients, matrix: list[list[float]], field: str, words: str
) -> None:
    r = as_("admin").post(API, json={"code": "bad-matrix", "name": "x", "criteria": THREE,
                                     "method": "pairwise", "pairwise": matrix})
    assert r.status_code == 422, r.text
    assert field in fields(r)
    assert any(words in e["message"] for e in r.json()["errors"])
    assert as_("admin").get(API, params={"status": "draft"}).json()["total"] == 0


def test_pairwise_draft_without_matrix_cannot_activate(as_: Clients) -> None:
    model = create_model(as_, "nomatrix", method="pairwise")
    assert model["problems"] == ["pairwise: enter the pairwise comparisons of the criteria"]
    r = as_("admin").post(f"{API}/{model['id']}/activate", json={"version": model["version"]})
    assert r.status_code == 422 and fields(r) == {"pairwise"}
    r = as_("admin").patch(f"{API}/{model['id']}",
                           json={"version": model["version"], "pairwise": TEXTBOOK})
    assert r.status_code == 200 and r.json()["consistency_ratio"] is not None
    assert activate(as_, r.json())["status"] == "active"


def test_ensure_default_model_creates_standard_once(db: Session, world: object) -> None:
    assert service.default_model(db) is None
    model = service.ensure_default_model(db, None)
    assert (model.code, model.number, model.status, model.portfolio_id) == (
        "standard", 1, "active", None)
    again = service.ensure_default_model(db, None)
    assert again.id == model.id and service.default_model(db) is not None
    from epmo.scoring import repository
    criteria = repository.criteria_of(db, model.id)
    assert [(c.key, float(c.weight)) for c in criteria] == [
        ("strategic_alignment", 30), ("financial_value", 25), ("risk", 15), ("urgency", 15),
        ("feasibility", 15)]
    assert criteria[0].computed == "alignment" and criteria[2].higher_is_better is False
    assert all(len(c.rubric) == 5 and all(c.rubric) for c in criteria)
