"""Pages of the auth domain: sign in, sign out, your account, password and tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response

from epmo.auth import admin_ui, oidc_ui, repository, resets, service, sessions
from epmo.auth.policy import Actor, landing
from epmo.auth.throttle import TooManyAttempts
from epmo.db import work_of
from epmo.errors import EpmoError, FieldError, Invalid, Unauthorized
from epmo.web.deps import DB, CurrentActor, check_csrf_form, optional_actor
from epmo.web.pages import flash, flash_redirect, form_action, redirect, render

router = APIRouter(include_in_schema=False)
router.include_router(admin_ui.router)
router.include_router(oidc_ui.router)
CSRF = Depends(check_csrf_form)
Text = Annotated[str, Form()]


_safe_next = oidc_ui.safe_next


def client_address(request: Request) -> str:
    """The client's address (uvicorn applies X-Forwarded-For from trusted proxies)."""
    return request.client.host if request.client else "unknown"


def _with_retry(response: Response, exc: EpmoError) -> Response:
    if isinstance(exc, TooManyAttempts):
        response.headers["Retry-After"] = str(exc.extra["retry_after"])
    return response


@router.get("/login")
def login_page(request: Request, actor: Annotated[Actor | None, Depends(optional_actor)],
               next: str | None = None) -> Response:
    """The sign-in form."""
    if actor is not None:
        return redirect(_safe_next(next))
    return render(request, "auth/login.html", None, next=_safe_next(next), error=None)


@router.post("/login", dependencies=[CSRF])
def login(request: Request, session: DB, email: Text, password: Text,
          next: Annotated[str, Form()] = "/") -> Response:
    """Check the password (throttled) and start a server-side session.

    A refusal is rendered, not raised, so the unit of work commits the counted failure.
    """
    address = client_address(request)
    work_of(session).actor_label = f"sign-in from {address}"
    try:
        user = service.sign_in(session, email, password, address)
    except (Unauthorized, TooManyAttempts) as exc:
        page = render(request, "auth/login.html", None, status=exc.status,
                      next=_safe_next(next), error=exc, email=email)
        return _with_retry(page, exc)
    work_of(session).act_as(user.id, user.email)
    sessions.start_session(request, session, user)
    return redirect(landing(user.role, _safe_next(next)))


@router.post("/logout", dependencies=[CSRF])
def logout(request: Request, session: DB,
           actor: Annotated[Actor | None, Depends(optional_actor)]) -> Response:
    """End the session here and on the server, so a copied cookie stops working too."""
    sessions.end_session(request, session)
    return redirect("/login")


def _account(request: Request, session: DB, actor: Actor, new_token: str | None = None,
             error: EpmoError | None = None) -> Response:
    tokens = repository.list_tokens(session, actor.id)
    return render(request, "auth/account.html", actor, status=error.status if error else 200,
                  tokens=tokens, new_token=new_token, error=error)


@router.get("/account")
def account(request: Request, session: DB, actor: CurrentActor) -> Response:
    """Your role, departments, password and API tokens."""
    return _account(request, session, actor)


@router.post("/account/password", dependencies=[CSRF])
def change_password(request: Request, session: DB, actor: CurrentActor, current_password: Text,
                    new_password: Text, repeat_password: Text) -> Response:
    """Change your password; your other browser sessions are signed out."""
    row = sessions.current_row(request, session)
    try:
        if new_password != repeat_password:
            raise Invalid("The new passwords differ",
                          [FieldError("repeat_password", "type the new password twice")])
        service.change_own_password(session, service.get_user(session, actor.id),
                                    current_password, new_password, client_address(request),
                                    keep_session=row.id if row else None)
    except (Invalid, TooManyAttempts) as exc:
        return _with_retry(_account(request, session, actor, error=exc), exc)
    flash(request, "Password changed; your other sessions were signed out")
    return redirect("/account")


@router.post("/account/tokens", dependencies=[CSRF])
def create_token(request: Request, session: DB, actor: CurrentActor,
                 name: Annotated[str, Form()] = "") -> Response:
    """Create a token and show its secret once."""
    _, plain = service.create_token(session, service.get_user(session, actor.id), name[:100])
    return _account(request, session, actor, new_token=plain)


@router.post("/account/tokens/{token_id}/revoke", dependencies=[CSRF])
def revoke_token(request: Request, session: DB, actor: CurrentActor, token_id: int) -> Response:
    """Revoke a token."""
    service.revoke_token(session, service.get_user(session, actor.id), token_id)
    flash(request, "Token revoked")
    return redirect("/account")


def _reset_page(request: Request, token: str, email: str, status: int = 200,
                error: EpmoError | None = None) -> Response:
    page = render(request, "auth/reset.html", None, status=status, token=token, email=email,
                  error=error)
    page.headers["Referrer-Policy"] = "no-referrer"  # the token is in this page's address
    return page


@router.get("/reset/{token}")
def reset_page(request: Request, session: DB, token: str) -> Response:
    """The form that sets a new password with a one-time link."""
    user = resets.user_for_reset(session, token[:100])
    return _reset_page(request, token, user.email)


@router.post("/reset/{token}", dependencies=[CSRF])
def reset_password(request: Request, session: DB, token: str, new_password: Text,
                   repeat_password: Text) -> Response:
    """Set the new password, once; then sign in with it."""
    work_of(session).actor_label = f"password reset from {client_address(request)}"
    return form_action(
        session, lambda: resets.use_reset(session, token[:100], new_password, repeat_password),
        lambda exc: _reset_page(request, token, resets.user_for_reset(session, token[:100]).email,
                                exc.status, exc),
        lambda user: flash_redirect(request, f"Password set for {user.email}; sign in with it",
                                    "/login"))
