"""SQL expressions that read the same and stay exact on SQLite and PostgreSQL.

SQLite stores NUMERIC as binary floating point and has no date arithmetic or GREATEST; each
helper here compiles to the portable form on SQLite and the plain one elsewhere. Constants
are passed as literal columns by the callers so an expression reads the same in SELECT and
GROUP BY on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import BigInteger, Dialect, Numeric, TypeDecorator, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.type_api import TypeEngine
from sqlalchemy.types import Integer

_CENT = Decimal("0.01")
IN_CHUNK = 900  # values per IN (...) or UPDATE: under SQLite's and psycopg's bound-parameter limits
T = TypeVar("T")


def chunks(values: Iterable[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    """``values`` in lists of at most ``size``, in order: one ``IN (...)``, UPDATE or INSERT
    each, under every driver's limit on bound parameters."""
    listed = values if isinstance(values, list) else list(values)
    for start in range(0, len(listed), size):
        yield listed[start:start + size]


class Cents(FunctionElement[int]):
    """A money column in whole cents: exact integers on SQLite (which stores NUMERIC as
    floating point), exact NUMERIC on PostgreSQL."""

    type = Integer()
    name = "cents"
    inherit_cache = True


@compiles(Cents)
def _cents(element: Cents, compiler: SQLCompiler, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)} * 100)"


@compiles(Cents, "sqlite")
def _cents_sqlite(element: Cents, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(ROUND({compiler.process(element.clauses, **kw)} * 100) AS INTEGER)"


class _MoneyTotal(TypeDecorator[Decimal]):
    """Result type of MoneySum: a Decimal with two places, whole cents from SQLite."""

    impl = Numeric(20, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        """Read SQLite's integer cents as an int so no float ever touches the sum."""
        return dialect.type_descriptor(BigInteger() if dialect.name == "sqlite" else self.impl)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        """Return the sum as a Decimal with two places."""
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(value).scaleb(-2)  # exact: whole cents to two places
        return Decimal(value).quantize(_CENT)

    def result_processor(self, dialect: Dialect, coltype: Any) -> Any:
        """``process_result_value`` as one plain function: overviews convert thousands of sums
        per call, and the generic TypeDecorator wrapper doubled the cost of each."""
        if dialect.name == "sqlite":
            return _cents_to_money  # SQLite returns int (or None) for the integer sum
        return super().result_processor(dialect, coltype)


def _cents_to_money(value: Any) -> Decimal | None:
    """Whole cents (from SQLite) as a Decimal with two places; exact."""
    return None if value is None else Decimal(value).scaleb(-2)


class MoneySum(FunctionElement[Decimal]):
    """SUM of a money column that is exact on every database (a Decimal with two places)."""

    type = _MoneyTotal()
    name = "money_sum"
    inherit_cache = True


@compiles(MoneySum)
def _money_sum(element: MoneySum, compiler: SQLCompiler, **kw: Any) -> str:
    return f"SUM({compiler.process(element.clauses, **kw)})"


@compiles(MoneySum, "sqlite")
def _money_sum_sqlite(element: MoneySum, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite stores NUMERIC as binary floating point; adding whole cents keeps the sum exact.
    return f"SUM(CAST(ROUND(({compiler.process(element.clauses, **kw)}) * 100) AS INTEGER))"


class _RawMoneyTotal(TypeDecorator[Any]):
    """Result type of RawMoneySum: the driver's value (SQLite: whole cents as an int)."""

    impl = Numeric(20, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        """Read SQLite's integer cents as an int, like _MoneyTotal."""
        return dialect.type_descriptor(BigInteger() if dialect.name == "sqlite" else self.impl)


class RawMoneySum(FunctionElement[Any]):
    """MoneySum's SQL with the sum left as the driver returns it, for Python that adds many
    sums up before it needs them: ``money_of`` turns the total into MoneySum's Decimal."""

    type = _RawMoneyTotal()
    name = "raw_money_sum"
    inherit_cache = True


@compiles(RawMoneySum)
def _raw_money_sum(element: RawMoneySum, compiler: SQLCompiler, **kw: Any) -> str:
    return _money_sum(element, compiler, **kw)  # type: ignore[arg-type]


@compiles(RawMoneySum, "sqlite")
def _raw_money_sum_sqlite(element: RawMoneySum, compiler: SQLCompiler, **kw: Any) -> str:
    return _money_sum_sqlite(element, compiler, **kw)  # type: ignore[arg-type]


def money_of(dialect: Dialect) -> Callable[[Any], Decimal]:
    """A RawMoneySum value (or a sum of several; None: 0) as MoneySum's two-place Decimal."""
    if dialect.name == "sqlite":
        return lambda value: Decimal(value or 0).scaleb(-2)
    return lambda value: Decimal(value or 0).quantize(_CENT)


class Unindexed(FunctionElement[Any]):
    """A column's value that SQLite's planner will not look up by an index on it (``+col``,
    a no-op): so a filter on it reads a covering index instead of one row per match."""

    name = "unindexed"
    inherit_cache = True

    @property
    def type(self) -> TypeEngine[Any]:  # type: ignore[override]
        return self.clauses.clauses[0].type


@compiles(Unindexed)
def _unindexed(element: Unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(Unindexed, "sqlite")
def _unindexed_sqlite(element: Unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return f"+({compiler.process(element.clauses, **kw)})"


class Greatest(FunctionElement[int]):
    """The larger of non-NULL integers: GREATEST on PostgreSQL, scalar max() on SQLite."""

    type = Integer()
    name = "greatest"
    inherit_cache = True


@compiles(Greatest)
def _greatest(element: Greatest, compiler: SQLCompiler, **kw: Any) -> str:
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


@compiles(Greatest, "sqlite")
def _greatest_sqlite(element: Greatest, compiler: SQLCompiler, **kw: Any) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"


class DaysAfter(FunctionElement[Any]):
    """A date plus a whole number of days (``DaysAfter(column, literal_days)``)."""

    name = "days_after"
    inherit_cache = True


@compiles(DaysAfter)
def _days_after(element: DaysAfter, compiler: SQLCompiler, **kw: Any) -> str:
    day, days = (compiler.process(c, **kw) for c in element.clauses)
    return f"({day} + {days})"


@compiles(DaysAfter, "sqlite")
def _days_after_sqlite(element: DaysAfter, compiler: SQLCompiler, **kw: Any) -> str:
    day, days = (compiler.process(c, **kw) for c in element.clauses)
    return f"date({day}, '{days} days')"  # ISO text compares in date order


class DaysBetween(FunctionElement[int]):
    """Whole days from the first date to the second (``DaysBetween(start, end)``)."""

    type = Integer()
    name = "days_between"
    inherit_cache = True


@compiles(DaysBetween)
def _days_between(element: DaysBetween, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"({end} - {start})"  # date - date is an integer in PostgreSQL


@compiles(DaysBetween, "sqlite")
def _days_between_sqlite(element: DaysBetween, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"


def holds(column: Any, text: str) -> Any:
    """``column`` holds ``text`` anywhere, case folded; ``%`` and ``_`` are matched as typed."""
    return func.lower(column).contains(text.lower(), autoescape=True)
