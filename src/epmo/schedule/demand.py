"""Assignments become the project's role demand (FTE-months per role per month).

The user's mapping (resource name -> a person's e-mail or a role) decides first. Otherwise a
resource is a person when its e-mail (or else its name) is a person's; it stands for that
person's role, and its lines name the person when the project may name them (a person of its
department or one below; anyone else's work stays unnamed, with a warning). Otherwise its
group, or its own name, is taken as a generic role when an active person has that role.
Work is counted per month: from the file's timephased work where it has it, else spread
evenly over the assignment's weekdays. A full-time month is 40 hours a week (as
``selection.capacity`` counts capacity). A schedule whose assignments map to no role leaves
the demand typed in the hub alone; work of resources that map to no role is named in a
warning, and so is work in months outside the project's dates (kept as planned:
``outside_warnings`` says why).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy.orm import Session

from epmo.errors import FieldError, Invalid
from epmo.portfolio import demand as portfolio_demand
from epmo.portfolio import repository as portfolio_repository
from epmo.portfolio.demand_window import Window, period_error
from epmo.portfolio.models import Project
from epmo.schedule import parsed, repository

HOURS_PER_FTE_MONTH = 40.0 * 52 / 12


def month_of(day: date) -> str:
    """The month a day falls in, as demand names it: 2027-03."""
    return f"{day.year:04d}-{day.month:02d}"


def _weekdays(first: date, last: date) -> list[date]:
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [d for d in days if d.weekday() < 5] or [first]


def spread(item: parsed.Assignment) -> dict[str, float]:
    """The assignment's work hours per month."""
    hours: dict[str, float] = defaultdict(float)
    if item.timephased:
        for part in item.timephased:
            hours[month_of(part.start.date())] += part.hours
        return hours
    if item.start is None or item.work_hours <= 0:
        return hours
    days = _weekdays(item.start.date(), (item.finish or item.start).date())
    for day in days:
        hours[month_of(day)] += item.work_hours / len(days)
    return hours


class Who(NamedTuple):
    """What a schedule resource stands for: a role, and the person when it is one."""

    role: str
    person_id: int | None = None


def chosen(session: Session, mapping: Mapping[str, str]) -> dict[str, Who]:
    """The user's mapping (resource name -> a person's e-mail or a role) as lower-case resource
    name -> what it stands for; an e-mail of no active person, or a role nobody has, is
    refused by name."""
    emails = [value.lower() for value in mapping.values() if "@" in value]
    people = repository.people_by_contact(session, emails, [])
    known = {role.casefold(): role for role in portfolio_repository.people_roles(session)}
    found, errors = {}, []
    for name, value in mapping.items():
        if "@" in value:
            person = people.get(value.lower())
            who = Who(person[1], person[0]) if person else None
        else:
            role = known.get(value.casefold())
            who = Who(role) if role else None
        if who is None:
            errors.append(FieldError(f"resource_map.{name}", f"{value!r} is no active person's "
                                     f"e-mail and no role an active person has"))
        else:
            found[name.lower()] = who
    if errors:
        raise Invalid("The resource mapping names unknown people or roles; nothing was "
                      "imported.", errors)
    return found


def matched(session: Session, resources: Iterable[parsed.Resource],
            mapping: Mapping[str, str] | None = None) -> dict[str, Who]:
    """Resource uid -> what it stands for: the user's mapping first, then a person by e-mail
    or name (their role), then a known role by group or name (resources that map to none are
    left out)."""
    items = list(resources)
    picked = chosen(session, mapping or {})
    people = repository.people_by_contact(
        session, [r.email.lower() for r in items if r.email], [r.name.lower() for r in items])
    known = {role.casefold(): role for role in portfolio_repository.people_roles(session)}
    found = {}
    for item in items:
        who = picked.get(item.name.lower())
        if who is None:
            person = (people.get(item.email.lower()) if item.email else None) or people.get(
                item.name.lower())
            role = known.get(item.group.casefold()) or known.get(item.name.casefold())
            who = Who(person[1], person[0]) if person else Who(role) if role else None
        if who is not None:
            found[item.uid] = who
    return found


def roles_of(session: Session, resources: Iterable[parsed.Resource],
             mapping: Mapping[str, str] | None = None) -> dict[str, str]:
    """Resource uid -> the role it stands for (see ``matched``)."""
    return {uid: who.role for uid, who in matched(session, resources, mapping).items()}


def apply(session: Session, project_id: int, file: parsed.ScheduleFile,
          mapping: Mapping[str, str] | None = None) -> list[str]:
    """Replace the project's demand by the schedule's work; the warnings to show.

    A resource that is a person the project may name (of its department or one below) gives
    a line naming them; a person of another department gives an unnamed line of their role
    (they come through a lending) and a warning."""
    who = matched(session, (r for r in file.resources if r.kind == "work"), mapping)
    named = portfolio_demand.Named(session, session.get(Project, project_id),
                                   [w.person_id for w in who.values()])
    refused = {w.person_id: named.role_of(w.person_id, None)[0]
               for w in who.values() if w.person_id is not None}
    totals: dict[tuple[str, int | None, str], float] = defaultdict(float)
    unmapped: dict[str, float] = defaultdict(float)
    names = {r.uid: r.name for r in file.resources}
    for item in file.assignments:
        found = who.get(item.resource_uid)
        person = found.person_id if found is not None else None
        person = None if person is None or refused[person] else person
        for period, hours in spread(item).items():
            if found:
                totals[(found.role, person, period)] += hours
            elif item.resource_uid in names:
                unmapped[names[item.resource_uid]] += hours
    if totals:
        portfolio_demand.replace_demand(session, project_id, [
            (role, person, period, Decimal(f"{hours / HOURS_PER_FTE_MONTH:.2f}"))
            for (role, person, period), hours in sorted(
                totals.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0, kv[0][2]))])
    return [f"Resource {name!r} ({hours:,.0f} h of work) is no person and no known role; "
            "its work is not in the role demand." for name, hours in sorted(unmapped.items())
            ] + [f"{problem}: their work is in the role demand unnamed."
                 for problem in sorted({p for p in refused.values() if p})
                 ] + outside_warnings(session, project_id, {period for *_, period in totals})


def outside_warnings(session: Session, project_id: int, periods: set[str]) -> list[str]:
    """The schedule's work in months outside the project's dates, in words.

    Kept, not refused: the schedule is the plan the project's dates should follow, and
    refusing the file would keep demand that no longer matches it; the warning says to move
    the dates (a typed write of the demand is refused until they cover it)."""
    project = session.get(Project, project_id)
    within = portfolio_demand.window_of(project) if project else Window(None, None)
    found = [(period, period_error(period, within)) for period in sorted(periods)]
    return [f"Schedule work in {message}; it is in the role demand as planned: move the "
            "project's dates to cover it." for _, message in found if message]
