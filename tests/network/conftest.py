"""A small known network: IT's project A, Finance's project B (IT takes part) and Finance's
private project C; milestones A1 -> B1 -> C1 with 2 and 3 days of slack."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.conftest import Clients
from tests.factories import Maker
from tests.world import World

API = "/api/v1"


@dataclass
class Net:
    """Ids of the known network and helpers to call the API."""

    as_: Clients
    world: World
    projects: dict[str, dict[str, Any]] = field(default_factory=dict)
    milestones: dict[str, dict[str, Any]] = field(default_factory=dict)

    def project(self, key: str, dept: str, manager: str, **extra: Any) -> dict[str, Any]:
        """A project made by the admin, managed by a world person."""
        self.projects[key] = Maker(self.as_, self.world).project(
            dept, code=f"NET-{key}", name=f"Network project {key}",
            manager_id=self.world.people[manager], **extra)
        return self.projects[key]

    def milestone(self, key: str, project: str, day: str) -> dict[str, Any]:
        """A milestone forecast on ``day``."""
        r = self.as_("admin").post(f"{API}/projects/{self.projects[project]['id']}/milestones",
                                   json={"name": f"Milestone {key}", "forecast_date": day})
        assert r.status_code == 201, r.text
        self.milestones[key] = r.json()
        return self.milestones[key]

    def m(self, key: str) -> int:
        """A milestone's id."""
        return int(self.milestones[key]["id"])

    def link(self, user: str, pred: str, succ: str, **extra: Any) -> Any:
        """Propose pred -> succ (milestone keys) as ``user``; the raw response."""
        body = {"predecessor_milestone_id": self.m(pred),
                "successor_milestone_id": self.m(succ)} | extra
        return self.as_(user).post(f"{API}/dependencies", json=body)

    def accepted(self, pred: str, succ: str) -> dict[str, Any]:
        """A dependency pred -> succ made and accepted by the admin."""
        r = self.link("admin", pred, succ)
        assert r.status_code == 201, r.text
        assert r.json()["status"] == "accepted"
        return r.json()  # type: ignore[no-any-return]

    def move(self, user: str, key: str, day: str, reason: str = "") -> Any:
        """PATCH a milestone's forecast as ``user``; the raw response."""
        current = self.as_("admin").get(
            f"{API}/projects/{self.milestones[key]['project_id']}/milestones/{self.m(key)}")
        body: dict[str, Any] = {"version": current.json()["version"], "forecast_date": day}
        if reason:
            body["change_reason"] = reason
        return self.as_(user).patch(
            f"{API}/projects/{self.milestones[key]['project_id']}/milestones/{self.m(key)}",
            json=body)


@pytest.fixture
def net(as_: Clients, world: World) -> Net:
    """Projects A (IT, it_pm, Finance takes part), B (FIN, fin_pm, IT takes part), C (FIN, fin_pm, private);
    milestones A1 2027-01-10, B1 2027-01-12, C1 2027-01-15, unlinked."""
    made = Net(as_, world)
    made.project("A", "IT", "it_pm", department_ids=[world.departments["FIN"]],
                 planned_start="2027-01-01", planned_finish="2027-03-31")
    made.project("B", "FIN", "fin_pm", department_ids=[world.departments["IT"]],
                 planned_start="2027-01-05", planned_finish="2027-04-30")
    made.project("C", "FIN", "fin_pm", planned_start="2027-05-01", planned_finish="2027-05-31")
    made.milestone("A1", "A", "2027-01-10")
    made.milestone("B1", "B", "2027-01-12")
    made.milestone("C1", "C", "2027-01-15")
    return made


@pytest.fixture
def chain(net: Net) -> Net:
    """The known network with A1 -> B1 -> C1 accepted."""
    net.accepted("A1", "B1")
    net.accepted("B1", "C1")
    return net
