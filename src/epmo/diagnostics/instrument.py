"""Versioned instruments of the PPM assessment, defined in code.

A version is a tuple of items. Once published its text never changes: a round records its
version and the version's fingerprint, and ``tests/diagnostics/test_instrument.py`` holds the
fingerprint of each published version, so editing a used version fails the tests. A new
wording or a new item is a new version; results are compared only within one version.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from epmo.charter.labels import PRACTICE_LABELS
from epmo.charter.models import PRACTICES
from epmo.diagnostics.items import ITEMS

__all__ = ["PRACTICES", "PRACTICE_LABELS", "Instrument", "Item", "get_instrument"]
CAPABILITY_LABELS = {
    "intake": "Intake", "prioritisation": "Prioritisation", "selection": "Selection",
    "gates": "Stage gates", "benefits": "Benefits", "roles": "Leadership roles",
    "methods": "Methods", "risk": "Risk and escalation", "change": "Change management",
    "dependencies": "Dependencies", "closure": "Closure and lessons",
    "status_reporting": "Status reporting", "resource_management": "Resource management",
    "records": "Records", "tools_data": "Tools and data", "assurance": "Assurance",
}
LEVEL_NAMES = ("Absent", "Initial", "Repeatable", "Defined", "Managed", "Optimising")
MIN_SCORE, MAX_SCORE = 0, 5


@dataclass(frozen=True, slots=True)
class Item:
    """One question: a statement scored 0 to 5, each level described."""

    key: str
    practice: str
    capability: str
    statement: str
    levels: tuple[str, ...]

    @property
    def capability_label(self) -> str:
        """The capability as people read it."""
        return CAPABILITY_LABELS[self.capability]


@dataclass(frozen=True, slots=True)
class Instrument:
    """A published version of the questionnaire."""

    version: str
    title: str
    published: str
    items: tuple[Item, ...]

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the version's items: any change of text, order or level shows."""
        payload = [[i.key, i.practice, i.capability, i.statement, list(i.levels)]
                   for i in self.items]
        return hashlib.sha256(json.dumps(payload).encode()).hexdigest()

    def item(self, key: str) -> Item | None:
        """The item with this key, or None."""
        return next((i for i in self.items if i.key == key), None)

    def capabilities(self) -> list[tuple[str, str]]:
        """(practice, capability) in the questionnaire's order, each once."""
        seen: list[tuple[str, str]] = []
        for i in self.items:
            if (i.practice, i.capability) not in seen:
                seen.append((i.practice, i.capability))
        return seen


_ALL = tuple(Item(k, p, c, s, lv) for k, p, c, s, lv in ITEMS)
# The 2025 pilot asked the same items without the second item of each capability.
_PILOT = tuple(i for i in _ALL if not i.key.endswith("-2"))

INSTRUMENTS = {
    "2025.1": Instrument("2025.1", "PPM assessment, pilot", "2025-06-01", _PILOT),
    "2026.1": Instrument("2026.1", "PPM assessment", "2026-01-15", _ALL),
}
CURRENT = "2026.1"


def get_instrument(version: str) -> Instrument | None:
    """The published instrument of this version, or None."""
    return INSTRUMENTS.get(version)


def level_name(score: float | None) -> str:
    """The level a (mean) score reaches: 2.6 -> "Repeatable"; None -> "no data"."""
    if score is None:
        return "no data"
    return LEVEL_NAMES[max(MIN_SCORE, min(MAX_SCORE, int(score)))]
