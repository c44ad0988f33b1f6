"""Everything that happens after a write, in one place.

``install()`` is called by the app factory, the CLI and the job worker (and the tests); no
module installs a listener by being imported. Read top to bottom, it says what every unit of
work does besides its own writes:

1. Each flush notes the versioned rows it writes (a lost race names their current version),
   captures every ORM change for the audit log, records ``DatesMoved`` / ``NodesRemoved``
   for milestones and projects whose own dates moved or that went, and
   ``HealthInputsChanged`` for projects whose derived colour may have changed (their tier,
   dates or money, or a report's forecasts were written), and ``DemandInputsChanged`` for
   the departments whose committed demand may have changed (demand lines, or a project's or
   request's department, stage or link written, or a project deleted).
2. Domain events react at once (``events.record``):
   - ``ProjectProposed`` (a project create, update or stage change about to be written): the
     tier rules give its tier, then the charter's enforcement refuses it or keeps warnings;
   - ``ProjectRemoving`` (a project or milestone about to be deleted): the network refuses
     while accepted dependencies still point at it, and drops the rest; benefits anchored
     on a milestone being deleted fall back to their project's finish;
   - ``ReportStored``: the change events it causes are named after the report.
   - ``RequestApproved`` (intake): the request's expected benefits become a benefit of the
     new project (``benefits.follow.carry_request``).
   - ``StartsWanted`` (intake, a read): the resources queue fills in the requests' earliest
     feasible starts (``resources.queue.answer_starts``).
   - ``ThresholdsChanged`` / ``TiersChanged`` (contracts): the stored colours follow (below).
3. Before the commit (``events.settle``): moved dates propagate through the network and
   become change events with their impacts and notifications (``ChangeRecorded``); a
   project whose start moved has its role demand moved by as many months, once for the
   unit of work's net move (``portfolio.demand_shift``); a benefit anchored on a milestone or
   project finish whose own date moved has its plan moved by as many months, once per net
   move, and one whose anchor a dependency pushed (``ChangeRecorded``) is flagged at risk
   (``benefits.follow``); the stored derived colours of the
   projects noted are recomputed in one batch (``reporting.health_store``), and the kept
   committed demand of the departments noted, after the demand shift
   (``resources.demand_totals``); then the audit
   entries are appended to the hash chain.
4. After the commit: e-mails and webhook deliveries written in the transaction go to the job
   queue. A rollback (or a rolled-back SAVEPOINT) forgets what its part had noted.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from epmo import events
from epmo.audit import service as audit
from epmo.benefits import follow as benefits
from epmo.compliance import enforcement
from epmo.contracts import tiering
from epmo.contracts.events import ThresholdsChanged, TiersChanged
from epmo.db import note_versioned, work_of
from epmo.events import ChangeRecorded, DatesMoved, NodeEvent, ReportStored
from epmo.intake.events import RequestApproved, StartsWanted
from epmo.network import capture, ends
from epmo.network import events as network
from epmo.portfolio import demand_shift
from epmo.portfolio.events import ProjectProposed, ProjectRemoving
from epmo.reporting import health_store
from epmo.reporting.events import HealthInputsChanged
from epmo.resources import demand_totals, queue
from epmo.resources.events import DemandInputsChanged

_LOCK = threading.Lock()


def _react() -> None:
    """Who reacts to which domain event, in order."""
    reactions = events.REACTIONS
    reactions.on(ProjectProposed, tiering.on_project_proposed)
    reactions.on(ProjectProposed, enforcement.on_project_proposed)
    reactions.on(ProjectRemoving, ends.on_removing)
    reactions.on(ProjectRemoving, benefits.on_removing)
    reactions.on(ReportStored, capture.name_report)
    reactions.on(RequestApproved, benefits.carry_request)
    reactions.on(StartsWanted, queue.answer_starts)
    reactions.on_commit(NodeEvent, network.process_changes)
    reactions.on_commit(DatesMoved, demand_shift.follow_start)
    reactions.on_commit(DatesMoved, benefits.follow_anchor)
    reactions.on_commit(ChangeRecorded, benefits.flag_at_risk)
    reactions.on_commit(HealthInputsChanged, health_store.refresh_changed)
    reactions.on_commit(TiersChanged, health_store.refresh_changed)
    reactions.on_commit(ThresholdsChanged, health_store.refresh_everything)
    reactions.on_commit(DemandInputsChanged, demand_totals.refresh_changed)


def _before_commit(session: Session) -> None:
    # Also when a SAVEPOINT is released (a page form's action): its effects, and a refusal
    # among them, come while the form can still show it.
    session.flush()
    events.settle(session)
    audit.chain(session)
    if session.get_nested_transaction() is None:
        work_of(session).mark_source("", "")


def _after_commit(session: Session) -> None:
    from epmo import jobs

    if session.get_nested_transaction() is not None:
        return  # a SAVEPOINT was released: deliveries wait for the real commit
    work = work_of(session)
    work.events.clear()
    work.settled = 0
    queued, work.outbox = work.outbox, []
    for kind, row_id in queued:
        jobs.enqueue_delivery(kind, row_id)


def _began(session: Session, transaction: SessionTransaction) -> None:
    work_of(session).savepoint_began(transaction)


def _rolled_back(session: Session, previous: SessionTransaction) -> None:
    work_of(session).rolled_back(previous)


LISTENERS: tuple[tuple[str, Any], ...] = (
    ("before_flush", note_versioned),
    ("after_flush", audit.capture),
    ("after_flush", capture.capture),
    ("after_flush", health_store.capture),
    ("after_flush", demand_totals.capture),
    ("before_commit", _before_commit),
    ("after_commit", _after_commit),
    ("after_transaction_create", _began),
    ("after_soft_rollback", _rolled_back),
)


def install() -> None:
    """Attach the session listeners and register the reactions (idempotent)."""
    with _LOCK:
        if events.REACTIONS.installed:
            return
        for name, listener in LISTENERS:
            if not event.contains(Session, name, listener):
                event.listen(Session, name, listener)
        _react()
        events.REACTIONS.installed = True
