"""Test harness: the whole suite runs on SQLite and, when configured, on PostgreSQL.

Each test runs inside a transaction on one connection that is rolled back afterwards; the
app's sessions join it through savepoints, so every request still commits "for real".
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from epmo import wiring
from epmo.db import SessionFactory, UnitOfWork, make_engine
from epmo.models import Base
from epmo.web.app import create_app
from tests.factories import Maker
from tests.world import World, build_world

# Hypothesis' per-example deadline is a timed assertion: on a loaded 2-core CI machine it fails
# tests that are right. Speed is measured in bench/, never here.
hypothesis_settings.register_profile("epmo", deadline=None)
hypothesis_settings.load_profile("epmo")

os.environ.setdefault("EPMO_ENV", "test")
os.environ.setdefault("EPMO_SECRET_KEY", "test-secret-key-not-for-production")
# Fixtures write inside a rolled-back transaction without committing, so the audit head (the
# overview cache's key) does not move with them; tests/overview/test_cache.py turns it on.
os.environ.setdefault("EPMO_OVERVIEW_CACHE_SECONDS", "0")
# The job queue's SQLite file goes to a temporary folder, not the working directory.
os.environ.setdefault("EPMO_JOBS_URL", f"sqlite:///{tempfile.gettempdir()}/epmo-test-jobs-{os.getpid()}.db")
PG_URL = os.environ.get("EPMO_TEST_POSTGRES_URL", "")
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def drop_pg_schema(schema: str, create: bool = False) -> None:
    """Drop ``schema`` (and everything in it) from the test database; recreate it if asked."""
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        if create:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()


def pg_engine(schema: str) -> Engine:
    """Engine on the test PostgreSQL database, confined to a fresh ``schema``."""
    drop_pg_schema(schema, create=True)
    return make_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})


def sqlite_engine(folder: Path, name: str) -> Engine:
    """Engine on a fresh SQLite file in ``folder``."""
    path = folder / f"{name}.db"
    path.unlink(missing_ok=True)
    return make_engine(f"sqlite:///{path}")


def _backends() -> list[object]:
    pg = pytest.param("postgresql", marks=pytest.mark.postgresql)
    return ["sqlite", pg]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgresql: runs against the PostgreSQL server")


@pytest.fixture(scope="session", params=_backends())
def backend(request: pytest.FixtureRequest) -> str:
    """Name of the database the test runs on."""
    name = str(request.param)
    if name == "postgresql" and not PG_URL:
        pytest.skip("PostgreSQL runs are skipped: EPMO_TEST_POSTGRES_URL is not set")
    return name


@pytest.fixture(scope="session")
def engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A database with the full schema for this worker."""
    schema = f"epmo_test_{_worker()}_{os.getpid()}"
    if backend == "postgresql":
        eng = pg_engine(schema)
    else:
        eng = sqlite_engine(tmp_path_factory.mktemp("db"), f"epmo_{_worker()}")
    Base.metadata.create_all(eng)
    wiring.install()
    yield eng
    eng.dispose()
    if backend == "postgresql":
        drop_pg_schema(schema)


@pytest.fixture(scope="session")
def world(engine: Engine) -> World:
    """Departments, people, users of every role and their tokens, committed once."""
    maker = sessionmaker(class_=UnitOfWork, bind=engine, expire_on_commit=False)
    with maker() as session:
        built = build_world(session)
        session.commit()
    return built


@pytest.fixture
def db(engine: Engine, world: World) -> Iterator[Session]:
    """A session in the test's outer transaction, shared with the app, rolled back at the end."""
    connection = engine.connect()
    outer = connection.begin()
    SessionFactory.maker = sessionmaker(class_=UnitOfWork,
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    session = SessionFactory.maker()
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()
        SessionFactory.maker = None


@pytest.fixture(scope="session")
def app() -> object:
    """The application under test."""
    return create_app()


@dataclass
class Clients:
    """HTTP clients signed in as each role (bearer tokens), plus an anonymous one."""

    app: object
    world: World
    cache: dict[str, TestClient] = field(default_factory=dict)

    def __call__(self, user: str) -> TestClient:
        """Client authenticated as the world's user ``user`` (e.g. "admin", "it_lead")."""
        if user not in self.cache:
            headers = {"Authorization": f"Bearer {self.world.tokens[user]}"}
            self.cache[user] = TestClient(self.app, headers=headers)  # type: ignore[arg-type]
        return self.cache[user]

    @property
    def anon(self) -> TestClient:
        """A client with no credentials."""
        return TestClient(self.app)  # type: ignore[arg-type]


@pytest.fixture
def as_(app: object, world: World, db: Session) -> Clients:
    """``as_("admin").get(...)``: API calls as a given user inside the test transaction."""
    return Clients(app, world)


@pytest.fixture
def make(as_: Clients, world: World) -> Maker:
    """``make.project("FIN", manager_id=...)`` and friends, through the API as the admin."""
    return Maker(as_, world)


@pytest.fixture
def shared_data() -> Path:
    """The reference data folder beside the project; skip when absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def cache_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Turn the audit-head caches on (the suite runs with them off) and start them empty."""
    from epmo.compliance import service as compliance
    from epmo.config import get_settings
    from epmo.overview import service as overview
    from epmo.resources import heatmap, queue

    # heatmap.SUPPLY too: a rolled-back test's audit ids come again in the next test, so a
    # supply kept by one test must not be patched forward in another
    caches = (overview.CACHE, compliance.CACHE, heatmap.CACHE, queue.CACHE, heatmap.SUPPLY)
    monkeypatch.setenv("EPMO_OVERVIEW_CACHE_SECONDS", "300")
    get_settings.cache_clear()
    for cache in caches:
        cache.clear()
    yield
    for cache in caches:
        cache.clear()
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def hub_money(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, str], None]]:
    """Set the hub's currency and locale (EPMO_CURRENCY, EPMO_LOCALE) for one test."""
    from epmo.config import get_settings

    def use(currency: str, locale: str) -> None:
        monkeypatch.setenv("EPMO_CURRENCY", currency)
        monkeypatch.setenv("EPMO_LOCALE", locale)
        get_settings.cache_clear()
    yield use
    monkeypatch.undo()
    get_settings.cache_clear()
