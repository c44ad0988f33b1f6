"""Settings from the environment (prefix ``EPMO_``); see docs/settings.md."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel.numbers import list_currencies
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from epmo.addresses import Allowance

# Keys that were ever published (docs, tests, old defaults): they must never sign a cookie
# in production, whatever their length.
KNOWN_SECRETS = frozenset({
    "dev-insecure-secret-change-me", "test-secret-key-not-for-production", "change-me",
    "changeme", "secret", "secret-key", "your-secret-key",
})
MIN_SECRET_BYTES = 32


def read_or_create_secret(path: Path, create: bool) -> str:
    """The key stored in ``path``; when absent and ``create``, a new random one (mode 0600)."""
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    if not create:
        return ""
    key = secrets.token_urlsafe(48)
    try:
        # O_EXCL: two processes starting at once agree on whichever key was written first.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


def secret_problem(key: str, env: str, source: str) -> str | None:
    """Why ``key`` may not sign sessions in ``env`` (one line), or None when it may."""
    if not key:
        return (f"EPMO_SECRET_KEY is not set and {source} does not exist (EPMO_ENV={env}): "
                "run `epmo init` or set EPMO_SECRET_KEY to "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))'")
    if env != "production":
        return None
    if key in KNOWN_SECRETS:
        return "EPMO_SECRET_KEY is a published default; generate a new one for production"
    if len(key.encode()) < MIN_SECRET_BYTES:
        return (f"EPMO_SECRET_KEY is too short for production ({len(key.encode())} bytes, "
                f"at least {MIN_SECRET_BYTES})")
    return None


def known_currency(value: str) -> str:
    """``value`` as an upper-case ISO 4217 code, or ValueError in words naming EPMO_CURRENCY."""
    code = value.strip().upper()
    if code not in list_currencies():
        raise ValueError(f"EPMO_CURRENCY {value!r} is not an ISO 4217 currency code "
                         "(three letters, e.g. EUR, USD, GBP, CHF)")
    return code


def known_locale(value: str) -> str:
    """``value`` as Babel spells a locale (``de_DE``), or ValueError naming EPMO_LOCALE."""
    try:
        return str(Locale.parse(value.strip().replace("-", "_")))
    except (ValueError, TypeError, UnknownLocaleError):
        raise ValueError(f"EPMO_LOCALE {value!r} is not a known locale "
                         "(language_TERRITORY, e.g. en_GB, en_US, de_DE, fr_FR)") from None


class Settings(BaseSettings):
    """Every setting epmo reads; each one is documented in docs/settings.md."""

    model_config = SettingsConfigDict(env_prefix="EPMO_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///epmo.db",
        description="SQLAlchemy URL of the database (default: SQLite file in the working dir).",
    )
    secret_key: str = Field(
        default="",
        description="Key that signs session cookies and CSRF tokens (default: EPMO_SECRET_FILE).",
    )
    secret_file: str = Field(
        default="epmo-secret.key",
        description="File holding the generated key when EPMO_SECRET_KEY is not set.",
    )
    env: Literal["development", "production", "test"] = Field(
        default="development",
        description="Run mode; production refuses weak keys, demo data and demo passwords.",
    )
    session_max_age: int = Field(
        default=8 * 3600, ge=60, description="Seconds a web login stays valid."
    )
    cookie_secure: bool | None = Field(
        default=None,
        description="Send the session cookie only over HTTPS (default: on in production).",
    )
    signin_free_failures: int = Field(
        default=3, ge=1, description="Failed sign-ins of one account before delays start.",
    )
    signin_delay_seconds: int = Field(
        default=2, ge=1, description="First wait after the free failures; doubles each time.",
    )
    signin_lock_failures: int = Field(
        default=10, ge=2, description="Failed sign-ins of one account that lock it for a while.",
    )
    signin_lock_minutes: int = Field(
        default=15, ge=1, description="How long a lock lasts; older failures are forgotten.",
    )
    signin_address_factor: int = Field(
        default=5, ge=1,
        description="One client address may fail this many times more than one account.",
    )
    password_reset_hours: int = Field(
        default=24, ge=1, le=24 * 14, description="How long a password reset link works.",
    )
    db_pool_size: int = Field(
        default=5, ge=1, description="Connections per worker in the PostgreSQL pool."
    )
    db_echo: bool = Field(default=False, description="Log every SQL statement (debugging).")
    db_busy_timeout_seconds: float = Field(
        default=30, gt=0, description="Longest a SQLite writer waits for another's turn to end."
    )
    db_connect_timeout_seconds: int = Field(
        default=5, ge=1, description="Longest a PostgreSQL connection attempt may take."
    )
    page_size_max: int = Field(
        default=500, ge=10, description="Largest `limit` a list endpoint accepts."
    )
    import_max_rows: int = Field(
        default=100_000, ge=1, description="Largest number of data rows one import file may hold."
    )
    import_max_bytes: int = Field(
        default=20 * 1024 * 1024, ge=1024, description="Largest upload accepted by an import."
    )
    import_max_columns: int = Field(
        default=200, ge=1, description="Most columns a sheet of an import file may span.",
    )
    import_max_cells: int = Field(
        default=3_000_000, ge=1,
        description="Most cells (rows spanned times columns spanned) one import sheet may hold.",
    )
    import_max_unzipped_bytes: int = Field(
        default=200 * 1024 * 1024, ge=1024,
        description="Largest size an import workbook (.xlsx, .ods: a zip) may unpack to.",
    )
    schedule_max_bytes: int = Field(
        default=200 * 1024 * 1024, ge=1024,
        description="Largest MS Project XML or Primavera XER file a schedule import reads.",
    )
    schedule_max_activities: int = Field(
        default=200_000, ge=1,
        description="Most tasks (activities) one schedule file may hold.",
    )
    json_max_bytes: int = Field(
        default=1024 * 1024, ge=1024,
        description="Largest JSON or form body a request may send (uploads have their own).",
    )
    artefact_max_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1, description="Largest file a project artefact may be."
    )
    jobs_url: str = Field(
        default="sqlite:///epmo-jobs.db",
        description="Background job queue: sqlite:///path (default) or redis://host:6379/0.",
    )
    daily_jobs_at: str = Field(
        default="06:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$",
        description="UTC time (HH:MM) of the daily compliance snapshot and reminders.",
    )
    overview_cache_seconds: int = Field(
        default=300, ge=0,
        description="Longest a worker reuses an overview it computed (0: never reuse).",
    )
    overview_min_group: int = Field(
        default=5, ge=2,
        description="Fewest projects an anonymous overview total of projects the reader may "
                    "not open may hold; smaller groups are withheld.",
    )

    currency: str = Field(
        default="EUR",
        description="ISO 4217 code of the currency every budget and cost is in (EUR, USD, "
                    "GBP, CHF, ...); pages, print packs, spreadsheets and charts show it.",
    )
    locale: str = Field(
        default="en_GB",
        description="Locale whose thousands separator, decimal mark and symbol placement "
                    "money and numbers are shown in (en_GB, en_US, de_DE, fr_FR, ...).",
    )

    ledger_finance_department: str = Field(
        default="FIN", max_length=40,
        description="Code of the department whose leads validate the value ledger's hard "
                    "savings (finance).",
    )

    public_url: str = Field(
        default="", description="Address users open the hub at, for links in e-mails.",
    )
    smtp_host: str = Field(default="", description="SMTP server for e-mail (empty: none).")
    smtp_port: int = Field(default=25, ge=1, le=65535, description="Port of the SMTP server.")
    smtp_tls: Literal["none", "starttls", "ssl"] = Field(
        default="none", description="Encryption to the SMTP server: none, starttls or ssl.",
    )
    smtp_username: str = Field(default="", description="SMTP login (empty: no login).")
    smtp_password: str = Field(default="", description="SMTP password.")
    smtp_from: str = Field(
        default="epmo@localhost", description="Sender address of e-mails epmo sends.",
    )
    smtp_timeout_seconds: float = Field(
        default=30, gt=0, le=600, description="Longest wait for the SMTP server.",
    )
    mail_sink_dir: str = Field(
        default="",
        description="Write e-mails as .eml files to this folder instead of sending them "
                    "(default in development without an SMTP host: mail-sink).",
    )
    mail_max_attempts: int = Field(
        default=6, ge=1, le=50, description="Tries per e-mail before it is marked failed.",
    )
    mail_retry_base_seconds: int = Field(
        default=60, ge=1, description="Wait before the first e-mail retry; doubles each time.",
    )
    webhook_timeout_seconds: float = Field(
        default=10, gt=0, le=120, description="Longest wait for a webhook receiver to answer.",
    )
    webhook_max_attempts: int = Field(
        default=8, ge=1, le=50, description="Tries per webhook delivery before it is failed.",
    )
    webhook_retry_base_seconds: int = Field(
        default=30, ge=1, description="Wait before the first webhook retry; doubles each time.",
    )
    webhook_allowed_hosts: str = Field(
        default="",
        description="Comma-separated host names or CIDRs webhooks may reach although they "
                    "are loopback, private or link-local (e.g. an internal receiver).",
    )
    jira_timeout_seconds: float = Field(
        default=20, gt=0, le=300, description="Longest wait for one answer of a Jira site.",
    )
    jira_retries: int = Field(
        default=3, ge=0, le=10,
        description="Retries of a Jira request answered 429 (or 503 with Retry-After).",
    )
    jira_retry_wait_max_seconds: float = Field(
        default=60, ge=0, le=600,
        description="Longest wait before one such retry, whatever Retry-After asks.",
    )
    inprocess_worker: bool = Field(
        default=True,
        description="epmo serve runs the job consumer in-process when the queue is SQLite.",
    )

    oidc_issuer: str = Field(
        default="",
        description="OpenID Connect issuer URL for single sign-on (empty: SSO off); its "
                    "/.well-known/openid-configuration is read at first use.",
    )
    oidc_name: str = Field(
        default="single sign-on", description="Provider name on the button: Sign in with <name>.",
    )
    oidc_client_id: str = Field(default="", description="Client id registered at the provider.")
    oidc_client_secret: str = Field(
        default="", description="Client secret registered at the provider.",
    )
    oidc_scopes: str = Field(
        default="openid email profile",
        description="Scopes asked for, space-separated (openid and email are always added).",
    )
    oidc_role_claim: str = Field(
        default="",
        description="ID token claim holding the user's roles or groups (dots reach into "
                    "objects, e.g. realm_access.roles); empty: roles are not taken from SSO.",
    )
    oidc_role_map: dict[str, str] = Field(
        default_factory=dict,
        description='JSON object: role claim value -> epmo role, e.g. {"pmo-admins": '
                    '"epmo_admin"}; the highest epmo role matched wins. Empty: claim values '
                    "that are epmo role names are used as they are.",
    )
    oidc_department_claim: str = Field(
        default="",
        description="ID token claim holding department codes; empty: departments are not "
                    "taken from SSO. Unknown codes are ignored and logged.",
    )
    oidc_default_role: str = Field(
        default="",
        description="Role of a user whose claims map to no role (empty: refuse them).",
    )
    oidc_create_users: bool = Field(
        default=True, description="Create a user at their first SSO sign-in.",
    )
    oidc_timeout_seconds: float = Field(
        default=10, gt=0, le=120, description="Longest wait for the SSO provider to answer.",
    )

    @field_validator("webhook_allowed_hosts")
    @classmethod
    def _allowed_hosts_parse(cls, value: str) -> str:
        try:
            Allowance.parse(value)
        except ValueError as exc:
            raise ValueError(f"webhook_allowed_hosts: {exc}") from exc
        return value

    @field_validator("currency")
    @classmethod
    def _currency_known(cls, value: str) -> str:
        return known_currency(value)

    @field_validator("locale")
    @classmethod
    def _locale_known(cls, value: str) -> str:
        return known_locale(value)

    @model_validator(mode="after")
    def _mail_sink_in_development(self) -> Settings:
        if self.env == "development" and not self.smtp_host and not self.mail_sink_dir:
            self.mail_sink_dir = "mail-sink"
        return self

    @model_validator(mode="after")
    def _secret(self) -> Settings:
        # Development makes its own key on first use, so no process ever signs with a
        # published one; production and test must be given one (or run `epmo init`).
        if not self.secret_key:
            path = Path(self.secret_file)
            self.secret_key = read_or_create_secret(path, create=self.env == "development")
        problem = secret_problem(self.secret_key, self.env, self.secret_file)
        if problem:
            raise ValueError(problem)
        return self

    @model_validator(mode="after")
    def _secure_cookie_in_production(self) -> Settings:
        if self.cookie_secure is None:
            self.cookie_secure = self.env == "production"
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read once from the environment."""
    return Settings()


class SecretSource(BaseSettings):
    """Just where the secret key comes from, readable before the key itself is checked."""

    model_config = SettingsConfigDict(env_prefix="EPMO_", extra="ignore")

    secret_key: str = ""
    secret_file: str = "epmo-secret.key"


def ensure_secret_file() -> Path | None:
    """Create the key file when no EPMO_SECRET_KEY is set and none exists; its path if made."""
    source = SecretSource()
    path = Path(source.secret_file)
    if source.secret_key or path.exists():
        return None
    read_or_create_secret(path, create=True)
    return path
