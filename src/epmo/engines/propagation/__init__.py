"""Change propagation through the dependency network: implied dates, impacts, critical chains."""

from epmo.engines.propagation.chain import Chain, critical_chain
from epmo.engines.propagation.edit import add_link, remove_link, with_link, without_link
from epmo.engines.propagation.engine import (
    State,
    apply,
    compare,
    driver_of,
    full_recompute,
    propagate,
    what_if,
)
from epmo.engines.propagation.model import (
    LINK_TYPES,
    CycleError,
    Dates,
    Impact,
    Link,
    LinkType,
    Shift,
    describe_cycle,
)
from epmo.engines.propagation.network import Network, build_network, closes_cycle
from epmo.engines.propagation.summary import GroupImpact, summarise

__all__ = [
    "LINK_TYPES",
    "Chain",
    "CycleError",
    "Dates",
    "GroupImpact",
    "Impact",
    "Link",
    "LinkType",
    "Network",
    "Shift",
    "State",
    "add_link",
    "apply",
    "build_network",
    "closes_cycle",
    "compare",
    "critical_chain",
    "describe_cycle",
    "driver_of",
    "full_recompute",
    "propagate",
    "remove_link",
    "summarise",
    "what_if",
    "with_link",
    "without_link",
]
