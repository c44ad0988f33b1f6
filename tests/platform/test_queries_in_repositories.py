"""Queries live only in repositories and policies (guide rule 3: routes and services never run SQL).

Walks every module of `src/epmo` and fails, naming file and line, on a query anywhere else:
a call of SQLAlchemy's `select`, `insert`, `update`, `delete`, `union` or `text`, or a call of
`.execute`, `.scalars`, `.scalar`, `.query` or `.connection` on a session or connection.

Where queries may live (one naming rule):
- `<domain>/repository.py`, and `<domain>/repository_<topic>.py` when one repository would pass
  400 lines (the topic says what the sibling reads, e.g. `portfolio/repository_export.py`);
- `<domain>/policy.py`: access-scoping queries (`readable_*`, `access_*_or_404`);
- `epmo/db.py` (engine, sessions, stale-write and stamp plumbing) and `epmo/migrations/`;
- the few modules in EXCEPTIONS below, each with its reason.
`epmo/engines/` is pure and imports no SQLAlchemy at all (import-linter checks that).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import epmo

ROOT = Path(epmo.__file__).parent

#: Modules outside the naming rule that may run queries, each with its one-line reason.
EXCEPTIONS: dict[str, str] = {
    "editing.py": "paginate and ensure_unique: the paging and unique-value kit shared by every "
                  "domain, run on a query or column a repository or model gives it",
}

CONSTRUCTS = {"select", "insert", "update", "delete", "union", "union_all", "text"}
METHODS = {"execute", "scalars", "scalar", "query", "connection"}
# Receivers that hold a database handle: `session`, `db_session`, `uow.session`, `conn`, `db`,
# `cursor`, `session.connection()`. Anything else (e.g. the import kit's `ctx.scalars`) is not SQL.
RECEIVER = re.compile(r"(^|[._])(session|conn|connection|db|cursor)(\(\))?$")


def _allowed(relative: str) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return (relative in EXCEPTIONS or relative in {"db.py"} or relative.startswith("migrations/")
            or name in {"repository.py", "policy.py"}
            or (name.startswith("repository_") and name.endswith(".py")))


def _sqlalchemy_names(tree: ast.Module) -> set[str]:
    """Local names bound to SQLAlchemy's statement constructs (`from sqlalchemy import select`)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            names |= {a.asname or a.name for a in node.names if a.name in CONSTRUCTS}
    return names


def _is_query(call: ast.Call, constructs: set[str]) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in constructs
    if not isinstance(func, ast.Attribute):
        return False
    if isinstance(func.value, ast.Name) and func.value.id in {"sqlalchemy", "sa"}:
        return func.attr in CONSTRUCTS
    return func.attr in METHODS and bool(RECEIVER.search(ast.unparse(func.value)))


def _queries(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    constructs = _sqlalchemy_names(tree)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _is_query(n, constructs)]
    for call in sorted(calls, key=lambda c: (c.lineno, c.col_offset)):
        yield call.lineno, ast.unparse(call.func)


def _offences() -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if not _allowed(relative):
            found += [f"src/epmo/{relative}:{line}: {what}(...)" for line, what in _queries(path)]
    return found


def test_queries_only_in_repositories_and_policies() -> None:
    offences = _offences()
    assert not offences, "queries outside repositories and policies:\n" + "\n".join(offences)


def test_the_check_sees_a_query() -> None:
    source = ("from sqlalchemy import select as pick\n"
              "def f(uow, ctx):\n"
              "    ctx.scalars(1)\n"
              "    return uow.session.scalars(pick(1)), uow.session.connection().execute(2)\n")
    tree = ast.parse(source)
    constructs = _sqlalchemy_names(tree)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _is_query(n, constructs)]
    assert sorted(ast.unparse(c.func) for c in calls) == [
        "pick", "uow.session.connection", "uow.session.connection().execute", "uow.session.scalars"]


def test_every_exception_still_needs_its_place() -> None:
    idle = [name for name in EXCEPTIONS if not list(_queries(ROOT / name))]
    assert not idle, f"exceptions that run no query any more (remove them): {idle}"
