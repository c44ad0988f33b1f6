"""Probes: liveness (/healthz, the process answers) and readiness (/readyz, the database too)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.exc import DBAPIError

from epmo import __version__
from epmo.db import ping
from epmo.web.errors import unavailable

router = APIRouter(tags=["meta"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """Liveness probe: the process serves requests (the database is not consulted)."""
    return {"status": "ok", "version": __version__}


@router.get("/readyz", responses={503: {"description": "The database cannot be reached"}},
            response_model=None)
def readyz(request: Request) -> dict[str, str] | Response:
    """Readiness probe: the database answers ``SELECT 1``; 503 problem+json when it does not."""
    try:
        ping()
    except DBAPIError as exc:
        return unavailable(request, exc, api=True)
    return {"status": "ok", "database": "ok", "version": __version__}
