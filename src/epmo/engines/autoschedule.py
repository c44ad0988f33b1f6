"""Rank-preserving auto-schedule: each work, in priority order, at the earliest start that fits.

Capacity is a series per pool (one value per period of the horizon). Fixed works (committed,
running) are subtracted first at their own start, even where that makes a pool negative: an
overload is shown, never refused. Then every movable work, in the given (priority) order, is
placed at the earliest start ``s >= not_before`` (default: its wanted start) where, for each
pool it needs and each offset ``t`` with a positive amount, the remaining capacity at ``s + t``
covers the amount and ``s + t`` lies within the horizon; a placed work is subtracted before the
next is tried, so a lower-ranked work never takes capacity a higher-ranked one needed. A
``not_before`` below the wanted start lets a work be pulled earlier. A need on a pool with no
capacity series never fits: nothing is known there.

The search is vectorised: per pool a sliding window over the remaining series is compared with
the work's amounts, the windows that fit are ANDed across pools, and the first start that fits
everywhere wins. Numbers in explanations are rounded to two decimals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

Array = npt.NDArray[np.float64]
RELATIVE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Need:
    """One piece of work's demand on one capacity pool, per period from its start."""

    pool: str
    amounts: tuple[float, ...]


@dataclass(frozen=True)
class Work:
    """A project or request: where it wants to start and what it needs from there."""

    id: int
    label: str
    start: int
    needs: tuple[Need, ...]
    fixed: bool = False
    not_before: int | None = None


@dataclass(frozen=True)
class Shortage:
    """How much more a pool would need in one period (short_by > 0)."""

    pool: str
    period: int
    short_by: float


@dataclass(frozen=True)
class Placement:
    """Where a work was placed (None: nowhere in the horizon) and why, in words."""

    id: int
    label: str
    wanted: int
    start: int | None
    shortage: Shortage | None
    reason: str
    fixed: bool = False
    # a fixed work only: the first period where the fixed works together overload a pool it uses
    overload: Shortage | None = None

    @property
    def moved_by(self) -> int | None:
        """Periods moved (later positive, earlier negative); None when unplaced."""
        return None if self.start is None else self.start - self.wanted


