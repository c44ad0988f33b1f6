"""Readers of RCPSP benchmark files: PSPLIB single-mode ``.sm`` and MPSPLIB multi-project XML.

An MPSPLIB file names one ``.sm`` file per project (relative to the XML file), the project's
release date (``<start>``) and, per renewable resource, a global capacity shared by all the
projects (k > 0) or 0: the resource is local to each project, with the capacity of its ``.sm``.
The XML is parsed with defusedxml; its DOCTYPE names an external DTD that is never loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from defusedxml import ElementTree

from epmo.engines.rcpsp import Job, Problem

Columns = Callable[[tuple[int, ...]], Sequence[int]]


class FormatError(ValueError):
    """The file is not in the expected benchmark format; the message says where."""


@dataclass(frozen=True, slots=True)
class SmProject:
    """One ``.sm`` file: per job (numbered from 1) its duration, demands and successors."""

    durations: tuple[int, ...]
    demands: tuple[tuple[int, ...], ...]
    successors: tuple[tuple[int, ...], ...]
    capacities: tuple[int, ...]
    horizon: int


def parse_sm(text: str) -> SmProject:
    """Parse the text of a PSPLIB single-mode ``.sm`` file."""
    lines = text.splitlines()
    horizon = _header_int(lines, "horizon")
    count = _header_int(lines, "jobs (incl. supersource/sink")
    links = _rows(lines, "PRECEDENCE RELATIONS:", count)
    requests = _rows(lines, "REQUESTS/DURATIONS:", count)
    capacities = tuple(_rows(lines, "RESOURCEAVAILABILITIES:", 1)[0])
    successors = tuple(tuple(row[3:3 + row[2]]) for row in links)
    if any(row[1] != 1 for row in links):
        raise FormatError("only single-mode files are supported (a job has several modes)")
    demands = tuple(tuple(row[3:]) for row in requests)
    if any(len(d) != len(capacities) for d in demands):
        raise FormatError("a job's demands do not match the number of resources")
    return SmProject(tuple(row[2] for row in requests), demands, successors, capacities, horizon)


def _header_int(lines: list[str], label: str) -> int:
    for line in lines:
        if line.startswith(label):
            return _int(line.rsplit(":", 1)[1], label)
    raise FormatError(f"no '{label}' line")


def _rows(lines: list[str], title: str, count: int) -> list[list[int]]:
    """The ``count`` rows of numbers after ``title`` (header and dashed lines skipped)."""
    try:
        at = next(i for i, line in enumerate(lines) if line.strip().startswith(title))
    except StopIteration:
        raise FormatError(f"no '{title}' section") from None
    rows: list[list[int]] = []
    for line in lines[at + 1:]:
        if len(rows) == count:
            return rows
        fields = line.split()
        if fields and fields[0].isdigit():
            rows.append([_int(field, title) for field in fields])
        elif rows and line.startswith("*"):
            break
    if len(rows) != count:
        raise FormatError(f"'{title}' has {len(rows)} rows, expected {count}")
    return rows


def _int(text: str, where: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise FormatError(f"{where}: {text.strip()!r} is not a whole number") from None


def read_sm(path: Path) -> Problem:
    """A PSPLIB ``.sm`` file as a one-project problem; job ids are the file's job numbers."""
    sm = parse_sm(path.read_text())
    jobs = _jobs(sm, project=0, release=0, first_id=1, columns=lambda demands: demands)
    return Problem(jobs, sm.capacities, sm.horizon)


def _jobs(sm: SmProject, *, project: int, release: int, first_id: int,
          columns: Columns) -> tuple[Job, ...]:
    """The jobs of one project, ids shifted to ``first_id``, demands mapped to ``columns``."""
    return tuple(
        Job(first_id + i, sm.durations[i], tuple(columns(sm.demands[i])),
            tuple(first_id + s - 1 for s in sm.successors[i]), release, project)
        for i in range(len(sm.durations)))


# --- MPSPLIB -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Portfolio:
    """An MPSPLIB instance: its name, the combined problem, each project's file and release."""

    name: str
    problem: Problem
    files: tuple[str, ...]
    releases: tuple[int, ...]


def read_mpsplib(path: Path) -> Portfolio:
    """An MPSPLIB XML file and the ``.sm`` files it names, as one multi-project problem.

    Job ids are ``1000 * (project + 1) + job number``; projects are numbered from 0. Global
    resources come first, then each project's local resources.
    """
    root = ElementTree.fromstring(path.read_bytes(), forbid_dtd=False, forbid_entities=True,
                                  forbid_external=True)
    mp = root.find("mp") if root.tag == "mp-list" else root
    if mp is None or mp.find("project-list") is None:
        raise FormatError("no <mp> with a <project-list>")
    entries = [(_text(p, "filename"), _int(_text(p, "start"), "start"))
               for p in mp.iterfind("project-list/project")]
    limits = [_int(r.text or "", "resource") for r in mp.iterfind("resources/resource")]
    projects = [parse_sm(_inside(path.parent, name).read_text()) for name, _ in entries]
    problem = _combine(projects, [start for _, start in entries], limits)
    return Portfolio(_text(mp, "name"), problem, tuple(n for n, _ in entries),
                     tuple(s for _, s in entries))


def _text(element: Any, tag: str) -> str:
    found = element.find(tag)
    if found is None or not (found.text or "").strip():
        raise FormatError(f"<{element.tag}> has no <{tag}>")
    return str(found.text).strip()


def _inside(folder: Path, name: str) -> Path:
    """``name`` under ``folder``; a name that leaves the folder is refused."""
    target = (folder / name).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise FormatError(f"project file {name!r} is outside the instance's folder")
    return target


def _combine(projects: list[SmProject], releases: list[int], limits: list[int]) -> Problem:
    """One problem: the global resources, then every project's local ones."""
    if any(len(sm.durations) >= 1000 for sm in projects):
        raise FormatError("a project has 1000 jobs or more")
    if any(len(sm.capacities) != len(limits) for sm in projects):
        raise FormatError("a project's resource count differs from the <resources> list")
    shared = [r for r, k in enumerate(limits) if k > 0]
    local = [r for r, k in enumerate(limits) if k <= 0]
    width = len(shared) + len(local) * len(projects)
    capacities = [limits[r] for r in shared]
    jobs: list[Job] = []
    for p, (sm, release) in enumerate(zip(projects, releases, strict=True)):
        capacities += [sm.capacities[r] for r in local]
        offset = len(shared) + p * len(local)
        jobs += _jobs(sm, project=p, release=release, first_id=1000 * (p + 1) + 1,
                      columns=_spread(shared, local, offset, width))
    horizon = max(releases, default=0) + sum(sm.horizon for sm in projects)
    return Problem(tuple(jobs), tuple(capacities), horizon)


def _spread(shared: list[int], local: list[int], offset: int, width: int) -> Columns:
    """Map a project's demand vector onto the combined resource columns."""
    def columns(demands: tuple[int, ...]) -> list[int]:
        row = [0] * width
        for column, r in enumerate(shared):
            row[column] = demands[r]
        for k, r in enumerate(local):
            row[offset + k] = demands[r]
        return row
    return columns
