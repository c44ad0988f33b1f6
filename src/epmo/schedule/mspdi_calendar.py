"""MS Project XML calendars: week days, dated and recurring exceptions, base calendars.

Week days are ``<WeekDay>`` with DayType 1..7 (Sunday..Saturday). Exceptions come from the
newer ``<Exceptions>`` when a calendar has them (recurring ones expanded to dated days), else
from the older ``<WeekDay>`` entries with DayType 0 and a ``<TimePeriod>``; MS Project writes
both, the same days. ``<WorkWeeks>`` (other hours for a date range) become one exception per
day they change, listed before the dated exceptions, which win on a day both name. A derived
calendar's missing week days and its base's exceptions are taken from its base calendar.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta
from xml.etree.ElementTree import Element

from epmo.schedule import recurrence
from epmo.schedule.mspdi_values import NS, parse_datetime, parse_int, parse_time
from epmo.schedule.parsed import Calendar, CalendarException, Shift

# MS Project's default working times, used when a working day lists none.
DEFAULT_SHIFTS = (Shift(time(8, 0), time(12, 0)), Shift(time(13, 0), time(17, 0)))
MAX_DAYS = 3660  # a work week or exception period longer than ten years is cut there


def _text(element: Element, name: str) -> str | None:
    return element.findtext(NS + name)


def read_calendar(element: Element) -> Calendar:
    """One ``<Calendar>`` element as a Calendar (its base not yet merged in)."""
    uid = _text(element, "UID") or ""
    where = f"Calendar {uid}"
    week: dict[int, tuple[Shift, ...]] = {}
    old_exceptions: list[CalendarException] = []
    for day in element.iterfind(f"{NS}WeekDays/{NS}WeekDay"):
        kind = parse_int(_text(day, "DayType") or "0", f"{where}, WeekDay DayType")
        if kind == 0:
            old_exceptions.append(_dated(day, where))
        else:
            week[(kind - 2) % 7] = _shifts(day, where)
    exceptions = _exceptions(element, where)
    dated = exceptions if exceptions is not None else old_exceptions
    base = _text(element, "BaseCalendarUID")
    return Calendar(
        uid=uid, name=_text(element, "Name") or f"Calendar {uid}", week=week,
        exceptions=tuple(_work_weeks(element, where, dated) + dated),
        base_uid=base if base not in (None, "", "-1") else None,
    )


def _shifts(day: Element, where: str) -> tuple[Shift, ...]:
    if (_text(day, "DayWorking") or "0").strip() != "1":
        return ()
    shifts = tuple(
        Shift(parse_time(_text(period, "FromTime") or "", f"{where}, FromTime"),
              parse_time(_text(period, "ToTime") or "", f"{where}, ToTime"))
        for period in day.iterfind(f"{NS}WorkingTimes/{NS}WorkingTime")
    )
    return shifts or DEFAULT_SHIFTS


def _period(element: Element, where: str) -> tuple[date, date]:
    first = parse_datetime(element.findtext(f"{NS}TimePeriod/{NS}FromDate") or "",
                           f"{where}, exception FromDate").date()
    last = parse_datetime(element.findtext(f"{NS}TimePeriod/{NS}ToDate") or "",
                          f"{where}, exception ToDate").date()
    return first, max(first, last)


def _dated(day: Element, where: str) -> CalendarException:
    first, last = _period(day, where)
    return CalendarException(first, last, _shifts(day, where))


def _exceptions(element: Element, where: str) -> list[CalendarException] | None:
    found = element.find(f"{NS}Exceptions")
    if found is None:
        return None
    exceptions: list[CalendarException] = []
    for exception in found.iterfind(f"{NS}Exception"):
        exceptions.extend(_expanded(exception, where))
    return exceptions


def _expanded(exception: Element, where: str) -> list[CalendarException]:
    rule = _rule(exception, where)
    shifts = _shifts(exception, where)
    if rule.type == 1:
        return [CalendarException(rule.first, rule.last, shifts)]
    return [CalendarException(day, day, shifts) for day in recurrence.expand(rule)]


def _rule(exception: Element, where: str) -> recurrence.Rule:
    first, last = _period(exception, where)

    def number(name: str, default: int) -> int:
        text = _text(exception, name)
        return parse_int(text, f"{where}, exception {name}") if text else default

    by_count = (_text(exception, "EnteredByOccurrences") or "0").strip() == "1"
    return recurrence.Rule(
        type=number("Type", 1), first=first, last=last,
        occurrences=number("Occurrences", 0) or None if by_count else None,
        period=number("Period", 1), days_of_week=number("DaysOfWeek", 0),
        month_day=number("MonthDay", 1), month=number("Month", 0),
        item=number("MonthItem", 0), position=number("MonthPosition", 0),
    )


def _work_weeks(element: Element, where: str,
                dated: list[CalendarException]) -> list[CalendarException]:
    """Days of each ``<WorkWeek>`` period that it gives other hours (dated exceptions win)."""
    taken = {exception.first + timedelta(days=n) for exception in dated
             for n in range(min((exception.last - exception.first).days + 1, MAX_DAYS))}
    days: list[CalendarException] = []
    for week in element.iterfind(f"{NS}WorkWeeks/{NS}WorkWeek"):
        first, last = _period(week, f"{where}, WorkWeek")
        shifts = {(parse_int(_text(day, "DayType") or "0", f"{where}, WorkWeek DayType") - 2) % 7:
                  _shifts(day, where) for day in week.iterfind(f"{NS}WeekDays/{NS}WeekDay")}
        for n in range(min((last - first).days + 1, MAX_DAYS)):
            day = first + timedelta(days=n)
            if day.weekday() in shifts and day not in taken:
                days.append(CalendarException(day, day, shifts[day.weekday()]))
    return days


def with_bases(calendars: list[Calendar]) -> list[Calendar]:
    """Each derived calendar with the week days it leaves out and the base's exceptions."""
    by_uid = {calendar.uid: calendar for calendar in calendars}
    return [_merged(calendar, by_uid, 0) for calendar in calendars]


def _merged(calendar: Calendar, by_uid: dict[str, Calendar], depth: int) -> Calendar:
    base = by_uid.get(calendar.base_uid or "")
    if base is None or depth > 10 or base is calendar:
        return calendar
    base = _merged(base, by_uid, depth + 1)
    week = {**base.week, **calendar.week}
    own = set(calendar.exceptions)  # own ones last (they win); no repeats, so a re-read is equal
    inherited = tuple(exception for exception in base.exceptions if exception not in own)
    return replace(calendar, week=week, exceptions=inherited + calendar.exceptions)
