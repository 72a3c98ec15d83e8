"""`teamline smtp` as an operator runs it: a real process that takes a customer's mail into
their thread and sends the agent's reply through a real relay."""

from __future__ import annotations

import os
import shutil
import smtplib
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select

from teamline.domain.enums import Channel
from teamline.routing.workflow import default_workflow
from teamline.services.conversations import post_message
from teamline.services.demo import DemoResult
from teamline.services.replies import CHANNEL_REPLY_HOOKS
from teamline.services.router import Router
from teamline.store.db import make_engine, session_factory
from teamline.store.tables import MessageRow
from teamline.store.uow import UnitOfWork

from support.servers import free_port
from support.smtp import Relay, running_relay

DOMAIN = "teamline.example"


def wait_for(check: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.fixture
def relay() -> Iterator[Relay]:
    with running_relay() as started:
        yield started


@pytest.fixture
def database(sqlite_demo_template: tuple[Path, DemoResult], tmp_path: Path) -> str:
    shutil.copyfile(sqlite_demo_template[0], tmp_path / "teamline.db")
    return f"sqlite:///{tmp_path / 'teamline.db'}"


def test_teamline_smtp_takes_mail_in_and_sends_replies_out(database: str, relay: Relay) -> None:
    port = free_port()
    env = {
        **os.environ,
        "TEAMLINE_DATABASE_URL": database,
        "TEAMLINE_MAIL_DOMAIN": DOMAIN,
        "TEAMLINE_SMTP_RELAY_HOST": relay.host,
        "TEAMLINE_SMTP_RELAY_PORT": str(relay.port),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "teamline", "smtp", "--port", str(port), "--send-every", "0.3"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    engine = make_engine(database)
    sessions = session_factory(engine)

    def new_uow() -> UnitOfWork:
        return UnitOfWork(sessions)

    def stored() -> MessageRow | None:
        with new_uow() as uow:
            row = uow.session.scalar(
                select(MessageRow).where(MessageRow.external_id == "<cli-1@mail.example.com>")
            )
            if row is not None:
                uow.session.expunge(row)
            return row

    try:
        mail = EmailMessage()
        mail["From"] = "maria.rossi@example.com"
        mail["To"] = f"care@{DOMAIN}"
        mail["Subject"] = "Router blinking red"
        mail["Message-ID"] = "<cli-1@mail.example.com>"
        mail.set_content("The router blinks red since the storm.")

        def accepted() -> bool:
            try:
                with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
                    smtp.send_message(mail)
            except OSError:
                return False  # not listening yet
            return True

        wait_for(accepted)
        message = stored()
        assert message is not None and message.channel == "email"

        now = datetime.now(UTC)
        router = Router(new_uow, default_workflow())
        router.rebuild(now)
        with new_uow() as uow:
            agent = uow.users.by_email("agent@demo.teamline.dev")
        assert agent is not None
        post_message(
            new_uow(), router, agent, "cus-00001", "A technician comes tomorrow at 9.", now,
            channel=Channel.EMAIL, reply_hooks=CHANNEL_REPLY_HOOKS,
        )  # fmt: skip

        wait_for(lambda: bool(relay.received))
        [sent] = relay.received
        assert sent.rcpt_tos == ["maria.rossi@example.com"]
        assert sent.message["In-Reply-To"] == "<cli-1@mail.example.com>"
        assert sent.message["Subject"] == "Re: Router blinking red"
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0].decode()
        engine.dispose()
    assert process.returncode == 0, output
