"""The password rule: long enough, not a common password, not the email, no demo password."""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

from epmo.errors import FieldError, Invalid

MIN_LENGTH = 12
MAX_LENGTH = 200
COMMON_FILE = Path(__file__).resolve().parent / "common-passwords.txt.gz"
# The passwords `epmo demo`, the Makefile and the docs hand out: fine on a laptop, never in
# production unless an operator forces it.
DEMO_PASSWORDS = frozenset({
    "demo-password-admin", "demo-password-exec", "demo-password-lead", "demo-password-pm",
    "demo-password-member", "demo-password-viewer", "epmo-admin-demo", "a-long-password",
})


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of the commonest passwords, lower case."""
    with gzip.open(COMMON_FILE, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


def problem(password: str, email: str | None = None, allow_demo: bool = True) -> str | None:
    """What is wrong with ``password`` as a new password (one phrase), or None."""
    if len(password) < MIN_LENGTH:
        return f"use at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"use at most {MAX_LENGTH} characters"
    folded = password.strip().lower()
    if folded in common_passwords():
        return "this is one of the most common passwords; choose another"
    if email and folded == email.strip().lower():
        return "the password must not be your email"
    if not allow_demo and password in DEMO_PASSWORDS:
        return "demo passwords are refused in production"
    return None


def check(password: str, email: str | None = None, *, allow_demo: bool = True,
          field: str = "password") -> None:
    """Raise Invalid naming ``field`` unless ``password`` passes the rule."""
    found = problem(password, email, allow_demo)
    if found:
        raise Invalid("The password is not acceptable", [FieldError(field, found)])
