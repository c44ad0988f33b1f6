"""Benchmark change propagation on a generated enterprise network.

    python -m bench.network [--projects 2000] [--milestones 50] [--links 300000] [--changes 200]

Generates, from a seed, an enterprise of ``--projects`` projects (each a node of its own,
with a start and a finish) of ``--milestones`` milestones each, in 20 departments:
every project is a chain of milestones 5..15 days apart plus forward links inside it, and
the remaining links join projects across the enterprise (70 % inside a department), always
from an earlier-ranked project to a later one, so the network is acyclic by construction.
All four link types occur; lags leave 0..15 days of slack at the entered dates, a few are leads.

Times, in-process, the engine alone (``epmo.engines.propagation``):

- **build**: indexing nodes and links, topological order;
- **full recompute**: implied dates of every node in one pass (issue target: < 1 s),
  interleaved round by round with a baseline, the standard library's
  ``graphlib.TopologicalSorter.static_order`` over the same graph, and their ratio;
- **typical change**: a random milestone slips 1..30 days (``what_if``, nothing saved),
  median and p95 (issue target: < 20 ms), with the nodes visited and moved, and
  ``apply`` (the new state with the impact) on its own;
- **wide change** (not typical, for scale): the first milestones of the 20 earliest projects
  slip 30, 120 and 365 days at once, next to a full recompute.

With ``--e2e``, the same enterprise is stored in SQLite (and in PostgreSQL when ``--postgres``
or ``EPMO_TEST_POSTGRES_URL`` names one) and changes are timed end to end through the network
domain's service (see ``bench/network_e2e.py``; target < 200 ms per typical change).

Prints the machine and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import bisect
import graphlib
import os
import platform
import random
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from bench.common import Stats
from epmo.engines.propagation import (
    Dates,
    Link,
    LinkType,
    Network,
    State,
    apply,
    build_network,
    full_recompute,
    what_if,
)

T = TypeVar("T")
TARGET_CHANGE_MS = 20.0
TARGET_FULL_S = 1.0
DEPARTMENTS = 20
TYPES: tuple[LinkType, ...] = ("FS", "SS", "FF", "SF")
TYPE_WEIGHTS = (70, 15, 10, 5)


@dataclass(frozen=True)
class Enterprise:
    """A generated network: every node's own dates, the links, and which nodes are milestones."""

    dates: dict[int, Dates]
    links: list[Link]
    milestones: list[int]
    upstream: list[int]  # the first milestone of each of the 20 earliest-ranked projects


# --- the generated enterprise -------------------------------------------------------------------


