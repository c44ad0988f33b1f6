"""Pages of the auth domain: sign in, sign out, your account and tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response

from epmo.auth import admin_ui, oidc_ui, repository, service
from epmo.auth.policy import Actor
from epmo.errors import Unauthorized
from epmo.web.deps import DB, SESSION_USER, CurrentActor, check_csrf_form, optional_actor
from epmo.web.pages import flash, redirect, render

router = APIRouter(include_in_schema=False)
router.include_router(admin_ui.router)
router.include_router(oidc_ui.router)
CSRF = Depends(check_csrf_form)


_safe_next = oidc_ui.safe_next


@router.get("/login")
def login_page(request: Request, actor: Annotated[Actor | None, Depends(optional_actor)],
               next: str | None = None) -> Response:
    """The sign-in form."""
    if actor is not None:
        return redirect(_safe_next(next))
    return render(request, "auth/login.html", None, next=_safe_next(next), error=None)


@router.post("/login", dependencies=[CSRF])
def login(request: Request, session: DB, email: Annotated[str, Form()],
          password: Annotated[str, Form()], next: Annotated[str, Form()] = "/") -> Response:
    """Check the password and start a signed session."""
    try:
        user = service.authenticate(session, email, password)
    except Unauthorized as exc:
        return render(request, "auth/login.html", None, status=401, next=_safe_next(next),
                      error=exc, email=email)
    request.session.clear()
    request.session[SESSION_USER] = user.id
    return redirect(_safe_next(next))


@router.post("/logout", dependencies=[CSRF])
def logout(request: Request) -> Response:
    """End the session."""
    request.session.clear()
    return redirect("/login")


@router.get("/account")
def account(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Your role, departments and API tokens."""
    tokens = repository.list_tokens(session, actor.id)
    return render(request, "auth/account.html", actor, tokens=tokens, new_token=None)


@router.post("/account/tokens", dependencies=[CSRF])
def create_token(request: Request, session: DB, actor: CurrentActor,
                 name: Annotated[str, Form()] = "") -> Response:
    """Create a token and show its secret once."""
    _, plain = service.create_token(session, service.get_user(session, actor.id), name[:100])
    tokens = repository.list_tokens(session, actor.id)
    return render(request, "auth/account.html", actor, tokens=tokens, new_token=plain)


@router.post("/account/tokens/{token_id}/revoke", dependencies=[CSRF])
def revoke_token(request: Request, session: DB, actor: CurrentActor, token_id: int) -> Response:
    """Revoke a token."""
    service.revoke_token(session, service.get_user(session, actor.id), token_id)
    flash(request, "Token revoked")
    return redirect("/account")
