"""Hierarchies (departments, goals): parents anywhere in the file or in epmo, and no loops."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from epmo.files.problems import Row
from epmo.imports import repository
from epmo.imports.core import Context, Item
from epmo.imports.writes import Plan

Extra = Callable[[Row, Item], None]


def plan_tree(ctx: Context, rows: list[Row], model: type[Any], fields: tuple[str, ...],
              what: str, extra: Extra | None = None) -> Plan:
    """Plan the rows of a self-referencing entity; ``extra`` resolves its other columns."""
    session = ctx.session
    existing = repository.by_codes(session, model, (row.code for row in rows))
    ids = repository.code_ids(session, model)
    in_file = {row.code for row in rows}
    items = []
    for row in rows:
        obj = existing.get(row.code)
        if not ctx.require_for_create(row, obj):
            continue
        item = Item(row.number, row.code, obj, ctx.scalars(row, obj, fields))
        _parent(ctx, row, item, ids, in_file, what)
        if extra is not None:
            extra(row, item)
        items.append(item)
    _report_loops(ctx, rows, repository.code_parents(session, model))
    return Plan(model, items, tree=True)


def _parent(ctx: Context, row: Row, item: Item, ids: Mapping[str, int], in_file: set[str],
            what: str) -> None:
    if not row.has("parent_code"):
        return
    code = row.values["parent_code"]
    if code is None:
        item.values["parent_id"] = None
    elif code == row.code:
        ctx.error(row, "parent_code", f"a {what} cannot be its own parent")
    elif code in ids:
        item.values["parent_id"] = ids[code]
    elif code in in_file:
        item.parent = code
    else:
        ctx.error(row, "parent_code", f"no {what} {code} in epmo or in this file")


def _report_loops(ctx: Context, rows: list[Row], stored: Mapping[str, str | None]) -> None:
    graph = dict(stored)
    for row in rows:
        if row.has("parent_code"):
            parent = row.values["parent_code"]
            graph[row.code] = None if parent == row.code else parent
        else:
            graph.setdefault(row.code, None)
    by_code = {row.code: row for row in rows}
    for code, loop in find_loops(graph, by_code).items():
        if code in by_code:
            ctx.error(by_code[code], "parent_code", f"makes a loop: {' → '.join(loop)}")


def find_loops(parent_of: Mapping[str, str | None], starts: Iterable[str]) -> dict[str, list[str]]:
    """For every node on a loop reachable from ``starts``: the loop, from that node round."""
    done: set[str] = set()
    loops: dict[str, list[str]] = {}
    for start in starts:
        path: list[str] = []
        position: dict[str, int] = {}
        node: str | None = start
        while node is not None and node not in done and node not in position:
            position[node] = len(path)
            path.append(node)
            node = parent_of.get(node)
        if node is not None and node in position:
            loop = path[position[node]:]
            for index, member in enumerate(loop):
                loops[member] = [*loop[index:], *loop[:index], member]
        done.update(path)
    return loops
