"""The XER reader on a hand-written two-project export (no real P6 file is available here)."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest

from epmo.config import get_settings
from epmo.errors import Invalid
from epmo.schedule import xer
from epmo.schedule.parsed import ScheduleFile

FIXTURE = Path(__file__).parent / "fixtures" / "two_projects.xer"


def _rows(table: str) -> list[dict[str, str]]:
    """The fixture's rows of ``table``, split here independently of the reader."""
    lines = FIXTURE.read_bytes().decode("cp1252").splitlines()
    start = lines.index(f"%T\t{table}")
    fields = lines[start + 1].split("\t")[1:]
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("%R"):
            break
        rows.append(dict(zip(fields, line.split("\t")[1:], strict=False)))
    return rows


@pytest.fixture(scope="module")
def projects() -> list[ScheduleFile]:
    return xer.read(FIXTURE.read_bytes())


def test_projects_and_counts_match_the_tables(projects: list[ScheduleFile]) -> None:
    assert [(p.code, p.name) for p in projects] == [("BRIDGE", "Bridge Replacement"),
                                                     ("TUNNEL", "Tunnel Café Works")]
    for project, proj_id in zip(projects, ("100", "200"), strict=True):
        tasks = [r for r in _rows("TASK") if r["proj_id"] == proj_id]
        wbs = [r for r in _rows("PROJWBS") if r["proj_id"] == proj_id and r["proj_node_flag"] != "Y"]
        ids = {r["task_id"] for r in tasks}
        links = [r for r in _rows("TASKPRED") if r["task_id"] in ids and r["pred_task_id"] in ids]
        assigned = [r for r in _rows("TASKRSRC") if r["task_id"] in ids and r["rsrc_id"]]
        assert len(project.tasks) == len(tasks) and len(project.activities) == len(tasks) + len(wbs)
        assert sum(a.milestone for a in project.tasks) == sum(
            r["task_type"] in ("TT_Mile", "TT_FinMile") for r in tasks)
        assert len(project.links) == len(links) and len(project.assignments) == len(assigned)
        assert len(project.resources) == len(_rows("RSRC"))
    assert projects[1].warnings == ("1 link(s) from a task of another project in the file were "
                                    "left out",)


def test_wbs_tree(projects: list[ScheduleFile]) -> None:
    bridge = {a.uid: a for a in projects[0].activities}
    assert [a.uid for a in projects[0].activities[:4]] == ["wbs:1001", "wbs:1002", "wbs:1003", "wbs:1004"]
    assert bridge["wbs:1003"].parent_uid == "wbs:1002" and bridge["wbs:1003"].wbs == "CON.FND"
    assert bridge["wbs:1003"].wbs_only and bridge["wbs:1003"].summary
    assert bridge["14"].parent_uid == "wbs:1003" and bridge["14"].outline_level == 3
    assert bridge["10"].parent_uid is None  # a task on the project's root WBS node


def test_task_values(projects: list[ScheduleFile]) -> None:
    bridge = {a.uid: a for a in projects[0].activities}
    design = bridge["12"]
    assert (design.code, design.duration_hours, design.remaining_hours) == ("A1020", 80, 40)
    assert design.start == datetime(2024, 3, 11, 8) and design.finish == datetime(2024, 3, 22, 17)
    assert design.baseline_start == datetime(2024, 3, 11, 8) and design.percent_complete == 50
    assert bridge["13"].total_float_hours == 16 and bridge["13"].late_start == datetime(2024, 3, 15, 8)
    assert bridge["14"].constraint == "SNET" and bridge["14"].constraint_date == datetime(2024, 4, 15, 8)
    assert bridge["15"].constraint == "FNLT" and bridge["15"].calendar_uid == "2"
    assert bridge["10"].milestone and bridge["17"].milestone and bridge["11"].percent_complete == 100


def test_links(projects: list[ScheduleFile]) -> None:
    found = {(k.predecessor_uid, k.successor_uid): (k.type, k.lag_hours) for k in projects[0].links}
    assert found[("12", "13")] == ("SS", 16) and found[("13", "15")] == ("FF", -8)
    assert found[("10", "16")] == ("SF", 8) and found[("12", "14")] == ("FS", 8)
    assert {k.type for k in projects[0].links} == {"FS", "SS", "FF", "SF"}


def test_calendars(projects: list[ScheduleFile]) -> None:
    assert [c.uid for c in projects[0].calendars] == ["1", "2"]  # not TUNNEL's own calendar
    standard, night, tunnel = projects[1].calendars
    assert standard.week[0][1].start == time(13) and standard.week[5] == ()
    assert {e.first: bool(e.shifts) for e in standard.exceptions} == {
        date(2024, 3, 2): True, date(2024, 3, 29): False, date(2024, 5, 27): False}
    assert night.week[0][0].finish == time(0) and night.base_uid == "1"  # 0x7F line breaks
    assert night.exceptions == standard.exceptions and night.week[5] == ()  # base holidays
    assert tunnel.hours_per_day == 10 and tunnel.week[3] and not tunnel.week[4]
    assert projects[1].minutes_per_day == 600
    unset = xer.read(FIXTURE.read_bytes().replace(b"%R\t200\tTUNNEL\t3\t", b"%R\t200\tTUNNEL\t\t"))
    assert unset[1].calendar_uid == "1" and unset[1].minutes_per_day == 480  # the default_flag one


def test_resources_and_assignments(projects: list[ScheduleFile]) -> None:
    ana, crane, concrete = projects[0].resources
    assert (ana.name, ana.email, ana.kind) == ("Ana López", "ana.lopez@example.com", "work")
    assert (crane.group, concrete.kind) == ("equipment", "material")
    work = {(a.activity_uid, a.resource_uid): a.work_hours for a in projects[0].assignments}
    assert work == {("11", "1"): 40, ("14", "2"): 80, ("14", "3"): 250}


def _refused(data: bytes) -> str:
    with pytest.raises(Invalid) as caught:
        xer.read(data)
    return caught.value.message


def test_bad_input() -> None:
    good = FIXTURE.read_bytes()
    assert "task 99 is not in the TASK table" in _refused(
        good.replace(b"%R\t9\t21\t20\t", b"%R\t9\t21\t99\t"))
    assert "Table TASK, line" in _refused(good.replace(b"\t80\t\t2024-03-11", b"\teighty\t\t2024-03-11"))
    assert "calendar data ends before its brackets close" in _refused(
        good.replace(b"(d|45651)())))))", b"(d|45651)()))"))
    assert "task id '11' is empty or used twice" in _refused(good.replace(b"%R\t12\t100\t", b"%R\t11\t100\t"))
    assert "not %T, %F, %R or %E" in _refused(b"ERMHDR\t19.12\nhello\tworld\n")
    assert "row (%R) before any table" in _refused(b"ERMHDR\t19.12\n%R\t1\n")
    assert "no PROJECT table" in _refused(b"ERMHDR\t19.12\n%T\tTASK\n%F\ttask_id\n%E\n")
    assert "MS Project XML, not a Primavera XER" in _refused(
        b'<Project xmlns="http://schemas.microsoft.com/project"/>')


def test_task_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "schedule_max_activities", 5)
    assert "more than 5 tasks" in _refused(FIXTURE.read_bytes())