class _Generator:
    """Seeded builder of the enterprise; project p's milestones are ids p*M+1 .. p*M+M."""

    def __init__(self, projects: int, milestones: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.p, self.m = projects, milestones
        self.rank = list(range(projects))
        self.rng.shuffle(self.rank)  # rank[p]: place in the enterprise's order
        self.by_rank = sorted(range(projects), key=self.rank.__getitem__)
        self.department = [self.rng.randrange(DEPARTMENTS) for _ in range(projects)]
        self.days: list[list[int]] = [self._milestone_days(p) for p in range(projects)]
        self.links: list[Link] = []

    def _milestone_days(self, p: int) -> list[int]:
        day = self.rank[p] * 3 // 4 + self.rng.randint(0, 60)
        days = []
        for _ in range(self.m):
            day += self.rng.randint(5, 15)
            days.append(day)
        return days

    def milestone(self, p: int, i: int) -> int:
        """Id of project p's i-th milestone."""
        return p * self.m + i + 1

    def project(self, p: int) -> int:
        """Id of project p's own node."""
        return self.p * self.m + p + 1

    def dates(self) -> dict[int, Dates]:
        """Own dates of every node: milestones on their day, projects spanning theirs."""
        dates = {self.milestone(p, i): Dates(day, day)
                 for p in range(self.p) for i, day in enumerate(self.days[p])}
        for p in range(self.p):
            dates[self.project(p)] = Dates(self.days[p][0] - 5, self.days[p][-1] + 5)
        return dates

    def lag(self, pred_day: int, succ_day: int) -> int:
        """A lag that leaves 0..15 days of slack at the entered dates."""
        return succ_day - pred_day - self.rng.randint(0, 15)

    def intra(self, extra_per_project: int) -> None:
        """The chain of each project's milestones, plus forward links inside it."""
        for p in range(self.p):
            days = self.days[p]
            for i in range(self.m - 1):
                self.links.append(Link(self.milestone(p, i), self.milestone(p, i + 1), "FS",
                                       self.rng.randint(0, 3)))
            for _ in range(extra_per_project):
                i = self.rng.randrange(self.m - 2)
                j = min(self.m - 1, i + self.rng.randint(2, 8))
                kind = self.rng.choices(TYPES, TYPE_WEIGHTS)[0]
                self.links.append(Link(self.milestone(p, i), self.milestone(p, j), kind,
                                       self.lag(days[i], days[j])))

    def cross(self, count: int) -> None:
        """Links from earlier- to later-ranked projects, mostly within a department."""
        made = 0
        while made < count:
            link = self._cross_link()
            if link is not None:
                self.links.append(link)
                made += 1

    def _cross_link(self) -> Link | None:
        """One link from a random project to a later one; None when the draw does not fit."""
        rng = self.rng
        a = rng.randrange(self.p)
        later = self.by_rank[self.rank[a] + 1: self.rank[a] + 101]
        same = [b for b in later if self.department[b] == self.department[a]]
        pool = same if same and rng.random() < 0.7 else later
        if not pool:
            return None
        b, kind = rng.choice(pool), rng.choices(TYPES, TYPE_WEIGHTS)[0]
        pred = self.project(a) if rng.random() < 0.05 else self.milestone(a, rng.randrange(self.m))
        pred_day = self._day(pred, kind[0] == "F")
        j = bisect.bisect_left(self.days[b], pred_day) + rng.randint(0, 3)
        if j >= self.m:
            return None
        succ = self.project(b) if rng.random() < 0.05 else self.milestone(b, j)
        lag = self.lag(pred_day, self._day(succ, kind[1] == "F"))
        # Keep leads and lags plausible: a project's far end must not make a months-long lag.
        return Link(pred, succ, kind, lag) if -15 <= lag <= 30 else None

    def _day(self, node: int, finish: bool) -> int:
        """A node's own start or finish day."""
        if node <= self.p * self.m:
            p, i = divmod(node - 1, self.m)
            return self.days[p][i]
        p = node - self.p * self.m - 1
        return self.days[p][-1] + 5 if finish else self.days[p][0] - 5


def generate(projects: int, milestones: int, links: int, seed: int) -> Enterprise:
    """A seeded enterprise network with about ``links`` links (a third across projects)."""
    gen = _Generator(projects, milestones, seed)
    chain = projects * (milestones - 1)
    extra = max(0, (links - chain) // 2 // projects)
    gen.intra(extra)
    gen.cross(max(0, links - len(gen.links)))
    ids = [gen.milestone(p, i) for p in range(projects) for i in range(milestones)]
    return Enterprise(gen.dates(), gen.links, ids, [gen.milestone(p, 0) for p in gen.by_rank[:20]])


# --- timing -------------------------------------------------------------------------------------


def timed(call: Callable[[], T]) -> tuple[float, T]:
    """Milliseconds one call took, and its result."""
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def toposort_baseline(enterprise: Enterprise) -> Callable[[], object]:
    """The baseline: graphlib's topological order of the same graph, predecessors prepared."""
    preds: dict[int, list[int]] = {node: [] for node in enterprise.dates}
    for link in enterprise.links:
        preds[link.succ].append(link.pred)
    return lambda: list(graphlib.TopologicalSorter(preds).static_order())


def bench_full(network: Network, enterprise: Enterprise, repeat: int) -> None:
    """Full recomputes interleaved with the baseline; print both and the ratio."""
    baseline = toposort_baseline(enterprise)
    full_ms, base_ms = [], []
    for _ in range(repeat):
        full_ms.append(timed(lambda: full_recompute(network, enterprise.dates))[0])
        base_ms.append(timed(baseline)[0])
    full, base = Stats.of(full_ms), Stats.of(base_ms)
    print(f"full recompute       {full}")
    print(f"baseline (graphlib)  {base}")
    print(f"ratio full / baseline (medians): {full.median / base.median:.2f}")
    verdict = "met" if full.p95 < TARGET_FULL_S * 1000 else "NOT met"
    print(f"target full recompute < {TARGET_FULL_S:g} s: {verdict}")


def bench_changes(network: Network, state: State, enterprise: Enterprise, count: int,
                  seed: int) -> None:
    """Time ``count`` typical changes (what-if slips) and applying each impact."""
    rng = random.Random(seed)
    change_ms, apply_ms, visited, moved = [], [], [], []
    for _ in range(count):
        node, days = rng.choice(enterprise.milestones), rng.randint(1, 30)
        ms, impact = timed(lambda: what_if(network, state, {node: days}))  # noqa: B023
        change_ms.append(ms)
        apply_ms.append(timed(lambda: apply(state, impact))[0])  # noqa: B023
        visited.append(impact.visited)
        moved.append(len(impact.shifts))
    change = Stats.of(change_ms)
    print(f"typical change       {change}   max {max(change_ms):.1f} ms")
    print(f"apply (new state)    {Stats.of(apply_ms)}")
    print(f"nodes visited: median {statistics.median(visited):.0f}, max {max(visited)};"
          f" moved: median {statistics.median(moved):.0f}, max {max(moved)}")
    verdict = "met" if change.p95 < TARGET_CHANGE_MS else "NOT met"
    print(f"target typical change < {TARGET_CHANGE_MS:g} ms: {verdict}")


def bench_wide(network: Network, state: State, enterprise: Enterprise) -> None:
    """Not a typical change: the first milestones of the 20 earliest projects slip 30, 120 and
    365 days, rippling through much of the enterprise; against a full recompute."""
    for days in (30, 120, 365):
        slips = dict.fromkeys(enterprise.upstream, days)
        ms, impact = timed(lambda: what_if(network, state, slips))  # noqa: B023
        full_ms = timed(lambda: full_recompute(network, enterprise.dates))[0]
        print(f"wide change, {days:3} days: {ms:8.1f} ms, {len(impact.shifts):6,} nodes moved "
              f"({impact.visited:,} visited); full recompute {full_ms:.1f} ms")


def machine() -> str:
    """One line describing the machine."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"machine: {_cpu_model()}, {os.cpu_count()} cores ({usable} usable), "
            f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.1f}")


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def enterprise_parser(prog: str, doc: str | None, sqlite: str) -> argparse.ArgumentParser:
    """The arguments every network bench takes: the generated enterprise and the databases."""
    parser = argparse.ArgumentParser(prog=prog, description=doc,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=2_000)
    parser.add_argument("--milestones", type=int, default=50, help="milestones per project")
    parser.add_argument("--links", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sqlite", default=sqlite,
                        help="SQLite file for the end-to-end runs (recreated)")
    parser.add_argument("--postgres", default=os.environ.get("EPMO_TEST_POSTGRES_URL", ""),
                        help="PostgreSQL URL for the end-to-end runs (empty: skip)")
    return parser


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = enterprise_parser("python -m bench.network", __doc__, "/tmp/epmo-bench-network.db")
    parser.add_argument("--changes", type=int, default=200, help="timed typical changes")
    parser.add_argument("--repeat", type=int, default=5, help="timed full recomputes")
    parser.add_argument("--e2e", action="store_true",
                        help="also time changes end to end through the network service")
    parser.add_argument("--e2e-changes", type=int, default=100,
                        help="timed changes end to end, per database")
    return parser.parse_args(argv)


def end_to_end(args: argparse.Namespace, ent: Enterprise) -> None:
    """The same enterprise in SQLite and PostgreSQL, one change at a time through the service."""
    from bench import network_e2e

    if os.path.exists(args.sqlite):
        os.remove(args.sqlite)
    targets = [("sqlite", f"sqlite:///{args.sqlite}")]
    if args.postgres:
        targets.append(("postgresql", args.postgres))
    for label, url in targets:
        network_e2e.run(label, url, ent, args.projects, args.milestones, args.e2e_changes,
                        args.seed)


def main(argv: Sequence[str] | None = None) -> None:
    """Generate the enterprise, then time build, full recompute and typical changes."""
    args = _parse(argv)
    print(machine())
    ms, ent = timed(lambda: generate(args.projects, args.milestones, args.links, args.seed))
    print(f"generated {len(ent.dates):,} nodes ({len(ent.milestones):,} milestones) and "
          f"{len(ent.links):,} links in {ms / 1000:.1f} s")
    ms, network = timed(lambda: build_network(ent.dates, ent.links))
    print(f"build                {ms:8.1f} ms")
    bench_full(network, ent, args.repeat)
    state = full_recompute(network, ent.dates)
    bench_changes(network, state, ent, args.changes, args.seed)
    bench_wide(network, state, ent)
    if args.e2e:
        end_to_end(args, ent)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
