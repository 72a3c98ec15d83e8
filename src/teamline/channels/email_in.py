"""Inbound mail: an SMTP server (aiosmtpd) that takes customers' emails into their threads.

    teamline smtp        # listens on TEAMLINE_SMTP_LISTEN_HOST:TEAMLINE_SMTP_LISTEN_PORT

It sits behind the company's mail exchanger (which does spam filtering, SPF/DKIM/DMARC and TLS)
and accepts mail for one domain only (`mail_domain`): any other recipient is refused at RCPT
with 550, so it can never be used as an open relay. A mail larger than `MAX_MAIL_BYTES` is
refused with 552 by aiosmtpd itself. The answer to DATA is given after the mail is committed:

    250  stored (or already stored: the same Message-ID delivered again)
    550  no thread and no customer for the sender (`services/mail.py` says why we refuse)
    451  a temporary failure (the database is down): the sending server retries later

Parsing MIME is this module's business; the thread and the customer are the service's.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from html.parser import HTMLParser
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from teamline.domain.errors import TeamlineError, Unavailable
from teamline.domain.mail import (
    content_message_id,
    header_text,
    normalize_message_id,
    strip_quoted_reply,
)
from teamline.services.mail import InboundEmail, MailReceipt, UnknownSender

log = logging.getLogger("teamline.email")

MAX_MAIL_BYTES = 10 * 1024 * 1024  # attachments are not kept; a reply with a photo fits
MAX_RECIPIENTS = 20

Receive = Callable[[InboundEmail, datetime], MailReceipt]


class _Text(HTMLParser):
    """The readable text of an HTML-only mail (scripts and styles dropped)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("br", "p", "div", "li", "tr"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # an unknown charset or a broken transfer encoding
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    text = str(content)
    if part.get_content_subtype() == "html":
        text = html_text(text)
    return strip_quoted_reply(text.replace("\r\n", "\n"))


def _header(message: EmailMessage, name: str) -> str | None:
    try:
        value = message.get(name)
    except (IndexError, ValueError):  # a header the parser could not make sense of
        return None
    return str(value) if value is not None else None


def parse_email(data: bytes, envelope_from: str, recipients: Sequence[str] = ()) -> InboundEmail:
    """The fields we keep of a raw mail. The From header names the sender (the envelope sender
    is a bounce address, often not the person's); without one, the envelope sender."""
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    addresses = getaddresses([_header(message, "From") or ""])
    name, address = next(((n, a) for n, a in addresses if "@" in a), ("", envelope_from))
    attachments = sum(1 for _ in message.iter_attachments())
    body = _body(message)
    if attachments:
        body += f"\n\n[{attachments} attachment(s) not kept: ask the customer to use the app]"
    return InboundEmail(
        message_id=normalize_message_id(_header(message, "Message-ID")) or content_message_id(data),
        sender=address.strip(),
        sender_name=header_text(name),
        subject=header_text(_header(message, "Subject") or ""),
        body=body,
        in_reply_to=_header(message, "In-Reply-To"),
        references=_header(message, "References"),
        recipients=tuple(r.strip().lower() for r in recipients),
    )


class InboundMailHandler:
    """aiosmtpd's handler: RCPT checks the domain, DATA stores the mail through `receive`
    (run in a worker thread: the database must not block the event loop)."""

    def __init__(self, receive: Receive, mail_domain: str, clock: Callable[[], datetime]) -> None:
        self._receive = receive
        self._domain = mail_domain.strip().lower()
        self._clock = clock

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        try:
            domain = Address(addr_spec=address).domain.lower()
        except (ValueError, IndexError):
            return "553 5.1.3 that is not a mail address"
        if domain != self._domain:
            return f"550 5.7.1 we accept mail for {self._domain} only"
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 too many recipients"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        data = envelope.original_content or envelope.content
        raw = data if isinstance(data, bytes) else str(data or "").encode()
        try:
            mail = parse_email(raw, str(envelope.mail_from or ""), envelope.rcpt_tos)
        except Exception:  # a mail we cannot read is the sender's to fix, not a crash of ours
            log.exception("unreadable mail from %s", envelope.mail_from)
            return "550 5.6.0 the message could not be read"
        try:
            receipt = await asyncio.to_thread(self._receive, mail, self._clock())
        except UnknownSender as exc:
            return f"550 5.1.8 {exc}"
        except Unavailable:
            return "451 4.3.0 temporarily unavailable: try again later"
        except TeamlineError as exc:
            log.warning("mail %s refused: %s", mail.message_id, exc)
            return f"554 5.6.0 {header_text(str(exc))}"
        except Exception:
            log.exception("mail %s could not be stored", mail.message_id)
            return "451 4.3.0 temporarily unavailable: try again later"
        log.info("mail %s -> %s (%s)", mail.message_id, receipt.customer_id, receipt.threaded_by)
        return "250 2.0.0 OK: queued for your team"


def inbound_server(
    receive: Receive,
    mail_domain: str,
    clock: Callable[[], datetime],
    host: str,
    port: int,
) -> Controller:
    """The SMTP server, not started: `.start()` runs it in a thread, `.stop()` ends it."""
    return Controller(
        InboundMailHandler(receive, mail_domain, clock),
        hostname=host,
        port=port,
        data_size_limit=MAX_MAIL_BYTES,
        server_hostname=mail_domain,
        ident="Teamline",
    )
