"""The one error the scoring engine raises: every input problem, each at a field path."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ScoringProblem:
    """One thing wrong with the input, at a path such as ``matrix[1][2]`` or ``weights``."""

    path: str
    message: str


class ScoringError(ValueError):
    """The input cannot be scored as given; ``problems`` says where and why."""

    def __init__(self, problems: tuple[ScoringProblem, ...]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.path}: {p.message}" for p in problems))


def raise_if_any(problems: Iterable[ScoringProblem]) -> None:
    """Raise ScoringError carrying ``problems`` unless there are none."""
    found = tuple(problems)
    if found:
        raise ScoringError(found)


def fmt(x: float) -> str:
    """A number as people read it: at most 6 significant digits."""
    return f"{x:.6g}"
