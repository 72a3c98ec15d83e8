"""Settings: every knob is a `TEAMLINE_*` environment variable, read once by the entry points.

Nothing reads the environment at import time; `Settings()` is built in `cli.py` or `app.py` and
passed down, so tests build their own.
"""

from __future__ import annotations

from pathlib import Path

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
    # the router's clock: how often offers time out, rings open and wrap-ups end (0: never, for
    # tests that drive time themselves)
    router_tick_seconds: float = Field(default=1.0, ge=0, le=60)
    router_shard: str = "main"
    workflow_path: Path | None = None  # a YAML workflow; the packaged default otherwise
    # a YAML of tier weights, discretion limits, fee schedule, retention offers (issue 6)
    care_policy_path: Path | None = None
    # cases (issue 7): a YAML of SLA targets per rung, warning share and regulators; and the
    # executive office's own inbox, shown to customers whose case it holds
    case_policy_path: Path | None = None
    executive_care_inbox: str = Field(default="executive@teamline.example", min_length=3)
    # the zone whose calendar months and ISO weeks QA sampling counts in (issue 7 item 3)
    company_timezone: str = "America/Chicago"
    demo_seed: int = 20261125
    demo_customers: int = Field(default=5000, ge=10, le=200_000)
    # the digital twin over HTTP runs inside the request: at most this many expected contacts
    # (over all policies; every built-in fits, a few seconds of work)
    simulation_max_contacts: int = Field(default=60_000, ge=100, le=10_000_000)
    # channels (issue 5). Voice webhooks are refused while the token is empty: an unsigned
    # request can never be told from a forged one
    twilio_auth_token: str = ""
    # callbacks are dialled through Twilio's REST API when these are set too (with the token);
    # otherwise the agent who takes a callback dials it by hand
    twilio_account_sid: str = ""
    twilio_caller_id: str = ""  # the number callbacks come from, E.164
    public_base_url: str = "http://127.0.0.1:8000"  # the URL providers call (signatures)
    # inbound mail (`teamline smtp`) and the relay outbound replies leave through
    smtp_listen_host: str = "127.0.0.1"
    smtp_listen_port: int = Field(default=8025, ge=1, le=65535)
    smtp_relay_host: str = "127.0.0.1"
    smtp_relay_port: int = Field(default=25, ge=1, le=65535)
    mail_from: str = "care@teamline.example"
    mail_domain: str = "teamline.example"  # for inbound addresses and Message-IDs
    # social webhooks (Standard Webhooks: "whsec_" + base64 secret); empty refuses them
    social_webhook_secret: str = ""
    callback_max_attempts: int = Field(default=3, ge=1, le=10)
    callback_retry_minutes: int = Field(default=10, ge=1, le=24 * 60)
