"""What a re-import changed: activities added, removed and moved, compared by the file's uid."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Shown:
    """An activity as the diff compares it: its own dates as the file gives them."""

    uid: str
    code: str
    name: str
    start: datetime | None
    finish: datetime | None
    milestone: bool


@dataclass
class Diff:
    """Added, removed and moved activities (JSON-ready rows)."""

    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    moved: list[dict[str, Any]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when the new file changes no activity."""
        return not (self.added or self.removed or self.moved)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _row(item: Shown) -> dict[str, Any]:
    return {"uid": item.uid, "code": item.code, "name": item.name, "milestone": item.milestone,
            "start": _iso(item.start), "finish": _iso(item.finish)}


def _moved(old: Shown, new: Shown) -> dict[str, Any]:
    return {"uid": new.uid, "code": new.code, "name": new.name, "milestone": new.milestone,
            "old_start": _iso(old.start), "new_start": _iso(new.start),
            "old_finish": _iso(old.finish), "new_finish": _iso(new.finish)}


def compare(before: Iterable[Shown], after: Iterable[Shown]) -> Diff:
    """The activities added, removed and moved (start or finish changed), in file order."""
    old = {item.uid: item for item in before}
    new = {item.uid: item for item in after}
    diff = Diff()
    for uid, item in new.items():
        prior = old.get(uid)
        if prior is None:
            diff.added.append(_row(item))
        elif (prior.start, prior.finish) != (item.start, item.finish):
            diff.moved.append(_moved(prior, item))
    diff.removed = [_row(item) for uid, item in old.items() if uid not in new]
    return diff
