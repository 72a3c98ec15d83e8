"""Issue 5's first acceptance line: a customer who calls, then writes from the app, then
emails has ONE timeline holding all three, in order, visible to any agent of their team. Each
arrives through its real door: a signed Twilio webhook, the REST API, and the SMTP server."""

from __future__ import annotations

import shutil
import smtplib
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from twilio.request_validator import RequestValidator

from teamline.app import create_app
from teamline.channels.email_in import inbound_server
from teamline.config import Settings
from teamline.services.demo import DEMO_PASSWORD, DemoResult
from teamline.services.mail import receive_email

from conftest import NOW
from support.openapi_check import CheckedClient
from support.servers import free_port

TOKEN = "test-twilio-auth-token"
BASE = "https://teamline.example.test"
API = "/api/v1"
MARIA, MARIA_PHONE, MARIA_EMAIL = "cus-00001", "+15550100199", "maria.rossi@example.com"
DOMAIN = "teamline.example"


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(
    sqlite_demo_template: tuple[Path, DemoResult], tmp_path: Path, clock: Clock
) -> Iterator[CheckedClient]:
    shutil.copyfile(sqlite_demo_template[0], tmp_path / "teamline.db")
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'teamline.db'}", router_tick_seconds=0,
        twilio_auth_token=TOKEN, public_base_url=BASE, mail_domain=DOMAIN,
    )  # fmt: skip
    with CheckedClient(create_app(settings, clock=clock)) as started:
        yield started


def login(client: CheckedClient, role: str) -> dict[str, str]:
    answer = client.post(f"{API}/auth/token", data={"username": f"{role}@demo.teamline.dev",
                                                    "password": DEMO_PASSWORD})  # fmt: skip
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_a_call_an_app_message_and_an_email_make_one_timeline(
    client: CheckedClient, clock: Clock
) -> None:
    # 1. Maria calls and says what she needs (a signed Twilio webhook)
    path = f"{API}/voice/gather"
    params = {
        "CallSid": "CA" + "7" * 32,
        "From": MARIA_PHONE,
        "To": "+15550000000",
        "AccountSid": "AC" + "0" * 32,
        "SpeechResult": "my internet keeps dropping",
    }
    signature = RequestValidator(TOKEN).compute_signature(BASE + path, params)
    heard = client.post(path, data=params, headers={"X-Twilio-Signature": signature})
    assert heard.status_code == 200, heard.text

    # 2. a minute later she writes from the app
    clock.now += timedelta(minutes=1)
    wrote = client.post(f"{API}/messages", json={"body": "Following up on my call: still down."},
                        headers=login(client, "customer"))  # fmt: skip
    assert wrote.status_code == 201, wrote.text

    # 3. a minute later she emails (through the real SMTP server, into the same database)
    clock.now += timedelta(minutes=1)
    state = client.app.state  # type: ignore[attr-defined]
    port = free_port()
    server = inbound_server(lambda mail, now: receive_email(state.new_uow(), state.router, mail,
                                                            now),
                            DOMAIN, clock, "127.0.0.1", port)  # fmt: skip
    server.start()
    try:
        mail = EmailMessage()
        mail["From"], mail["To"] = f"Maria Rossi <{MARIA_EMAIL}>", f"care@{DOMAIN}"
        mail["Subject"], mail["Message-ID"] = "Internet down", "<one-timeline@mail.example.com>"
        mail.set_content("Here is the photo of the router lights you asked for.")
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.send_message(mail, to_addrs=[f"care@{DOMAIN}"])
    finally:
        server.stop()

    # any agent of her team (the demo agent is on the Hudson team) sees all three, in order
    seen = client.get(f"{API}/customers/{MARIA}/timeline", params={"limit": 10},
                      headers=login(client, "agent"))  # fmt: skip
    assert seen.status_code == 200, seen.text
    entries = seen.json()["entries"]
    today = [e for e in entries if datetime.fromisoformat(e["at"].replace("Z", "+00:00")) >= NOW]
    newest_first = [(e["kind"], e["channel"]) for e in today if not e["internal"]]
    assert ("contact", "voice") in newest_first
    call_at = next(i for i, e in enumerate(newest_first) if e == ("contact", "voice"))
    app_at = next(i for i, e in enumerate(newest_first) if e == ("message", "async"))
    mail_at = next(i for i, e in enumerate(newest_first) if e == ("message", "email"))
    assert mail_at < app_at < call_at, newest_first  # newest first: mail, app message, call
    threads = {e["conversation_id"] for e in today if e["kind"] == "message"}
    assert len(threads) == 1, "the app message and the mail joined one thread"
