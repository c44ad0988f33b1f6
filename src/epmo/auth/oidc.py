"""OpenID Connect client: discovery, authorization code flow with PKCE, ID token checks.

Authlib supplies the protocol pieces (PKCE S256 challenge, URL building, the ID token claim
rules) and joserfc the signature check; httpx talks to the provider synchronously because
every route of the hub runs in the threadpool.
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

import httpx
from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import BadSignatureError, ExpiredTokenError, InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from epmo.config import Settings
from epmo.errors import Unauthorized

log = logging.getLogger(__name__)
DISCOVERY_PATH = "/.well-known/openid-configuration"
# Asymmetric only: an HS256 token "signed" with the public client secret, or alg none, must fail.
ALGORITHMS = ("RS256", "PS256", "ES256")
LEEWAY_SECONDS = 60
METADATA_SECONDS = 3600
ACCEPT = {"Accept": "application/json"}


class SsoRefused(Unauthorized):
    """A single sign-on attempt failed; the message is safe to show on the sign-in page."""


@dataclass(frozen=True, slots=True)
class Provider:
    """What discovery told us about the provider, and its signing keys."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    basic_auth: bool
    keys: KeySet
    fetched: float


@dataclass(frozen=True, slots=True)
class Pending:
    """The secrets of one started sign-in, kept in the signed session until the callback."""

    state: str
    nonce: str
    verifier: str
    redirect_uri: str
    next: str

    def as_dict(self) -> dict[str, str]:
        """The session form of this sign-in."""
        return {"state": self.state, "nonce": self.nonce, "verifier": self.verifier,
                "redirect_uri": self.redirect_uri, "next": self.next}

    @classmethod
    def from_session(cls, data: object) -> Pending | None:
        """Read a pending sign-in back from the session (None if absent or malformed)."""
        if not isinstance(data, dict):
            return None
        try:
            return cls(**{key: str(data[key]) for key in cls.__slots__})
        except KeyError:
            return None


_providers: dict[str, Provider] = {}
_lock = threading.Lock()


def enabled(settings: Settings) -> bool:
    """Whether single sign-on is configured."""
    return bool(settings.oidc_issuer)


def _client(settings: Settings) -> httpx.Client:
    return httpx.Client(timeout=settings.oidc_timeout_seconds, follow_redirects=False)


def _get_json(settings: Settings, url: str) -> dict[str, Any]:
    """GET a JSON object from the provider or refuse the sign-in with a logged reason."""
    try:
        with _client(settings) as client:
            response = client.get(url, headers=ACCEPT)
        response.raise_for_status()
        data = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        log.warning("SSO: reading %s failed: %s", url, exc)
        raise SsoRefused("The sign-in provider could not be reached; try again later") from exc
    if not isinstance(data, dict):
        log.warning("SSO: %s did not answer a JSON object", url)
        raise SsoRefused("The sign-in provider gave an unreadable answer")
    return data


def _discover(settings: Settings) -> Provider:
    issuer = settings.oidc_issuer.rstrip("/")
    meta = _get_json(settings, issuer + DISCOVERY_PATH)
    needed = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
    if any(not isinstance(meta.get(key), str) for key in needed):
        log.warning("SSO: discovery document lacks one of %s", ", ".join(needed))
        raise SsoRefused("Single sign-on is not set up correctly")
    if meta["issuer"].rstrip("/") != issuer:
        # OpenID Connect Discovery 4.3: the document must name the issuer it was fetched from.
        log.warning("SSO: discovery names issuer %r, expected %r", meta["issuer"], issuer)
        raise SsoRefused("Single sign-on is not set up correctly")
    methods = meta.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    return Provider(
        issuer=meta["issuer"], authorization_endpoint=meta["authorization_endpoint"],
        token_endpoint=meta["token_endpoint"], jwks_uri=meta["jwks_uri"],
        basic_auth="client_secret_basic" in methods,
        keys=_fetch_keys(settings, meta["jwks_uri"]), fetched=time.monotonic(),
    )


def _fetch_keys(settings: Settings, url: str) -> KeySet:
    data = _get_json(settings, url)
    try:
        return KeySet.import_key_set(data)  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        log.warning("SSO: the key set at %s is unreadable: %s", url, exc)
        raise SsoRefused("The sign-in provider gave an unreadable answer") from exc


def provider(settings: Settings, *, refresh: bool = False) -> Provider:
    """The provider's metadata and keys, read once an hour (or on demand for rotated keys)."""
    issuer = settings.oidc_issuer
    with _lock:
        known = _providers.get(issuer)
    if known is None or refresh or time.monotonic() - known.fetched > METADATA_SECONDS:
        known = _discover(settings)
        with _lock:
            _providers[issuer] = known
    return known


def _scopes(settings: Settings) -> str:
    wanted = settings.oidc_scopes.split()
    return " ".join(dict.fromkeys(["openid", "email", *wanted]))


