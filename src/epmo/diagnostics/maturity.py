"""Maturity from scores: item, capability and practice means, spread, and the heatmap.

Plain arithmetic over score rows (no query): an item's mean is over its assessors; a
capability's mean is the mean of its items' means (each item counts once, however many
assessors scored it); a practice's mean is the mean of its capabilities' means. Where nobody
scored, the mean is None ("no data"), never 0.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

from epmo.diagnostics.instrument import Instrument, Item


@dataclass(frozen=True, slots=True)
class Scored:
    """One score as the arithmetic needs it."""

    item_key: str
    assessor_id: int
    group: Hashable  # the department the assessor speaks for (None: the EPMO office)
    score: int


def mean(values: Sequence[float]) -> float | None:
    """The mean, rounded to two decimals, or None for no values."""
    return round(statistics.fmean(values), 2) if values else None


def spread(values: Sequence[float]) -> float | None:
    """The population standard deviation (0 for one value), or None for no values."""
    return round(statistics.pstdev(values), 2) if values else None


@dataclass(frozen=True, slots=True)
class ItemFigures:
    """An item's figures."""

    item: Item
    scores: tuple[int, ...]

    @property
    def mean(self) -> float | None:
        """Mean over the assessors."""
        return mean(self.scores)


def by_item(instrument: Instrument, scores: Iterable[Scored]) -> list[ItemFigures]:
    """Every item of the instrument with its scores (none when nobody scored it)."""
    found: dict[str, list[int]] = defaultdict(list)
    for s in scores:
        found[s.item_key].append(s.score)
    return [ItemFigures(i, tuple(found.get(i.key, ()))) for i in instrument.items]


@dataclass(frozen=True, slots=True)
class CapabilityFigures:
    """A capability's figures."""

    practice: str
    capability: str
    mean: float | None
    spread: float | None
    assessors: int


def by_capability(instrument: Instrument, scores: Sequence[Scored]) -> list[CapabilityFigures]:
    """Each capability's mean of item means, the spread of all its scores, its assessors."""
    items = by_item(instrument, scores)
    capability_of = {i.key: i.capability for i in instrument.items}
    people: dict[str, set[int]] = defaultdict(set)
    for s in scores:
        people[capability_of.get(s.item_key, "")].add(s.assessor_id)
    figures = []
    for practice, capability in instrument.capabilities():
        mine = [f for f in items if f.item.capability == capability]
        means = [m for f in mine if (m := f.mean) is not None]
        raw = [float(v) for f in mine for v in f.scores]
        figures.append(CapabilityFigures(practice, capability, mean(means), spread(raw),
                                         len(people[capability])))
    return figures


def by_practice(instrument: Instrument, scores: Sequence[Scored]) -> dict[str, float | None]:
    """Each practice's mean of capability means, in the instrument's order."""
    means: dict[str, list[float]] = defaultdict(list)
    for figure in by_capability(instrument, scores):
        means.setdefault(figure.practice, [])
        if figure.mean is not None:
            means[figure.practice].append(figure.mean)
    return {practice: mean(values) for practice, values in means.items()}


def heatmap(instrument: Instrument, scores: Sequence[Scored], label: Callable[[Hashable], str]
            ) -> dict[str, dict[str, CapabilityFigures]]:
    """Group label -> capability -> figures over that group's scores."""
    groups: dict[Hashable, list[Scored]] = defaultdict(list)
    for s in scores:
        groups[s.group].append(s)
    return {label(g): {f.capability: f for f in by_capability(instrument, rows)}
            for g, rows in groups.items()}
