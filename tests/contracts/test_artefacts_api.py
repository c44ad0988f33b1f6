"""Project artefacts through the API: links, uploads with their metadata, downloads, limits,
deletion, and who may do what."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from epmo.audit.models import AuditEntry
from epmo.config import get_settings
from epmo.contracts.models import Artefact
from tests.conftest import Clients
from tests.contracts.conftest import API
from tests.factories import Maker
from tests.world import World

LINK = {"kind": "business_case", "title": "Business case v2",
        "url": "https://docs.example.org/bc-v2"}
PDF = b"%PDF-1.4 a tiny but real enough document\n"


@pytest.fixture
def project(make: Maker, world: World) -> dict[str, object]:
    """An IT project in planning, managed by it_pm."""
    return make.project("IT", stage="planning", manager_id=world.people["it_pm"])


def _url(project: dict[str, object]) -> str:
    return f"{API}/projects/{project['id']}/artefacts"


def test_link_is_recorded_and_listed(as_: Clients, project: dict[str, object]) -> None:
    r = as_("it_pm").post(_url(project), json=LINK)
    assert r.status_code == 201, r.text
    made = r.json()
    assert (made["kind"], made["stage"], made["url"], made["file_name"]) == (
        "business_case", "planning", LINK["url"], None)
    listed = as_("it_viewer").get(_url(project)).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == made["id"]
    go = as_("it_viewer").get(made["download_url"], follow_redirects=False)
    assert go.status_code == 303 and go.headers["location"] == LINK["url"]


def test_upload_keeps_the_file_and_its_metadata(as_: Clients, project: dict[str, object],
                                               db: Session) -> None:
    r = as_("it_pm").post(_url(project), data={"kind": "charter", "stage": "approved"},
                          files={"file": ("../../Projekt Charta ü.pdf", PDF, "text/html")})
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["file_name"] == "Projekt Charta ü.pdf" and made["title"] == made["file_name"]
    assert made["content_type"] == "application/pdf"  # from the name, not the client's claim
    assert (made["size"], made["sha256"]) == (len(PDF), hashlib.sha256(PDF).hexdigest())
    assert made["stage"] == "approved" and made["uploaded_by_id"] is not None
    got = as_("it_viewer").get(made["download_url"])
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-disposition"].startswith("attachment;")
    assert "filename*=UTF-8''Projekt%20Charta%20%C3%BC.pdf" in got.headers["content-disposition"]
    entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "artefact",
                                                AuditEntry.action == "create")).first()
    assert entry is not None and entry.after is not None
    assert entry.after["sha256"] == made["sha256"] and entry.after["content"] is None


def test_unknown_names_get_a_generic_type(as_: Clients, project: dict[str, object]) -> None:
    r = as_("it_pm").post(_url(project), data={"kind": "other", "title": "Notes"},
                          files={"file": ("notes.zzunknown", b"x", "text/plain")})
    assert r.status_code == 201, r.text
    assert r.json()["content_type"] == "application/octet-stream"
    assert r.json()["title"] == "Notes"


def test_empty_and_oversized_files_are_refused(as_: Clients, project: dict[str, object],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    r = as_("it_pm").post(_url(project), data={"kind": "plan"}, files={"file": ("p.txt", b"")})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "file", "message": "is empty; choose a file with "
                                                               "content"}]
    monkeypatch.setattr(get_settings(), "artefact_max_bytes", 1024)
    r = as_("it_pm").post(_url(project), data={"kind": "plan"},
                          files={"file": ("p.txt", b"x" * 1025)})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "file"
    assert "limit of 1,024 bytes" in r.json()["errors"][0]["message"]
    ok = as_("it_pm").post(_url(project), data={"kind": "plan"},
                           files={"file": ("p.txt", b"x" * 1024)})
    assert ok.status_code == 201, ok.text
    assert as_("it_pm").get(_url(project)).json()["total"] == 1


@pytest.mark.parametrize(("body", "field"), [
    (LINK | {"kind": "poem"}, "kind"),
    (LINK | {"stage": "dreaming"}, "stage"),
    (LINK | {"url": "javascript:alert(1)"}, "url"),
    (LINK | {"url": "ftp://files.example.org/x"}, "url"),
    (LINK | {"url": "https://"}, "url"),
    ({k: v for k, v in LINK.items() if k != "title"}, "title"),
    (LINK | {"extra": 1}, "extra"),
])
def test_bad_links_name_the_field(as_: Clients, project: dict[str, object],
                                  body: dict[str, object], field: str) -> None:
    r = as_("it_pm").post(_url(project), json=body)
    assert r.status_code == 422, r.text
    assert field in [e["field"] for e in r.json()["errors"]]


def test_bad_bodies_are_refused(as_: Clients, project: dict[str, object]) -> None:
    r = as_("it_pm").post(_url(project), content=b"not json",
                          headers={"content-type": "text/plain"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body"
    r = as_("it_pm").post(_url(project), data={"kind": "plan"})  # multipart without a file
    assert r.status_code == 422
    r = as_("it_pm").post(_url(project), data={"kind": "poem"}, files={"file": ("a.txt", b"a")})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "kind"


def test_who_may_see_add_and_remove(as_: Clients, project: dict[str, object],
                                    db: Session) -> None:
    assert as_("it_viewer").post(_url(project), json=LINK).status_code == 403
    assert as_("fin_pm").post(_url(project), json=LINK).status_code == 404
    assert as_("hr_viewer").get(_url(project)).status_code == 404
    made = as_("it_pm").post(_url(project), data={"kind": "plan"},
                             files={"file": ("plan.txt", b"the plan")}).json()
    assert as_("hr_viewer").get(made["download_url"]).status_code == 404
    url = f"{API}/artefacts/{made['id']}"
    assert as_("fin_lead").delete(url, params={"version": 1}).status_code == 404
    assert as_("it_viewer").delete(url, params={"version": 1}).status_code == 403
    assert as_("it_lead").delete(url, params={"version": 5}).status_code == 409
    assert as_("it_lead").delete(url, params={"version": 1}).status_code == 204
    assert as_("it_lead").get(made["download_url"]).status_code == 404
    assert db.get(Artefact, made["id"]) is None
    gone = db.scalars(select(AuditEntry).where(AuditEntry.entity == "artefact",
                                               AuditEntry.action == "delete")).first()
    assert gone is not None and gone.before is not None and gone.before["file_name"] == "plan.txt"
