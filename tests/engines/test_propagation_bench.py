"""The benchmark's generated enterprise: sizes as asked, acyclic, every link type, seeded."""

from __future__ import annotations

from collections import Counter

from bench.network import generate

from epmo.engines.propagation import build_network, full_recompute, what_if


def test_the_generated_enterprise_has_the_asked_size_and_is_acyclic() -> None:
    enterprise = generate(projects=40, milestones=10, links=1_200, seed=3)
    assert len(enterprise.milestones) == 400
    assert len(enterprise.dates) == 440  # plus one node per project
    assert len(enterprise.links) == 1_200
    assert set(Counter(link.type for link in enterprise.links)) == {"FS", "SS", "FF", "SF"}
    network = build_network(enterprise.dates, enterprise.links)  # no CycleError
    state = full_recompute(network, enterprise.dates)
    # Lags leave slack at the entered dates, so nothing starts later than entered.
    assert all(state.dates(node) == dates for node, dates in enterprise.dates.items())
    assert what_if(network, state, {enterprise.upstream[0]: 30}).shifts


def test_the_same_seed_gives_the_same_enterprise() -> None:
    first, again = generate(20, 8, 500, seed=5), generate(20, 8, 500, seed=5)
    assert (first.dates, first.links) == (again.dates, again.links)
    assert generate(20, 8, 500, seed=6).links != first.links
