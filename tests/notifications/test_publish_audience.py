"""publish() reads who may get an event in a fixed number of SQL statements, for any audience."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from epmo.auth import service as auth_service
from epmo.auth.models import User
from epmo.notifications import policy
from epmo.notifications.models import Event, Notification, OutboundEmail, Webhook, WebhookDelivery
from epmo.notifications.publishing import actors_for, publish
from epmo.portfolio.models import ProgrammeDepartment, ProjectDepartment
from tests.factories import add_goal, add_programme, add_project
from tests.world import World

# (role, department code, person key, reads the FIN project that IT-INFRA takes part in?)
KINDS = [("member", "FIN", None, True),               # owning department
         ("project_manager", "HR", None, False),      # nothing to do with it
         ("viewer", "IT-INFRA", None, True),          # a participating department
         ("member", "IT", None, True),                # IT-INFRA is below IT: in scope
         ("viewer", "HR", "infra_pm", True),          # manages it
         ("executive", None, None, True),             # the whole enterprise
         ("viewer", None, None, False)]               # no department at all


@contextmanager
def counted(db: Session) -> Iterator[list[str]]:
    """Every SQL statement the session's connection sends inside the block."""
    statements: list[str] = []
    engine = db.get_bind()

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def reads(statements: list[str]) -> list[str]:
    """The statements that read: every one but the INSERTs of new rows.

    Each new row is its own INSERT on SQLite (it cannot return generated ids in insert order
    for a batch), so the writes grow with the audience there; what must not grow is the reading.
    """
    return [s for s in statements if not s.lstrip().upper().startswith("INSERT")]


def _project(db: Session, world: World, code: str = "AUD-1") -> int:
    project = add_project(db, world, "FIN", code, manager_id=world.people["infra_pm"])
    db.add(ProjectDepartment(project_id=project.id, department_id=world.departments["IT-INFRA"]))
    db.flush()
    return project.id


def _users(db: Session, world: World, prefix: str, count: int) -> dict[int, bool]:
    """``count`` users cycling through KINDS: user id -> may read the project."""
    made: dict[int, bool] = {}
    for n in range(count):
        role, code, person, reads = KINDS[n % len(KINDS)]
        user = auth_service.create_user(
            db, email=f"{prefix}-{n}@example.org", name=f"{prefix} {n}", role=role,
            password=None, department_codes=[code] if code else [],
            person_id=world.people[person] if person else None)
        made[user.id] = reads
    return made


def _hooks(db: Session, world: World) -> None:
    for owner in ("admin", "fin_lead", "hr_viewer"):
        db.add(Webhook(name=f"{owner} hook", url="http://127.0.0.1:9/x", secret="s",
                       event_types=[], active=True, owner_id=world.users[owner]))
    db.flush()


def _publish_counted(db: Session, projects: list[int],
                     users: dict[int, bool]) -> tuple[Event, int]:
    db.expunge_all()  # each measure starts cold: nothing in the identity map
    with counted(db) as statements:
        published = publish(db, kind="change.created", title="Date moved", body="moved",
                            link=f"/projects/{projects[0]}", payload={},
                            targets=[("project", p) for p in projects],
                            recipients=list(users))
    return published, len(reads(statements))


def _inboxes(db: Session, published: Event) -> set[int]:
    query = select(Notification.user_id).where(Notification.key == f"event:{published.id}")
    return set(db.scalars(query))


def test_audience_is_read_in_a_fixed_number_of_queries(db: Session, world: World) -> None:
    """3 recipients of an event about one project, then 30 of one about five: same reads."""
    projects = [_project(db, world, f"AUD-{n}") for n in range(1, 6)]  # all read alike
    _hooks(db, world)
    few, many = _users(db, world, "few", 3), _users(db, world, "many", 30)
    small, small_count = _publish_counted(db, projects[:1], few)
    large, large_count = _publish_counted(db, projects, many)
    assert large_count == small_count, (small_count, large_count)
    assert _inboxes(db, small) == {user for user, may in few.items() if may}
    assert _inboxes(db, large) == {user for user, may in many.items() if may}
    emails = db.scalars(select(OutboundEmail.user_id).where(OutboundEmail.event_id == large.id))
    assert set(emails) == _inboxes(db, large)
    hooks = db.scalars(select(Webhook.owner_id).join(
        WebhookDelivery, WebhookDelivery.webhook_id == Webhook.id).where(
        WebhookDelivery.event_id == large.id))
    assert sorted(hooks) == sorted([world.users["admin"], world.users["fin_lead"]])


def _targets(db: Session, world: World) -> list[tuple[str, int]]:
    programme, goal = add_programme(db, world, "HR", "AUD-P"), add_goal(db, "AUD-G")
    db.add(ProgrammeDepartment(programme_id=programme.id, department_id=world.departments["FIN"]))
    db.flush()
    return [("project", _project(db, world)), ("programme", programme.id),
            ("department", world.departments["IT-INFRA"]), ("goal", goal.id),
            ("project", 10**9)]


def test_batched_audience_matches_one_user_at_a_time(db: Session, world: World) -> None:
    made = _users(db, world, "each", len(KINDS))
    users = list(db.scalars(select(User).where(User.id.in_([*made, *world.users.values()]))))
    actors = actors_for(db, users)
    assert actors == {user.id: auth_service.actor_for(db, user) for user in users}
    for kind, ident in _targets(db, world):
        published = publish(db, kind="change.created", title="t", body="", link="", payload={},
                             targets=[(kind, ident)], recipients=[u.id for u in users])
        expected = {user.id for user in users
                    if policy.can_read_target(db, auth_service.actor_for(db, user), kind, ident)}
        assert _inboxes(db, published) == expected, (kind, ident)
        assert expected or (kind, ident) == ("project", 10**9)
