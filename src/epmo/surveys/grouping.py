"""The group-size rule, pure: which groups may be shown so that no group under the minimum
can be seen, directly or by subtraction.

A group (a department, a role) is shown only with at least ``minimum`` answers. The groups
too small are pooled into one "other" row, and that row is itself a group: when it would
hold between 1 and ``minimum - 1`` answers, the smallest shown group joins it, then the next,
until it holds at least ``minimum`` (or everything is pooled, and only the overall figure
shows). So the overall figure minus every shown row is always "other", which is empty or
holds ``minimum`` or more; and any set of shown rows subtracted from the overall leaves a
union of shown rows and "other", never fewer than ``minimum`` answers. Nothing shows while the
whole round has fewer than ``minimum`` answers.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def shown_groups(sizes: Mapping[K, int], minimum: int) -> frozenset[K]:
    """The groups whose own figures may be shown (see the module's rule)."""
    if sum(sizes.values()) < minimum:
        return frozenset()
    shown = {key for key, n in sizes.items() if n >= minimum}
    pooled = sum(n for key, n in sizes.items() if key not in shown)
    while shown and 0 < pooled < minimum:
        smallest = min(shown, key=lambda key: (sizes[key], str(key)))
        shown.remove(smallest)
        pooled += sizes[smallest]
    return frozenset(shown)


def pooled_size(sizes: Mapping[K, int], shown: frozenset[K]) -> int:
    """How many answers the "other" row holds."""
    return sum(n for key, n in sizes.items() if key not in shown)
