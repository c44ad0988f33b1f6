"""Settings from the environment (prefix ``EPMO_``); see docs/settings.md."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "dev-insecure-secret-change-me"


class Settings(BaseSettings):
    """Every setting epmo reads; each one is documented in docs/settings.md."""

    model_config = SettingsConfigDict(env_prefix="EPMO_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///epmo.db",
        description="SQLAlchemy URL of the database (default: SQLite file in the working dir).",
    )
    secret_key: str = Field(
        default="",
        description="Key that signs session cookies and CSRF tokens; required outside development.",
    )
    env: Literal["development", "production", "test"] = Field(
        default="development",
        description="Run mode; outside development a secret key is mandatory.",
    )
    session_max_age: int = Field(
        default=8 * 3600, ge=60, description="Seconds a web login stays valid."
    )
    cookie_secure: bool = Field(
        default=False, description="Send the session cookie only over HTTPS."
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
    inprocess_worker: bool = Field(
        default=True,
        description="epmo serve runs the job consumer in-process when the queue is SQLite.",
    )

    @model_validator(mode="after")
    def _mail_sink_in_development(self) -> Settings:
        if self.env == "development" and not self.smtp_host and not self.mail_sink_dir:
            self.mail_sink_dir = "mail-sink"
        return self

    @model_validator(mode="after")
    def _secret_outside_development(self) -> Settings:
        if not self.secret_key:
            if self.env != "development":
                raise ValueError(
                    f"EPMO_SECRET_KEY must be set when EPMO_ENV={self.env} (generate one with: "
                    "python -c 'import secrets; print(secrets.token_urlsafe(32))')"
                )
            self.secret_key = DEV_SECRET
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read once from the environment."""
    return Settings()
