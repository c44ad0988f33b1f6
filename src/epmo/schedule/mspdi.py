"""Read MS Project XML (MSPDI, every version's "Save as XML") into a ScheduleFile.

Streamed by ``safe_xml`` (defusedxml refuses a DTD, entity declarations and external
references; the C parser reads the body), each task, resource, assignment and calendar
dropped once read.
What is left out, by rule (the counts in tests apply the same rules to the raw XML):

- the project summary task (UID 0) and blank rows (``<IsNull>1</IsNull>``); a task without
  a name that is not a blank row is kept, named "";
- resources with UID 0 or no name; assignments to no resource (ResourceUID -65535), to a
  left-out resource or to a left-out task;
- links from or to a left-out task (a warning says how many). A link naming a task UID that
  is nowhere in the file refuses the file.

A task's parent is the nearest earlier task one outline level up (file order); a top-level
task has none (UID 0 is not an activity).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from epmo.schedule import formats, safe_xml
from epmo.schedule.mspdi_calendar import read_calendar, with_bases
from epmo.schedule.mspdi_tasks import (
    RawLink,
    outline_level,
    read_assignment,
    read_resource,
    read_task,
)
from epmo.schedule.mspdi_values import NS, parse_datetime, parse_int
from epmo.schedule.parsed import (
    Activity,
    Assignment,
    Calendar,
    Link,
    Resource,
    ScheduleFile,
)

_SECTIONS = {NS + name: name for name in ("Calendar", "Task", "Resource", "Assignment")}
_PROJECT_FIELDS = frozenset({"Name", "Title", "StartDate", "StatusDate", "CalendarUID",
                             "MinutesPerDay"})


@dataclass
class _Read:
    """What the stream has given so far."""

    project: dict[str, str] = field(default_factory=dict)
    calendars: list[Calendar] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    links: list[RawLink] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    task_uids: set[str] = field(default_factory=set)  # every <Task> UID, kept or not
    task_count: int = 0
    null_tasks: int = 0
    open_levels: list[str] = field(default_factory=list)  # uid per outline level, for parents


def read(data: bytes) -> ScheduleFile:
    """Read an MSPDI file, refusing anything unsafe, malformed or over the limits."""
    if formats.detect(data) != "mspdi":
        raise formats.refuse("This is a Primavera XER export, not MS Project XML")
    read = _Read()
    try:
        _stream(data, read)
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as exc:
        raise formats.refuse(f"The XML declares {_unsafe(exc)}, which a schedule file never "
                             "needs; it was refused for safety") from None
    except ParseError as exc:
        line, column = exc.position
        raise formats.refuse(f"The XML is malformed at line {line}, column {column + 1}: "
                             f"{_reason(exc)}", row=line) from None
    return _schedule(read)


def _unsafe(exc: Exception) -> str:
    if isinstance(exc, DTDForbidden):
        return "a document type (DTD)"
    if isinstance(exc, EntitiesForbidden):
        return "entities (the 'billion laughs' kind of expansion)"
    return "an external reference"


def _reason(exc: ParseError) -> str:
    return str(exc).split(":")[0]


def _stream(data: bytes, read: _Read) -> None:
    # A section element is whole when it ends, and is cleared once read; the root ends last.
    root: Element | None = None
    for element in safe_xml.elements(data):
        section = _SECTIONS.get(element.tag)
        if section is not None:
            _section(section, element, read)
            element.clear()
        root = element
    if root is None or root.tag != NS + "Project":
        raise formats.refuse("The XML's root element is not an MS Project <Project> element "
                             f"in the namespace {formats.MSPDI_NAMESPACE}")
    for child in root:  # the project's own fields are left whole
        name = child.tag[len(NS):] if child.tag.startswith(NS) else ""
        if name in _PROJECT_FIELDS and child.text:
            read.project[name] = child.text.strip()


def _section(name: str, element: Element, read: _Read) -> None:
    if name == "Task":
        _task(element, read)
    elif name == "Calendar":
        read.calendars.append(read_calendar(element))
    elif name == "Resource":
        resource = read_resource(element)
        if resource is not None:
            read.resources.append(resource)
    else:
        assignment = read_assignment(element)
        if assignment is not None:
            read.assignments.append(assignment)


def _task(element: Element, read: _Read) -> None:
    read.task_count += 1
    if read.task_count > formats.max_activities() + 1:  # + 1: the project summary task
        raise formats.too_many(read.task_count)
    level = max(outline_level(element), 1)
    above = min(len(read.open_levels), level - 1)  # the open tasks above this level
    task = read_task(element, read.open_levels[above - 1] if above else None)
    if task.uid in read.task_uids:
        raise formats.refuse(f"Task UID {task.uid} appears twice; every task's UID must be "
                             "unique", field="UID")
    read.task_uids.add(task.uid)
    if task.uid == "0" or task.null:
        read.null_tasks += task.uid != "0"
        return
    del read.open_levels[above:]
    read.open_levels.extend([task.uid] * (level - above))
    read.activities.append(task.activity)
    read.links.extend(task.links)


def _schedule(read: _Read) -> ScheduleFile:
    kept = {activity.uid for activity in read.activities}
    links, dropped_links = _links(read, kept)
    resource_uids = {resource.uid for resource in read.resources}
    assignments = [a for a in read.assignments
                   if a.activity_uid in kept and a.resource_uid in resource_uids]
    project = read.project
    return ScheduleFile(
        format="mspdi",
        name=project.get("Title") or project.get("Name") or "Untitled project",
        start=_date(project, "StartDate"), status_date=_date(project, "StatusDate"),
        calendar_uid=project.get("CalendarUID"),
        minutes_per_day=parse_int(project.get("MinutesPerDay", "480"), "Project MinutesPerDay"),
        activities=tuple(read.activities), links=tuple(links),
        calendars=tuple(with_bases(read.calendars)), resources=tuple(read.resources),
        assignments=tuple(assignments),
        warnings=_warnings(read, dropped_links, len(read.assignments) - len(assignments)),
    )


def _date(project: dict[str, str], name: str) -> datetime | None:
    text = project.get(name)
    return parse_datetime(text, f"Project {name}") if text else None


def _links(read: _Read, kept: set[str]) -> tuple[list[Link], int]:
    links: list[Link] = []
    for raw in read.links:
        if raw.link.predecessor_uid not in read.task_uids:
            raise formats.refuse(
                f"Task UID {raw.link.successor_uid} ('{raw.successor_name}'): its "
                f"PredecessorLink names task UID {raw.link.predecessor_uid}, which is not "
                "in the file", field="PredecessorLink")
        if raw.link.predecessor_uid in kept:
            links.append(raw.link)
    return links, len(read.links) - len(links)


def _warnings(read: _Read, dropped_links: int, dropped_assignments: int) -> tuple[str, ...]:
    notes = []
    if read.null_tasks:
        notes.append(f"{read.null_tasks} blank task row(s) (IsNull) were left out")
    if dropped_links:
        notes.append(f"{dropped_links} link(s) from the project summary task or a blank row "
                     "were left out")
    if dropped_assignments:
        notes.append(f"{dropped_assignments} assignment(s) to a left-out task or resource "
                     "were left out")
    return tuple(notes)
