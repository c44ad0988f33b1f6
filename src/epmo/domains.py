"""The one registry of domain packages.

The app registers each domain's ``api.py`` and ``ui.py`` routers in this order, the CLI each
``cli.py``, the page templates are looked up in each ``templates/`` folder, and ``epmo.models``
loads each ``models.py``. ``tests/platform/test_domains.py`` checks that every package under
``epmo`` with a domain file is listed here and that the import-linter contracts in
``pyproject.toml`` (the layers, engines are pure) name exactly these domains.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

DOMAINS = (
    "auth", "org", "strategy", "portfolio", "overview", "imports", "demo", "charter",
    "contracts", "reporting", "compliance", "rollup", "notifications", "intake", "scoring",
    "selection", "network", "audit", "schedule", "connectors", "resources", "benefits",
    "business_case", "surveys", "diagnostics", "ledger", "comments",
)


def domain_modules(kind: str) -> list[ModuleType]:
    """Each domain's ``kind`` module (``api``, ``ui``, ``cli``, ``models``), in registry order;
    domains without one are skipped."""
    found = []
    for name in DOMAINS:
        if importlib.util.find_spec(f"epmo.{name}") is None:
            continue
        if importlib.util.find_spec(f"epmo.{name}.{kind}") is not None:
            found.append(importlib.import_module(f"epmo.{name}.{kind}"))
    return found
