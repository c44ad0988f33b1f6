"""The unit of work and its wiring: nothing reacts by import, everything by ``wiring.install``."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from contextlib import suppress

import pytest
from sqlalchemy.orm import Session

from epmo import events
from epmo.db import SessionFactory, work_of
from epmo.events import NodesRemoved
from epmo.org.models import Department

CHECK = textwrap.dedent("""
    import importlib, pkgutil
    from sqlalchemy.orm import Session, SessionEvents
    import epmo
    from epmo import db, events
    skipped = {"epmo.__main__"}
    for info in pkgutil.walk_packages(epmo.__path__, "epmo."):
        if info.name not in skipped and ".migrations." not in info.name:
            importlib.import_module(info.name)
    names = [n for n in dir(SessionEvents) if not n.startswith("_")]
    found = []
    for cls in (Session, db.UnitOfWork):
        for name in names:
            dispatch = getattr(cls.dispatch, name, None)
            listeners = getattr(dispatch, "_clslevel", {}).get(cls, ())
            found += [f"{name}: {fn.__module__}.{fn.__name__}" for fn in listeners
                      if fn.__module__.startswith("epmo")]
    print("LISTENERS", sorted(set(found)))
    print("INSTALLED", events.REACTIONS.installed)
""")


def test_importing_every_module_installs_no_listener() -> None:
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True,
                          check=False, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "LISTENERS []" in done.stdout, done.stdout
    assert "INSTALLED False" in done.stdout, done.stdout


def test_recording_before_the_wiring_is_refused() -> None:
    saved = events.REACTIONS.installed
    events.REACTIONS.installed = False
    try:
        session = SessionFactory.open(write=False)
        with pytest.raises(RuntimeError, match=r"wiring\.install"):
            events.record(session, NodesRemoved())
        session.close()
    finally:
        events.REACTIONS.installed = saved


class Boom(Exception):
    """A failure inside a savepoint."""


def test_a_rolled_back_savepoint_forgets_its_events_and_audit(db: Session) -> None:
    work = work_of(db)
    db.add(Department(code="KEPT", name="Kept"))
    db.flush()
    noted, audited = len(work.events), len(work.audit_pending)
    assert audited >= 1  # the kept department waits for the hash chain
    with suppress(Boom), db.begin_nested():
        events.record(db, NodesRemoved())
        db.add(Department(code="GONE", name="Gone"))
        db.flush()
        assert len(work.events) == noted + 1 and len(work.audit_pending) == audited + 1
        raise Boom
    assert (len(work.events), len(work.audit_pending)) == (noted, audited)
    assert [c.after["code"] for c in work.audit_pending if c.entity == "department"] == ["KEPT"]
