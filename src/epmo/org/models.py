"""Tables of the org domain."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from epmo.db import Base, Versioned


class Department(Versioned, Base):
    """A department; ``parent_id`` builds the hierarchy."""

    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="RESTRICT"), index=True
    )


class Person(Versioned, Base):
    """Someone who sponsors, manages or works on projects."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[str] = mapped_column(String(100), default="")
    weekly_capacity_hours: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(40))
    active: Mapped[bool] = mapped_column(default=True)
    # A role to fill, not a named person (a planned hire, a contractor pool): capacity for
    # planning before names are known; it is never lent by name.
    placeholder: Mapped[bool] = mapped_column(default=False, server_default=false())
