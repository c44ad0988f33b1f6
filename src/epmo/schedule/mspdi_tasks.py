"""One MSPDI ``<Task>``, ``<Resource>`` or ``<Assignment>`` element as the parsed contract."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from xml.etree.ElementTree import Element

from epmo.errors import Invalid
from epmo.schedule.formats import refuse
from epmo.schedule.mspdi_values import (
    CONSTRAINTS,
    LINK_TYPES,
    NS,
    RESOURCE_KINDS,
    TENTHS_PER_HOUR,
    duration_hours,
    lag_of,
    parse_datetime,
    parse_float,
    parse_int,
    plain_duration_hours,
)
from epmo.schedule.parsed import Activity, Assignment, Constraint, Link, Resource, Work

NO_RESOURCE = "-65535"
_NS_LENGTH = len(NS)
_TRUE = ("1", "true")


@dataclass(frozen=True)
class RawLink:
    """A link as read, with its successor's name for error messages."""

    link: Link
    successor_name: str


@dataclass(frozen=True)
class RawTask:
    """A task as read: the activity, its links, and whether it is a blank row."""

    uid: str
    activity: Activity
    links: tuple[RawLink, ...]
    null: bool


class _Fields:
    """The direct children of one element, by local name, with typed getters.

    Each getter tries the plain conversion first and builds its message in words only when
    that fails (a 20,000-task file calls them a million times).
    """

    def __init__(self, element: Element, where: str) -> None:
        self.values = {child.tag[_NS_LENGTH:]: (child.text or "").strip() for child in element}
        self.where = where

    def text(self, name: str) -> str:
        return self.values.get(name, "")

    def flag(self, name: str) -> bool:
        return self.values.get(name, "0").lower() in _TRUE

    def date(self, name: str) -> datetime | None:
        text = self.values.get(name)
        if not text:
            return None
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            return parse_datetime(text, f"{self.where}, {name}")  # raises, saying what is wrong
        return value if value.tzinfo is None else value.replace(tzinfo=None)

    def hours(self, name: str) -> float | None:
        text = self.values.get(name)
        if not text:
            return None
        value = plain_duration_hours(text)
        return duration_hours(text, f"{self.where}, {name}") if value is None else value

    def number(self, name: str, default: float) -> float:
        text = self.values.get(name)
        if not text:
            return default
        try:
            return float(text)
        except ValueError:
            return parse_float(text, f"{self.where}, {name}")

    def integer(self, name: str, default: int) -> int:
        text = self.values.get(name)
        if not text:
            return default
        try:
            return int(text)
        except ValueError:
            return parse_int(text, f"{self.where}, {name}")

    def uid(self, name: str) -> str | None:
        text = self.values.get(name)
        return None if text in (None, "", "-1") else text


def outline_level(element: Element) -> int:
    """A task's OutlineLevel, else the depth of its OutlineNumber ("1.2" is level 2)."""
    level = (element.findtext(NS + "OutlineLevel") or "").strip()
    if level.isdigit():
        return int(level)
    number = (element.findtext(NS + "OutlineNumber") or "").strip()
    return number.count(".") + 1 if number else 1


def read_task(element: Element, parent_uid: str | None) -> RawTask:
    """A ``<Task>`` element as an Activity under ``parent_uid``, with its predecessor links."""
    uid = (element.findtext(NS + "UID") or "").strip()
    fields = _Fields(element, f"Task UID {uid or '(missing)'}")
    if not uid:
        raise _missing(fields, "UID")
    activity = _activity(uid, fields, element, parent_uid)
    links = tuple(_link(uid, activity.name, link)
                  for link in element.iterfind(NS + "PredecessorLink"))
    return RawTask(uid, activity, links, fields.flag("IsNull"))


def _missing(fields: _Fields, name: str) -> Exception:
    return refuse(f"{fields.where}: the <{name}> element is missing", field=name)


