"""A real SMTP relay for tests: it captures what Teamline sends, on a free port of this
machine (aiosmtpd, the same server library as the inbound channel)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from support.servers import free_port


@dataclass
class Captured:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes


@dataclass
class RelayHandler:
    """Accepts every mail (or answers `refuse_with` to RCPT) and keeps it."""

    received: list[Captured] = field(default_factory=list)
    refuse_with: str | None = None

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if self.refuse_with:
            return self.refuse_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        message = BytesParser(policy=policy.default).parsebytes(raw)
        assert isinstance(message, EmailMessage)
        self.received.append(
            Captured(str(envelope.mail_from), list(envelope.rcpt_tos), message, raw)
        )
        return "250 OK"


@dataclass
class Relay:
    host: str
    port: int
    handler: RelayHandler

    @property
    def received(self) -> list[Captured]:
        return self.handler.received


@contextmanager
def running_relay() -> Iterator[Relay]:
    handler = RelayHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield Relay("127.0.0.1", port, handler)
    finally:
        controller.stop()
