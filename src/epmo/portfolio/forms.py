"""Pieces the portfolio domain's pages share: CSRF check, the posted form, path ids."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Request
from starlette.datastructures import FormData

from epmo.errors import Conflict, Forbidden, Invalid
from epmo.portfolio.schemas import ProjectFilter
from epmo.web.deps import check_csrf_form

CSRF = [Depends(check_csrf_form)]
FORM_ERRORS = (Invalid, Conflict, Forbidden)


async def _form(request: Request) -> FormData:
    return await request.form()


Form = Annotated[FormData, Depends(_form)]


def filter_query(filters: ProjectFilter) -> str:
    """The query string of a project list filtered like ``filters``."""
    return urlencode(filters.model_dump(exclude_defaults=True, exclude_none=True), doseq=True)
