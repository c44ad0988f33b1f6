"""web.pages.form_action: a page form's write in a savepoint, undone whole on a form error."""

from __future__ import annotations

from fastapi.responses import PlainTextResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from epmo.audit.models import AuditEntry
from epmo.db import work_of
from epmo.errors import Conflict, EpmoError, FieldError, Invalid
from epmo.notifications import outbox
from epmo.org.models import Department
from epmo.web.pages import form_action


def _department(session: Session, code: str) -> Department:
    department = Department(code=code, name=f"Department {code}")
    session.add(department)
    session.flush()
    return department


def _count(session: Session, *codes: str) -> int:
    return int(session.scalar(select(func.count()).select_from(Department)
                              .where(Department.code.in_(codes))) or 0)


def _again(exc: EpmoError) -> Response:
    return PlainTextResponse(exc.message, status_code=exc.status)


def _pending(session: Session) -> list[str]:
    """The codes of the departments the audit log will chain at commit."""
    return [str((change.after or {}).get("code")) for change in
            work_of(session).audit_pending if change.entity == "department"]


def test_an_error_undoes_every_write_of_the_action_and_shows_the_form_again(
        db: Session) -> None:
    _department(db, "KEPT-1")  # written by the request before the form's action

    def write() -> Department:
        _department(db, "GONE-1")  # flushed, then the action fails
        raise Invalid("Please correct the highlighted field", [FieldError("name", "too long")])

    answer = form_action(db, write, _again, lambda made: PlainTextResponse(made.code))

    assert (answer.status_code, answer.body) == (422, b"Please correct the highlighted field")
    assert _count(db, "KEPT-1", "GONE-1") == 1
    assert _count(db, "KEPT-1") == 1
    assert _pending(db) == ["KEPT-1"]  # the audit notes of the undone write are gone, not more


def test_the_error_status_is_the_errors_own(db: Session) -> None:
    def write() -> None:
        raise Conflict("Changed by someone else", [FieldError("version", "stale")])

    answer = form_action(db, write, _again, lambda _: PlainTextResponse("saved"))
    assert answer.status_code == 409


def test_a_write_that_works_is_kept_and_answered_by_done(db: Session) -> None:
    answer = form_action(db, lambda: _department(db, "MADE-1"), _again,
                         lambda made: PlainTextResponse(f"created {made.code}", 201))
    assert (answer.status_code, answer.body) == (201, b"created MADE-1")
    made = db.scalars(select(Department).where(Department.code == "MADE-1")).one()
    # Releasing the savepoint chains its audit entries (the outer commit keeps or drops them).
    audited = db.scalars(select(AuditEntry.action).where(
        AuditEntry.entity == "department", AuditEntry.entity_id == str(made.id))).all()
    assert audited == ["create"]


def test_an_error_that_is_no_form_error_is_raised_after_the_savepoint_is_undone(
        db: Session) -> None:
    def write() -> None:
        _department(db, "GONE-2")
        raise LookupError("a bug, not a refusal")

    try:
        form_action(db, write, _again, lambda _: PlainTextResponse("saved"))
    except LookupError:
        pass
    else:
        raise AssertionError("the bug was swallowed")
    assert _count(db, "GONE-2") == 0


def test_deliveries_queued_by_the_action_wait_for_the_real_commit(db: Session) -> None:
    """Releasing the savepoint is no commit: the outbox keeps the ids until the request's
    transaction commits, so no job looks for a row that is not committed yet."""
    answer = form_action(db, lambda: outbox.queue_email(db, 987_654), _again,
                         lambda _: PlainTextResponse("queued"))
    assert answer.status_code == 200
    assert work_of(db).outbox == [("email", 987_654)]
    work_of(db).outbox.clear()  # nothing to deliver when the test's transaction ends
