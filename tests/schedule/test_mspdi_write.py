"""The MSPDI writer: what it writes reads back the same, in MS Project's element order."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring

from epmo.schedule import mspdi, mspdi_write, xer
from epmo.schedule.parsed import ScheduleFile

FIXTURES = Path(__file__).parent / "fixtures"
NS = "{http://schemas.microsoft.com/project}"
# The order MS Project's schema gives a task's children (those the writer uses).
TASK_ORDER = ["UID", "ID", "Name", "Active", "Manual", "Type", "IsNull", "WBS", "OutlineNumber",
              "OutlineLevel", "Start", "Finish", "Duration", "DurationFormat", "Milestone",
              "Summary", "EarlyStart", "EarlyFinish", "LateStart", "LateFinish", "TotalSlack",
              "PercentComplete", "ActualStart", "ActualFinish", "RemainingDuration",
              "ConstraintType", "CalendarUID", "ConstraintDate", "Notes", "PredecessorLink",
              "Baseline"]


def same_schedule(first: ScheduleFile, second: ScheduleFile) -> None:
    """Counts, task dates and durations, links and lags are equal (UIDs kept)."""
    assert [len(getattr(first, k)) for k in ("activities", "links", "resources", "assignments")] \
        == [len(getattr(second, k)) for k in ("activities", "links", "resources", "assignments")]
    def fields(s: ScheduleFile) -> list[tuple[object, ...]]:
        return sorted((a.uid, a.name, a.start, a.finish, a.duration_hours, a.milestone,
                       a.parent_uid, a.constraint, a.baseline_start, a.total_float_hours)
                      for a in s.activities)
    assert fields(first) == fields(second)
    assert sorted(map(repr, first.links)) == sorted(map(repr, second.links))
    first_work, second_work = _work(first), _work(second)
    assert [key for key, _ in first_work] == [key for key, _ in second_work]
    assert [hours for _, hours in first_work] == pytest.approx(
        [hours for _, hours in second_work], abs=1e-3)  # MSPDI durations: whole seconds


def _work(schedule: ScheduleFile) -> list[tuple[tuple[object, ...], float]]:
    """(what, hours) for each assignment and each of its timephased slices, in order."""
    work: list[tuple[tuple[object, ...], float]] = []
    for a in sorted(schedule.assignments, key=lambda a: (a.activity_uid, a.resource_uid)):
        work.append(((a.activity_uid, a.resource_uid, a.start, a.finish), a.work_hours))
        work.extend(((a.activity_uid, w.start, w.finish), w.hours) for w in a.timephased)
    return work


def test_round_trip_of_the_fixture() -> None:
    small = mspdi.read((FIXTURES / "small.xml").read_bytes())
    again = mspdi.read(mspdi_write.write(small))
    same_schedule(small, again)
    assert again.calendars == small.calendars and again.resources == small.resources
    assert (again.name, again.start, again.status_date) == (small.name, small.start, small.status_date)


def test_xer_projects_written_as_mspdi() -> None:
    for project in xer.read((FIXTURES / "two_projects.xer").read_bytes()):
        again = mspdi.read(mspdi_write.write(project))
        assert len(again.activities) == len(project.activities)  # WBS elements: summary tasks
        assert len(again.links) == len(project.links) and len(again.assignments) == len(project.assignments)
        assert _parent_names(again) == _parent_names(project)


def _parent_names(schedule: ScheduleFile) -> dict[str, str | None]:
    names = {a.uid: a.name for a in schedule.activities}
    return {a.name: names.get(a.parent_uid or "") for a in schedule.activities}


def test_control_characters_left_out() -> None:
    small = mspdi.read((FIXTURES / "small.xml").read_bytes())
    odd = replace(small, activities=(replace(small.activities[0], name="Bell\x07 & <tag>"),
                                      *small.activities[1:]))
    assert mspdi.read(mspdi_write.write(odd)).activities[0].name == "Bell & <tag>"


def test_element_order_and_summary_task() -> None:
    small = mspdi.read((FIXTURES / "small.xml").read_bytes())
    root = fromstring(mspdi_write.write(small))
    tasks = root.findall(f"{NS}Tasks/{NS}Task")
    assert tasks[0].findtext(f"{NS}UID") == "0" and tasks[0].findtext(f"{NS}OutlineLevel") == "0"
    for task in tasks[1:]:
        names = [child.tag[len(NS):] for child in task]
        assert names == sorted(names, key=TASK_ORDER.index)
    top = [child.tag[len(NS):] for child in root]
    assert top[-4:] == ["Calendars", "Tasks", "Resources", "Assignments"]
