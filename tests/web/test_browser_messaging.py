"""Issue 8 acceptance in chromium: a customer writes from the app, an agent of their team gets
the offer on the desktop, accepts it and answers, and the answer appears in the customer's open
page without a reload. What the customer wrote is shown as text, never run (no dialog fires).
An SLA alert of a case the agent holds appears on their desk as it is raised."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, expect

from support.browser import sign_in
from support.late_case import miss_issuer_deadline, open_case

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]
SECONDS_LEFT = re.compile(r"^\d+ s$")
CONVERSATION = re.compile(r".*/agent/customers/cus-\d+\?contact=.+")
PAYLOAD = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def test_a_customer_message_is_offered_to_their_team_and_answered_live(
    chromium: Browser, server: str
) -> None:
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    agent = sign_in(chromium, server, "agent")
    agent.on("dialog", record)
    expect(agent).to_have_url(f"{server}/agent")
    agent.click("#go-available")
    expect(agent.locator("#activity")).to_have_text("available")
    expect(agent.locator("body[data-live=on]")).to_have_count(1)

    customer = sign_in(chromium, server, "customer", viewport={"width": 390, "height": 844})
    customer.on("dialog", record)
    expect(customer).to_have_url(f"{server}/me")
    expect(customer.locator("body[data-live=on]")).to_have_count(1)
    customer.fill("#message-body", f"My internet is down {PAYLOAD}")
    customer.click("#send")
    mine = customer.locator("#thread li.customer", has_text="My internet is down")
    expect(mine).to_have_count(1)  # came back over the socket

    offer = agent.locator("#offers li.offer")
    expect(offer).to_have_count(1)
    expect(offer.locator(".countdown")).to_have_text(SECONDS_LEFT)
    offer.locator("button.accept").click()
    expect(agent).to_have_url(CONVERSATION)
    question = agent.locator("#thread li.customer", has_text="My internet is down")
    expect(question).to_contain_text(PAYLOAD)  # the markup is shown as text
    assert agent.locator("#thread img").count() == 0
    expect(agent.locator("body[data-live=on]")).to_have_count(1)

    agent.fill("#message-body", "Sorry about that: a line fault in your street, fixed by 6 pm.")
    agent.click("#send")
    answer = customer.locator("#thread li.agent", has_text="line fault in your street")
    expect(answer).to_have_count(1)  # live: the customer's page was never reloaded
    assert dialogs == []


def test_an_sla_alert_appears_on_the_desk_of_the_agent_holding_the_case(
    chromium: Browser, server: str, server_database: Path
) -> None:
    """A chargeback assigned to the demo agent with the issuer's deadline seconds away: once it
    passes, the sweep's alert reaches the agent's open desk without a reload."""
    desk = sign_in(chromium, server, "agent")
    expect(desk.locator("body[data-live=on]")).to_have_count(1)
    case_id = open_case(server, "Disputed charge of $89")
    miss_issuer_deadline(server, server_database, case_id, "agent")
    alert = desk.locator("#sla-alerts li.late", has_text=case_id)
    expect(alert).to_contain_text("issuer deadline missed")
    expect(alert.locator("a")).to_have_attribute("href", "/agent/customers/cus-00001")
