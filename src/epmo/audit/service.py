"""One audit mechanism: session events capture every ORM write; commit appends a hash chain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session, UOWTransaction

from epmo.audit import repository
from epmo.audit.models import AuditEntry, AuditHead
from epmo.db import Base, utcnow, work_of

GENESIS = "0" * 64
REDACTED = frozenset({"password_hash", "token_hash", "secret"})
SKIPPED = frozenset({"created_at", "updated_at", "version"})


@dataclass(frozen=True, slots=True)
class Change:
    """A captured write, waiting to be chained at commit."""

    entity: str
    entity_id: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)  # files are recorded by size and digest, not content
        return f"<{len(data)} bytes sha256:{hashlib.sha256(data).hexdigest()}>"
    return value


def _columns(obj: Base) -> list[str]:
    return [c.key for c in inspect(obj).mapper.column_attrs]


def _snapshot(obj: Base) -> dict[str, Any]:
    return {
        key: "***" if key in REDACTED else _plain(getattr(obj, key))
        for key in _columns(obj)
        if key not in SKIPPED
    }


def _diff(obj: Base) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key in _columns(obj):
        hist = state.attrs[key].history
        if key in SKIPPED or not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        shown = "***" if key in REDACTED else None
        before[key] = shown or _plain(old)
        after[key] = shown or _plain(getattr(obj, key))
    return before, after


def _identity(obj: Base) -> str:
    key = inspect(obj).identity or inspect(obj).mapper.primary_key_from_instance(obj)
    return "-".join(str(part) for part in key)


def _audited(obj: object) -> bool:
    # A table may opt out with ``__audited__ = False`` when a per-row entry (actor, instant,
    # values) would itself break a promise: anonymous survey answers (see surveys.models),
    # which their domain seals in the log by count and digest instead.
    return (isinstance(obj, Base) and getattr(type(obj), "__audited__", True)
            and not isinstance(obj, AuditEntry | AuditHead))


def capture(session: Session, _ctx: UOWTransaction) -> None:
    """After each flush: note every ORM insert, update and delete for the log."""
    pending = work_of(session).audit_pending
    for obj in filter(_audited, session.new):
        pending.append(Change(obj.__tablename__, _identity(obj), "create", None, _snapshot(obj)))
    for obj in filter(_audited, session.dirty):
        before, after = _diff(obj)
        if after:
            pending.append(Change(obj.__tablename__, _identity(obj), "update", before, after))
    for obj in filter(_audited, session.deleted):
        pending.append(Change(obj.__tablename__, _identity(obj), "delete", _snapshot(obj), None))


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    """Return the SHA-256 that chains ``entry`` to ``prev_hash``."""
    at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=UTC)
    payload = {
        "at": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f"),
        "actor_id": entry.actor_id,
        "actor": entry.actor,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "action": entry.action,
        "before": entry.before,
        "after": entry.after,
    }
    text = prev_hash + json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _lock_head(session: Session) -> AuditHead:
    # The row lock serialises appenders across workers on PostgreSQL.
    head = repository.locked_head(session)
    if head is None:
        head = AuditHead(id=1, last_hash=GENESIS, count=0)
        session.add(head)
    return head


def append(session: Session, changes: list[Change]) -> None:
    """Chain ``changes`` after the current head of the log, in this transaction."""
    if not changes:
        return
    head = _lock_head(session)
    now, work = utcnow(), work_of(session)
    for change in changes:
        entry = AuditEntry(
            at=now, actor_id=work.actor_id, actor=work.actor_label, entity=change.entity,
            entity_id=change.entity_id, action=change.action,
            before=change.before, after=change.after, prev_hash=head.last_hash,
        )
        entry.hash = entry_hash(head.last_hash, entry)
        head.last_hash, head.count = entry.hash, head.count + 1
        session.add(entry)


def chain(session: Session) -> None:
    """Before the commit: append the captured changes to the hash chain."""
    work = work_of(session)
    changes, work.audit_pending = work.audit_pending, []
    append(session, changes)


def record(session: Session, entity: str, entity_id: str, action: str,
           after: dict[str, Any] | None = None) -> None:
    """Record a write made outside the ORM (bulk loads) so the log still shows it."""
    work_of(session).audit_pending.append(Change(entity, entity_id, action, None, after))


@dataclass(frozen=True, slots=True)
class Verdict:
    """Outcome of checking the chain: entries read and the first broken one, if any."""

    checked: int
    broken_id: int | None = None
    reason: str = ""


def verify(entries: Iterable[AuditEntry], head_hash: str | None = None,
           head_count: int | None = None) -> Verdict:
    """Recompute the chain; report the first entry whose link or content was altered.

    ``head_hash``/``head_count`` (from the head row) also reveal entries deleted at the end.
    """
    prev, checked, last_id = GENESIS, 0, None
    for entry in entries:
        if entry.prev_hash != prev:
            return Verdict(checked, entry.id, "its link to the previous entry is broken")
        if entry_hash(prev, entry) != entry.hash:
            return Verdict(checked, entry.id, "its content does not match its hash")
        prev, checked, last_id = entry.hash, checked + 1, entry.id
    if head_hash is not None and (head_hash != prev or head_count != checked):
        return Verdict(checked, last_id, f"the log ends early: {head_count} entries were written")
    return Verdict(checked)


def verify_log(session: Session) -> Verdict:
    """Check the whole stored chain against its head."""
    head = session.get(AuditHead, 1)
    entries = repository.iter_entries(session)
    if head is None:
        return verify(entries)
    return verify(entries, head.last_hash, head.count)
