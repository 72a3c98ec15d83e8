"""`teamline smtp`: the email channel's process, inbound and outbound.

    teamline smtp                      # TEAMLINE_SMTP_LISTEN_HOST:PORT, relay TEAMLINE_SMTP_RELAY_*
    teamline smtp --port 2525 --send-every 2

It runs the inbound SMTP server (customers' mail into their threads, `channels/email_in.py`)
and, every `--send-every` seconds, a pass that sends the team's pending email replies and
notifications through the relay (`services/outbound.py`). It does not route: new contacts go
to the shard's router (the `teamline serve` process) as routing requests, and the router's
sweep routes any it could not take at once. SIGTERM or Ctrl-C stops it after the current pass.
"""

from __future__ import annotations

import logging
import signal
from datetime import UTC, datetime
from threading import Event
from types import FrameType
from typing import Annotated

import typer


def utc_now() -> datetime:
    return datetime.now(UTC)


def smtp(
    host: Annotated[
        str | None, typer.Option(help="interface to bind [TEAMLINE_SMTP_LISTEN_HOST]")
    ] = None,
    port: Annotated[
        int | None, typer.Option(min=1, max=65535, help="[TEAMLINE_SMTP_LISTEN_PORT]")
    ] = None,
    send_every: Annotated[
        float, typer.Option("--send-every", min=0.2, max=3600, help="seconds between sends")
    ] = 5.0,
) -> None:
    """Receive customers' mail by SMTP and send the team's replies through the relay."""
    from teamline.channels.email_in import inbound_server
    from teamline.channels.email_out import SmtpRelay
    from teamline.cli import _settings, _uow_factory, clear_errors, out
    from teamline.routing.workflow import default_workflow, load_workflow
    from teamline.services.cases import load_case_policy
    from teamline.services.executive_mail import receive_email_with_executive_care
    from teamline.services.mail import fix_message_id
    from teamline.services.outbound import deliver_pending
    from teamline.services.router import Router

    settings = _settings()
    with clear_errors():
        new_uow = _uow_factory(settings)
        workflow = (
            load_workflow(settings.workflow_path) if settings.workflow_path else default_workflow()
        )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # never rebuilt in this process: its calls travel to the shard's router
    router = Router(new_uow, workflow, remote_wait_seconds=2.0)
    listen_host = host or settings.smtp_listen_host
    listen_port = port or settings.smtp_listen_port
    with clear_errors():  # mail to the executive inbox opens its case (issue 7)
        cases = load_case_policy(settings.case_policy_path, settings.executive_care_inbox)
    server = inbound_server(
        lambda mail, now: receive_email_with_executive_care(new_uow, router, mail, now, cases),
        settings.mail_domain, utc_now, listen_host, listen_port,
    )  # fmt: skip
    relay = SmtpRelay(settings.smtp_relay_host, settings.smtp_relay_port, settings.mail_from)
    prepare = fix_message_id(settings.mail_domain)
    stop = Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    server.start()
    out.print(
        f"Teamline mail for @{settings.mail_domain} on {listen_host}:{listen_port}; replies "
        f"via {settings.smtp_relay_host}:{settings.smtp_relay_port}"
    )
    try:
        while not stop.is_set():
            try:
                deliver_pending(new_uow, "email", relay, utc_now(), prepare=prepare)
            except Exception:  # the database may be away a moment: the next pass retries
                logging.getLogger("teamline.outbound").exception("sending pass failed")
            stop.wait(send_every)
    finally:
        server.stop()
