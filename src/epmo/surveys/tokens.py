"""One-time answer links: a random part and a MAC that binds the link to its invitee.

Only the SHA-256 of the whole token is stored (``survey_token``, no user column). The MAC
(HMAC-SHA-256 with the secret key over the round, the user and the random part) lets the
answer page refuse a link forwarded to someone else without storing who it belongs to:
checking needs the token itself, which only the invitee's own notification and e-mail carry.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from epmo.config import get_settings

MAC_CHARS = 22


def digest(token: str) -> str:
    """The SHA-256 stored for a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _mac(round_id: int, user_id: int, random_part: str) -> str:
    key = get_settings().secret_key.encode()
    message = f"survey:{round_id}:{user_id}:{random_part}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:MAC_CHARS]


def new_token(round_id: int, user_id: int) -> str:
    """A fresh token for one invitee of one round."""
    random_part = secrets.token_urlsafe(24)
    return f"{random_part}.{_mac(round_id, user_id, random_part)}"


def belongs_to(token: str, round_id: int, user_id: int) -> bool:
    """Whether the token was made for this user's invitation to this round."""
    random_part, _, mac = token.rpartition(".")
    return bool(random_part) and hmac.compare_digest(mac, _mac(round_id, user_id, random_part))
