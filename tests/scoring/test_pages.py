"""Scoring pages through a signed-in browser: models, the pairwise form, sheets, ranking."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.conftest import Clients
from tests.scoring.conftest import CIRCULAR, Requests, active_model, create_model, score
from tests.web.helpers import Browser, login
from tests.world import World

PANEL = {"value": 4, "risk": 2, "urgency": 3}


def _criteria_form(rows: list[tuple[str, str, str]], lower: frozenset[str] = frozenset()) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for index, (key, name, weight) in enumerate(rows):
        data.update({f"criteria.{index}.key": key, f"criteria.{index}.name": name,
                     f"criteria.{index}.weight": weight})
        for level in range(5):
            data[f"criteria.{index}.rubric.{level}"] = f"{name} level {level + 1}"
        if key in lower:
            data[f"criteria.{index}.lower"] = "on"
    return data


def test_model_list_and_detail_render(app: object, world: World, as_: Clients) -> None:
    model = active_model(as_, "shown")
    browser = login(app, world, "it_viewer")
    page = browser.client.get("/scoring-models")
    assert page.status_code == 200 and "Model shown" in page.text
    assert "default" in page.text and "New model" not in page.text
    detail = browser.client.get(f"/scoring-models/{model['id']}")
    assert detail.status_code == 200
    assert "none" in detail.text and "huge" in detail.text and "lower is better" in detail.text
    assert 'id="model-form"' not in detail.text and "action-activate" not in detail.text
    assert browser.client.get("/scoring-models/999999").status_code == 404
    assert browser.client.get("/scoring-models/new").status_code == 403


def test_create_edit_and_activate_through_forms(app: object, world: World, as_: Clients) -> None:
    browser = login(app, world, "admin")
    assert browser.client.get("/scoring-models/new").status_code == 200
    rows = [("value", "Value", "60"), ("risk", "Risk", "30")]
    r = _post(browser, "/scoring-models/new", {
        "code": "formed", "name": "Formed", "method": "weights", "combine": "median",
        "threshold": "40", **_criteria_form(rows, frozenset({"risk"}))})
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    page = browser.client.get(url)
    assert "weights must sum to 100" in page.text and "Value level 5" in page.text
    refused = _post(browser, url + "/activate", {"version": _version(page.text)})
    assert refused.status_code == 422 and "cannot be activated" in refused.text
    rows.append(("urgency", "Urgency", "10"))
    saved = _post(browser, url, {"version": _version(page.text), "name": "Formed",
                                    "method": "weights", "combine": "median", "threshold": "40",
                                    **_criteria_form(rows, frozenset({"risk"}))})
    assert saved.status_code == 303, saved.text
    page = browser.client.get(url)
    assert 'id="weight-total">100<' in page.text and "Urgency level 1" in page.text
    done = _post(browser, url + "/activate", {"version": _version(page.text)})
    assert done.status_code == 303
    page = browser.client.get(url)
    assert 'id="model-status">active<' in page.text and "action-new-version" in page.text


def test_form_errors_name_the_row(app: object, world: World, as_: Clients) -> None:
    browser = login(app, world, "admin")
    rows = [("value", "Value", "60"), ("value", "Again", "40")]
    r = _post(browser, "/scoring-models/new", {"code": "dupes", "name": "Dupes",
                                                  "method": "weights", "combine": "mean",
                                                  **_criteria_form(rows)})
    assert r.status_code == 422
    assert 'data-field="criteria.1.key"' in r.text
    assert 'value="Again"' in r.text


def _post(browser: Browser, url: str, data: dict[str, Any]) -> Any:
    return browser.post_form(url, data)


def _version(html: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found
    return found.group(1)


def test_pairwise_form_derives_weights_and_warns(app: object, world: World, as_: Clients) -> None:
    model = create_model(as_, "pw", method="pairwise")
    browser = login(app, world, "admin")
    url = f"/scoring-models/{model['id']}"
    page = browser.client.get(url)
    assert 'name="pairwise.0.1"' in page.text and 'name="pairwise.1.0"' not in page.text
    r = _post(browser, url + "/pairwise", {"version": _version(page.text),
                                              "pairwise.0.1": "3", "pairwise.0.2": "5",
                                              "pairwise.1.2": "3"})
    assert r.status_code == 303, r.text
    page = browser.client.get(url)
    assert "consistency ratio 0.033" in page.text
    assert 'id="consistency-ratio" class="">0.033<' in page.text and "cr-warning" not in page.text
    assert "63.70" in page.text and ">1/3<" in page.text
    bad = _post(browser, url + "/pairwise", {"version": _version(page.text),
                                                "pairwise.0.1": "x", "pairwise.0.2": "-5",
                                                "pairwise.1.2": "3"})
    assert bad.status_code == 422
    assert 'data-field="pairwise.0.1"' in bad.text
    bad = _post(browser, url + "/pairwise", {"version": _version(page.text),
                                                "pairwise.0.1": "3", "pairwise.0.2": "-5",
                                                "pairwise.1.2": "3"})
    assert bad.status_code == 422 and "must be a positive number" in bad.text
    r = _post(browser, url + "/pairwise", {"version": _version(page.text),
                                              "pairwise.0.1": str(CIRCULAR[0][1]),
                                              "pairwise.0.2": "1/9", "pairwise.1.2": "9"})
    assert r.status_code == 303
    page = browser.client.get(url)
    assert 'id="cr-warning"' in page.text and "above 0.1" in page.text


def test_sheet_form_saves_and_shows_spread(
    app: object, world: World, as_: Clients, requests: Requests
) -> None:
    model = active_model(as_, "sheet")
    item = requests.add("R-PAGE")
    assert score(as_, "exec", item.id, {"value": 2, "risk": 4, "urgency": 1},
                 model_id=model["id"]).status_code == 200
    browser = login(app, world, "it_lead")
    url = f"/intake/{item.id}/scores"
    page = browser.client.get(url, params={"model_id": model["id"]})
    assert page.status_code == 200 and 'id="sheet-form"' in page.text
    assert "<strong>5</strong> huge" in page.text  # the rubric beside each level
    bad = _post(browser, url, {"model_id": str(model["id"]), "scores.value": "4",
                                  "scores.risk": "2"})
    assert bad.status_code == 422 and 'data-field="scores.urgency"' in bad.text
    r = _post(browser, url, {"model_id": str(model["id"]), "comment": "solid case",
                                **{f"scores.{k}": str(v) for k, v in PANEL.items()}})
    assert r.status_code == 303, r.text
    page = browser.client.get(url, params={"model_id": model["id"]})
    assert 'id="combined-score">' in page.text and "of 2 scorers" in page.text
    assert 'id="spread"' in page.text and "solid case" in page.text
    assert 'value="4" checked' in page.text
    gone = _post(browser, url + "/delete", {"model_id": str(model["id"])})
    assert gone.status_code == 303
    assert "of 1 scorer)" in browser.client.get(url, params={"model_id": model["id"]}).text


def test_sheet_page_access(app: object, world: World, as_: Clients, requests: Requests) -> None:
    active_model(as_, "default")
    item = requests.add("R-ACCESS")
    viewer = login(app, world, "it_viewer").client.get(f"/intake/{item.id}/scores")
    assert viewer.status_code == 200 and 'id="cannot-score"' in viewer.text
    assert login(app, world, "fin_lead").client.get(f"/intake/{item.id}/scores").status_code == 404


def test_sheet_page_without_default_model(app: object, world: World, requests: Requests) -> None:
    item = requests.add("R-NOMODEL")
    page = login(app, world, "admin").client.get(f"/intake/{item.id}/scores")
    assert page.status_code == 200 and 'id="no-model"' in page.text
    assert 'id="no-model"' in login(app, world, "admin").client.get("/scoring/ranking").text


@pytest.mark.parametrize("threshold", [None, "80"])
def test_ranking_page_lists_and_charts(
    app: object, world: World, as_: Clients, requests: Requests, threshold: str | None
) -> None:
    model = active_model(as_, "ranked", threshold=50)
    high = requests.add("R-HIGH", cost=200_000, risk=2)
    low = requests.add("R-LOW", dept="FIN", cost=50_000, risk=4)
    score(as_, "admin", high.id, {"value": 5, "risk": 1, "urgency": 4}, model_id=model["id"])
    score(as_, "admin", low.id, {"value": 2, "risk": 4, "urgency": 2}, model_id=model["id"])
    params = {"model_id": model["id"], **({"threshold": threshold} if threshold else {})}
    page = login(app, world, "exec").client.get("/scoring/ranking", params=params)
    assert page.status_code == 200
    assert page.text.index("R-HIGH") < page.text.index('id="threshold-line"') < page.text.index("R-LOW")
    assert "echarts.min.js" in page.text
    found = re.search(r'<script type="application/json" id="bubble-data">(.*?)</script>', page.text)
    assert found
    chart = json.loads(found.group(1))
    assert chart["departments"] == ["FIN", "IT"]
    assert chart["points"]["IT"][0][1:4] == [2, 200000.0, "R-HIGH"]
    assert chart["threshold"] == (80 if threshold else 50)
    assert f'data-request="{high.id}"' in page.text and f'data-request="{low.id}"' in page.text
