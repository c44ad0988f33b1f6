"""Webhook mechanics: URL rules, the HMAC-SHA256 signature, and one signed POST.

The receiver gets the JSON body with ``X-Epmo-Event`` (the kind), ``X-Epmo-Delivery`` (the
delivery id), ``X-Epmo-Timestamp`` (Unix seconds) and ``X-Epmo-Signature: sha256=<hex>``,
the HMAC-SHA256 of ``"<timestamp>.<body>"`` keyed with the webhook's secret.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from epmo.errors import FieldError, Invalid

USER_AGENT = "epmo-webhooks/1"


def new_secret() -> str:
    """A fresh signing secret (shown to its owner once)."""
    return "whsec_" + secrets.token_urlsafe(32)


def check_url(url: str) -> str:
    """Return the URL if it is http(s) with a host, else Invalid naming ``url``."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise Invalid("The webhook URL is not valid", [FieldError("url", str(exc))]) from exc
    if parts.scheme not in ("http", "https"):
        raise Invalid("Webhooks are posted over HTTP(S) only",
                      [FieldError("url", "must start with http:// or https://")])
    if not parts.hostname or port == 0:
        raise Invalid("The webhook URL has no host", [FieldError("url", "needs a host name")])
    return url


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-Epmo-Signature`` value for a body sent at ``timestamp``."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def encode(payload: dict[str, Any]) -> bytes:
    """The exact bytes posted (and signed)."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


@dataclass(frozen=True, slots=True)
class Answer:
    """What the receiver said: its status code (None if unreachable) and any error text."""

    code: int | None
    error: str = ""

    @property
    def ok(self) -> bool:
        """A 2xx answer means delivered."""
        return self.code is not None and 200 <= self.code < 300


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect is an answer, not a delivery: following it would resend the signed body
    # somewhere the owner never configured.
    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def post(url: str, secret: str, kind: str, delivery_id: int, payload: dict[str, Any],
         timestamp: int, timeout: float) -> Answer:
    """POST the signed event once; never raises for network or HTTP failures."""
    body = encode(payload)
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT,
               "X-Epmo-Event": kind, "X-Epmo-Delivery": str(delivery_id),
               "X-Epmo-Timestamp": str(timestamp),
               "X-Epmo-Signature": sign(secret, timestamp, body)}
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return Answer(int(response.status))
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, f"HTTP {exc.code} {exc.reason}")
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Answer(None, f"{type(exc).__name__}: {reason}"[:1000])
