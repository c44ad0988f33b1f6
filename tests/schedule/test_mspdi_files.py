"""Every MS Project XML file of the reference data: the reader's counts equal a plain walk of
the XML, some values checked by hand, and each file survives a write and a re-read."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path

import pytest

from epmo.schedule import mspdi, mspdi_write
from epmo.schedule.parsed import ScheduleFile
from tests.conftest import SHARED_DATA
from tests.schedule.test_mspdi_write import same_schedule

FOLDER = SHARED_DATA / "mspdi"
FILES = sorted(FOLDER.glob("*.xml")) if FOLDER.is_dir() else []
NS = "{http://schemas.microsoft.com/project}"
pytestmark = pytest.mark.skipif(not FILES, reason=f"reference data not found at {FOLDER}")


def _counts(path: Path) -> dict[str, int]:
    """Activities, milestones, links, resources, assignments by the readers' documented rules."""
    root = ET.parse(path).getroot()  # the files are trusted reference data
    kept = {t.findtext(f"{NS}UID") for t in root.iter(f"{NS}Task")
            if t.findtext(f"{NS}UID") != "0" and t.findtext(f"{NS}IsNull") != "1"}
    tasks = [t for t in root.iter(f"{NS}Task") if t.findtext(f"{NS}UID") in kept]
    resources = {r.findtext(f"{NS}UID") for r in root.iter(f"{NS}Resource")
                 if r.findtext(f"{NS}UID") != "0" and (r.findtext(f"{NS}Name") or "").strip()}
    return {
        "activities": len(tasks),
        "milestones": sum(t.findtext(f"{NS}Milestone") == "1" for t in tasks),
        "links": sum(link.findtext(f"{NS}PredecessorUID") in kept
                     for t in tasks for link in t.iter(f"{NS}PredecessorLink")),
        "resources": len(resources),
        "assignments": sum(a.findtext(f"{NS}ResourceUID") in resources
                           and a.findtext(f"{NS}TaskUID") in kept
                           for a in root.iter(f"{NS}Assignment")),
    }


def _read(name: str) -> ScheduleFile:
    return mspdi.read((FOLDER / name).read_bytes())


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_counts_match_the_xml(path: Path) -> None:
    schedule = mspdi.read(path.read_bytes())
    assert {
        "activities": len(schedule.activities),
        "milestones": sum(a.milestone for a in schedule.activities),
        "links": len(schedule.links), "resources": len(schedule.resources),
        "assignments": len(schedule.assignments),
    } == _counts(path)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_write_and_read_again(path: Path) -> None:
    schedule = mspdi.read(path.read_bytes())
    same_schedule(schedule, mspdi.read(mspdi_write.write(schedule)))


def test_recurring_exceptions_expand_to_the_days_ms_project_listed() -> None:
    """MS Project wrote each exception twice: as a rule and as dated WeekDay periods."""
    path = FOLDER / "calendar-recurring-exceptions-project2016-mspdi.xml"
    listed = set()
    for day in ET.parse(path).getroot().iter(f"{NS}WeekDay"):
        if day.findtext(f"{NS}DayType") == "0":
            first = datetime.fromisoformat(day.findtext(f"{NS}TimePeriod/{NS}FromDate") or "")
            last = datetime.fromisoformat(day.findtext(f"{NS}TimePeriod/{NS}ToDate") or "")
            listed.add((first.date(), last.date()))
    calendar = mspdi.read(path.read_bytes()).calendars[0]
    assert {(e.first, e.last) for e in calendar.exceptions} == listed
    assert len(listed) > 100


def test_known_values() -> None:
    relations = _read("mspdirelations.xml")
    assert [(k.predecessor_uid, k.successor_uid, k.type, k.lag_hours) for k in relations.links] == [
        ("1", "2", "FS", 0), ("2", "3", "SS", 8), ("3", "4", "FF", 0), ("4", "5", "SF", 0)]
    task = relations.activities[1]
    assert task.start == datetime(2006, 9, 22, 8) and task.finish == datetime(2006, 9, 22, 17)
    assert task.duration_hours == 8
    links = _read("task-links-project2019-mspdi.xml").links
    assert sorted(k.lag_hours for k in links if k.type == "FS") == [0, 8, 16, 40, 80]  # d and w
    assert {k.type for k in links} == {"FS", "SS", "FF", "SF"}


def test_null_tasks_and_outline() -> None:
    schedule = _read("mspdinulltasks.xml")
    assert [(a.name, a.parent_uid) for a in schedule.activities] == [
        ("Task 1", None), ("Task 2", "1"), ("Task 3", "1"), ("Task 4", None), ("Task 5", "6")]
    assert schedule.minutes_per_day == 450 and schedule.activities[0].duration_hours == 75
    assert schedule.calendars[0].exceptions == () or schedule.calendars[0].exceptions[0].first >= date(2000, 1, 1)
