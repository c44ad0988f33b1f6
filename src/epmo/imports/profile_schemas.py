"""Import profiles: how to read one kind of file, saved under a name (strict JSON shapes).

A profile body says which of the file's columns feeds which field (``columns``), how the
file's words stand for ours (``values``: per field, their word -> our value), how it writes
dates (``dates``) and numbers (``decimal``), what a column the file lacks holds
(``defaults``), whether rows are dated snapshots (``snapshot``) and whether departments it
names that do not exist yet are created (``create_departments``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field

from epmo.schema_kit import ReadModel, StrictModel

DateFormat = Literal["iso", "us", "day_first", "excel"]
Decimal = Literal[".", ","]
Header = Annotated[str, Field(min_length=1, max_length=200)]
FieldName = Annotated[str, Field(max_length=60)]
Word = Annotated[str, Field(min_length=1, max_length=200)]
Value = Annotated[str, Field(max_length=200)]
Words = Annotated[dict[Word, Value], Field(max_length=5000)]  # their word -> our value
ProfileName = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[\w .\-]+$")]
Default = Annotated[str, Field(max_length=2000)] | int | float | bool


class ProfileBody(StrictModel):
    """How to read a file: column and value mappings, formats, defaults and modes."""

    columns: dict[Header, FieldName] = Field(
        {}, max_length=200, description='Their header -> our field; "" ignores the column')
    values: dict[FieldName, Words] = Field(
        {}, max_length=60, description='Per field: their word -> our value, e.g. '
        '{"stage": {"Execution": "executing"}}; matched ignoring case and spaces')
    dates: DateFormat = Field("iso", description="iso (2019-03-15), us (3/15/2019), "
                              "day_first (15/3/2019) or excel (serial numbers like 43539); "
                              "ISO text and real date cells are always read")
    decimal: Decimal = Field(".", description='"." (1,234.50) or "," (1.234,50); currency '
                             "signs and codes are dropped")
    defaults: dict[FieldName, Default] = Field(
        {}, max_length=60, description="Our field -> its value when the file has no such column")
    snapshot: bool = Field(False, description="Projects only: one row per project and date "
                           "(as_of); the latest row sets the project, each row a status report")
    create_departments: bool = Field(False, description="Create departments the file names "
                                     "that do not exist yet (needs the right to edit them)")


class ProfileCreate(StrictModel):
    """A new import profile."""

    name: ProfileName
    entity: Annotated[str, Field(max_length=40)]
    body: ProfileBody


class ProfileUpdate(StrictModel):
    """Changes to a profile; ``version`` is the one you read."""

    version: int
    name: ProfileName | None = None
    body: ProfileBody | None = None


class ProfileRead(ReadModel):
    """A saved import profile."""

    id: int
    name: str
    entity: str
    body: dict[str, Any]
    created_by_id: int | None
    version: int
    created_at: datetime
    updated_at: datetime
