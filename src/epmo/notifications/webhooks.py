"""Webhook mechanics: the HMAC-SHA256 signature and one signed POST to a vetted address.

The receiver gets the JSON body with ``X-Epmo-Event`` (the kind), ``X-Epmo-Delivery`` (the
delivery id), ``X-Epmo-Timestamp`` (Unix seconds) and ``X-Epmo-Signature: sha256=<hex>``,
the HMAC-SHA256 of ``"<timestamp>.<body>"`` keyed with the webhook's secret.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import secrets
import socket
import ssl
from dataclasses import dataclass
from typing import Any

from epmo import addresses
from epmo.config import get_settings

USER_AGENT = "epmo-webhooks/1"
log = logging.getLogger("epmo.notifications")


def new_secret() -> str:
    """A fresh signing secret (shown to its owner once)."""
    return "whsec_" + secrets.token_urlsafe(32)


def check_url(url: str) -> str:
    """Return the URL if a webhook may be saved with it, else Invalid naming ``url``."""
    return addresses.check_url(url, allowance())


def allowance() -> addresses.Allowance:
    """The hosts ``EPMO_WEBHOOK_ALLOWED_HOSTS`` lets webhooks reach although private."""
    return addresses.Allowance.parse(get_settings().webhook_allowed_hosts)


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


class _PinnedHTTP(http.client.HTTPConnection):
    """Plain HTTP to a vetted address, asking for the URL's host (Host header)."""

    def __init__(self, target: addresses.Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.target = target

    def connect(self) -> None:
        """Connect to the first vetted address that answers, never to a fresh lookup."""
        self.sock = _connect(self.target, self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """TLS to a vetted address; the certificate is checked against the URL's host (SNI)."""

    def __init__(self, target: addresses.Target, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self.tls)
        self.target = target

    def connect(self) -> None:
        """Connect to a vetted address, then shake hands for the URL's host name."""
        raw = _connect(self.target, self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.target.host)


def _connect(target: addresses.Target, timeout: float | None) -> socket.socket:
    error: OSError = OSError("no address")
    for address in target.addresses:
        try:
            return socket.create_connection((address, target.port), timeout)
        except OSError as exc:
            error = exc
    raise error


def _generic(exc: BaseException) -> str:
    """What the owner is told: never an internal host, port or exception text."""
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return "TLS failed"
    return "connection failed"


def send(target: addresses.Target, headers: dict[str, str], body: bytes,
         timeout: float) -> Answer:
    """POST ``body`` to a vetted target once; a redirect is an answer, never followed."""
    kind = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = kind(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        code = connection.getresponse().status
    except (OSError, http.client.HTTPException, ValueError) as exc:
        log.info("webhook post to %s:%s failed: %r", target.host, target.port, exc)
        return Answer(None, _generic(exc))
    finally:
        connection.close()
    return Answer(code, "" if 200 <= code < 300 else f"HTTP {code}")


def post(url: str, secret: str, kind: str, delivery_id: int, payload: dict[str, Any],
         timestamp: int, timeout: float, allowed: addresses.Allowance) -> Answer:
    """Vet the URL's addresses and POST the signed event once; never raises."""
    body = encode(payload)
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT,
               "X-Epmo-Event": kind, "X-Epmo-Delivery": str(delivery_id),
               "X-Epmo-Timestamp": str(timestamp),
               "X-Epmo-Signature": sign(secret, timestamp, body)}
    try:
        target = addresses.vet(url, allowed)
    except addresses.Blocked as exc:
        log.info("webhook post to %s refused: %s", url, exc)
        return Answer(None, str(exc))
    return send(target, headers, body, timeout)
