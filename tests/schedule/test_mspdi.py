"""The MSPDI reader on a hand-written file, and every kind of bad input it must refuse."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import pytest

from epmo.config import get_settings
from epmo.errors import Invalid
from epmo.schedule import formats, mspdi, recurrence
from epmo.schedule.parsed import ScheduleFile
from epmo.schedule.reading import read_schedule

SMALL = Path(__file__).parent / "fixtures" / "small.xml"
HEAD = b'<?xml version="1.0"?>\n'
OPEN = b'<Project xmlns="http://schemas.microsoft.com/project">'


@pytest.fixture
def small() -> ScheduleFile:
    return mspdi.read(SMALL.read_bytes())


def test_project_and_counts(small: ScheduleFile) -> None:
    assert small.name == "Warehouse fit-out"
    assert small.start == datetime(2024, 3, 4, 8) and small.status_date == datetime(2024, 3, 11, 17)
    assert small.calendar_uid == "1" and small.minutes_per_day == 480
    assert [a.uid for a in small.activities] == ["1", "2", "4", "5", "6"]  # no UID 0, no blank row
    assert len(small.links) == 4 and len(small.resources) == 2 and len(small.assignments) == 2
    assert any("blank task row" in warning for warning in small.warnings)


def test_tasks(small: ScheduleFile) -> None:
    tasks = {a.uid: a for a in small.activities}
    strip = tasks["2"]
    assert (strip.parent_uid, strip.outline_level, strip.wbs) == ("1", 2, "1.1")
    assert strip.duration_hours == 40 and strip.remaining_hours == 0 and strip.percent_complete == 100
    assert strip.baseline_finish == datetime(2024, 3, 7, 17)  # baseline 0, not baseline 1
    assert strip.actual_finish == datetime(2024, 3, 8, 17) and strip.calendar_uid is None
    assert tasks["1"].summary and tasks["1"].parent_uid is None
    assert tasks["4"].constraint == "SNET" and tasks["4"].constraint_date == datetime(2024, 3, 11, 8)
    assert tasks["5"].milestone and tasks["5"].constraint == "FNLT" and tasks["5"].parent_uid is None
    snag = tasks["6"]
    assert snag.manual and snag.total_float_hours == 16 and snag.calendar_uid == "2"
    assert snag.notes == "Walk the floor with the client."


def test_links_types_and_lags(small: ScheduleFile) -> None:
    found = {(k.predecessor_uid, k.successor_uid, k.type): k for k in small.links}
    assert found["2", "4", "FS"].lag_hours == 8 and not found["2", "4", "FS"].elapsed
    assert found["2", "4", "SS"].lag_hours == 24 and found["2", "4", "SS"].elapsed
    assert found["4", "5", "FF"].lag_hours == -8
    assert found["4", "6", "SF"].lag_percent == 50 and found["4", "6", "SF"].lag_hours == 0


def test_resources_and_assignments(small: ScheduleFile) -> None:
    crew, racking = small.resources
    assert (crew.name, crew.kind, crew.email, crew.group, crew.calendar_uid) == (
        "Site crew", "work", "crew@example.com", "Labour", "2")
    assert racking.kind == "material"
    work = small.assignments[0]
    assert (work.activity_uid, work.resource_uid, work.work_hours) == ("2", "1", 40)
    assert [slice_.hours for slice_ in work.timephased] == [8, 32]  # Type 1 only


def test_calendars(small: ScheduleFile) -> None:
    standard, crew = small.calendars
    assert standard.week[0] == standard.week[1] and len(standard.week[1]) == 2  # default shifts
    assert standard.week[5] == () and standard.week[6] == ()
    off = {e.first for e in standard.exceptions if not e.shifts}
    assert off == {date(2024, 3, 29), date(2024, 12, 25), date(2025, 12, 25), date(2026, 12, 25),
                   date(2024, 3, 25), date(2024, 4, 1)}  # the last two from a work week
    saturday = next(e for e in standard.exceptions if e.shifts and e.first.weekday() == 5)
    assert saturday.first == date(2024, 3, 9) and saturday.shifts[0].finish == time(12)
    assert crew.base_uid == "1" and crew.week[0][0].start == time(6)
    assert crew.week[2] == standard.week[2]  # days it leaves out come from its base


def test_work_weeks_become_dated_days(small: ScheduleFile) -> None:
    standard = small.calendars[0]
    weekly = {e.first: e.shifts for e in standard.exceptions
              if date(2024, 3, 25) <= e.first <= date(2024, 4, 7)}
    # Fridays 07:00-13:00 and Mondays off for two weeks; Good Friday stays a holiday
    assert sorted(weekly) == [date(2024, 3, 25), date(2024, 3, 29), date(2024, 4, 1),
                              date(2024, 4, 5)]
    assert weekly[date(2024, 4, 5)][0].start == time(7) and weekly[date(2024, 3, 25)] == ()
    assert weekly[date(2024, 3, 29)] == ()


@pytest.mark.parametrize(("rule", "expected"), [
    (recurrence.Rule(6, date(2001, 1, 1), date(2001, 2, 13), 4, period=2, days_of_week=4),
     [date(2001, 1, 2), date(2001, 1, 16), date(2001, 1, 30), date(2001, 2, 13)]),
    (recurrence.Rule(5, date(2002, 1, 1), date(2002, 10, 8), 4, period=3, item=5, position=1),
     [date(2002, 1, 8), date(2002, 4, 9), date(2002, 7, 9), date(2002, 10, 8)]),
    (recurrence.Rule(4, date(2024, 1, 31), date(2024, 4, 30), None, month_day=31),
     [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30)]),
    (recurrence.Rule(3, date(2024, 1, 1), date(2025, 12, 31), None, month=4, item=4, position=4),
     [date(2024, 5, 27), date(2025, 5, 26)]),
    (recurrence.Rule(7, date(2024, 1, 1), date(2024, 1, 10), None, period=3),
     [date(2024, 1, 1), date(2024, 1, 4), date(2024, 1, 7), date(2024, 1, 10)]),
])
def test_recurrence(rule: recurrence.Rule, expected: list[date]) -> None:
    assert recurrence.expand(rule) == expected


def _refused(data: bytes) -> str:
    with pytest.raises(Invalid) as caught:
        mspdi.read(data)
    assert caught.value.errors and caught.value.errors[0].message == caught.value.message
    return caught.value.message


def test_malformed_xml_names_the_line() -> None:
    message = _refused(HEAD + OPEN + b"\n<Tasks><Task><UID>1</Task></Tasks></Project>")
    assert "malformed at line 3, column 22: mismatched tag" in message


def test_billion_laughs_refused() -> None:
    bomb = (HEAD + b'<!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            + OPEN + b"<Name>&b;</Name></Project>")
    assert "refused for safety" in _refused(bomb)


def test_external_entity_and_dtd_refused() -> None:
    xxe = (HEAD + b'<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + OPEN
           + b"<Name>&x;</Name></Project>")
    assert "refused for safety" in _refused(xxe)
    dtd = HEAD + b'<!DOCTYPE Project SYSTEM "http://example.com/p.dtd">' + OPEN + b"</Project>"
    assert "document type (DTD)" in _refused(dtd)


def test_declarations_anywhere_in_the_prolog_refused() -> None:
    padding = b"<!--" + b"x" * 200_000 + b"-->\n"  # past the first chunks the vetting reads
    late = HEAD + padding + b'<!DOCTYPE Project [<!ENTITY a "a">]>' + OPEN + b"</Project>"
    assert "refused for safety" in _refused(late)
    undeclared = HEAD + OPEN + b"<Name>&a;</Name></Project>"
    assert "malformed at line 2" in _refused(undeclared) and "undefined entity" in _refused(undeclared)


def test_not_a_schedule() -> None:
    assert "looks like a CSV file" in _refused(b"code,name,start\nA,Dig,2024-01-01\n")
    workbook = io.BytesIO()
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert "zip file" in _refused(workbook.getvalue())
    assert "root element is <html>" in _refused(b"<html><body>hi</body></html>")
    assert "empty" in _refused(b"  \n")
    assert "Primavera XER export, not MS Project XML" in _refused(b"ERMHDR\t19.12\n%E\n")


def test_size_and_task_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = get_settings()
    monkeypatch.setattr(settings, "schedule_max_activities", 3)
    assert "more than 3 tasks" in _refused(SMALL.read_bytes())
    monkeypatch.setattr(settings, "schedule_max_bytes", 1024)
    assert "the limit for a schedule is 1,024 bytes" in _refused(SMALL.read_bytes())


def test_link_to_unknown_task() -> None:
    data = SMALL.read_bytes().replace(b"<PredecessorUID>4</PredecessorUID><Type>2</Type>",
                                      b"<PredecessorUID>99</PredecessorUID><Type>2</Type>")
    message = _refused(data)
    assert "Task UID 6 ('Snagging')" in message and "task UID 99, which is not in the file" in message


def test_bad_values_name_the_task_and_field() -> None:
    data = SMALL.read_bytes().replace(b"<Duration>PT80H0M0S</Duration>", b"<Duration>80h</Duration>")
    assert _refused(data) == "Task UID 4, Duration: '80h' is not a duration like PT16H0M0S"
    data = SMALL.read_bytes().replace(b"<ConstraintType>4</ConstraintType>",
                                      b"<ConstraintType>9</ConstraintType>")
    assert "Task UID 4: ConstraintType 9 is not one of 0..7" in _refused(data)


def test_duplicate_uid() -> None:
    data = SMALL.read_bytes().replace(b"<UID>5</UID><ID>5</ID>", b"<UID>4</UID><ID>5</ID>")
    assert _refused(data) == "Task UID 4 appears twice; every task's UID must be unique"


def test_read_schedule_by_content() -> None:
    assert [s.name for s in read_schedule(SMALL.read_bytes())] == ["Warehouse fit-out"]
    xer_file = Path(__file__).parent / "fixtures" / "two_projects.xer"
    assert [s.code for s in read_schedule(xer_file.read_bytes())] == ["BRIDGE", "TUNNEL"]


def test_detect() -> None:
    assert formats.detect(SMALL.read_bytes()) == "mspdi"
    assert formats.detect(b"\xef\xbb\xbfERMHDR\t19.12\n") == "xer"
