"""Single sign-on users: match the verified e-mail, map role and departments from claims."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from epmo.auth import repository, service
from epmo.auth.models import ROLES, User, UserDepartment
from epmo.auth.oidc import SsoRefused
from epmo.config import Settings
from epmo.db import work_of
from epmo.org import repository as org_repo

log = logging.getLogger(__name__)
# ROLES runs from the most to the least powerful, so the lowest rank is the highest role.
RANK = {role: rank for rank, role in enumerate(ROLES)}
NO_ROLE = "Your account has no role in epmo; ask your EPMO administrator for access"


def claim_values(claims: Mapping[str, Any], path: str) -> list[str]:
    """The string values of a claim (a string or a list), following dots into objects."""
    value: Any = claims
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def check_settings(settings: Settings) -> None:
    """Refuse (and log why) when the role settings name roles epmo does not have."""
    named = {**settings.oidc_role_map, "EPMO_OIDC_DEFAULT_ROLE": settings.oidc_default_role}
    wrong = {key: role for key, role in named.items() if role and role not in RANK}
    if wrong or not settings.oidc_client_id:
        log.error("SSO: settings name unknown roles %s or lack EPMO_OIDC_CLIENT_ID (roles: %s)",
                  wrong, ", ".join(ROLES))
        raise SsoRefused("Single sign-on is not set up correctly; "
                         "ask your EPMO administrator")


def mapped_role(settings: Settings, claims: Mapping[str, Any]) -> str | None:
    """The highest epmo role the role claim maps to, or None."""
    mapping = settings.oidc_role_map or {role: role for role in ROLES}
    values = claim_values(claims, settings.oidc_role_claim)
    roles = [mapping[value] for value in values if value in mapping]
    return min(roles, key=RANK.__getitem__) if roles else None


def verified_email(claims: Mapping[str, Any]) -> str:
    """The e-mail address the provider vouches for, or SsoRefused."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email or len(email) > 254:
        raise SsoRefused("The provider sent no e-mail address for your account")
    # Some providers send the flag as a string; anything but true means "not verified".
    # Entra ID sends no email_verified; its xms_edov says the tenant owns the address's domain.
    if not any(claims.get(flag) in (True, "true") for flag in ("email_verified", "xms_edov")):
        log.warning("SSO: refused %s: e-mail not verified by the provider", email)
        raise SsoRefused("Your e-mail address is not verified at the provider")
    return email.strip().lower()


def _display_name(claims: Mapping[str, Any], email: str) -> str:
    parts = [claims.get("given_name"), claims.get("family_name")]
    joined = " ".join(part for part in parts if isinstance(part, str) and part)
    for name in (claims.get("name"), joined, claims.get("preferred_username"), email):
        if isinstance(name, str) and name.strip():
            return name.strip()[:200]
    return email


def _role_for(settings: Settings, claims: Mapping[str, Any], user: User | None,
              email: str) -> str:
    if settings.oidc_role_claim:
        role = mapped_role(settings, claims) or settings.oidc_default_role
    else:
        role = user.role if user is not None else settings.oidc_default_role
    if not role:
        log.warning("SSO: refused %s: the claims map to no role", email)
        raise SsoRefused(NO_ROLE)
    return role


def _department_ids(session: Session, settings: Settings, claims: Mapping[str, Any],
                    email: str) -> list[int] | None:
    """Departments named by the claim (None: not configured); unknown codes are logged."""
    if not settings.oidc_department_claim:
        return None
    found: list[int] = []
    for code in dict.fromkeys(claim_values(claims, settings.oidc_department_claim)):
        department = org_repo.get_department_by_code(session, code)
        if department is None:
            log.info("SSO: %s: ignoring department code %r (no such department)", email, code)
        else:
            found.append(department.id)
    return found


def _set_departments(session: Session, user: User, wanted: list[int]) -> None:
    rows = repository.memberships(session, user.id)
    current = {row.department_id: row for row in rows}
    for department_id in current.keys() - set(wanted):
        session.delete(current[department_id])
    for department_id in [d for d in wanted if d not in current]:
        session.add(UserDepartment(user_id=user.id, department_id=department_id))


def _create(session: Session, settings: Settings, claims: Mapping[str, Any],
            email: str, role: str) -> User:
    if not settings.oidc_create_users:
        log.warning("SSO: refused %s: no user and EPMO_OIDC_CREATE_USERS is off", email)
        raise SsoRefused(NO_ROLE)
    log.info("SSO: creating user %s with role %s", email, role)
    return service.create_user(session, email=email, name=_display_name(claims, email),
                               role=role, password=None)


def _update(user: User, claims: Mapping[str, Any], role: str) -> None:
    """Take over what the provider says; unchanged values write (and audit) nothing."""
    if user.role != role:
        log.info("SSO: %s role %s -> %s", user.email, user.role, role)
        user.role = role
    name = _display_name(claims, user.email)
    if name != user.email and user.name != name:
        user.name = name


def subject_of(claims: Mapping[str, Any]) -> str:
    """The provider's permanent name for the person: issuer and subject."""
    return f"{claims.get('iss', '')} {claims.get('sub', '')}"[:300]


def _find(session: Session, claims: Mapping[str, Any], email: str) -> User | None:
    """The user already linked to this subject, else the user with this e-mail (to link).

    The subject decides once linked: an address changed or reused at the provider does not
    move the epmo account with it.
    """
    subject = subject_of(claims)
    user = repository.get_user_by_sso_subject(session, subject)
    if user is not None:
        return user
    user = repository.get_user_by_email(session, email)
    if user is not None and user.sso_subject not in (None, subject):
        log.warning("SSO: refused %s: the address belongs to another SSO account", email)
        raise SsoRefused("This e-mail address is linked to another single sign-on account; "
                         "ask your EPMO administrator")
    return user


def user_for_claims(session: Session, settings: Settings, claims: Mapping[str, Any]) -> User:
    """The active user these verified ID token claims sign in, created or updated from them."""
    check_settings(settings)
    email = verified_email(claims)
    user = _find(session, claims, email)
    if user is not None and not user.is_active:
        log.warning("SSO: refused %s: the user is deactivated", email)
        raise SsoRefused("This account is deactivated; ask your EPMO administrator")
    role = _role_for(settings, claims, user, email)
    departments = _department_ids(session, settings, claims, email)
    # Changes below are audited with the signing-in user as actor.
    work_of(session).actor_label = email
    user = _create(session, settings, claims, email, role) if user is None else user
    work_of(session).actor_id = user.id
    if user.sso_subject is None:
        user.sso_subject = subject_of(claims)
    _update(user, claims, role)
    if departments is not None:
        _set_departments(session, user, departments)
    session.flush()
    return user
