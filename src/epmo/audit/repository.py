"""Reads of the audit log."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from epmo.audit.models import AuditEntry, AuditHead


def iter_entries(session: Session, batch: int = 2000) -> Iterator[AuditEntry]:
    """Yield every entry in chain order, in batches to bound memory."""
    last = 0
    while True:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.id > last).order_by(AuditEntry.id).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id
        session.expunge_all()


def list_entries(
    session: Session, *, entity: str | None = None, entity_id: str | None = None,
    limit: int = 50, offset: int = 0,
) -> Sequence[AuditEntry]:
    """Return the newest entries first, optionally for one entity."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if entity_id:
        query = query.where(AuditEntry.entity_id == entity_id)
    return session.scalars(query.limit(limit).offset(offset)).all()


def locked_head(session: Session) -> AuditHead | None:
    """The audit head row, locked FOR UPDATE (serialises appenders across workers on PostgreSQL)."""
    return session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).first()


def head_state(session: Session) -> tuple[int, str]:
    """The audit log's entry count and last hash: they change with every write epmo makes."""
    row = session.execute(select(AuditHead.count, AuditHead.last_hash)).first()
    return (int(row[0]), str(row[1])) if row else (0, "")


def entity_head(session: Session, entities: Sequence[str]) -> tuple[int | None, ...]:
    """The newest entry's id for each of ``entities`` (None: none yet). Appenders hold the head
    row's lock to commit, so entries commit in id order and a committed write to any of these
    tables raises its figure: a key for results computed from those tables alone."""
    newest = [select(func.max(AuditEntry.id)).where(AuditEntry.entity == entity)
              .scalar_subquery() for entity in entities]
    row = session.execute(select(*newest)).one()
    return tuple(row)


Written = tuple[str, str, dict[str, Any] | None, dict[str, Any] | None]


def entries_between(session: Session, spans: Mapping[str, tuple[int | None, int | None]],
                    limit: int) -> list[Written]:
    """(entity, entity id, before, after) of the entries of each entity after the first id of
    its span and up to the second (None: from the start; to nothing), oldest first, at most
    ``limit``: one range of ``ix_audit_entry_entity_newest`` per entity."""
    ranges = [and_(AuditEntry.entity == entity, AuditEntry.id > (low or 0), AuditEntry.id <= high)
              for entity, (low, high) in spans.items() if high is not None and (low or 0) < high]
    if not ranges:
        return []
    query = (select(AuditEntry.entity, AuditEntry.entity_id, AuditEntry.before, AuditEntry.after)
             .where(or_(*ranges)).order_by(AuditEntry.id).limit(limit))
    return [(entity, ident, before, after) for entity, ident, before, after
            in session.execute(query)]
