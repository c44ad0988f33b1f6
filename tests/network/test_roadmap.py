"""The roadmap: readable active projects and milestones on one timeline, the links between
them across departments, slips marked with their cause."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.network.conftest import API, Net
from tests.web.helpers import login
from tests.world import World


def _items(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in body["items"]}


def test_projects_milestones_and_links_a_reader_may_see(chain: Net) -> None:
    body = chain.as_("it_pm").get(f"{API}/roadmap").json()
    items = _items(body)
    a, b = chain.projects["A"]["id"], chain.projects["B"]["id"]
    assert {f"p{a}", f"p{b}", f"m{chain.m('A1')}", f"m{chain.m('B1')}"} == set(items)
    assert items[f"p{a}"]["start"] == "2027-01-01" and items[f"p{a}"]["end"] == "2027-03-31"
    assert body["total"] == 2  # C is Finance's private project: not on IT's roadmap
    link = body["links"][0]
    assert (link["source"], link["target"], link["cross_department"]) == (
        f"m{chain.m('A1')}", f"m{chain.m('B1')}", True)
    assert (link["source_label"], link["target_label"]) == ("NET-A · Milestone A1",
                                                            "NET-B · Milestone B1")
    everything = chain.as_("fin_pm").get(f"{API}/roadmap").json()
    assert everything["total"] == 3 and len(everything["links"]) == 2


def test_a_slip_upstream_marks_the_pushed_milestone(chain: Net) -> None:
    chain.move("it_pm", "A1", "2027-01-20")  # B1 had 2 days of slack: it is pushed 8 days
    items = _items(chain.as_("fin_pm").get(f"{API}/roadmap").json())
    pushed = items[f"m{chain.m('B1')}"]
    assert (pushed["slip_days"], pushed["slip_cause"]) == (8, "pushed by an upstream dependency")
    moved = items[f"m{chain.m('A1')}"]  # its own forecast moved; no baseline or plan to compare
    assert moved["start"] == "2027-01-20" and moved["slip_days"] == 0


def test_filters_and_closed_work(chain: Net, world: World) -> None:
    fin = chain.as_("fin_pm").get(f"{API}/roadmap",
                                  params={"department_id": world.departments["FIN"]}).json()
    assert {i["code"] for i in fin["items"]} == {"NET-B", "NET-C"}
    project = chain.projects["C"]
    r = chain.as_("admin").patch(f"{API}/projects/{project['id']}",
                                 json={"version": project["version"], "stage": "cancelled"})
    assert r.status_code == 200, r.text
    after = chain.as_("fin_pm").get(f"{API}/roadmap").json()
    assert "NET-C" not in {i["code"] for i in after["items"]} and len(after["links"]) == 1


def test_the_page_draws_the_same_escaped(app: object, world: World, chain: Net) -> None:
    chain.as_("admin").patch(f"{API}/projects/{chain.projects['A']['id']}/milestones/"
                             f"{chain.m('A1')}", json={"version": chain.milestones["A1"]["version"],
                                                       "name": "<img src=x onerror=alert(1)>"})
    page = login(app, world, "it_pm").client.get("/roadmap", params={"zoom": "Week"}).text
    assert 'data-zoom="Week"' in page and "<img src=x" not in page
    tasks = json.loads(re.search(r'id="roadmap-data">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    by_id = {t["id"]: t for t in tasks}
    succ = by_id[f"m{chain.m('B1')}"]
    assert succ["dependencies"] == f"m{chain.m('A1')}"  # the arrow A1 -> B1
    assert by_id[f"m{chain.m('A1')}"]["name"].startswith("◆ <img")  # escaped by the page's JS
    assert page.count('data-testid="roadmap-project"') == 2
    # the arrows in words beside the chart, the hostile name as text
    assert ('<li data-testid="roadmap-link">NET-A · &lt;img src=x onerror=alert(1)&gt; → '
            'NET-B · Milestone B1 (accepted, across departments)</li>') in page
