"""A real OpenID Connect provider for the tests, built on Authlib's authorization server.

It speaks the protocol over HTTP on 127.0.0.1: discovery, /authorize (auto-approving the
configured user), /token (client secret and PKCE verifier checked), /jwks with an RSA key made
at start, RS256 ID tokens. ``overrides`` and ``sign_with`` let a test make it misbehave.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from authlib.common.security import generate_token
from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import (
    AuthorizationCodeMixin,
    ClientMixin,
    OAuth2Error,
    OAuth2Request,
)
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import RSAKey

CLIENT_ID = "epmo-test"
CLIENT_SECRET = "test-client-secret"


@dataclass
class Account:
    """The person the provider signs in (it approves every request for them)."""

    email: str
    email_verified: bool | None = True
    name: str = "Sso User"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def sub(self) -> str:
        """A stable subject identifier."""
        return "sub-" + self.email


@dataclass
class Client(ClientMixin):  # type: ignore[misc]
    """The epmo hub as registered at the provider (a confidential client)."""

    redirect_uris: list[str]
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET

    def get_client_id(self) -> str:
        """Client id."""
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        """First registered redirect URI."""
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        """Every requested scope is allowed."""
        return scope

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        """Exact match against the registered URIs."""
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        """Constant enough for a test."""
        return client_secret == self.client_secret

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        """Basic or post at the token endpoint."""
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        """Authorization code flow only."""
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        """Authorization code flow only."""
        return grant_type == "authorization_code"


@dataclass
class Code(AuthorizationCodeMixin):  # type: ignore[misc]
    """An issued authorization code and what it was issued for."""

    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: Account
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        """Redirect URI of the authorization request."""
        return self.redirect_uri

    def get_scope(self) -> str:
        """Granted scope."""
        return self.scope

    def get_nonce(self) -> str | None:
        """Nonce of the authorization request."""
        return self.nonce

    def get_auth_time(self) -> int:
        """When the user authenticated."""
        return self.auth_time

    def get_acr(self) -> None:
        """No ACR."""
        return None

    def get_amr(self) -> None:
        """No AMR."""
        return None


class Grant(AuthorizationCodeGrant):  # type: ignore[misc]
    """Authorization codes kept in the provider's memory."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        """Remember the code with the request's nonce and PKCE challenge."""
        data = request.payload.data
        provider: Provider = self.server.provider
        provider.codes[code] = Code(
            code=code, client_id=request.client.client_id, redirect_uri=data["redirect_uri"],
            scope=request.scope, user=request.user, nonce=data.get("nonce"),
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"))
        provider.challenges.append((data.get("code_challenge"), data.get("code_challenge_method")))

    def query_authorization_code(self, code: str, client: Client) -> Code | None:
        """The unused code issued to this client."""
        found = self.server.provider.codes.get(code)
        return found if found and found.client_id == client.client_id else None

    def delete_authorization_code(self, authorization_code: Code) -> None:
        """Codes are single use."""
        self.server.provider.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: Code) -> Account:
        """The user the code was issued for."""
        return authorization_code.user


class Pkce(CodeChallenge):  # type: ignore[misc]
    """PKCE required of every client (Authlib requires it of public clients only)."""

    def validate_code_challenge(self, grant: Grant, redirect_uri: str) -> None:
        """Refuse authorization requests without an S256 challenge."""
        data = grant.request.payload.data
        if data.get("code_challenge_method") != "S256" or not data.get("code_challenge"):
            from authlib.oauth2.rfc6749 import InvalidRequestError
            raise InvalidRequestError("PKCE with S256 is required", redirect_uri=redirect_uri)
        super().validate_code_challenge(grant, redirect_uri)

    def get_authorization_code_challenge(self, authorization_code: Code) -> str | None:
        """The challenge stored with the code."""
        return authorization_code.code_challenge

    def get_authorization_code_challenge_method(self, authorization_code: Code) -> str | None:
        """The challenge method stored with the code."""
        return authorization_code.code_challenge_method


class OpenID(OpenIDCode):  # type: ignore[misc]
    """ID tokens: RS256 with the provider's key, the account's claims and any overrides."""

    def __init__(self, provider: Provider) -> None:
        super().__init__(require_nonce=True)
        self.provider = provider

    def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
        """Nonces are not replay-checked here; the client checks them."""
        return False

    def resolve_client_private_key(self, client: Client) -> RSAKey:
        """The key the token is signed with (a stranger's key when a test asks)."""
        return self.provider.sign_with or self.provider.key

    def get_client_algorithm(self, client: Client) -> str:
        """RS256."""
        return "RS256"

    def get_encode_header(self, client: Client) -> dict[str, str]:
        """RS256 with the published key id (also when signing with another key)."""
        return {"alg": "RS256", "kid": self.provider.key.kid or ""}

    def get_client_claims(self, client: Client) -> dict[str, Any]:
        """Issuer and audience."""
        return {"iss": self.provider.issuer, "aud": [client.get_client_id()]}

    def generate_user_info(self, user: Account, scope: str) -> dict[str, Any]:
        """The account's claims; a test's overrides win (even over iss, aud, exp, nonce)."""
        info = {"sub": user.sub, "email": user.email, "email_verified": user.email_verified,
                "name": user.name, **user.extra}
        if user.email_verified is None:
            del info["email_verified"]  # as Entra ID does
        return info | self.provider.overrides


class Server(AuthorizationServer):  # type: ignore[misc]
    """Authlib's authorization server bound to plain dict requests and tuple responses."""

    def __init__(self, provider: Provider) -> None:
        super().__init__(scopes_supported=None)
        self.provider = provider
        self.register_token_generator("default", BearerTokenGenerator(
            lambda **_: generate_token(42)))

    def query_client(self, client_id: str) -> Client | None:
        """The one registered client."""
        client = self.provider.client
        return client if client_id == client.client_id else None

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        """Access tokens are not used afterwards."""

    def create_oauth2_request(self, request: Any) -> OAuth2Request:
        """Turn (method, url, headers, params) into Authlib's request."""
        if isinstance(request, OAuth2Request):
            return request
        method, url, headers, params = request
        made = OAuth2Request(method, url, headers=headers)
        made.payload = BasicOAuth2Payload(params)
        made._body = params  # CodeChallenge reads the verifier from .form
        return made

    def handle_response(self, status: int, body: Any, headers: Any) -> tuple[int, Any, Any]:
        """Hand the response back to the HTTP handler."""
        return status, body, list(headers)

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """No signals."""


class Provider:
    """The provider, served on a free loopback port in a thread."""

    def __init__(self, account: Account, redirect_uri: str) -> None:
        self.account = account
        self.key = RSAKey.generate_key(2048, parameters={"kid": generate_token(8), "use": "sig"})
        self.sign_with: RSAKey | None = None
        self.overrides: dict[str, Any] = {}
        self.deny = False
        self.mangle: Callable[[str], str] | None = None
        self.client = Client([redirect_uri])
        self.codes: dict[str, Code] = {}
        self.challenges: list[tuple[str | None, str | None]] = []
        self.token_requests: list[dict[str, str]] = []
        self.server = Server(self)
        self.server.register_grant(Grant, [Pkce(required=True), OpenID(self)])
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.issuer = f"http://127.0.0.1:{self.http.server_address[1]}"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)

    def __enter__(self) -> Provider:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.shutdown()
        self.http.server_close()

    def discovery(self) -> dict[str, Any]:
        """The OpenID Provider metadata."""
        return {
            "issuer": self.issuer, "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.issuer + "/token", "jwks_uri": self.issuer + "/jwks",
            "response_types_supported": ["code"], "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic",
                                                      "client_secret_post"],
            "scopes_supported": ["openid", "email", "profile"],
        }

    def authorize(self, url: str, headers: Any,
                  params: dict[str, str]) -> tuple[int, Any, Any]:
        """Approve the request for the account (or answer the protocol error)."""
        request = ("GET", url, headers, params)
        try:
            grant = self.server.get_consent_grant(request, end_user=self.account)
        except OAuth2Error as error:
            return self.server.handle_error_response(None, error)  # type: ignore[no-any-return]
        return self.server.create_authorization_response(  # type: ignore[no-any-return]
            request, grant_user=None if self.deny else self.account, grant=grant)

    def token(self, url: str, headers: Any,
              params: dict[str, str]) -> tuple[int, Any, Any]:
        """Exchange a code for tokens."""
        self.token_requests.append(params)
        status, body, headers = self.server.create_token_response(("POST", url, headers, params))
        if self.mangle and status == 200:
            data = json.loads(body) if isinstance(body, str) else dict(body)
            data["id_token"] = self.mangle(data["id_token"])
            body = data
        return status, body, headers


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            """Quiet."""

        def _answer(self, status: int, body: Any, headers: Any = ()) -> None:
            data = body if isinstance(body, str) else json.dumps(body)
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            if not any(name.lower() == "content-type" for name, _ in headers):
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data.encode())))
            self.end_headers()
            self.wfile.write(data.encode())

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            url, params = provider.issuer + self.path, dict(parse_qsl(parts.query))
            if parts.path == "/.well-known/openid-configuration":
                self._answer(200, provider.discovery())
            elif parts.path == "/jwks":
                self._answer(200, {"keys": [provider.key.as_dict(private=False)]})
            elif parts.path == "/authorize":
                self._answer(*provider.authorize(url, self.headers, params))
            else:
                self._answer(404, {"error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            params = dict(parse_qsl(self.rfile.read(length).decode()))
            if urlsplit(self.path).path == "/token":
                url = provider.issuer + self.path
                self._answer(*provider.token(url, self.headers, params))
            else:
                self._answer(404, {"error": "not_found"})

    return Handler
