"""Page forms of the benefits register: the benefit form and the schedule grid, read from
what a browser posts into the API's schemas (errors name the form's fields)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.orm import Session

from epmo.benefits import repository
from epmo.benefits.models import Benefit
from epmo.benefits.schemas import (
    MONTH,
    ActualRecord,
    BenefitCreate,
    BenefitUpdate,
    PlanReplace,
)
from epmo.errors import FieldError, Invalid
from epmo.portfolio.forms import project_id_of
from epmo.resources.months import month_index, month_name, month_of
from epmo.web.pages import parse_form, with_ints

TEXT = ("name", "description", "measure", "unit", "baseline", "target", "kind", "status")
IDS = ("owner_id", "responsible_id", "anchor_milestone_id", "confidence", "offset_months",
       "programme_id", "project_id", "version")
FLAGS = ("hard", "dis_benefit")
GRID_MIN_MONTHS = 12


def evidence_lines(text: str | None) -> list[dict[str, str]]:
    """One link a line: the address, then (after a space) its label."""
    found = []
    for line in (text or "").splitlines():
        if line.strip():
            url, _, label = line.strip().partition(" ")
            found.append({"url": url, "label": label.strip()})
    return found


def evidence_text(evidence: list[dict[str, Any]]) -> str:
    """The links as the form's text."""
    return "\n".join(f"{e['url']} {e.get('label', '')}".strip() for e in evidence)


def _values(session: Session, raw: Mapping[str, Any], create: bool) -> dict[str, Any]:
    values: dict[str, Any] = {k: raw[k] for k in (*TEXT, *IDS) if raw.get(k) not in (None, "")}
    if not create:
        values.pop("project_id", None)
        values.pop("programme_id", None)
    else:
        values.pop("version", None)
        values["project_id"] = project_id_of(session, values.get("project_id"), "project_id")
        values = {k: v for k, v in values.items() if v is not None}
    for flag in FLAGS:
        values[flag] = raw.get(flag) == "on"
    values["evidence"] = evidence_lines(raw.get("evidence"))
    if not create:  # an emptied field means unknown
        for key in ("owner_id", "responsible_id", "baseline", "target", "confidence",
                    "anchor_milestone_id"):
            values.setdefault(key, None)
    return with_ints(values, *IDS)


def parse_create(session: Session, raw: Mapping[str, Any]) -> BenefitCreate:
    """The new benefit the form describes."""
    return parse_form(BenefitCreate, _values(session, raw, True))  # type: ignore[no-any-return]


def parse_update(session: Session, raw: Mapping[str, Any]) -> BenefitUpdate:
    """The changes the form describes (every field sent)."""
    return parse_form(BenefitUpdate, _values(session, raw, False))  # type: ignore[no-any-return]


def form_of(benefit: Benefit) -> dict[str, Any]:
    """A benefit's fields as its form shows them."""
    values = {k: getattr(benefit, k) for k in (*TEXT, *IDS, *FLAGS) if hasattr(benefit, k)}
    values["evidence"] = evidence_text(benefit.evidence or [])
    return {k: ("" if v is None else v) for k, v in values.items()}


def grid_months(session: Session, benefit: Benefit, today_month: str) -> list[str]:
    """The months the grid shows: from the first planned or realised month (or the anchor's
    month plus the offset) to the last, and at least a year."""
    plan = repository.plans_of(session, [benefit.id])[benefit.id]
    actual = repository.actuals_of(session, [benefit.id])[benefit.id]
    known = [p.period for p in plan] + [a.period for a in actual]
    start = (month_of(benefit.anchor_date) if benefit.anchor_date else today_month)
    first = min([*known, month_name(month_index(start) + benefit.offset_months)])
    last = max([*known, month_name(month_index(first) + GRID_MIN_MONTHS - 1)])
    return [month_name(i) for i in range(month_index(first), month_index(last) + 1)]


def _amount(raw: Mapping[str, Any], key: str, errors: list[FieldError]) -> Decimal | None:
    text = raw.get(key)
    if text in (None, ""):
        return None
    try:
        value = Decimal(str(text).replace(",", ""))
    except InvalidOperation:
        errors.append(FieldError(key, f"must be a number, not {str(text)[:40]!r}"))
        return None
    if not value.is_finite() or value < 0 or value >= Decimal("1e15"):
        errors.append(FieldError(key, "must be a number from 0 up to 999 trillion"))
        return None
    return value


def parse_grid(raw: Mapping[str, Any], months: list[str], version: int,
               ) -> tuple[PlanReplace, list[ActualRecord]]:
    """The plan (a month's amount in ``plan-YYYY-MM``) and the actuals (``actual-YYYY-MM``)."""
    errors: list[FieldError] = []
    lines, actuals = [], []
    extra = {k[5:] for k in raw if k.startswith("plan-")} | {
        k[7:] for k in raw if k.startswith("actual-")}
    for month in sorted(set(months) | {m for m in extra if _is_month(m)}):
        planned = _amount(raw, f"plan-{month}", errors)
        if planned:
            lines.append({"period": month, "amount": str(planned)})
        done = _amount(raw, f"actual-{month}", errors)
        if done is not None:
            actuals.append(ActualRecord(period=month, amount=done.quantize(Decimal("0.01")),
                                        note=str(raw.get(f"note-{month}") or "")[:500]))
    if errors:
        raise Invalid("Please correct the highlighted months" if len(errors) > 1
                      else "Please correct the highlighted month", errors)
    return parse_form(PlanReplace, {"version": version, "lines": lines}), actuals


def _is_month(text: str) -> bool:
    return re.match(MONTH, text) is not None
