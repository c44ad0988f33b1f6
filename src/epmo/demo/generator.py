"""Design of the demo enterprise's organisation: pure, seeded, no database.

Everything here is a function of the :class:`Plan` (seed, size, reference date); rows refer
to each other by position in the design, and the service maps positions to database ids.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from epmo.demo import catalog
from epmo.demo.catalog import DOMAINS

SIZES = {"small": 120, "medium": 5_000, "large": 50_000}
CAPACITIES = ((Decimal(40), 80), (Decimal(32), 10), (Decimal(24), 5), (Decimal(20), 5))
PROGRAMME_NOUNS = ("programme", "transformation", "renewal", "roadmap")


@dataclass(frozen=True, slots=True)
class Plan:
    """How big the enterprise is and which seed and reference date it is drawn from."""

    projects: int
    seed: int
    today: date
    departments: int
    people: int
    top_goals: int
    programmes: int
    report_months: int = 6  # months of status history before (and including) today's
    snapshot_months: int = 12  # months of compliance snapshots, the last one today
    snapshot_every: int = 1  # a snapshot at every n-th month end (each one is an evaluation)


@dataclass(frozen=True, slots=True)
class DeptSpec:
    """A department of the design; ``parent`` is a position in the department list."""

    code: str
    name: str
    parent: int | None
    domain: int
    level: int


@dataclass(frozen=True, slots=True)
class PersonSpec:
    """A person of the design, working in department ``dept`` (a position)."""

    code: str
    name: str
    email: str
    dept: int
    role: str
    capacity: Decimal


@dataclass(frozen=True, slots=True)
class GoalSpec:
    """A strategic goal; sibling weights sum to 100."""

    code: str
    name: str
    parent: int | None
    weight: int
    owner: int


@dataclass(frozen=True, slots=True)
class ProgrammeSpec:
    """A programme owned by ``dept``, with other top-level departments taking part."""

    code: str
    name: str
    dept: int
    manager: int
    partners: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Login:
    """A demo user: sign-in email, fixed password, role, department and linked person."""

    email: str
    password: str
    role: str
    department: str | None
    person: int | None


@dataclass
class Org:
    """The designed organisation plus the look-ups projects are drawn from."""

    departments: list[DeptSpec]
    people: list[PersonSpec] = field(default_factory=list)
    goals: list[GoalSpec] = field(default_factory=list)
    portfolios: list[tuple[str, str, int | None]] = field(default_factory=list)
    programmes: list[ProgrammeSpec] = field(default_factory=list)
    heads: dict[int, int] = field(default_factory=dict)  # dept -> person
    pms: dict[int, list[int]] = field(default_factory=dict)  # dept -> people
    leaf_goals: dict[int, list[int]] = field(default_factory=dict)  # top goal -> goals
    tops: dict[int, int] = field(default_factory=dict)  # domain -> its top department


def make_plan(size: str = "small", projects: int | None = None, seed: int = 1,
              today: date | None = None, report_months: int | None = None,
              snapshot_months: int = 12) -> Plan:
    """Scale every count from the number of projects (``--projects`` overrides ``--size``).

    Status history covers ``report_months`` months: by default 24 for the large size (two
    years, as the governance benchmark needs) and 6 otherwise. Every date is relative to
    ``today`` (default: the real today, so a fresh demo is current; pin it to repeat a load).
    Compliance snapshots cover ``snapshot_months``: every month end, or every third one for
    the large size (each snapshot of 50,000 projects is a full evaluation, about 3 s).
    """
    n = projects if projects is not None else SIZES[size]
    months = report_months if report_months is not None else 24 if n >= SIZES["large"] else 6
    departments = max(15, min(160, round(10 * max(n, 1) ** 0.25)))
    return Plan(
        projects=n, seed=seed, today=today or date.today(), departments=departments,
        people=max(4 * departments, n // 5), top_goals=5 if n < 1_000 else 6 if n < 20_000 else 8,
        programmes=max(3, n // 20), report_months=months, snapshot_months=snapshot_months,
        snapshot_every=3 if n >= SIZES["large"] else 1,
    )


def rng_for(plan: Plan, part: str) -> random.Random:
    """An independent random stream per part of the design, so parts never shift each other."""
    return random.Random(f"epmo-demo-{plan.seed}-{part}")


def design(plan: Plan) -> Org:
    """Design departments, people, goals, portfolios and programmes for ``plan``."""
    org = Org(design_departments(plan.departments))
    org.tops = {d.domain: i for i, d in enumerate(org.departments) if d.level == 1}
    _design_people(org, plan, rng_for(plan, "people"))
    _design_goals(org, plan, rng_for(plan, "goals"))
    org.portfolios = [("PF-ENT", "Enterprise portfolio", None)] + [
        (f"PF-{DOMAINS[dom].code}", f"{DOMAINS[dom].name} portfolio", top)
        for dom, top in org.tops.items()
    ]
    _design_programmes(org, plan, rng_for(plan, "programmes"))
    return org


def design_departments(count: int) -> list[DeptSpec]:
    """Top-level departments, then sub-departments and regional units round-robin."""
    depts = [DeptSpec(d.code, d.name, None, i, 1) for i, d in enumerate(DOMAINS)]
    widest = max(len(d.subs) for d in DOMAINS)
    for rank in range(widest):
        for dom, domain in enumerate(DOMAINS):
            if rank < len(domain.subs) and len(depts) < count:
                suffix, name = domain.subs[rank]
                depts.append(DeptSpec(f"{domain.code}-{suffix}", name, dom, dom, 2))
    subs = [i for i, d in enumerate(depts) if d.level == 2]
    for region, label in catalog.REGIONS:
        for sub in subs:
            if len(depts) < count:
                parent = depts[sub]
                depts.append(DeptSpec(f"{parent.code}-{region}", f"{parent.name} {label}",
                                      sub, parent.domain, 3))
    return depts


def _person(rng: random.Random, number: int, dept: int, role: str) -> PersonSpec:
    first, last = rng.choice(catalog.FIRST_NAMES), rng.choice(catalog.LAST_NAMES)
    email = f"{first}.{last}.{number}@staff.demo.epmo".lower().replace("'", "")
    capacity = rng.choices([c for c, _ in CAPACITIES], [w for _, w in CAPACITIES])[0]
    if role in ("Project manager", "Programme manager") or role.startswith("Head of"):
        capacity = Decimal(40)
    return PersonSpec(f"EMP-{number:05d}", f"{first} {last}", email, dept, role, capacity)


def _role(rng: random.Random, domain: int) -> str:
    pick = rng.random()
    for role, share in catalog.SHARED_ROLES:
        if pick < share:
            return role
        pick -= share
    return rng.choice(DOMAINS[domain].specialists)


def _design_people(org: Org, plan: Plan, rng: random.Random) -> None:
    depts = org.departments
    roles: list[tuple[int, str]] = []
    for i, dept in enumerate(depts):
        first = DOMAINS[dept.domain].specialists[0]
        roles += [(i, f"Head of {dept.name}"), (i, "Project manager"),
                  (i, "Business analyst"), (i, first)]
    weights = [DOMAINS[d.domain].weight / d.level for d in depts]
    for dept_i in rng.choices(range(len(depts)), weights, k=plan.people - len(roles)):
        roles.append((dept_i, _role(rng, depts[dept_i].domain)))
    roles.sort(key=lambda item: item[0])
    epmo = org.tops[len(DOMAINS) - 1]
    roles = [(epmo, title) for title in catalog.EXECUTIVES] + roles
    for number, (dept_i, role) in enumerate(roles, start=1):
        org.people.append(_person(rng, number, dept_i, role))
        if role.startswith("Head of"):
            org.heads[dept_i] = number - 1
        elif role == "Project manager":
            org.pms.setdefault(dept_i, []).append(number - 1)


def split_100(rng: random.Random, parts: int) -> list[int]:
    """Random whole-number weights, each at least 10, that sum to exactly 100."""
    raw = [rng.uniform(1.0, 3.0) for _ in range(parts)]
    spare = 100 - 10 * parts
    weights = [10 + int(spare * r / sum(raw)) for r in raw]
    weights[0] += 100 - sum(weights)
    return weights


def _design_goals(org: Org, plan: Plan, rng: random.Random) -> None:
    tops = catalog.GOALS[: plan.top_goals]
    children = 3 if plan.projects < 1_000 else 4
    heads = [org.heads[top] for top in org.tops.values()]
    for t, weight in enumerate(split_100(rng, len(tops))):
        name, subs = tops[t]
        org.goals.append(GoalSpec(f"G{t + 1}", name, None, weight, t % len(catalog.EXECUTIVES)))
        parent = len(org.goals) - 1
        chosen = subs[:children]
        for s, sub_weight in enumerate(split_100(rng, len(chosen))):
            org.goals.append(GoalSpec(f"G{t + 1}.{s + 1}", chosen[s], parent, sub_weight,
                                      rng.choice(heads)))
            org.leaf_goals.setdefault(t, []).append(len(org.goals) - 1)


def _design_programmes(org: Org, plan: Plan, rng: random.Random) -> None:
    owners = [i for i, d in enumerate(org.departments) if d.level <= 2]
    weights = [DOMAINS[org.departments[i].domain].weight for i in owners]
    top_list = list(org.tops.values())
    for number in range(1, plan.programmes + 1):
        dept = rng.choices(owners, weights)[0]
        domain = DOMAINS[org.departments[dept].domain]
        name = f"{rng.choice(domain.objects)} {rng.choice(PROGRAMME_NOUNS)}"
        if number > len(domain.objects):
            name += rng.choice(catalog.QUALIFIERS)
        partners: tuple[int, ...] = ()
        if rng.random() < 0.25:
            others = [t for t in top_list if t != org.tops[org.departments[dept].domain]]
            partners = tuple(sorted(rng.sample(others, rng.choice((1, 1, 2)))))
        manager = rng.choice(org.pms[dept])
        org.programmes.append(ProgrammeSpec(f"PRG-{number:05d}", name, dept, manager, partners))


def logins(org: Org, admin_needed: bool) -> list[Login]:
    """One demo user per role, in their departments, linked to fitting people."""
    it, fin = org.tops[0], org.tops[1]

    def first(dept: int, role: str) -> int:
        return next(i for i, p in enumerate(org.people) if p.dept == dept and p.role == role)

    users = [
        Login("exec@demo.epmo", "demo-password-exec", "executive", None, 0),
        Login("lead.it@demo.epmo", "demo-password-lead", "department_lead", "IT", org.heads[it]),
        Login("pm.it@demo.epmo", "demo-password-pm", "project_manager", "IT", org.pms[it][0]),
        Login("member.it@demo.epmo", "demo-password-member", "member", "IT",
              first(it, DOMAINS[0].specialists[0])),
        Login("viewer.fin@demo.epmo", "demo-password-viewer", "viewer", "FIN",
              first(fin, DOMAINS[1].specialists[0])),
        # Finance's lead validates the value ledger's hard savings (EPMO_LEDGER_FINANCE_...).
        Login("lead.fin@demo.epmo", "demo-password-lead", "department_lead", "FIN",
              org.heads[fin]),
    ]
    if admin_needed:
        users.insert(0, Login("admin@demo.epmo", "demo-password-admin", "epmo_admin", None, None))
    return users
