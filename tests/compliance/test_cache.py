"""A full evaluation is reused while nothing is written, and recomputed after any write."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from epmo.compliance import service
from epmo.portfolio.models import Project
from tests.compliance.conftest import API, Env, today
from tests.conftest import Clients


def _enterprise(as_: Clients) -> dict[str, object]:
    r = as_("exec").get(f"{API}/compliance/scores", params={"level": "enterprise"})
    assert r.status_code == 200, r.text
    return r.json()["items"][0]  # type: ignore[no-any-return]


def test_evaluation_is_reused_until_epmo_writes(cache_on: None, env: Env, as_: Clients,
                                                db: Session) -> None:
    env.levels("supportive")
    project = env.compliant()
    before = _enterprise(as_)
    assert before["warnings"] == 0
    db.execute(update(Project).where(Project.id == project["id"]).values(sponsor_id=None))
    db.flush()  # behind epmo's back: no audit entry, so the cached evaluation stays
    assert _enterprise(as_) == before
    r = as_("admin").patch(f"{API}/projects/{project['id']}",
                           json={"version": project["version"], "manager_id": None})
    assert r.status_code == 200, r.text
    assert _enterprise(as_)["warnings"] == 2  # both empty fields now show


def test_a_session_with_pending_writes_never_uses_the_cache(cache_on: None, env: Env,
                                                           as_: Clients, db: Session) -> None:
    env.levels("supportive")
    env.compliant()
    cached = _enterprise(as_)  # computed and kept by a request's session
    assert service.CACHE.entries
    db.add(Project(code="PENDING-1", name="Pending", department_id=env.world.departments["FIN"]))
    fresh = service.evaluate(db, today())  # this session holds a write the audit head lacks
    assert fresh.enterprise.projects == cached["projects"] + 1
