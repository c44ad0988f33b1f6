"""Pieces the portfolio domain's pages share (CSRF check, the posted form, path ids), and
the project a page form of any domain names by its code."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Depends, Request, Response
from sqlalchemy.orm import Session

from epmo.db import take_warnings
from epmo.errors import FieldError, Invalid
from epmo.portfolio import repository
from epmo.portfolio.schemas import ProjectFilter
from epmo.web.deps import SubmittedForm, check_csrf_form
from epmo.web.pages import PICKED, flash, redirect

CSRF = [Depends(check_csrf_form)]


Form = SubmittedForm


def filter_query(filters: ProjectFilter) -> str:
    """The query string of a project list filtered like ``filters``."""
    return urlencode(filters.model_dump(exclude_defaults=True, exclude_none=True), doseq=True)


def flash_governance(request: Request, session: Session) -> None:
    """Flash the contract shortfalls the charter let the last project write through with."""
    for warning in take_warnings(session):
        flash(request, f"Warning: {warning.message}")


def governed_redirect(request: Request, session: Session, message: str, url: str) -> Response:
    """A project write's answer: what was done, then the charter's warnings, at ``url``."""
    flash(request, message)
    flash_governance(request, session)
    return redirect(url)


def project_id_of(session: Session, value: Any, field: str) -> Any:
    """A project a form names by its code (or id): its id; anything else as it came, for the
    schema to judge. An unknown code is refused naming ``field``."""
    if not isinstance(value, str) or not value.strip() or value.strip().isdigit():
        return value
    if picked := PICKED.search(value):  # a picker's label ends in its id
        return int(picked.group(1))
    project = repository.get_project_by_code(session, value.strip())
    if project is None:
        raise Invalid("Please correct the highlighted field",
                      [FieldError(field, f"no project has the code {value.strip()!r}")])
    return project.id
