"""``reporting.health``'s Python forms of the colour that counts and of the disagreement flag
give what its SQL expressions give, for every colour pair, department and rule."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Integer, String, literal, select, union_all
from sqlalchemy.orm import Session

from epmo.engines.rag import thresholds_from
from epmo.reporting import health
from epmo.reporting.health import HealthRule

_COLOURS = ("green", "amber", "red", None, "grey")  # "grey": a value that is no colour
_DEPARTMENTS = (1, 2, 3, 4, None)  # 4: no mode of its own (the basis' fallback applies)
_THRESHOLDS = {1: thresholds_from({"schedule": {"amber": 10, "red": 30}})}
_MIXED = {1: "worse", 2: "reported", 3: "derived"}

RULES = [
    *(HealthRule(basis, {}, _THRESHOLDS) for basis in ("reported", "derived", "worse", "auto")),
    *(HealthRule(basis, _MIXED, _THRESHOLDS) for basis in ("reported", "worse", "auto")),
    HealthRule("auto", {1: "worse", 2: "worse"}, _THRESHOLDS),
    HealthRule("auto", _MIXED, {}),  # no thresholds: the reported colour counts everywhere
]


def _combos() -> Any:
    rows = [select(literal(r, String).label("reported"), literal(d, String).label("derived"),
                   literal(dept, Integer).label("department_id"))
            for r in _COLOURS for d in _COLOURS for dept in _DEPARTMENTS]
    return union_all(*rows).subquery("combos")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.basis}-{len(r.modes)}-{len(r.thresholds)}")
def test_python_forms_match_the_sql(db: Session, rule: HealthRule) -> None:
    combos = _combos()
    cols = health.Stored(reported=combos.c.reported, derived=combos.c.derived,
                         department_id=combos.c.department_id)
    exprs = health.expressions(rule, cols)
    colour = health.counted_colour(rule)
    rows = db.execute(select(combos.c.department_id, combos.c.reported, combos.c.derived,
                             exprs.counted, exprs.differs)).all()
    assert len(rows) == len(_COLOURS) ** 2 * len(_DEPARTMENTS)
    for department, reported, derived, counted, differs in rows:
        assert colour(department, reported, derived) == counted, (department, reported, derived)
        assert health.disagree(reported, derived) == bool(differs), (reported, derived)
