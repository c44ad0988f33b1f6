"""Database engine, declarative base, shared columns and the unit of work."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Connection,
    DateTime,
    Engine,
    Executable,
    Integer,
    MetaData,
    create_engine,
    event,
    inspect,
    make_url,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    SessionTransaction,
    declared_attr,
    mapped_column,
    sessionmaker,
)
from sqlalchemy.orm.exc import StaleDataError

from epmo.config import get_settings
from epmo.errors import Conflict, FieldError

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base of every table."""

    metadata = MetaData(naming_convention=NAMING)


class Versioned:
    """Optimistic concurrency: every update bumps ``version``; a stale write fails."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        """Let SQLAlchemy check and bump ``version`` on every UPDATE."""
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; we emit BEGIN ourselves.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    busy_ms = int(get_settings().db_busy_timeout_seconds * 1000)
    cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
    cursor.close()


WRITES = "epmo_writes"
SQLITE_OVERFLOW = 40
HOLDS_TURN = "epmo_holds_write_turn"


class WriteTurns:
    """One SQLite writer at a time in this process, waiting in a queue.

    SQLite's own busy handler polls with growing sleeps, so under many writers one can starve
    past any timeout; a lock hands the turn over as soon as it is free. Other processes
    (``--workers N``, the CLI) still meet at the database's lock, with its busy timeout. A
    turn not granted in time (a nested unit of work in the same thread) falls back to that.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()

    def begin(self, conn: Any) -> None:
        """Start a transaction: IMMEDIATE (after waiting for our turn) if it may write."""
        # A unit of work that may write takes the write lock up front: SQLite does not wait
        # (busy_timeout) when a deferred transaction that has read upgrades to writing after
        # another writer committed, it fails with "database is locked" at once.
        if not conn.get_execution_options().get(WRITES, False):
            conn.exec_driver_sql("BEGIN")
            return
        conn.info[HOLDS_TURN] = self.lock.acquire(
            timeout=get_settings().db_busy_timeout_seconds)
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            self.end(conn)
            raise

    def end(self, conn: Any, *_: Any) -> None:
        """The transaction ended (or its connection went back to the pool): next writer."""
        if conn.info.pop(HOLDS_TURN, False):
            self.lock.release()

    def checkin(self, _dbapi: Any, record: Any) -> None:
        """A connection returned to the pool cannot still hold a turn."""
        if record is not None and record.info.pop(HOLDS_TURN, False):
            self.lock.release()

    def listen(self, engine: Engine) -> None:
        """Attach to ``engine``'s transaction and pool events."""
        event.listen(engine, "begin", self.begin)
        event.listen(engine, "commit", self.end)
        event.listen(engine, "rollback", self.end)
        event.listen(engine, "checkin", self.checkin)


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` (default: the configured one) with our SQLite rules."""
    settings = get_settings()
    url = url or settings.database_url
    if url.startswith("sqlite"):
        if make_url(url).database not in (None, "", ":memory:"):
            # Writers wait for their turn holding a connection; let every server thread
            # (uvicorn runs sync routes on 40) have one rather than time out at the pool.
            kwargs.setdefault("max_overflow", SQLITE_OVERFLOW)
        engine = create_engine(url, echo=settings.db_echo, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        WriteTurns().listen(engine)
        return engine
    kwargs.setdefault("pool_size", settings.db_pool_size)
    kwargs.setdefault("pool_pre_ping", True)
    connect_args = kwargs.setdefault("connect_args", {})
    connect_args.setdefault("connect_timeout", settings.db_connect_timeout_seconds)
    return create_engine(url, echo=settings.db_echo, **kwargs)


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    """Return the process-wide engine."""
    return make_engine()


class UnitOfWork(Session):
    """One transaction's session with what it carries besides rows, typed.

    ``unit_of_work()`` opens one; every session of the app is one (``SessionFactory``). It holds
    who acts (``actor_id``, ``actor_label``), through which source and why (``source``,
    ``reason``: ``form``, ``import``, ``report``...), the domain ``events`` recorded so far
    (``epmo.events``), and the bookkeeping of the reactions ``epmo.wiring`` installs: audit
    changes waiting for the hash chain, deliveries waiting for the commit, and the warnings of
    the last governed write.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor_id: int | None = None
        self.actor_label = "system"
        self.source = ""
        self.reason = ""
        self.events: list[Any] = []
        self.settled = 0  # events[:settled] have had their commit-time reactions
        self.audit_pending: list[Any] = []
        self.outbox: list[tuple[str, int]] = []
        self.warnings: list[FieldError] = []
        self.flushing: list[tuple[type[Any], Any, int]] = []
        self.marks: dict[int, tuple[int, int, int]] = {}

    def act_as(self, actor_id: int | None, label: str) -> None:
        """Say who makes this transaction's writes (the audit log and change events name them)."""
        self.actor_id, self.actor_label = actor_id, label

    def mark_source(self, source: str, reason: str) -> None:
        """Say where this transaction's changes come from (``import``, ``report``...) and why."""
        self.source, self.reason = source, reason

    def savepoint_began(self, transaction: SessionTransaction) -> None:
        """A SAVEPOINT began: remember how much was noted, to drop what follows on rollback."""
        if transaction.nested:
            self.marks[id(transaction)] = (
                len(self.events), len(self.audit_pending), len(self.outbox))

    def rolled_back(self, previous: SessionTransaction) -> None:
        """A transaction rolled back: drop what it had noted (a SAVEPOINT: only its part)."""
        mark = self.marks.pop(id(previous), None)
        if previous.nested and mark is not None:
            del self.events[mark[0]:], self.audit_pending[mark[1]:], self.outbox[mark[2]:]
            self.settled = min(self.settled, mark[0])
        elif previous.parent is None:
            self.events.clear()
            self.audit_pending.clear()
            self.outbox.clear()
            self.marks.clear()
            self.settled = 0
            self.source, self.reason = "", ""


def work_of(session: Session) -> UnitOfWork:
    """The unit of work a session is (every session the app opens is one)."""
    if not isinstance(session, UnitOfWork):
        raise TypeError("open sessions with db.unit_of_work() or SessionFactory, not Session()")
    return session


def core_connection(session: Session) -> Connection:
    """The session's connection for a Core read of many aggregate rows (no ORM result
    wrapping), after the flush the session's own execute would make, so a write pending in
    this unit of work counts."""
    if session.autoflush:
        session.flush()
    return session.connection()


def take_warnings(session: Session) -> list[FieldError]:
    """The warnings the charter let the last project write through with (and forget them)."""
    work = work_of(session)
    found, work.warnings = work.warnings, []
    return found


class SessionFactory:
    """Holds the sessionmaker so tests can rebind it to a connection in a transaction."""

    maker: sessionmaker[Session] | None = None

    @classmethod
    def get(cls) -> sessionmaker[Session]:
        """Return the configured sessionmaker, creating the default one on first use."""
        if cls.maker is None:
            cls.maker = sessionmaker(bind=get_engine(), class_=UnitOfWork,
                                     expire_on_commit=False)
        return cls.maker

    @classmethod
    def open(cls, write: bool) -> UnitOfWork:
        """A new session; on a SQLite engine, one that may write begins ``IMMEDIATE``."""
        maker = cls.get()
        bind = maker.kw.get("bind")
        if write and isinstance(bind, Engine) and bind.dialect.name == "sqlite":
            return work_of(maker(bind=_writer(bind)))
        return work_of(maker())


_WRITERS: dict[int, Engine] = {}


def _writer(engine: Engine) -> Engine:
    """The engine's twin (same pool and listeners) whose transactions begin IMMEDIATE."""
    twin = _WRITERS.get(id(engine))
    if twin is None or twin.pool is not engine.pool:
        twin = _WRITERS[id(engine)] = engine.execution_options(**{WRITES: True})
    return twin


class StaleWrite(Conflict, StaleDataError):
    """A versioned row changed between our read and our write (a lost race): 409.

    Also a StaleDataError, so code that expects SQLAlchemy's error keeps catching it.
    """


def note_versioned(session: Session, _ctx: Any, _instances: Any) -> None:
    """Before a flush: note which versioned rows it writes (a failed flush expires them)."""
    work_of(session).flushing = [
        (type(obj), state.identity, obj.version)
        for obj in [*session.dirty, *session.deleted]
        if isinstance(obj, Versioned) and (state := inspect(obj)).identity is not None]



def _stale_write(session: Session, rows: list[tuple[type[Any], Any, int]]) -> StaleWrite:
    """The 409 of a lost race, naming the row's current version (read afresh) when known."""
    for model, identity, read in rows:
        key = inspect(model).primary_key[0]
        current = session.scalar(select(model.version).where(key == identity[0]))
        if current is not None and current != read:
            return StaleWrite(
                f"{model.__name__} was changed by someone else (your version {read}, "
                f"current {current}); reload and apply your change again",
                [FieldError("version", f"stale: current version is {current}")],
                {"current_version": current})
    return StaleWrite("The record was changed by someone else; reload and apply your change "
                      "again", [FieldError("version", "stale")])


def _on_stale(session: Session, exc: StaleDataError) -> StaleWrite:
    rows, work_of(session).flushing = work_of(session).flushing, []
    session.rollback()
    try:
        return _stale_write(session, rows)
    except Exception:  # the database went away meanwhile: report the race without versions
        session.rollback()
        return _stale_write(session, [])


@contextmanager
def unit_of_work(actor_id: int | None = None, *, write: bool = True,
                 actor_label: str = "system") -> Iterator[UnitOfWork]:
    """Open one transaction: commit if the block succeeds, roll back on any error.

    ``write=False`` (reads: GET requests) lets SQLite run it beside a writer; any unit of
    work that may write keeps the default.
    """
    session = SessionFactory.open(write)
    session.act_as(actor_id, actor_label)
    try:
        yield session
        session.commit()
    except StaleDataError as exc:
        if isinstance(exc, StaleWrite):
            session.rollback()
            raise
        raise _on_stale(session, exc) from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


_STAMP_WAIT_MS = 200
log = logging.getLogger(__name__)


def stamp(session: Session, statement: Executable) -> None:
    """Write bookkeeping (a "last seen" time) from any request, never failing it.

    On SQLite a read (a deferred transaction) that writes fails at once when another writer
    committed since it began, and otherwise waits for the write lock as long as a writer
    would. A stamp is worth neither a failed nor a slow read: it is tried once in a savepoint,
    waiting at most 200 ms, and dropped when the database is busy (the next request stamps).
    """
    conn = session.connection()
    short = conn.dialect.name == "sqlite" and not conn.get_execution_options().get(WRITES)
    try:
        if short:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={_STAMP_WAIT_MS}")
        with session.begin_nested():
            session.execute(statement)
    except OperationalError as exc:
        log.info("stamp skipped, the database is busy: %s", exc.orig)
    finally:
        if short:
            wait = int(get_settings().db_busy_timeout_seconds * 1000)
            conn.exec_driver_sql(f"PRAGMA busy_timeout={wait}")


def ping() -> None:
    """Ask the database for ``SELECT 1``; raises SQLAlchemy's error when it cannot answer."""
    with unit_of_work(write=False) as session:
        session.execute(text("SELECT 1"))


def connection_lost(exc: BaseException) -> bool:
    """Whether ``exc`` says the database cannot be reached (down, refused, busy), not a bug."""
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def shown_url(url: str | None = None) -> str:
    """The database URL (default: the configured one) as safe to show: no password."""
    raw = url or get_settings().database_url
    try:
        return make_url(raw).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL: say so without echoing what may be a secret
        return "(the configured EPMO_DATABASE_URL)"
