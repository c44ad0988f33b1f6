"""Schemathesis' stateful phase on /api/v1: chains of calls linked by the ids they return.

Schemathesis 4 infers the links between operations from the OpenAPI document (its dependency
analysis: a collection's POST or GET list gives ids to the item's GET, PATCH and DELETE, a
department's id to the project list's filter, ...), so the document needs no hand-written
``links``. Each scenario runs as the EPMO admin, inside the test's rolled-back transaction
(each scenario in a savepoint of its own), on SQLite and PostgreSQL, on the small demo
enterprise of the stateless fuzz, whose pools also point three in four path ids at existing rows
(and versions at theirs) so that chains reach stored data. Every response gets the stateless
fuzz's checks: never a 5xx; a 4xx is problem+json and not a database-error safety net.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.generation.modes import GenerationMode
from schemathesis.generation.stateful import run_state_machine_as_test
from sqlalchemy import text
from sqlalchemy.orm import Session

from epmo.web.app import create_app
from tests.conftest import Clients
from tests.platform.test_api_fuzz import NETWORK, Pools, check_response
from tests.world import World

STATEFUL = (
    schemathesis.openapi.from_asgi("/api/openapi.json", create_app())
    .include(path_regex=r"^/api/v1/").exclude(path_regex=NETWORK)
    # Revoking tokens by listed id would revoke the one the scenarios sign in with.
    .exclude(path_regex=r"^/api/v1/users/me/tokens/", method="DELETE")
)
# Valid input only: a scenario goes on from the ids its calls create (the stateless fuzz sends
# the invalid input).
STATEFUL.config.generation.update(modes=[GenerationMode.POSITIVE])
MACHINE = STATEFUL.as_state_machine()
SCENARIOS = settings(
    max_examples=30, stateful_step_count=8, deadline=None, derandomize=True, database=None,
    phases=[Phase.generate], suppress_health_check=list(HealthCheck),
)


def _sequences(connection: Any) -> list[tuple[str, int, bool]]:
    """PostgreSQL's sequences of the test's schema: name, last value and whether it was handed
    out (read from each sequence: ``pg_sequences`` shows no value for a sequence set with
    ``is_called`` false, as the demo leaves them); none on SQLite."""
    if connection.dialect.name != "postgresql":
        return []
    names = connection.execute(text(
        "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")).scalars()
    found = []
    for name in list(names):
        value, called = connection.execute(
            text(f'SELECT last_value, is_called FROM "{name}"')).one()
        found.append((name, int(value), bool(called)))
    return found


def _restore(connection: Any, sequences: list[tuple[str, int, bool]]) -> None:
    """Set each sequence back to where it was (setval is not undone by a rollback)."""
    for name, value, called in sequences:
        connection.execute(text("SELECT setval(:name, :value, :called)"),
                           {"name": name, "value": value, "called": called})


def test_linked_calls_never_fail_the_server(app: object, db: Session, world: World) -> None:
    """Create-then-read/change/delete chains get 2xx/3xx or problem+json 4xx, never a 5xx."""
    pools = Pools(db, world)
    pools.seed()
    headers = {"Authorization": f"Bearer {world.tokens['admin']}"}
    connection = db.connection()

    class Scenarios(MACHINE):  # type: ignore[misc, valid-type]
        # Every scenario starts from the same data (a savepoint rolled back after it): what a
        # scenario draws depends on earlier answers, and Hypothesis replays scenarios. A rollback
        # does not take PostgreSQL's sequences back, so they are set back by hand: else a replay
        # gets other ids than the first run, answers differently and Hypothesis finds the
        # scenario's data "flaky".
        def setup(self) -> None:
            self.sequences = _sequences(connection)
            self.savepoint = connection.begin_nested()

        def teardown(self) -> None:
            self.savepoint.rollback()
            _restore(connection, self.sequences)
            super().teardown()

        def before_call(self, case: Any) -> None:
            pools.aim(case)

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"app": app, "headers": headers}

        def validate_response(self, response: Any, case: Any,
                              additional_checks: Any = None, **kwargs: Any) -> None:
            check_response(case, response)
            answered[response.status_code // 100] += 1

    answered: Counter[int] = Counter()
    run_state_machine_as_test(Scenarios, settings=SCENARIOS)
    # The scenarios reached past validation: a good share of the calls succeeded.
    assert answered[2] * 5 >= sum(answered.values()), answered


# Found by the stateful run on PostgreSQL: POST /api/v1/projects/4/milestones with
# {"name": "\U00104c60\x00", ...} answered the database-error safety net (PostgreSQL cannot store
# a NUL character in text; SQLite stored it). Every text field of every input refuses it.
@pytest.mark.parametrize(("url", "body", "field"), [
    ("/api/v1/departments", {"code": "NUL", "name": "Nul\x00"}, "name"),
    ("/api/v1/departments", {"code": "NUL", "name": "Nul", "description": "a\x00b"},
     "description"),
    ("/api/v1/people", {"code": "NUL", "name": "Nul", "department_id": 1, "role": "\x00"},
     "role"),
    ("/api/v1/goals", {"code": "NUL", "name": "\x00"}, "name"),
])
def test_nul_character_is_refused_naming_the_field(url: str, body: dict[str, Any], field: str,
                                                    as_: Clients, world: World) -> None:
    """A NUL character in any text field answers 422 naming the field, on both databases."""
    if "department_id" in body:
        body["department_id"] = world.departments["IT"]
    response = as_("admin").post(url, json=body)
    assert response.status_code == 422, response.text
    assert [error["field"] for error in response.json()["errors"]] == [field]
