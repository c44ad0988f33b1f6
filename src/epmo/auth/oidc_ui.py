"""Single sign-on pages: send the browser to the provider and sign in on its way back."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from epmo.auth import oidc, oidc_service, sessions
from epmo.auth.oidc import Pending, SsoRefused
from epmo.auth.policy import landing
from epmo.config import Settings, get_settings
from epmo.errors import NotFound
from epmo.web.deps import DB
from epmo.web.pages import redirect, render
from epmo.web.templating import templates

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
PENDING = "oidc_pending"
CALLBACK = "/login/oidc/callback"


def safe_next(target: str | None) -> str:
    """Only same-site paths, so a sign-in cannot bounce users to another site."""
    # A backslash counts too: browsers read "/\\host" as "//host".
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def sso_name() -> str:
    """The provider name for the sign-in page's button ("" when SSO is off)."""
    settings = get_settings()
    return settings.oidc_name if oidc.enabled(settings) else ""


templates.env.globals["sso_name"] = sso_name


def _settings_or_404() -> Settings:
    settings = get_settings()
    if not oidc.enabled(settings):
        raise NotFound("Single sign-on is not configured")
    return settings


def _redirect_uri(request: Request, settings: Settings) -> str:
    # Behind a proxy the request's own address may be internal; EPMO_PUBLIC_URL says the truth.
    base = settings.public_url.rstrip("/") or str(request.base_url).rstrip("/")
    return base + CALLBACK


def _refused(request: Request, exc: SsoRefused, next_url: str = "/") -> Response:
    log.warning("SSO: sign-in refused: %s", exc.message)
    return render(request, "auth/login.html", None, status=exc.status, next=next_url,
                  error=exc)


@router.get("/login/oidc")
def oidc_login(request: Request, next: str | None = None) -> Response:
    """Send the browser to the provider with a fresh state, nonce and PKCE challenge."""
    settings = _settings_or_404()
    try:
        oidc_service.check_settings(settings)
        url, pending = oidc.start(settings, _redirect_uri(request, settings), safe_next(next))
    except SsoRefused as exc:
        return _refused(request, exc, safe_next(next))
    request.session[PENDING] = pending.as_dict()
    return RedirectResponse(url, status_code=302)


@router.get(CALLBACK)
def oidc_callback(request: Request, session: DB) -> Response:
    """Check the provider's answer and the ID token, then sign the user in."""
    settings = _settings_or_404()
    # One use only: a replayed or second callback finds nothing pending.
    pending = Pending.from_session(request.session.pop(PENDING, None))
    try:
        pending, code = oidc.check_response(pending, request.query_params)
        claims = oidc.exchange(settings, pending, code)
        user = oidc_service.user_for_claims(session, settings, claims)
    except SsoRefused as exc:
        return _refused(request, exc, pending.next if pending else "/")
    log.info("SSO: %s signed in", user.email)
    sessions.start_session(request, session, user)
    return redirect(landing(user.role, pending.next))
