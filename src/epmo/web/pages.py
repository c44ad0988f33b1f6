"""Helpers every domain's ``ui.py`` uses to render pages and answer forms."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from epmo.auth.policy import Actor
from epmo.errors import EpmoError, FieldError, Invalid
from epmo.schema_kit import field_errors
from epmo.web.deps import csrf_token
from epmo.web.templating import templates


def render(request: Request, name: str, actor: Actor | None, status: int = 200,
           **context: Any) -> HTMLResponse:
    """Render a page with the actor, CSRF token and pending flash messages."""
    flashes = request.session.pop("flashes", []) if "flashes" in request.session else []
    base = {"actor": actor, "csrf": csrf_token(request), "flashes": flashes}
    return templates.TemplateResponse(request, name, base | context, status_code=status)


def flash(request: Request, message: str) -> None:
    """Queue a message for the next page the user sees."""
    # Assign a new list: the session middleware does not see an in-place append.
    request.session["flashes"] = [*request.session.get("flashes", []), message]


def redirect(url: str) -> RedirectResponse:
    """Answer a successful form post (post/redirect/get)."""
    return RedirectResponse(url, status_code=303)


def query_string(**params: Any) -> str:
    """Encode non-empty parameters for links that keep the current filters."""
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def form_values(form: Any, skip: frozenset[str] = frozenset({"csrf_token"})) -> dict[str, Any]:
    """Turn a submitted form into a dict, empty strings as None, repeated keys as lists."""
    values: dict[str, Any] = {}
    for key in set(form.keys()) - skip:
        items = form.getlist(key)
        cleaned = [v.strip() if isinstance(v, str) else v for v in items]
        values[key] = cleaned if key.endswith("_ids") else (cleaned[0] or None)
    return values


PICKED = re.compile(r"#(\d{1,18})\s*$")
PICK_LIMIT = 20
# what a picker sends besides the text
PICK_CONTROLS = frozenset({"kind", "target_kind", "evidence_kind"})


def pick_query(request: Request) -> str:
    """What the user typed into a picker (htmx sends the field under its own name)."""
    typed = next((v for k, v in request.query_params.items() if k not in PICK_CONTROLS), "")
    return typed.strip()[:100]


def pick_label(*parts: object, ident: int) -> str:
    """A picker's option: the parts joined, then the id after '#'."""
    return " · ".join(str(p) for p in parts if p not in (None, "")) + f" #{ident}"


def pick_options(request: Request, labels: list[str]) -> Response:
    """The datalist options of a picker."""
    return templates.TemplateResponse(request, "_pick_options.html", {"options": labels})


def with_ints(values: dict[str, Any], *keys: str) -> dict[str, Any]:
    """Turn digit strings (or lists of them) under ``keys`` into ints, in place; a picker's
    label ("IT-00042 · Go-live #17") counts as its id.

    Forms send text and the strict schemas want numbers; anything else is left as it is for
    the schema to report by field.
    """
    def number(value: Any) -> Any:
        if isinstance(value, str) and (picked := PICKED.search(value)):
            value = picked.group(1)  # a picker's label: "IT-00042 · Go-live (2027-03-01) #17"
        is_digits = isinstance(value, str) and value.strip().lstrip("-").isdigit()
        return int(value) if is_digits else value

    for key in keys & values.keys():
        value = values[key]
        values[key] = [number(v) for v in value] if isinstance(value, list) else number(value)
    return values


def parse_form(model: type[BaseModel], values: dict[str, Any],
               *checks: Callable[[Mapping[str, Any]], list[FieldError]]) -> Any:
    """Validate form values with an API schema, turning pydantic errors into Invalid.

    ``checks`` are the service's own rules that need no database (a finish before its
    start): when the schema refuses the form they run too, on the fields it accepted, so the
    user reads every problem at once instead of one pass after another.
    """
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        errors = field_errors(exc.errors())
        refused = {e.field.split(".")[0] for e in errors}
        accepted = {k: v for k, v in values.items() if k not in refused}
        errors += [e for check in checks for e in check(accepted)
                   if e.field.split(".")[0] not in refused]
        raise Invalid(_summary(len(errors)), errors) from exc


def _summary(count: int) -> str:
    return ("Please correct the highlighted field" if count == 1
            else f"Please correct the {count} highlighted fields")


# What a page form catches to show itself again with what was typed and the message in words:
# every domain error (422 invalid, 409 conflict or stale version, 403 forbidden, 404 for a
# reference that is gone). The form's own page answers with the error's status.
FORM_ERRORS: tuple[type[EpmoError], ...] = (EpmoError,)
T = TypeVar("T")


def form_action(session: Session, write: Callable[[], T], again: Callable[[EpmoError], Response],
                done: Callable[[T], Response]) -> Response:
    """Run a page form's write in a savepoint and answer ``done(result)``; on a form error
    undo all the write did and answer ``again(error)`` (the form, values kept)."""
    # The unit of work forgets what the savepoint noted (events, audit changes) and keeps
    # what came before it.
    try:
        with session.begin_nested():
            result = write()
    except FORM_ERRORS as exc:
        return again(exc)
    return done(result)


def flash_redirect(request: Request, message: str, url: str) -> Response:
    """The answer of a form that worked: say what was done on the page at ``url``."""
    flash(request, message)
    return redirect(url)