def start(settings: Settings, redirect_uri: str, next_url: str) -> tuple[str, Pending]:
    """Build the authorization request URL and the secrets the callback will need."""
    found = provider(settings)
    pending = Pending(state=generate_token(32), nonce=generate_token(32),
                      verifier=generate_token(64), redirect_uri=redirect_uri, next=next_url)
    params = {
        "response_type": "code", "client_id": settings.oidc_client_id,
        "redirect_uri": redirect_uri, "scope": _scopes(settings), "state": pending.state,
        "nonce": pending.nonce, "code_challenge": create_s256_code_challenge(pending.verifier),
        "code_challenge_method": "S256",
    }
    return add_params_to_uri(found.authorization_endpoint, params), pending


_PROVIDER_ERRORS = {
    "access_denied": "The sign-in was cancelled or refused at the provider",
    "login_required": "Sign in at the provider first",
    "consent_required": "The provider needs your consent before you can sign in",
}


def check_response(pending: Pending | None,
                   params: Mapping[str, str]) -> tuple[Pending, str]:
    """Check the provider's redirect back (error, state); return the sign-in and its code."""
    if pending is None:
        raise SsoRefused("This sign-in has expired or was started in another window; "
                         "start again")
    if "error" in params:
        error = params["error"]
        log.warning("SSO: the provider answered error=%s (%s)", error,
                    params.get("error_description", ""))
        raise SsoRefused(_PROVIDER_ERRORS.get(error, f"The provider refused the sign-in "
                                                     f"({error[:40]})"))
    if not hmac.compare_digest(params.get("state", ""), pending.state):
        log.warning("SSO: state mismatch on the callback")
        raise SsoRefused("The sign-in answer does not belong to this browser's request; "
                         "start again")
    code = params.get("code", "")
    if not code:
        raise SsoRefused("The provider sent no sign-in code")
    return pending, code


def _token_request(settings: Settings, found: Provider, code: str,
                   pending: Pending) -> dict[str, Any]:
    form = {"grant_type": "authorization_code", "code": code,
            "redirect_uri": pending.redirect_uri, "code_verifier": pending.verifier}
    auth: httpx.Auth | None = None
    if found.basic_auth:
        # RFC 6749 2.3.1: both halves are form-encoded before they go into the Basic header.
        auth = httpx.BasicAuth(quote_plus(settings.oidc_client_id),
                               quote_plus(settings.oidc_client_secret))
    else:
        form |= {"client_id": settings.oidc_client_id,
                 "client_secret": settings.oidc_client_secret}
    try:
        with _client(settings) as client:
            response = client.post(found.token_endpoint, data=form, headers=ACCEPT,
                                   auth=auth or httpx.USE_CLIENT_DEFAULT)
        data = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        log.warning("SSO: the token request failed: %s", exc)
        raise SsoRefused("The sign-in provider could not be reached; try again later") from exc
    if response.status_code != 200 or not isinstance(data, dict):
        log.warning("SSO: the token endpoint answered %s: %s", response.status_code, data)
        raise SsoRefused("The provider did not accept the sign-in code; start again")
    return data


def exchange(settings: Settings, pending: Pending, code: str) -> dict[str, Any]:
    """Trade the code (with the PKCE verifier) for tokens and return the checked ID token claims."""
    found = provider(settings)
    tokens = _token_request(settings, found, code, pending)
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        log.warning("SSO: the token answer holds no id_token")
        raise SsoRefused("The provider sent no identity token")
    return verify_id_token(settings, id_token, pending.nonce, tokens.get("access_token"))


def _decode(settings: Settings, id_token: str) -> jwt.Token:
    try:
        return jwt.decode(id_token, provider(settings).keys, algorithms=list(ALGORITHMS))
    except InvalidKeyIdError:
        # A key id we have not seen: the provider may have rotated its keys since we read them.
        return jwt.decode(id_token, provider(settings, refresh=True).keys,
                          algorithms=list(ALGORITHMS))


def verify_id_token(settings: Settings, id_token: str, nonce: str,
                    access_token: object = None) -> dict[str, Any]:
    """Check the ID token's signature, issuer, audience, expiry and nonce; return its claims."""
    try:
        token = _decode(settings, id_token)
        options = {"iss": {"essential": True, "value": provider(settings).issuer},
                   "aud": {"essential": True, "value": settings.oidc_client_id},
                   "exp": {"essential": True}, "sub": {"essential": True}}
        params = {"nonce": nonce, "client_id": settings.oidc_client_id}
        if isinstance(access_token, str):
            params["access_token"] = access_token
        claims = CodeIDToken(token.claims, token.header, options, params)
        claims.validate(leeway=LEEWAY_SECONDS)
    except JoseError as exc:
        log.warning("SSO: ID token refused: %s: %s", type(exc).__name__, exc)
        raise SsoRefused(_token_problem(exc)) from exc
    return dict(claims)


def _token_problem(exc: JoseError) -> str:
    if isinstance(exc, ExpiredTokenError):
        return "The identity token from the provider has expired; sign in again"
    if isinstance(exc, BadSignatureError | InvalidKeyIdError):
        return "The identity token from the provider carries no valid signature"
    claim = getattr(exc, "claim", "")
    if claim:
        return f"The identity token from the provider is not valid here (claim {claim})"
    return "The identity token from the provider is not valid"
