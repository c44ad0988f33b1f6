"""The Jira client against a real local HTTP server answering Jira Cloud's documented shapes."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from epmo.connectors.jira import Issue, JiraClient, JiraError, Limits, parse_issue
from tests.connectors.fake_jira import FakeJira, Scripted, issue


def client(jira: FakeJira, waits: list[float] | None = None, **limits: float) -> JiraClient:
    """A client of the fake site whose sleeps are recorded, not slept."""
    recorded = waits if waits is not None else []
    return JiraClient(jira.url, jira.email, jira.token, Limits(**limits),  # type: ignore[arg-type]
                      recorded.append)


def test_pages_follow_next_page_token_until_is_last(jira: FakeJira) -> None:
    jira.issues = [issue(f"OPS-{n}", f"Epic {n}", "new", f"2027-0{n}-01") for n in range(1, 6)]
    found = client(jira).search('project = "OPS"')
    assert [i.key for i in found] == ["OPS-1", "OPS-2", "OPS-3", "OPS-4", "OPS-5"]
    assert found[2] == Issue("OPS-3", "Epic 3", "new", date(2027, 3, 1))
    # five issues at two a page: three requests, the later ones carrying the token
    paths = [r["path"] for r in jira.requests]
    assert paths == ["/rest/api/3/search/jql"] * 3
    bodies = [r["body"] for r in jira.requests]
    assert "nextPageToken" not in bodies[0]
    assert bodies[1]["nextPageToken"] and bodies[2]["nextPageToken"] != bodies[1]["nextPageToken"]
    assert bodies[0]["fields"] == ["summary", "status", "duedate"]
    assert bodies[0]["jql"] == 'project = "OPS"' and bodies[0]["maxResults"] == 100


def test_429_waits_retry_after_then_succeeds(jira: FakeJira) -> None:
    jira.issues = [issue("OPS-1", "Epic", "done", None)]
    jira.script.append(Scripted(429, {"errorMessages": ["Rate limit exceeded"]},
                                {"Retry-After": "7"}))
    waits: list[float] = []
    found = client(jira, waits).search("project = OPS")
    assert [i.key for i in found] == ["OPS-1"]
    assert waits == [7.0]
    assert len(jira.requests) == 2


def test_retry_after_is_bounded_and_retries_end(jira: FakeJira) -> None:
    for _ in range(3):
        jira.script.append(Scripted(429, {}, {"Retry-After": "3600"}))
    waits: list[float] = []
    with pytest.raises(JiraError, match=r"429.*after 2 retries"):
        client(jira, waits, retries=2, max_wait=30).search("project = OPS")
    assert waits == [30.0, 30.0]
    assert len(jira.requests) == 3


def test_401_says_the_credentials_were_refused(jira: FakeJira) -> None:
    wrong = JiraClient(jira.url, jira.email, "not-the-token", Limits(), lambda _s: None)
    with pytest.raises(JiraError) as caught:
        wrong.search("project = OPS")
    assert str(caught.value).startswith("Jira refused the credentials (HTTP 401)")
    assert "not-the-token" not in str(caught.value)


def test_5xx_and_bad_query(jira: FakeJira) -> None:
    jira.script.append(Scripted(502, {"message": "bad gateway"}))
    with pytest.raises(JiraError, match="HTTP 502"):
        client(jira).search("project = OPS")
    jira.script.append(Scripted(400, {"errorMessages": ["The value 'NOPE' does not exist for "
                                                        "the field 'project'."]}))
    with pytest.raises(JiraError, match="does not exist for the field 'project'"):
        client(jira).search("project = NOPE")


def test_timeout_is_a_jira_error(jira: FakeJira) -> None:
    jira.script.append(Scripted(200, {"issues": [], "isLast": True}, delay=1.0))
    with pytest.raises(JiraError, match="did not answer in time"):
        client(jira, timeout=0.2).search("project = OPS")


def test_unreachable_site_is_a_jira_error() -> None:
    closed = JiraClient("http://127.0.0.1:9", "a@b.org", "token-123456", Limits(timeout=2))
    with pytest.raises(JiraError, match="Could not reach Jira"):
        closed.search("project = OPS")


def test_the_old_search_endpoint_is_gone(jira: FakeJira) -> None:
    """Jira Cloud removed /rest/api/3/search (410); the client only uses /search/jql."""
    auth = (jira.email, jira.token)
    old = httpx.get(f"{jira.url}/rest/api/3/search", params={"jql": "project = OPS"}, auth=auth)
    assert old.status_code == 410
    new = httpx.get(f"{jira.url}/rest/api/3/search/jql", params={"jql": "project = OPS"},
                    auth=auth)
    assert new.status_code == 200 and new.json()["isLast"] is True
    jira.requests.clear()
    client(jira).search("project = OPS")
    assert {r["path"] for r in jira.requests} == {"/rest/api/3/search/jql"}
    jira.script.append(Scripted(410, {"errorMessages": ["removed"]}))
    with pytest.raises(JiraError, match="410 Gone"):
        client(jira).search("project = OPS")


def test_parse_issue_reads_missing_fields_as_empty() -> None:
    assert parse_issue({"key": "A-1", "fields": {}}) == Issue("A-1", "", "new", None)
    raw = issue("A-2", "Two", "indeterminate", "2027-12-31")
    assert parse_issue(raw) == Issue("A-2", "Two", "indeterminate", date(2027, 12, 31))
    with pytest.raises(JiraError, match="due date"):
        parse_issue({"key": "A-3", "fields": {"duedate": "31/12/2027"}})


def test_retry_after_as_an_http_date_and_fractions(jira: FakeJira) -> None:
    jira.issues = [issue("OPS-1", "Epic", "new", None)]
    jira.script.extend([Scripted(429, {}, {"Retry-After": "0.5"}),
                        Scripted(503, {}, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})])
    waits: list[float] = []
    assert [i.key for i in client(jira, waits).search("project = OPS")] == ["OPS-1"]
    assert waits == [0.5, 0.0]  # a date in the past: no wait


def test_a_repeated_page_token_stops_the_paging(jira: FakeJira) -> None:
    page = {"issues": [issue("OPS-1", "Epic", "new", None)], "nextPageToken": "same",
            "isLast": False}
    jira.script.extend([Scripted(200, page), Scripted(200, page)])
    with pytest.raises(JiraError, match="same nextPageToken"):
        client(jira).search("project = OPS")
