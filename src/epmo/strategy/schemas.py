"""API shapes of the strategy domain."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import computed_field, field_validator

from epmo.schema_kit import Code, Id, Name, ReadModel, StrictModel, Text, Weight

FULL = Decimal(100)
CENT = Decimal("0.01")


class GoalCreate(StrictModel):
    """A new strategic goal; ``weight`` is its share among its siblings (0..100)."""

    code: Code
    name: Name
    description: Text = ""
    parent_id: Id | None = None
    weight: Weight = Decimal(0)
    owner_id: Id | None = None


class GoalUpdate(StrictModel):
    """Changes to a goal; ``version`` is the one you read."""

    version: int
    code: Code | None = None
    name: Name | None = None
    description: Text | None = None
    parent_id: Id | None = None
    weight: Weight | None = None
    owner_id: Id | None = None


class GoalRead(ReadModel):
    """A goal as the API returns it, with the total weight of its sibling group."""

    id: int
    code: str
    name: str
    description: str
    parent_id: int | None
    weight: Decimal
    owner_id: int | None
    version: int
    sibling_weight_total: Decimal = Decimal(0)

    @field_validator("weight", "sibling_weight_total")
    @classmethod
    def _cents(cls, value: Decimal) -> Decimal:
        # Same shape whether the row was just written or read back: "60.00", never "60".
        return Decimal(value).quantize(CENT)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def sibling_weights_balanced(self) -> bool:
        """True when this goal and its siblings weigh exactly 100 together."""
        return self.sibling_weight_total == FULL

    @classmethod
    def of(cls, goal: Any, totals: dict[int | None, Decimal]) -> GoalRead:
        """Build the read shape of ``goal`` from the per-parent weight totals."""
        read = cls.model_validate(goal)
        total = totals.get(goal.parent_id, Decimal(0))
        return read.model_copy(update={"sibling_weight_total": total.quantize(CENT)})
