"""Pieces the portfolio domain's pages share: CSRF check, the posted form, path ids."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Depends, Request, Response
from sqlalchemy.orm import Session

from epmo.db import take_warnings
from epmo.portfolio.schemas import ProjectFilter
from epmo.web.deps import SubmittedForm, check_csrf_form
from epmo.web.pages import flash, redirect

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
