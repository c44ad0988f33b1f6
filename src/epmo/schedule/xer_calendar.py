"""P6 calendars: the nested ``clndr_data`` text of the CALENDAR table.

It reads like ``(0||CalendarData()((0||DaysOfWeek()((0||1()())(0||2()((0||0(s|08:00|f|12:00)
())))...))(0||Exceptions()((0||0(d|45292)())...))))``: each node is ``(0||name(attributes)
(children))``. Week days are 1..7 (Sunday..Saturday) holding shifts ``s`` to ``f``; an
exception is a day serial ``d`` (days since 1899-12-30), off unless it holds shifts. P6 writes
the text's line breaks as the character 0x7F; all white space is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from epmo.schedule import formats
from epmo.schedule.parsed import Calendar, CalendarException, Shift
from epmo.schedule.xer_tables import XerRow, serial_date

_SPACE = re.compile(r"[\s\x7f]+")
_MAX_DEPTH = 20


@dataclass(frozen=True)
class Node:
    """One ``(0||name(attributes)(children))`` node."""

    name: str
    attributes: dict[str, str]
    children: tuple[Node, ...]

    def child(self, name: str) -> Node | None:
        """The first child called ``name``."""
        return next((node for node in self.children if node.name == name), None)


def read_calendar(row: XerRow) -> Calendar:
    """A CALENDAR row as a Calendar (week days and dated exceptions)."""
    uid = row.get("clndr_id")
    where = row.where("clndr_data")
    root = parse(row.get("clndr_data"), where) if row.get("clndr_data") else None
    data = root.child("CalendarData") if root and root.name != "CalendarData" else root
    hours = row.number("day_hr_cnt", 8.0) or 8.0
    base = row.get("base_clndr_id")
    return Calendar(
        uid=uid, name=row.get("clndr_name") or f"Calendar {uid}",
        week=_week(data, where), exceptions=_exceptions(data, where),
        base_uid=base or None, hours_per_day=hours,
    )


def _week(data: Node | None, where: str) -> dict[int, tuple[Shift, ...]]:
    days = data.child("DaysOfWeek") if data else None
    if days is None:
        return {}
    return {(int(day.name) - 2) % 7: _shifts(day, where)
            for day in days.children if day.name.isdigit() and 1 <= int(day.name) <= 7}


def _exceptions(data: Node | None, where: str) -> tuple[CalendarException, ...]:
    found = data.child("Exceptions") if data else None
    if found is None:
        return ()
    exceptions = []
    for node in found.children:
        if "d" in node.attributes:
            day = serial_date(node.attributes["d"], f"{where}, exception")
            exceptions.append(CalendarException(day, day, _shifts(node, where)))
    return tuple(sorted(exceptions, key=lambda exception: exception.first))


def _shifts(day: Node, where: str) -> tuple[Shift, ...]:
    return tuple(Shift(_time(shift.attributes.get("s", ""), where),
                       _time(shift.attributes.get("f", ""), where))
                 for shift in day.children if "s" in shift.attributes)


def _time(text: str, where: str) -> time:
    hours, _, minutes = text.partition(":")
    try:
        hour, minute = int(hours), int(minutes or 0)
        return time(0, 0) if hour == 24 else time(hour, minute)
    except ValueError:
        raise formats.refuse(f"{where}: '{text}' is not a time of day like 08:00") from None


def parse(text: str, where: str) -> Node:
    """The node tree of a ``clndr_data`` text, refused in words when it is malformed."""
    flat = _SPACE.sub("", text)
    try:
        node, _ = _node(flat, 0, 0)
    except IndexError:
        raise formats.refuse(f"{where}: the calendar data ends before its brackets close"
                             ) from None
    except ValueError as exc:
        raise formats.refuse(f"{where}: the calendar data is malformed ({exc})") from None
    return node


def _node(text: str, at: int, depth: int) -> tuple[Node, int]:
    if depth > _MAX_DEPTH:
        raise ValueError("nested too deeply")
    _expect(text, at, "(")
    opening = text.index("(", at + 1)
    name = text[at + 1:opening].split("||")[-1]
    closing = text.index(")", opening)
    attributes = _attributes(text[opening + 1:closing])
    at = _expect(text, closing + 1, "(")
    children: list[Node] = []
    while text[at] == "(":
        child, at = _node(text, at, depth + 1)
        children.append(child)
    at = _expect(text, at, ")")
    return Node(name, attributes, tuple(children)), _expect(text, at, ")")


def _expect(text: str, at: int, char: str) -> int:
    if text[at] != char:
        raise ValueError(f"expected '{char}' at character {at + 1}, found '{text[at]}'")
    return at + 1


def _attributes(text: str) -> dict[str, str]:
    parts = text.split("|") if text else []
    return {parts[i]: parts[i + 1] for i in range(0, len(parts) - 1, 2)}
