"""Helpers for portfolio tests: goals added in the test transaction (projects: tests.factories)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.factories import add_goal


@pytest.fixture
def goals(db: Session) -> dict[str, int]:
    """Goals GROW (with sub-goal DIGI) and COST; goals belong to another domain, so added directly."""
    made: dict[str, int] = {}
    for code, parent in (("GROW", None), ("DIGI", "GROW"), ("COST", None)):
        made[code] = add_goal(db, code, parent_id=made.get(parent or "")).id
    return made
