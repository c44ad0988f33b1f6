"""Routes are plain ``def``: FastAPI runs them in its threadpool, so a slow query or a solve
never holds the event loop (and every other request of the worker) for its time."""

from __future__ import annotations

import ast
from pathlib import Path

import epmo

SOURCE = Path(epmo.__file__).parent
VERBS = {"get", "post", "put", "patch", "delete", "api_route"}


def _routes(tree: ast.AST) -> list[ast.AsyncFunctionDef]:
    """The ``async def`` functions decorated by ``<router>.<verb>(...)``."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.AsyncFunctionDef):
            continue
        for decorator in node.decorator_list:
            call = decorator.func if isinstance(decorator, ast.Call) else decorator
            if isinstance(call, ast.Attribute) and call.attr in VERBS:
                found.append(node)
    return found


def test_the_check_sees_an_async_route() -> None:
    sample = ast.parse("@router.post('/x')\nasync def page(session: DB) -> None: ...\n")
    assert [f.name for f in _routes(sample)] == ["page"]


def test_no_route_is_async() -> None:
    offenders = [f"{path.relative_to(SOURCE)}:{func.lineno} {func.name}"
                 for path in sorted(SOURCE.rglob("*.py"))
                 for func in _routes(ast.parse(path.read_text(encoding="utf-8")))]
    assert offenders == []
