"""A database that cannot be reached: /readyz, API, pages and CLI say so (503, one line)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import sessionmaker

from epmo.db import SessionFactory, UnitOfWork, make_engine
from epmo.web.app import create_app
from tests.conftest import Clients


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(params=["postgresql", "sqlite"])
def down_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a database that is not there: a closed port, or a file in a missing folder."""
    if request.param == "postgresql":
        return f"postgresql+psycopg://epmo:s3cret-pw@127.0.0.1:{_closed_port()}/epmo"
    return f"sqlite:///{tmp_path / 'missing-folder' / 'epmo.db'}"


@pytest.fixture
def down(down_url: str) -> Iterator[TestClient]:
    """A client of an app whose database is unreachable."""
    engine = make_engine(down_url)
    SessionFactory.maker = sessionmaker(class_=UnitOfWork, bind=engine, expire_on_commit=False)
    try:
        yield TestClient(create_app(), raise_server_exceptions=False)
    finally:
        SessionFactory.maker = None
        engine.dispose()


def test_readyz_answers_503_while_healthz_stays_ok(down: TestClient) -> None:
    assert down.get("/healthz").status_code == 200
    r = down.get("/readyz")
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.headers["retry-after"]
    assert r.json()["title"] == "Service unavailable" and "s3cret" not in r.text


def test_an_api_call_answers_503_problem_with_retry_after(down: TestClient) -> None:
    r = down.get("/api/v1/projects", headers={"Authorization": "Bearer some-token"})
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("application/problem+json")
    assert int(r.headers["retry-after"]) > 0
    assert "database" in r.json()["detail"] and "s3cret" not in r.text


def test_a_page_answers_a_readable_503(down: TestClient) -> None:
    page = down.get("/projects", headers={"Authorization": "Bearer t"})
    assert page.status_code == 503, page.text[:300]
    assert page.headers["content-type"].startswith("text/html")
    assert "503" in page.text and "database" in page.text and "Traceback" not in page.text


def test_cli_prints_one_line_naming_the_database_and_exits_non_zero(
        down_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "EPMO_DATABASE_URL": down_url}
    done = subprocess.run([sys.executable, "-m", "epmo", "audit", "verify"], capture_output=True,
                          text=True, env=env, timeout=120, check=False, cwd=tmp_path)
    assert done.returncode == 3, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr and "s3cret" not in done.stderr
    shown = "127.0.0.1" if down_url.startswith("postgresql") else "missing-folder"
    assert "database" in lines[0] and shown in lines[0]


def test_readyz_answers_ok_when_the_database_answers(as_: Clients) -> None:
    r = as_.anon.get("/readyz")
    assert r.status_code == 200 and r.json()["database"] == "ok"


def test_an_exhausted_connection_pool_answers_503_not_500(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'busy.db'}", pool_size=1, max_overflow=0,
                         pool_timeout=0.1)
    SessionFactory.maker = sessionmaker(class_=UnitOfWork, bind=engine, expire_on_commit=False)
    try:
        with engine.connect():  # the only connection is busy
            r = TestClient(create_app(), raise_server_exceptions=False).get(
                "/api/v1/projects", headers={"Authorization": "Bearer some-token"})
    finally:
        SessionFactory.maker = None
        engine.dispose()
    assert r.status_code == 503 and r.headers["retry-after"]
    assert r.headers["content-type"].startswith("application/problem+json")