def _activity(uid: str, fields: _Fields, element: Element, parent_uid: str | None) -> Activity:
    baseline_start, baseline_finish = _baseline(element, fields.where)
    return Activity(
        uid=uid, code=fields.text("ID") or uid, name=fields.text("Name"),
        wbs=fields.text("WBS") or fields.text("OutlineNumber"), parent_uid=parent_uid,
        outline_level=outline_level(element),
        summary=fields.flag("Summary"), milestone=fields.flag("Milestone"),
        duration_hours=fields.hours("Duration") or 0.0,
        remaining_hours=fields.hours("RemainingDuration"),
        percent_complete=fields.number("PercentComplete", 0.0),
        start=fields.date("Start"), finish=fields.date("Finish"),
        actual_start=fields.date("ActualStart"), actual_finish=fields.date("ActualFinish"),
        baseline_start=baseline_start, baseline_finish=baseline_finish,
        early_start=fields.date("EarlyStart"), early_finish=fields.date("EarlyFinish"),
        late_start=fields.date("LateStart"), late_finish=fields.date("LateFinish"),
        total_float_hours=_slack(fields), constraint=_constraint(fields),
        constraint_date=fields.date("ConstraintDate"), calendar_uid=fields.uid("CalendarUID"),
        notes=fields.text("Notes"), manual=fields.flag("Manual"),
    )


def _slack(fields: _Fields) -> float | None:
    text = fields.text("TotalSlack")
    return parse_float(text, f"{fields.where}, TotalSlack") / TENTHS_PER_HOUR if text else None


def _constraint(fields: _Fields) -> Constraint:
    code = fields.integer("ConstraintType", 0)
    if not 0 <= code < len(CONSTRAINTS):
        raise refuse(f"{fields.where}: ConstraintType {code} is not one of 0..7",
                     field="ConstraintType")
    return CONSTRAINTS[code]


def _baseline(element: Element, where: str) -> tuple[datetime | None, datetime | None]:
    for baseline in element.iterfind(NS + "Baseline"):
        fields = _Fields(baseline, f"{where}, Baseline")
        if fields.integer("Number", 0) == 0:
            return fields.date("Start"), fields.date("Finish")
    return None, None


def _link(successor: str, name: str, element: Element) -> RawLink:
    fields = _Fields(element, f"Task UID {successor}, PredecessorLink")
    predecessor = fields.text("PredecessorUID")
    if not predecessor:
        raise _missing(fields, "PredecessorUID")
    kind = fields.integer("Type", 1)
    if not 0 <= kind < len(LINK_TYPES):
        raise refuse(f"{fields.where}: link Type {kind} is not one of 0..3", field="Type")
    hours, percent, elapsed = lag_of(fields.integer("LinkLag", 0), fields.integer("LagFormat", 7))
    link = Link(predecessor, successor, LINK_TYPES[kind], hours, percent, elapsed)
    return RawLink(link, name)


def read_resource(element: Element) -> Resource | None:
    """A named ``<Resource>`` (UID 0 and unnamed ones give None)."""
    fields = _Fields(element, "Resource")
    uid, name = fields.text("UID"), fields.text("Name")
    if not uid or uid == "0" or not name:
        return None
    fields.where = f"Resource UID {uid}"
    kind = fields.integer("Type", 1)
    return Resource(
        uid=uid, name=name, kind=RESOURCE_KINDS[kind] if 0 <= kind <= 2 else "work",
        email=fields.text("EmailAddress"), group=fields.text("Group"),
        calendar_uid=fields.uid("CalendarUID"),
    )


def read_assignment(element: Element) -> Assignment | None:
    """An ``<Assignment>`` to a resource (None when it names no resource)."""
    fields = _Fields(element, "Assignment")
    task, resource = fields.text("TaskUID"), fields.text("ResourceUID")
    if not task or not resource or resource == NO_RESOURCE:
        return None
    fields.where = f"Assignment UID {fields.text('UID') or '?'}"
    return Assignment(
        activity_uid=task, resource_uid=resource, work_hours=fields.hours("Work") or 0.0,
        start=fields.date("Start"), finish=fields.date("Finish"),
        timephased=tuple(_timephased(element, fields.where)),
    )


def _timephased(element: Element, where: str) -> list[Work]:
    work: list[Work] = []
    for item in element.iterfind(NS + "TimephasedData"):
        fields = _Fields(item, f"{where}, TimephasedData")
        if fields.integer("Type", 0) != 1:
            continue
        try:
            start, finish = fields.date("Start"), fields.date("Finish")
        except Invalid:  # MS Project writes times like "17:-0:00" here: skip such a slice
            continue
        if start and finish:
            work.append(Work(start, finish, fields.hours("Value") or 0.0))
    return work
