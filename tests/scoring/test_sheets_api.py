"""Scorers' sheets through the API: several scorers, mean vs median, alignment, access."""

from __future__ import annotations

import statistics

import pytest
from sqlalchemy.orm import Session

from epmo.scoring import service
from tests.conftest import Clients
from tests.scoring.conftest import Requests, active_model, create_model, fields, score

PANEL = {"admin": {"value": 5, "risk": 1, "urgency": 3},
         "exec": {"value": 3, "risk": 3, "urgency": 3},
         "it_lead": {"value": 4, "risk": 5, "urgency": 1}}
OWN = {"admin": 90.0, "exec": 50.0, "it_lead": 37.5}  # risk counts as 6 - level


def _score_panel(as_: Clients, request_id: int, model_id: int | None = None) -> None:
    extra = {"model_id": model_id} if model_id else {}
    for user, sheet in PANEL.items():
        r = score(as_, user, request_id, sheet, comment=f"by {user}", **extra)
        assert r.status_code == 200, r.text


def test_several_scorers_combined_by_mean_with_spread(as_: Clients, requests: Requests) -> None:
    model = active_model(as_, "panel")
    request = requests.add("R-MEAN")
    _score_panel(as_, request.id, model["id"])
    body = as_("exec").get(f"/api/v1/intake/requests/{request.id}/scores",
                           params={"model_id": model["id"]}).json()
    assert body["scorers"] == 3 and body["combine"] == "mean"
    assert body["score"] == pytest.approx(59.1667, abs=1e-4)
    assert body["spread"]["minimum"] == 37.5 and body["spread"]["maximum"] == 90
    assert body["spread"]["stdev"] == pytest.approx(statistics.pstdev(OWN.values()))
    by_key = {c["key"]: c for c in body["criteria"]}
    assert by_key["value"]["combined"] == 4 and by_key["value"]["spread"]["minimum"] == 3
    # Risk is shown as entered (1 = low risk) although it counts reversed.
    assert by_key["risk"]["combined"] == 3
    assert (by_key["risk"]["spread"]["minimum"], by_key["risk"]["spread"]["maximum"]) == (1, 5)
    own = {s["scorer"]: s["score"] for s in body["sheets"]}
    assert own == {"Admin": 90.0, "Exec": 50.0, "It Lead": 37.5}
    assert {s["comment"] for s in body["sheets"]} == {"by admin", "by exec", "by it_lead"}


def test_median_model_combines_by_median(as_: Clients, requests: Requests) -> None:
    model = active_model(as_, "med", combine="median")
    request = requests.add("R-MED")
    _score_panel(as_, request.id, model["id"])
    body = as_("admin").get(f"/api/v1/intake/requests/{request.id}/scores",
                            params={"model_id": model["id"]}).json()
    assert body["combine"] == "median" and body["score"] == pytest.approx(62.5)
    assert {c["key"]: c["combined"] for c in body["criteria"]} == {
        "value": 4, "risk": 3, "urgency": 3}


def test_a_scorer_replaces_and_deletes_their_own_sheet(
    as_: Clients, requests: Requests
) -> None:
    model = active_model(as_, "own")
    request = requests.add("R-OWN")
    url = f"/api/v1/intake/requests/{request.id}/scores"
    _score_panel(as_, request.id, model["id"])
    changed = score(as_, "it_lead", request.id, {"value": 5, "risk": 1, "urgency": 5},
                    model_id=model["id"]).json()
    # A department lead sees only their own sheet, but the combined result of all three.
    assert [s["scorer"] for s in changed["sheets"]] == ["It Lead"]
    assert changed["scorers"] == 3 and changed["sheets"][0]["score"] == 100
    assert len(as_("exec").get(url, params={"model_id": model["id"]}).json()["sheets"]) == 3
    gone = as_("it_lead").delete(url, params={"model_id": model["id"]})
    assert gone.status_code == 204
    assert as_("it_lead").delete(url, params={"model_id": model["id"]}).status_code == 404
    assert as_("admin").get(url, params={"model_id": model["id"]}).json()["scorers"] == 2


def test_bad_levels_and_keys_are_named(as_: Clients, requests: Requests) -> None:
    model = active_model(as_, "levels", criteria=[
        {"key": "fit", "name": "Fit", "weight": 40, "computed": "alignment"},
        {"key": "value", "name": "Value", "weight": 60}])
    request = requests.add("R-BAD")
    r = score(as_, "admin", request.id, {"value": 6}, model_id=model["id"])
    assert r.status_code == 422 and fields(r) == {"scores.value"}
    assert "outside the rubric's 1..5" in r.json()["errors"][0]["message"]
    r = score(as_, "admin", request.id, {"value": 0, "speed": 3}, model_id=model["id"])
    assert fields(r) == {"scores.value", "scores.speed"}
    r = score(as_, "admin", request.id, {}, model_id=model["id"])
    assert fields(r) == {"scores.value"} and "has no score" in r.text
    r = score(as_, "admin", request.id, {"value": 3, "fit": 5}, model_id=model["id"])
    assert fields(r) == {"scores.fit"} and "computed" in r.text
    r = score(as_, "admin", request.id, {"value": 3.5}, model_id=model["id"])  # type: ignore[dict-item]
    assert r.status_code == 422 and fields(r) == {"scores.value"}
    url = f"/api/v1/intake/requests/{request.id}/scores"
    assert as_("admin").get(url, params={"model_id": model["id"]}).json()["scorers"] == 0


