"""Accepting one dependency at enterprise scale: a full rebuild against adding the link.

    python -m bench.network_accept [--projects 2000] [--milestones 50] [--links 300000]
        [--samples 20] [--postgres URL] [--no-e2e]

On the enterprise of ``bench.network`` (2,000 projects x 50 milestones, 300,000 links), new
links between random milestones of two different projects (either direction; those that
would close a cycle are skipped, as the service refuses them), timed interleaved, A then B:

- **engine**: ``build_network`` over every link plus the new one and ``full_recompute``
  (what a dependency write cost before) against ``add_link`` (``with_link`` + propagation
  from the successor downstream); how many needed the order re-arranged;
- **end to end** (SQLite, and PostgreSQL when ``--postgres`` or ``EPMO_TEST_POSTGRES_URL``
  names one): ``network.service.create_dependency`` by an administrator (owner of both ends,
  so accepted at once: cycle check, the link row, implied dates, the change event) and the
  commit, with the old path (``derived.refresh``: rebuild, reload own dates, recompute and
  compare every stored row) against ``derived.add_link``; the old path is put back by
  swapping the function for its run only.

Each line gives wall-clock median / p95 and this process's CPU time (``time.process_time``;
a PostgreSQL server's own CPU is not in it), and the load average before and after, since
the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable, Sequence
from typing import Any

from bench.common import Stats
from bench.network import Enterprise, enterprise_parser, generate, machine
from epmo.engines.propagation import (
    Link,
    State,
    add_link,
    build_network,
    closes_cycle,
    full_recompute,
)


def _load() -> str:
    return "load average " + " / ".join(f"{x:.1f}" for x in os.getloadavg())


def clocked(call: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall and process CPU milliseconds of one call, and its result."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, result


def new_links(ent: Enterprise, taken: set[tuple[int, int]], count: int, seed: int,
              milestones: int, accept: Callable[[Link], bool]) -> list[Link]:
    """Random milestone-to-milestone links across projects, not yet present, ``accept``ed."""
    rng, found = random.Random(seed), []
    while len(found) < count:
        a, b = rng.sample(ent.milestones, 2)
        if (a - 1) // milestones == (b - 1) // milestones or (a, b) in taken:
            continue
        link = Link(a, b, rng.choice(("FS", "FS", "SS", "FF")), rng.randint(0, 20))
        if accept(link):
            taken.add((a, b))
            found.append(link)
    return found


def report(label: str, wall: Sequence[float], cpu: Sequence[float]) -> None:
    print(f"{label:<34} wall {Stats.of(wall)}   cpu median {Stats.of(cpu).median:8.2f} ms")


def bench_engine(ent: Enterprise, links: list[Link], samples: int, seed: int,
                 milestones: int) -> None:
    """Full build + full recompute against ``add_link``, on a growing network, interleaved."""
    network = build_network(ent.dates, links)
    state: State = full_recompute(network, ent.dates)
    taken = {(ln.pred, ln.succ) for ln in links}
    extra = new_links(ent, taken, 2 * samples, seed, milestones,
                      lambda ln: closes_cycle(network, ln.pred, ln.succ) is None)
    full_w, full_c, inc_w, inc_c, reordered, moved = [], [], [], [], 0, []
    print(f"engine, {len(ent.dates):,} nodes, {len(links):,} links; {_load()}")
    for i, link in enumerate(extra):
        if closes_cycle(state.network, link.pred, link.succ) is not None:
            continue  # an earlier added link closed the way round
        p, s = state.network.index[link.pred], state.network.index[link.succ]
        if i % 2 == 0:
            w, c, _ = clocked(lambda: full_recompute(
                build_network(ent.dates, [*links, link]), ent.dates))  # noqa: B023
            full_w.append(w)
            full_c.append(c)
        reordered += state.network.position[p] > state.network.position[s]
        w, c, (state, impact) = clocked(lambda: add_link(state, link, {}))  # noqa: B023
        inc_w.append(w)
        inc_c.append(c)
        moved.append(len(impact.shifts))
        links.append(link)
    report("build + full recompute", full_w, full_c)
    report("add_link (incremental)", inc_w, inc_c)
    print(f"  {reordered} of {len(inc_w)} links went against the order (region re-ordered); "
          f"nodes moved per link: median {sorted(moved)[len(moved) // 2]}, max {max(moved)}; "
          f"{_load()}")


def bench_e2e(label: str, url: str, ent: Enterprise, args: argparse.Namespace) -> None:
    """Accepting links through the service and committing: old path against new, interleaved."""
    from sqlalchemy.orm import sessionmaker

    from bench import network_e2e
    from epmo import events as domain_events
    from epmo import wiring
    from epmo.auth.policy import SYSTEM
    from epmo.db import UnitOfWork
    from epmo.errors import Conflict
    from epmo.events import ChangeRecorded
    from epmo.network import cache, derived, service
    from epmo.network.schemas import DependencyCreate

    wiring.install()
    with network_e2e.database(url) as engine:
        stored = network_e2e.load(engine, ent, args.projects, args.milestones)
        maker = sessionmaker(class_=UnitOfWork, bind=engine, expire_on_commit=False)
        cache.clear()
        with maker() as session:
            derived.refresh(session)
            session.commit()
        print(f"[{label}] {stored:,} dependencies stored; {_load()}")
        loaded = cache.network_for(maker())
        taken = {(ln.pred, ln.succ) for ln in ent.links}
        extra = new_links(ent, taken, 2 * args.samples + 2, args.seed + 1, args.milestones,
                          lambda ln: closes_cycle(loaded.network, 2 * ln.pred, 2 * ln.succ)
                          is None)
        incremental = derived.add_link

        def accept(link: Link) -> int | None:
            """Nodes the accepted link moved; None: refused."""
            with maker() as session:
                try:
                    service.create_dependency(session, SYSTEM, DependencyCreate(
                        predecessor_milestone_id=link.pred, successor_milestone_id=link.succ,
                        type=link.type, lag_days=link.lag))
                except Conflict:
                    return None  # an earlier new link closed the way round: refused
                moved = sum(e.moved for e in domain_events.of(session, ChangeRecorded))
                session.commit()
                return moved

        timings: dict[bool, tuple[list[float], list[float]]] = {False: ([], []), True: ([], [])}
        moved: list[int] = []
        for i, link in enumerate(extra):
            new = i % 2 == 1
            derived.add_link = incremental if new else (  # type: ignore[method-assign]
                lambda session, _link: derived.refresh(session))
            try:
                w, c, done = clocked(lambda: accept(link))  # noqa: B023
            finally:
                derived.add_link = incremental  # type: ignore[method-assign]
            if i >= 2 and done is not None:  # the first pair warms up
                timings[new][0].append(w)
                timings[new][1].append(c)
                moved.append(done)
        report(f"[{label}] accept, full rebuild (old)", *timings[False])
        report(f"[{label}] accept, add the link (new)", *timings[True])
        print(f"[{label}] nodes moved per accepted link: median "
              f"{sorted(moved)[len(moved) // 2]}, max {max(moved)}")
        print(f"[{label}] {_load()}")
        cache.clear()


def main(argv: Sequence[str] | None = None) -> None:
    parser = enterprise_parser("python -m bench.network_accept", __doc__,
                               "/tmp/epmo-bench-accept.db")
    parser.add_argument("--samples", type=int, default=20, help="links per variant")
    parser.add_argument("--no-e2e", action="store_true", help="the engine only")
    args = parser.parse_args(argv)
    print(machine())
    ent = generate(args.projects, args.milestones, args.links, args.seed)
    bench_engine(ent, list(ent.links), args.samples, args.seed, args.milestones)
    if args.no_e2e:
        return
    if os.path.exists(args.sqlite):
        os.remove(args.sqlite)
    targets = [("sqlite", f"sqlite:///{args.sqlite}")]
    if args.postgres:
        targets.append(("postgresql", args.postgres))
    for label, url in targets:
        bench_e2e(label, url, ent, args)


if __name__ == "__main__":
    main()
