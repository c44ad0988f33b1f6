"""The demo's business case for the EPMO: three operating models over five years.

The EPMO leader's question is how to show "an identifiable business value" to management who
see the PMO as a support function. The case weighs the EPMO as it is (supportive, three people)
against controlling portfolio governance and reporting (five people, the recommended option)
and a directive EPMO that runs every practice (nine people). Amounts are round planning figures
(EUR): people at 95,000 a year per FTE, a PPM tool, training; benefits from projects stopped or
never started (cost avoidance), fewer overruns (savings) and report-writing days given back
(days saved at a daily rate). Made through ``business_case.service`` as the first EPMO
administrator, so the audit log records it like a form's work.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from epmo.auth import service as auth_service
from epmo.business_case import service
from epmo.business_case.schemas import CaseCreate, CaseUpdate, LineIn, LinesPut, OptionCreate
from epmo.demo import repository

PER_FTE = 95_000
# name, description, authority, FTE, recommended, {(kind, category): amounts for years 0..5}
OPTIONS = (
    ("Supportive EPMO (as today)",
     "The EPMO advises in every practice: it collects reports and warns, but blocks nothing. "
     "Departments keep their own intake and gates.",
     {"portfolio_governance": "supportive", "project_leadership": "supportive",
      "ppm_administration": "supportive"}, 3, False,
     {("cost", "tools"): [20_000, 30_000, 30_000, 30_000, 30_000, 30_000],
      ("cost", "training"): [0, 10_000, 10_000, 10_000, 10_000, 10_000],
      ("benefit", "days_saved"): [0, 120_000, 150_000, 150_000, 150_000, 150_000],
      ("benefit", "savings"): [0, 100_000, 150_000, 180_000, 180_000, 180_000]}),
    ("Controlling portfolio governance",
     "One intake and stage gates that block below the minimum standard in every department; "
     "controlling reporting (one status cadence, derived health). Project leadership stays "
     "with the departments, the EPMO coaching.",
     {"portfolio_governance": "controlling", "project_leadership": "supportive",
      "ppm_administration": "controlling"}, 5, True,
     {("cost", "tools"): [120_000, 60_000, 60_000, 60_000, 60_000, 60_000],
      ("cost", "training"): [60_000, 40_000, 20_000, 20_000, 20_000, 20_000],
      ("benefit", "cost_avoidance"): [0, 250_000, 550_000, 800_000, 900_000, 900_000],
      ("benefit", "savings"): [0, 100_000, 250_000, 350_000, 400_000, 400_000],
      ("benefit", "days_saved"): [0, 150_000, 200_000, 220_000, 220_000, 220_000]}),
    ("Directive EPMO",
     "The EPMO runs intake, selection and reporting and provides the project managers of "
     "tier-1 projects. The largest benefits if departments accept it, and the slowest start.",
     {"portfolio_governance": "directive", "project_leadership": "directive",
      "ppm_administration": "directive"}, 9, False,
     {("cost", "tools"): [200_000, 90_000, 90_000, 90_000, 90_000, 90_000],
      ("cost", "training"): [150_000, 80_000, 40_000, 40_000, 40_000, 40_000],
      ("cost", "other"): [100_000, 50_000, 0, 0, 0, 0],  # change management
      ("benefit", "cost_avoidance"): [0, 150_000, 600_000, 1_000_000, 1_200_000, 1_200_000],
      ("benefit", "savings"): [0, 50_000, 300_000, 500_000, 600_000, 600_000],
      ("benefit", "days_saved"): [0, 100_000, 250_000, 300_000, 300_000, 300_000]}),
)


def _lines(fte: int, table: dict[tuple[str, str], list[int]]) -> list[LineIn]:
    people = [0] + [fte * PER_FTE] * 5
    found = [LineIn(year=year, kind="cost", category="people", amount=Decimal(amount))
             for year, amount in enumerate(people) if amount]
    for (kind, category), amounts in table.items():
        found += [LineIn.model_validate({"year": year, "kind": kind, "category": category,
                                         "amount": Decimal(amount)})
                  for year, amount in enumerate(amounts) if amount]
    return found


def build_business_case(session: Session, today: date) -> dict[str, int]:
    """The demo's business case with its options and amounts; counts of rows made."""
    admin = repository.first_admin(session)
    if admin is None:  # `epmo init` made none: nobody to own the case
        return {}
    actor = auth_service.actor_for(session, admin)
    case = service.create_case(session, actor, CaseCreate(
        title=f"EPMO operating model {today.year + 1}-{today.year + 5}",
        description="Management sees the PMO as a support function. This case shows what "
        "each level of EPMO authority would cost and return over five years, so the sponsor "
        "can choose with figures rather than opinions.",
        currency="EUR", discount_rate=Decimal(8), horizon_years=5))
    lines = 0
    for name, description, authority, fte, recommended, table in OPTIONS:
        option = service.create_option(session, actor, case.id, OptionCreate.model_validate({
            "name": name, "description": description, "authority": authority,
            "staffing_fte": Decimal(fte), "recommended": recommended}))
        made = _lines(fte, table)
        service.set_lines(session, actor, option.id, LinesPut(version=option.version,
                                                              lines=made))
        lines += len(made)
    service.update_case(session, actor, case.id, CaseUpdate(version=case.version,
                                                            status="presented"))
    return {"business_case": 1, "business_case_option": len(OPTIONS),
            "business_case_line": lines}