@dataclass(frozen=True)
class Plan:
    """Every work's placement, in the input order, and the capacity left per pool."""

    placements: tuple[Placement, ...]
    remaining: Mapping[str, tuple[float, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Demand:
    """A work's summed amounts on one pool, trimmed after the last positive one."""

    pool: str
    amounts: Array
    floor: Array  # the remaining capacity must be >= floor; -inf where nothing is needed


def auto_schedule(capacity: Mapping[str, Sequence[float]], works: Sequence[Work],
                  periods: Sequence[str], unit: str = "FTE") -> Plan:
    """Fixed works at their start, then each movable work in order at its earliest fit."""
    horizon = len(periods)
    remaining = _series(capacity, horizon, "capacity")
    _check_ids(works)
    demands = [_demands(work, horizon) for work in works]
    pairs = list(zip(works, demands, strict=True))
    for work, need in pairs:
        if work.fixed:
            _take(remaining, need, work.start, horizon)
    # every fixed work's overload is read before any movable work takes capacity
    fixed = {i: _fixed(work, need, remaining, periods)
             for i, (work, need) in enumerate(pairs) if work.fixed}
    placements = [fixed[i] if i in fixed
                  else _place(work, need, remaining, periods, unit, take=True)
                  for i, (work, need) in enumerate(pairs)]
    return Plan(tuple(placements), {pool: tuple(series.tolist())
                                    for pool, series in remaining.items()})


def earliest_start(remaining: Mapping[str, Sequence[float]], work: Work,
                   periods: Sequence[str], unit: str = "FTE") -> Placement:
    """One work's placement against the capacity left (input unchanged; ``fixed`` ignored)."""
    horizon = len(periods)
    need = _demands(work, horizon)
    series = _series({d.pool: remaining[d.pool] for d in need if d.pool in remaining},
                     horizon, "remaining capacity")
    return _place(work, need, series, periods, unit, take=False)


def _place(work: Work, need: tuple[_Demand, ...], remaining: dict[str, Array],
           periods: Sequence[str], unit: str, take: bool) -> Placement:
    """Find the earliest fit, explain it, and subtract it when ``take``."""
    horizon = len(periods)
    allowed = work.start if work.not_before is None else work.not_before
    start = _first_fit(remaining, need, allowed, horizon)
    placement = _explain(work, start, allowed, need, remaining, periods, unit)
    if start is not None and take:
        _take(remaining, need, start, horizon)
    return placement


def _explain(work: Work, start: int | None, allowed: int, need: tuple[_Demand, ...],
             remaining: Mapping[str, Array], periods: Sequence[str], unit: str) -> Placement:
    """The placement with its first shortage at the first start it was allowed to want."""
    if start == work.start:
        return Placement(work.id, work.label, work.start, start, None, "")
    reference = max(work.start, allowed)
    shortage = None if start == reference else \
        _first_short(remaining, need, reference, len(periods), 1.0)
    words = _short_words(shortage, periods, unit, shortage.pool not in remaining) \
        if shortage else ""
    reason = _reason(work, start, allowed, words, need, periods)
    return Placement(work.id, work.label, work.start, start, shortage, reason)


def _fixed(work: Work, need: tuple[_Demand, ...], remaining: dict[str, Array],
           periods: Sequence[str]) -> Placement:
    """A fixed work stays at its start; its overload is the first negative period it uses."""
    overload = _first_short(remaining, need, work.start, len(periods), 0.0)
    return Placement(work.id, work.label, work.start, work.start, None, "", True, overload)


def _first_fit(remaining: Mapping[str, Array], need: tuple[_Demand, ...], allowed: int,
               horizon: int) -> int | None:
    """The earliest start >= ``allowed`` where every demand fits, None if there is none."""
    if not need:
        return allowed
    if any(d.pool not in remaining for d in need):
        return None
    last = horizon - max(len(d.amounts) for d in need)
    if allowed > last:
        return None
    if _fits_at(remaining, need, allowed):
        return allowed
    fits = np.ones(last - allowed + 1, dtype=bool)
    for d in need:
        windows = sliding_window_view(remaining[d.pool][allowed:], len(d.amounts))
        fits &= (windows[: len(fits)] >= d.floor).all(axis=1)
    found = np.flatnonzero(fits)
    return allowed + int(found[0]) if found.size else None


def _fits_at(remaining: Mapping[str, Array], need: tuple[_Demand, ...], start: int) -> bool:
    """Whether every demand fits at ``start`` (the common case, checked before any window)."""
    return all(bool((remaining[d.pool][start:start + len(d.amounts)] >= d.floor).all())
               for d in need)


def _take(remaining: dict[str, Array], need: Iterable[_Demand], start: int,
          horizon: int) -> None:
    """Subtract the demands placed at ``start`` (the part within the horizon, known pools)."""
    for d in need:
        series = remaining.get(d.pool)
        if series is not None:
            end = min(horizon, start + len(d.amounts))
            series[start:end] -= d.amounts[: end - start]


def _first_short(remaining: Mapping[str, Array], need: Iterable[_Demand], start: int,
                 horizon: int, load: float) -> Shortage | None:
    """The earliest (then largest) shortfall at ``start`` within the horizon.

    With ``load`` 1 the work's own amounts are asked for; with 0 only a negative remainder
    (an overload already there) counts, and unknown pools are left out.
    """
    found: list[tuple[int, float, str]] = []
    for d in need:
        end = min(horizon, start + len(d.amounts))
        amounts = d.amounts[: end - start]
        series = remaining.get(d.pool)
        if series is None and load == 0.0:
            continue
        short = amounts * load - (0.0 if series is None else series[start:end])
        hits = np.flatnonzero((amounts > 0) & (short > _tolerance(amounts)))
        if hits.size:
            found.append((start + int(hits[0]), -float(short[hits[0]]), d.pool))
    if not found:
        return None
    period, minus, pool = min(found)
    return Shortage(pool, period, -minus)


def _tolerance(amounts: Array) -> Array:
    return RELATIVE_TOLERANCE * np.maximum(1.0, np.abs(amounts))


def _reason(work: Work, start: int | None, allowed: int, shortage: str,
            need: tuple[_Demand, ...], periods: Sequence[str]) -> str:
    """The words for a work not placed at its wanted start."""
    parts = [shortage] if shortage else []
    if allowed > work.start:
        parts.insert(0, f"may not start before {periods[allowed]}")
    if start is not None and start < work.start:
        parts.insert(0, f"fits earlier (may start from {periods[allowed]})")
    if start is None and not parts:
        parts.append(_why_nowhere(need, max(work.start, allowed), periods))
    head = (f"{work.label} does not fit before the end of {periods[-1]}" if start is None
            else f"{work.label} moved from {periods[work.start]} to {periods[start]}")
    return f"{head}: {'; '.join(parts)}"


def _why_nowhere(need: tuple[_Demand, ...], start: int, periods: Sequence[str]) -> str:
    """Why a work with no shortage within the horizon still does not fit there."""
    horizon = len(periods)
    span = max(len(d.amounts) for d in need)
    if start + span > horizon:
        return (f"it needs {span} periods from {periods[start]}, "
                f"{start + span - horizon} past the end")
    unknown = sorted({d.pool for d in need})
    return f"no capacity is known for {', '.join(unknown)}"


def _short_words(shortage: Shortage, periods: Sequence[str], unit: str, unknown: bool) -> str:
    words = (f"{shortage.pool} short by {number(shortage.short_by)} {unit} "
             f"in {periods[shortage.period]}")
    return f"{words} (no capacity is known for it)" if unknown else words


def number(value: float) -> str:
    """A figure for explanations: two decimals at most, no trailing zeros (2.5, 3, 0.0012)."""
    rounded = round(value, 2)
    if rounded == 0 and value != 0:
        return f"{value:.2g}"
    return f"{rounded:.2f}".rstrip("0").rstrip(".")


def _series(capacity: Mapping[str, Sequence[float]], horizon: int,
            what: str) -> dict[str, Array]:
    """Each pool's series as a float array of the horizon's length (copied: it is changed)."""
    result: dict[str, Array] = {}
    for pool, values in capacity.items():
        series = np.array(values, dtype=np.float64)
        if series.shape != (horizon,):
            raise ValueError(f"{what} for {pool!r} has {len(values)} values; "
                             f"the horizon has {horizon} periods")
        if not np.isfinite(series).all():
            raise ValueError(f"{what} for {pool!r} holds a value that is not a number")
        result[pool] = series
    return result


def _check_ids(works: Sequence[Work]) -> None:
    seen: set[int] = set()
    for work in works:
        if work.id in seen:
            raise ValueError(f"work id {work.id} appears twice ({work.label})")
        seen.add(work.id)


def _demands(work: Work, horizon: int) -> tuple[_Demand, ...]:
    """The work's needs summed per pool (in first-seen order), after checking the work."""
    _check_start(work, horizon)
    summed: dict[str, Array] = {}
    for need in work.needs:
        amounts = np.asarray(need.amounts, dtype=np.float64).reshape(-1)
        if amounts.size and not (np.isfinite(amounts).all() and (amounts >= 0).all()):
            raise ValueError(f"{work.label} needs a negative or non-numeric amount "
                             f"of {need.pool!r}")
        summed[need.pool] = _add(summed.get(need.pool), amounts)
    return tuple(_demand(pool, amounts) for pool, amounts in summed.items()
                 if (amounts > 0).any())


def _add(total: Array | None, amounts: Array) -> Array:
    if total is None:
        return amounts
    size = max(len(total), len(amounts))
    result = np.zeros(size, dtype=np.float64)
    result[: len(total)] += total
    result[: len(amounts)] += amounts
    return result


def _demand(pool: str, amounts: Array) -> _Demand:
    trimmed = amounts[: int(np.flatnonzero(amounts > 0)[-1]) + 1]
    floor = np.where(trimmed > 0, trimmed - _tolerance(trimmed), -np.inf)
    return _Demand(pool, trimmed, floor)


def _check_start(work: Work, horizon: int) -> None:
    for name, value in (("start", work.start), ("not_before", work.not_before)):
        if value is not None and not 0 <= value < horizon:
            raise ValueError(f"{work.label}: {name} {value} lies outside the horizon's "
                             f"{horizon} periods (0 to {horizon - 1})")
