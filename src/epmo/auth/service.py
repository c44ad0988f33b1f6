"""Users, passwords, API tokens and resolving credentials to an Actor."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import UTC, timedelta

from pwdlib import PasswordHash
from sqlalchemy.orm import Session

from epmo.auth import passwords, repository, sessions, throttle
from epmo.auth.models import ROLES, ApiToken, User, UserDepartment
from epmo.auth.policy import Actor, scope_below
from epmo.config import get_settings
from epmo.db import utcnow, work_of
from epmo.errors import Conflict, FieldError, Forbidden, Invalid, NotFound, Unauthorized
from epmo.org import repository as org_repo

_hasher = PasswordHash.recommended()
TOKEN_PREFIX = "epmo_"
_USE_STAMP_EVERY = timedelta(hours=1)
# A hash of a random password, so a login for an unknown email costs the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """Return an argon2 hash of ``password``."""
    return _hasher.hash(password)


def _check_password(password: str, email: str | None, allow_demo: bool = False,
                    field: str = "password") -> None:
    # Demo passwords are fine on a laptop; production takes them only when forced.
    allowed = allow_demo or get_settings().env != "production"
    passwords.check(password, email, allow_demo=allowed, field=field)


def create_user(
    session: Session, *, email: str, name: str, role: str, password: str | None,
    department_codes: Iterable[str] = (), person_id: int | None = None,
    allow_demo_password: bool = False,
) -> User:
    """Create a user with a role and department memberships."""
    if role not in ROLES:
        raise Invalid("Unknown role", [FieldError("role", f"must be one of {', '.join(ROLES)}")])
    email = email.strip().lower()
    if repository.email_used(session, email):
        raise Conflict("Email already used", [FieldError("email", f"{email} already has a user")])
    if password is not None:
        _check_password(password, email, allow_demo_password)
    departments = _departments_by_code(session, department_codes)
    if person_id is not None and org_repo.get_person(session, person_id) is None:
        raise Invalid("Unknown person", [FieldError("person_id", f"no person {person_id}")])
    user = User(email=email, name=name, role=role, person_id=person_id,
                password_hash=hash_password(password) if password else None)
    session.add(user)
    session.flush()
    for department_id in departments:
        session.add(UserDepartment(user_id=user.id, department_id=department_id))
    session.flush()
    return user


def set_departments(session: Session, user: User, codes: Iterable[str]) -> None:
    """Make the user's department memberships exactly these (by code)."""
    wanted = set(_departments_by_code(session, codes))
    current = repository.memberships_of(session, user.id)
    for department_id, membership in current.items():
        if department_id not in wanted:
            session.delete(membership)
    for department_id in sorted(wanted - current.keys()):
        session.add(UserDepartment(user_id=user.id, department_id=department_id))
    session.flush()


def _departments_by_code(session: Session, codes: Iterable[str]) -> list[int]:
    """The ids of the departments with these codes (each once), or Invalid naming the unknown."""
    found: list[int] = []
    for code in dict.fromkeys(codes):
        department = org_repo.get_department_by_code(session, code)
        if department is None:
            raise Invalid("Unknown department",
                          [FieldError("department_codes", f"no department {code}")])
        found.append(department.id)
    return found


def set_password(session: Session, user: User, password: str, keep_session: int | None = None,
                 field: str = "password") -> None:
    """Replace a user's password and end their other sessions (all but ``keep_session``)."""
    _check_password(password, user.email, field=field)
    user.password_hash = hash_password(password)
    session.flush()
    sessions.revoke_all(session, user.id, keep=keep_session)


def sign_in(session: Session, email: str, password: str, address: str) -> User:
    """Check the password under the throttle: refused while waiting, failures counted."""
    throttle.check_allowed(session, email, address)
    try:
        user = authenticate(session, email, password)
    except Unauthorized:
        throttle.record_failure(session, email, address)
        raise
    throttle.record_success(session, email)
    return user