def test_only_active_models_take_scores(as_: Clients, requests: Requests) -> None:
    draft = create_model(as_, "draft")
    request = requests.add("R-DRAFT")
    r = score(as_, "admin", request.id, PANEL["admin"], model_id=draft["id"])
    assert r.status_code == 422 and fields(r) == {"model_id"}
    r = score(as_, "admin", request.id, PANEL["admin"])  # no default model yet
    assert r.status_code == 422 and fields(r) == {"model_id"}
    closed = requests.add("R-DONE", stage="rejected")
    model = active_model(as_, "closed")
    r = score(as_, "admin", closed.id, PANEL["admin"], model_id=model["id"])
    assert r.status_code == 409


def test_alignment_is_computed_from_goal_links(
    as_: Clients, requests: Requests, db: Session
) -> None:
    g1, g2 = requests.goal("G1", 60), requests.goal("G2", 40)
    full = requests.add("R-FULL", goals={g1: 100})  # the heaviest goal fully: level 5
    half = requests.add("R-HALF", goals={g2: 50})  # 20% of strategy = 33 of 100: level 2
    none = requests.add("R-NONE")
    model = active_model(as_, "aligned", criteria=[
        {"key": "fit", "name": "Strategic fit", "weight": 50, "computed": "alignment"},
        {"key": "value", "name": "Value", "weight": 50}])
    for request in (full, half, none):
        assert score(as_, "admin", request.id, {"value": 3},
                     model_id=model["id"]).status_code == 200
    body = as_("admin").get(f"/api/v1/intake/requests/{full.id}/scores",
                            params={"model_id": model["id"]}).json()
    assert body["alignment"] == pytest.approx(100)
    assert {c["key"]: c["combined"] for c in body["criteria"]} == {"fit": 5, "value": 3}
    found = service.combined_scores(db, [full.id, half.id, none.id, 999999], model["id"])
    assert found == pytest.approx({full.id: 75.0, half.id: 37.5, none.id: 25.0})


def test_combined_scores_default_model_and_absent_requests(
    as_: Clients, requests: Requests, db: Session
) -> None:
    scored, unscored = requests.add("R-S"), requests.add("R-U")
    assert service.combined_scores(db, [scored.id]) == {}
    active_model(as_, "default")
    assert score(as_, "admin", scored.id, PANEL["admin"]).status_code == 200
    assert service.combined_scores(db, [scored.id, unscored.id]) == {scored.id: 90.0}
    other = active_model(as_, "other", portfolio_id=None)
    assert service.default_model(db).id == other["id"]  # type: ignore[union-attr]


def test_who_may_score(as_: Clients, requests: Requests) -> None:
    model = active_model(as_, "who")
    it_request, infra = requests.add("R-IT"), requests.add("R-INFRA", dept="IT-INFRA")
    sheet = {"scores": PANEL["exec"], "model_id": model["id"]}
    url = f"/api/v1/intake/requests/{it_request.id}/scores"
    assert as_("it_viewer").put(url, json=sheet).status_code == 403
    assert as_("it_pm").put(url, json=sheet).status_code == 403
    assert as_("it_viewer").get(url, params={"model_id": model["id"]}).status_code == 200
    assert as_("fin_lead").put(url, json=sheet).status_code == 404
    assert as_("fin_lead").get(url, params={"model_id": model["id"]}).status_code == 404
    assert as_("hr_viewer").get(url, params={"model_id": model["id"]}).status_code == 404
    infra_url = f"/api/v1/intake/requests/{infra.id}/scores"
    assert as_("it_lead").put(infra_url, json=sheet).status_code == 200
    assert as_("exec").put(url, json=sheet).status_code == 200
    assert as_("admin").get("/api/v1/intake/requests/999999/scores").status_code == 404
    assert as_.anon.get(url).status_code == 401


def test_ranking_with_threshold(as_: Clients, requests: Requests) -> None:
    model = active_model(as_, "rank", threshold=50)
    top = requests.add("R-TOP", cost=300_000, risk=2)
    middle = requests.add("R-MID", dept="FIN", cost=100_000, risk=4)
    low = requests.add("R-LOW", dept="FIN")
    requests.add("R-UNSCORED")
    for request, sheet in ((top, PANEL["admin"]), (middle, PANEL["exec"]),
                           (low, PANEL["it_lead"])):
        assert score(as_, "admin", request.id, sheet, model_id=model["id"]).status_code == 200
    url = f"/api/v1/scoring-models/{model['id']}/ranking"
    body = as_("exec").get(url).json()
    assert body["threshold"] == 50
    rows = [(i["code"], i["score"], i["above_threshold"]) for i in body["items"]]
    assert rows == [("R-TOP", 90, True), ("R-MID", 50, True), ("R-LOW", 37.5, False)]
    first = body["items"][0]
    assert (first["department"], float(first["cost_total"]), first["risk_rating"]) == (
        "IT", 300_000, 2)
    assert first["position"] == 1 and first["scorers"] == 1 and first["spread"] == 0
    strict = as_("exec").get(url, params={"threshold": 60}).json()
    assert [i["above_threshold"] for i in strict["items"]] == [True, False, False]
    mine = as_("fin_lead").get(url).json()
    assert [i["code"] for i in mine["items"]] == ["R-MID", "R-LOW"]
    assert as_("exec").get(url, params={"threshold": 101}).status_code == 422
