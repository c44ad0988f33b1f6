"""The project's goal set (``project.goal_set``), kept by the database on every goal link write.

A project's goal set is the comma-joined ids of the goals it serves, in ascending order (NULL
when it serves none). The overview and the goal roll-up group projects by it, so each project
counts once however many goals it serves; stored and indexed, that is one index-ordered
``GROUP BY`` instead of an aggregate over ``project_goal`` joined back to every project.

Every path that links goals (the API's and the pages' project writes, the import, the demo's
bulk insert, a goal's deletion cascading to its links, a database console) must leave the key
true, so the database keeps it itself: a trigger on ``project_goal`` recomputes the key of the
project whose links changed. This is the one piece of upkeep epmo leaves to the database; a
rule in Python would have to be called from each of those paths, and the demo and the
cascade do not pass through the ORM. The same statements are run by ``create_all`` (through
``attach``) and by migration 0019.
"""

from __future__ import annotations

from sqlalchemy import DDL, Table, event

# SQLite (3.40 has no ORDER BY inside group_concat): the ids are joined in the order of an
# ordered subquery, which SQLite keeps.
_SQLITE_SET = (
    "UPDATE project SET goal_set = (SELECT group_concat(goal_id, ',') FROM "
    "(SELECT goal_id FROM project_goal WHERE project_id = {row}.project_id ORDER BY goal_id)) "
    "WHERE id = {row}.project_id;"
)
SQLITE = (
    "CREATE TRIGGER project_goal_set_insert AFTER INSERT ON project_goal BEGIN "
    + _SQLITE_SET.format(row="NEW") + " END",
    "CREATE TRIGGER project_goal_set_delete AFTER DELETE ON project_goal BEGIN "
    + _SQLITE_SET.format(row="OLD") + " END",
    "CREATE TRIGGER project_goal_set_update AFTER UPDATE OF project_id, goal_id ON project_goal "
    "BEGIN " + _SQLITE_SET.format(row="OLD") + " " + _SQLITE_SET.format(row="NEW") + " END",
)
SQLITE_DROP = tuple(f"DROP TRIGGER IF EXISTS project_goal_set_{op}"
                    for op in ("insert", "delete", "update"))

_PG_SET = (
    "UPDATE project SET goal_set = (SELECT string_agg(goal_id::text, ',' ORDER BY goal_id) "
    "FROM project_goal WHERE project_id = {row}.project_id) WHERE id = {row}.project_id;"
)
POSTGRESQL = (
    "CREATE OR REPLACE FUNCTION project_goal_set_keep() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN "
    "IF TG_OP <> 'INSERT' THEN " + _PG_SET.format(row="OLD") + " END IF; "
    "IF TG_OP <> 'DELETE' THEN " + _PG_SET.format(row="NEW") + " END IF; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER project_goal_set AFTER INSERT OR DELETE OR UPDATE OF project_id, goal_id "
    "ON project_goal FOR EACH ROW EXECUTE FUNCTION project_goal_set_keep()",
)
POSTGRESQL_DROP = ("DROP TRIGGER IF EXISTS project_goal_set ON project_goal",
                   "DROP FUNCTION IF EXISTS project_goal_set_keep()")

# Every project's key from its links, for a database that had none kept (migration 0019).
FILL = {
    "sqlite": "UPDATE project SET goal_set = (SELECT group_concat(goal_id, ',') FROM "
              "(SELECT goal_id FROM project_goal WHERE project_id = project.id "
              "ORDER BY goal_id))",
    "postgresql": "UPDATE project SET goal_set = keys.goal_set FROM (SELECT project_id, "
                  "string_agg(goal_id::text, ',' ORDER BY goal_id) AS goal_set "
                  "FROM project_goal GROUP BY project_id) AS keys "
                  "WHERE project.id = keys.project_id",
}


def statements(dialect: str, drop: bool = False) -> tuple[str, ...]:
    """The statements creating (or dropping) the upkeep on a database of ``dialect``."""
    if dialect == "postgresql":
        return POSTGRESQL_DROP if drop else POSTGRESQL
    return SQLITE_DROP if drop else SQLITE


def attach(table: Table) -> None:
    """Create the upkeep with ``table`` (``project_goal``) whenever metadata creates it."""
    for dialect in ("sqlite", "postgresql"):
        for statement in statements(dialect):
            ddl = DDL(statement)  # type: ignore[no-untyped-call]
            event.listen(table, "after_create", ddl.execute_if(dialect=dialect))
