"""Repositories return rows, not API schemas: the read models live in each domain's `views.py`.

The rule, checked on every repository module (`<domain>/repository.py` and
`<domain>/repository_<topic>.py`): a repository imports no read model, that is
- no name ending in `Read` (`ProjectRead`, `DemandRead`, ...), from any module, and
- no subclass of `schema_kit.ReadModel`, the base of the output schemas (`Ref`, ...), and
- no schemas module whole (`from epmo.portfolio import schemas`: import names, so they are checked).
Input schemas are query input and stay allowed: filter models such as `ProjectFilter` or
`RequestFilter`, and plain helpers of a schemas module such as `next_stages`. The repository
returns rows, tuples or small dataclasses; `<domain>/views.py` turns them into read schemas
(calling the repository for the extra rows it needs, in batches, never running a query itself).
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import epmo
from epmo.schema_kit import ReadModel

ROOT = Path(epmo.__file__).parent


def _is_repository(path: Path) -> bool:
    return path.name == "repository.py" or (path.name.startswith("repository_")
                                            and path.suffix == ".py")


def _read_model(module: str, name: str) -> str | None:
    """Why ``from module import name`` brings in a read model, or None when it does not."""
    if name.endswith("Read"):
        return "a read model (its name ends in Read)"
    thing = getattr(importlib.import_module(module), name, None)
    if thing is None:  # not an attribute: a submodule
        thing = importlib.import_module(f"{module}.{name}")
    if isinstance(thing, ModuleType) and thing.__name__.rsplit(".", 1)[-1].endswith("schemas"):
        return "a schemas module whole (import the input models by name)"
    if isinstance(thing, type) and issubclass(thing, ReadModel):
        return "a read model (a schema_kit.ReadModel)"
    return None


def _imports(source: str) -> Iterator[tuple[int, str, str]]:
    """(line, module, name) of every `from epmo... import name` and `import epmo...schemas`."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("epmo"):
            yield from ((node.lineno, node.module or "", a.name) for a in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                module, _, name = alias.name.rpartition(".")
                if module.startswith("epmo") and name.endswith("schemas"):
                    yield node.lineno, module, name


def _offences_in(source: str) -> list[tuple[int, str, str]]:
    return [(line, f"{module}.{name}", why) for line, module, name in _imports(source)
            if (why := _read_model(module, name))]


def test_repositories_import_no_read_model() -> None:
    found = [f"src/epmo/{path.relative_to(ROOT).as_posix()}:{line}: {what}: {why}"
             for path in sorted(ROOT.rglob("*.py")) if _is_repository(path)
             for line, what, why in _offences_in(path.read_text(encoding="utf-8"))]
    assert not found, "repositories that build read models (move them to views.py):\n" + \
        "\n".join(found)


def test_the_check_sees_a_read_model() -> None:
    source = ("from epmo.portfolio.schemas import ProjectFilter, ProjectRead, Ref, next_stages\n"
              "from epmo.portfolio import schemas\n"
              "from epmo.portfolio.demand_schemas import DemandRead\n"
              "import epmo.intake.schemas\n"
              "from epmo.portfolio.models import Project\n")
    assert [(line, what) for line, what, _ in _offences_in(source)] == [
        (1, "epmo.portfolio.schemas.ProjectRead"), (1, "epmo.portfolio.schemas.Ref"),
        (2, "epmo.portfolio.schemas"), (3, "epmo.portfolio.demand_schemas.DemandRead"),
        (4, "epmo.intake.schemas")]
