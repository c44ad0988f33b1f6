"""P6 rows (PROJWBS, TASK, TASKPRED, RSRC, TASKRSRC) as the parsed contract's records."""

from __future__ import annotations

from epmo.schedule import formats
from epmo.schedule.parsed import (
    Activity,
    Assignment,
    Constraint,
    Link,
    LinkType,
    Resource,
    ResourceKind,
)
from epmo.schedule.xer_tables import XerRow

WBS_PREFIX = "wbs:"  # WBS elements and tasks have separate id spaces in P6
CONSTRAINTS: dict[str, Constraint] = {
    "CS_ALAP": "ALAP", "CS_MSO": "MSO", "CS_MANDSTART": "MSO", "CS_MEO": "MFO",
    "CS_MANDFIN": "MFO", "CS_MSOA": "SNET", "CS_MSOB": "SNLT", "CS_MEOA": "FNET",
    "CS_MEOB": "FNLT",
}
LINK_TYPES: dict[str, LinkType] = {"PR_FS": "FS", "PR_SS": "SS", "PR_FF": "FF", "PR_SF": "SF"}
RESOURCE_KINDS: dict[str, tuple[ResourceKind, str]] = {
    "RT_Labor": ("work", "labor"), "RT_Equip": ("work", "equipment"),
    "RT_Mat": ("material", "material"),
}
MILESTONES = frozenset({"TT_Mile", "TT_FinMile"})


def wbs_activities(rows: list[XerRow]) -> tuple[list[Activity], str | None, str]:
    """One project's WBS elements as summary activities, its root WBS id and root name."""
    root = next((row for row in rows if row.get("proj_node_flag") == "Y"), None)
    root_id = root.get("wbs_id") if root else None
    by_id = {row.get("wbs_id"): row for row in rows}
    activities = [_wbs(row, by_id, root_id) for row in _tree_order(rows) if row is not root]
    return activities, root_id, root.get("wbs_name") if root else ""


def _tree_order(rows: list[XerRow]) -> list[XerRow]:
    """Parents before their children, siblings by ``seq_num`` (a WBS in outline order)."""
    ids = {row.get("wbs_id") for row in rows}
    children: dict[str, list[XerRow]] = {}
    for row in sorted(rows, key=lambda row: row.number("seq_num", 0.0)):
        parent = row.get("parent_wbs_id")
        children.setdefault(parent if parent in ids else "", []).append(row)
    ordered: list[XerRow] = []
    stack = list(reversed(children.get("", [])))
    while stack:
        row = stack.pop()
        ordered.append(row)
        stack.extend(reversed(children.get(row.get("wbs_id"), [])))
    return ordered


def _wbs(row: XerRow, by_id: dict[str, XerRow], root_id: str | None) -> Activity:
    path = _path(row, by_id, root_id)
    parent = row.get("parent_wbs_id")
    return Activity(
        uid=WBS_PREFIX + row.get("wbs_id"), code=".".join(path),
        name=row.get("wbs_name") or row.get("wbs_short_name"), wbs=".".join(path),
        parent_uid=WBS_PREFIX + parent if parent and parent != root_id else None,
        outline_level=len(path), summary=True, wbs_only=True,
    )


def _path(row: XerRow, by_id: dict[str, XerRow], root_id: str | None) -> list[str]:
    path: list[str] = []
    seen: set[str] = set()
    current: XerRow | None = row
    while current is not None and current.get("wbs_id") != root_id:
        if current.get("wbs_id") in seen:
            raise formats.refuse(f"{current.where('parent_wbs_id')}: the WBS tree loops back "
                                 "on itself", row=current.line)
        seen.add(current.get("wbs_id"))
        path.insert(0, current.get("wbs_short_name") or current.get("wbs_id"))
        current = by_id.get(current.get("parent_wbs_id"))
    return path


def task_activity(row: XerRow, wbs: dict[str, Activity], root_id: str | None) -> Activity:
    """A TASK row under its WBS element (none when it sits at the project's root)."""
    parent = wbs.get(WBS_PREFIX + row.get("wbs_id"))
    kind = row.get("task_type")
    return Activity(
        uid=row.get("task_id"), code=row.get("task_code") or row.get("task_id"),
        name=row.get("task_name"), wbs=parent.wbs if parent else "",
        parent_uid=parent.uid if parent else None,
        outline_level=parent.outline_level + 1 if parent else 1,
        summary=kind == "TT_WBS", milestone=kind in MILESTONES,
        duration_hours=row.number("target_drtn_hr_cnt"),
        remaining_hours=row.number("remain_drtn_hr_cnt") if row.get("remain_drtn_hr_cnt") else None,
        percent_complete=_percent(row),
        start=row.date("act_start_date") or row.date("early_start_date")
        or row.date("target_start_date"),
        finish=row.date("act_end_date") or row.date("early_end_date")
        or row.date("target_end_date"),
        actual_start=row.date("act_start_date"), actual_finish=row.date("act_end_date"),
        baseline_start=row.date("target_start_date"), baseline_finish=row.date("target_end_date"),
        early_start=row.date("early_start_date"), early_finish=row.date("early_end_date"),
        late_start=row.date("late_start_date"), late_finish=row.date("late_end_date"),
        total_float_hours=row.number("total_float_hr_cnt") if row.get("total_float_hr_cnt")
        else None,
        constraint=CONSTRAINTS.get(row.get("cstr_type"), "ASAP"),
        constraint_date=row.date("cstr_date"), calendar_uid=row.get("clndr_id") or None,
    )


def _percent(row: XerRow) -> float:
    if row.get("status_code") == "TK_Complete" and not row.get("phys_complete_pct"):
        return 100.0
    return row.number("phys_complete_pct")


def link(row: XerRow) -> Link:
    """A TASKPRED row (lag in working hours of P6's lag calendar)."""
    kind = row.get("pred_type") or "PR_FS"
    if kind not in LINK_TYPES:
        raise formats.refuse(f"{row.where('pred_type')}: '{kind}' is not PR_FS, PR_SS, PR_FF "
                             "or PR_SF", field="pred_type", row=row.line)
    return Link(row.get("pred_task_id"), row.get("task_id"), LINK_TYPES[kind],
                row.number("lag_hr_cnt"))


def resource(row: XerRow) -> Resource | None:
    """A named RSRC row (None without a name)."""
    name = row.get("rsrc_name") or row.get("rsrc_short_name")
    if not row.get("rsrc_id") or not name:
        return None
    kind, group = RESOURCE_KINDS.get(row.get("rsrc_type"), ("work", ""))
    return Resource(uid=row.get("rsrc_id"), name=name, kind=kind,
                    email=row.get("email_addr"), group=group,
                    calendar_uid=row.get("clndr_id") or None)


def assignment(row: XerRow) -> Assignment:
    """A TASKRSRC row: planned work ``target_qty`` hours (``remain_qty`` when none planned)."""
    work = row.number("target_qty") if row.get("target_qty") else row.number("remain_qty")
    return Assignment(
        activity_uid=row.get("task_id"), resource_uid=row.get("rsrc_id"), work_hours=work,
        start=row.date("act_start_date") or row.date("target_start_date"),
        finish=row.date("act_end_date") or row.date("target_end_date"),
    )
