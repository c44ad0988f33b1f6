"""The Jira API token at rest: encrypted with a key derived from the app's secret key.

Fernet (AES-128-CBC with HMAC-SHA256, from the ``cryptography`` package) keyed by HKDF-SHA256 of
``EPMO_SECRET_KEY`` (or the key in ``EPMO_SECRET_FILE``) with a purpose label, so the database
alone does not give the token away. Rotating the secret key makes stored tokens unreadable: the
sync then fails with a message asking for the token again.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from epmo.config import get_settings

PURPOSE = b"epmo connectors: jira api token v1"


class SealBroken(Exception):
    """The stored token cannot be decrypted (the secret key changed, or the row was altered)."""


def _fernet() -> Fernet:
    secret = get_settings().secret_key.encode()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def seal(token: str) -> str:
    """The token encrypted for storage (ASCII)."""
    return _fernet().encrypt(token.encode()).decode("ascii")


def unseal(sealed: str) -> str:
    """The token back from storage; SealBroken when it cannot be read."""
    try:
        return _fernet().decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, ValueError) as exc:
        raise SealBroken("The stored API token cannot be decrypted (was EPMO_SECRET_KEY "
                         "changed?); enter the API token again") from exc


def last_four(token: str) -> str:
    """What pages and the API show of a token: its last four characters."""
    return token[-4:] if len(token) >= 12 else ""