def change_own_password(session: Session, user: User, current: str, new: str, address: str,
                        keep_session: int | None = None) -> None:
    """Change your password after proving the current one (throttled like a sign-in)."""
    throttle.check_allowed(session, user.email, address)
    valid = bool(user.password_hash) and _hasher.verify(current, user.password_hash or "")
    if not valid:
        throttle.record_failure(session, user.email, address)
        raise Invalid("The current password is wrong",
                      [FieldError("current_password", "not your current password")])
    set_password(session, user, new, keep_session, field="new_password")


def authenticate(session: Session, email: str, password: str) -> User:
    """Return the active user with these credentials or raise Unauthorized."""
    user = repository.get_user_by_email(session, email.strip().lower())
    stored = user.password_hash if user and user.password_hash else _DUMMY_HASH
    valid, new_hash = _hasher.verify_and_update(password, stored)
    if user is None or not user.is_active or not user.password_hash or not valid:
        raise Unauthorized("Email or password is wrong")
    if new_hash:
        user.password_hash = new_hash
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a bearer token; the plain text is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, prefix=plain[:12], token_hash=_digest(plain))
    session.add(token)
    session.flush()
    return token, plain


def revoke_token(session: Session, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's tokens."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(f"Token {token_id} not found")
    token.revoked_at = token.revoked_at or utcnow()
    session.flush()
    return token


def user_for_token(session: Session, plain: str) -> User:
    """Resolve a bearer token to its active user or raise Unauthorized."""
    token = repository.get_token_by_hash(session, _digest(plain))
    if token is None or token.revoked_at is not None:
        raise Unauthorized("Invalid or revoked API token")
    user = session.get(User, token.user_id)
    if user is None or not user.is_active:
        raise Unauthorized("Invalid or revoked API token")
    _note_use(session, token)
    return user


def _note_use(session: Session, token: ApiToken) -> None:
    """Record when a token was last used, at most once an hour.

    A plain UPDATE, not an ORM change: a usage stamp is not a change to audit, and it must
    not advance the audit head (which keys cached overviews).
    """
    now = utcnow()
    last = token.last_used_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=UTC)  # SQLite returns naive datetimes
    if last is None or now - last > _USE_STAMP_EVERY:
        repository.stamp_token_use(session, token.id, now)


def get_user_by_email(session: Session, email: str) -> User:
    """Return the user with this email or raise NotFound."""
    user = repository.get_user_by_email(session, email.strip().lower())
    if user is None:
        raise NotFound(f"No user with email {email}", [FieldError("email", "unknown user")])
    return user


def actor_for(session: Session, user: User) -> Actor:
    """Build the Actor for a user: role, memberships and the departments below them."""
    own = frozenset(repository.department_ids(session, user.id))
    scope = scope_below(org_repo.department_parents(session), own) if own else frozenset()
    return Actor(id=user.id, email=user.email, name=user.name, role=user.role,
                 person_id=user.person_id, department_ids=own, scope=scope)


def command_actor(session: Session, email: str | None, command: str) -> Actor:
    """Who a CLI command acts as: the active user with ``email``, or without one the first
    active EPMO administrator (whoever runs the command has the server anyway); the unit of
    work names them and the command in the audit log."""
    user = get_user_by_email(session, email) if email else repository.first_active_admin(session)
    if user is None:
        raise NotFound("There is no active EPMO administrator: name the user with --as EMAIL")
    if not user.is_active:
        raise Forbidden(f"User {user.email} is deactivated")
    actor = actor_for(session, user)
    work_of(session).act_as(actor.id, f"{actor.label} ({command})")
    return actor


def get_active_user(session: Session, user_id: int) -> User | None:
    """Return the user if they exist and are active."""
    user = session.get(User, user_id)
    return user if user is not None and user.is_active else None


def get_user(session: Session, user_id: int) -> User:
    """Return a user by id or raise NotFound."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"User {user_id} not found")
    return user
