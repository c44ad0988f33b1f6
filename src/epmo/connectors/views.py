"""Read models of the connectors domain."""

from __future__ import annotations

from epmo.connectors.models import JiraConnection
from epmo.connectors.schemas import JiraConnectionRead


def describe_connection(connection: JiraConnection) -> JiraConnectionRead:
    """The connection as the API shows it: of the token only "set (…abcd)", never the token."""
    hint = f"set (…{connection.token_last4})" if connection.token_last4 else "set"
    values = {key: getattr(connection, key) for key in JiraConnectionRead.model_fields
              if key != "api_token"}
    return JiraConnectionRead(api_token=hint, **values)
