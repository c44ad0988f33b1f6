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
