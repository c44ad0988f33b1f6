"""REST endpoints of the connectors domain: /connectors/jira (connections, runs, sync now).

EPMO administrators manage every connection, department leads those of their departments;
everyone else gets 404. No answer ever holds an API token: only "set (…abcd)".
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.connectors import policy, repository, service, sync
from epmo.connectors.schemas import (
    JiraConnectionCreate,
    JiraConnectionRead,
    JiraConnectionUpdate,
    JiraSyncRunRead,
)
from epmo.connectors.views import describe_connection
from epmo.editing import paginate
from epmo.schema_kit import PageOf
from epmo.web.deps import (
    DB,
    CurrentActor,
    PageParams,
    PathId,
    Version,
    current_actor,
    optional_actor,
)

router = APIRouter(tags=["connectors"])
BASE = "/connectors/jira"


@router.get(BASE, response_model=list[JiraConnectionRead])
def list_connections(session: DB, actor: CurrentActor) -> object:
    """The Jira connections you may manage."""
    found = repository.list_connections(session, policy.connection_scope(actor))
    return [describe_connection(row) for row in found]


@router.post(BASE, response_model=JiraConnectionRead, status_code=201)
def create_connection(session: DB, actor: CurrentActor, body: JiraConnectionCreate) -> object:
    """Save a connection; the API token is stored encrypted and never shown again."""
    return describe_connection(service.create_connection(session, actor, body))


@router.get(BASE + "/{connection_id}", response_model=JiraConnectionRead)
def get_connection(session: DB, actor: CurrentActor, connection_id: PathId) -> object:
    """One connection (the token only as "set (…abcd)")."""
    return describe_connection(policy.access_connection_or_404(session, actor, connection_id))


@router.patch(BASE + "/{connection_id}", response_model=JiraConnectionRead)
def update_connection(session: DB, actor: CurrentActor, connection_id: PathId,
                      body: JiraConnectionUpdate) -> object:
    """Change a connection; send the version you read; omit api_token to keep it."""
    return describe_connection(service.update_connection(session, actor, connection_id, body))


@router.delete(BASE + "/{connection_id}", status_code=204)
def delete_connection(session: DB, actor: CurrentActor, connection_id: PathId,
                      version: Version) -> Response:
    """Delete a connection and its run history (projects and milestones stay)."""
    service.delete_connection(session, actor, connection_id, version)
    return Response(status_code=204)


@router.get(BASE + "/{connection_id}/runs", response_model=PageOf[JiraSyncRunRead])
def list_runs(session: DB, actor: CurrentActor, connection_id: PathId,
              page: PageParams) -> object:
    """A connection's sync runs, newest first: outcome, counts, error."""
    connection = policy.access_connection_or_404(session, actor, connection_id)
    return paginate(session, repository.runs_query(connection.id), page.limit, page.offset)


def requester(request: Request) -> sync.Requester:
    """Who asks for a sync, resolved inside the sync's own read transaction (CSRF included)."""
    def resolve(session: Session) -> Actor:
        return current_actor(optional_actor(request, session))
    return resolve


@router.post(BASE + "/{connection_id}/sync", response_model=JiraSyncRunRead)
def sync_now(request: Request, connection_id: PathId) -> object:
    """Sync the connection now and return the run (a failed run answers 200 too: see
    ``outcome`` and ``error``). No transaction is held while Jira is asked."""
    return sync.run_sync(connection_id, "manual", requester(request))
