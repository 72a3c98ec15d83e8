"""Replies leave by SMTP: an outbound row becomes a standard email handed to the relay.

Every header value is built here from our own fields and passes through `header_text`, so a
CR or LF in a customer's name or a subject can never start a header of its own (no injected
`Bcc:`). The relay's answer decides what happens next: a 5xx refusal is permanent (retrying
the same mail cannot help), anything else (no connection, 4xx, time-out) is retried.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from teamline.domain.mail import header_text, message_ids, normalize_message_id
from teamline.services.outbound import DeliveryFailed, Outbound


def build_email(item: Outbound, mail_from: str) -> EmailMessage:
    """The email an outbound row stands for; headers only from vetted, single-line values."""
    headers = item.headers
    message = EmailMessage()
    message["From"] = formataddr((header_text(str(headers.get("From-Name", ""))), mail_from))
    message["To"] = formataddr((header_text(str(headers.get("To-Name", ""))), item.recipient))
    message["Subject"] = header_text(item.subject)
    message["Date"] = format_datetime(item.created_at)
    message_id = normalize_message_id(str(headers.get("Message-ID", "")))
    if message_id:
        message["Message-ID"] = message_id
    parent = normalize_message_id(str(headers.get("In-Reply-To", "")))
    if parent:
        message["In-Reply-To"] = parent
    references = message_ids(str(headers.get("References", "")))
    if references:
        message["References"] = " ".join(references)
    if headers.get("Auto-Submitted") == "auto-generated":
        # RFC 3834: a notification nobody typed says so, so auto-responders do not answer it
        message["Auto-Submitted"] = "auto-generated"
    message.set_content(item.body)
    return message


@dataclass(frozen=True, slots=True)
class SmtpRelay:
    """The `Transport` for email: one SMTP session per message to the configured relay."""

    host: str
    port: int
    mail_from: str
    timeout: float = 30.0

    def send(self, item: Outbound) -> None:
        message = build_email(item, self.mail_from)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.send_message(message, from_addr=self.mail_from, to_addrs=[item.recipient])
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise DeliveryFailed(
                f"the relay refused {item.recipient}", permanent=all(c >= 500 for c in codes)
            ) from exc
        except smtplib.SMTPResponseException as exc:
            raise DeliveryFailed(
                f"the relay answered {exc.smtp_code}", permanent=exc.smtp_code >= 500
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryFailed(f"the relay could not be reached: {exc}") from exc
