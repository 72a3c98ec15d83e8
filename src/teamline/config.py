"""Settings: every knob is a `TEAMLINE_*` environment variable, read once by the entry points.

Nothing reads the environment at import time; `Settings()` is built in `cli.py` or `app.py` and
passed down, so tests build their own.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TEAMLINE_", extra="ignore")

    database_url: str = "sqlite:///./teamline.db"
    # signs nothing by itself: session and bearer tokens are random and stored hashed; the key
    # only salts the CSRF token of the login form
    secret_key: str = Field(default="dev-only-change-me", min_length=8)
    cookie_secure: bool = False  # True behind HTTPS; False so `make run` works on plain http
    session_hours: int = Field(default=12, ge=1, le=24 * 30)
    token_hours: int = Field(default=8, ge=1, le=24 * 30)
    demo_seed: int = 20261125
    demo_customers: int = Field(default=5000, ge=10, le=200_000)
