"""What a file looks like: its columns, their meanings and examples, what an empty cell means."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from epmo.files.cells import RowModel

Kind = Literal["text", "date", "money", "number", "bool"]
# What an empty cell means: required (an error), null (clear it), blank (empty text),
# keep (the default on create, unchanged on update).
Empty = Literal["required", "null", "blank", "keep"]
Example = str | int | Decimal | date | bool


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an import file."""

    name: str
    meaning: str
    example: Example = ""
    kind: Kind = "text"
    empty: Empty = "null"

    @property
    def required(self) -> bool:
        """True when a new row must fill this column."""
        return self.empty == "required"


@dataclass(frozen=True, slots=True)
class Entity:
    """An importable entity: its file columns, its row model and who may import it."""

    name: str
    label: str
    who: str
    columns: tuple[Column, ...]
    row_model: type[RowModel]
    key: str = "code"  # the column every file must have (a row's code, unique in the file)
    by_name: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {column.name: column for column in self.columns})

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        return self.by_name[name]

    @property
    def field_names(self) -> tuple[str, ...]:
        """The column names, in template order."""
        return tuple(column.name for column in self.columns)
