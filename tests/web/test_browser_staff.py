"""Issue 8 acceptance in chromium, the staff side: an agent grants a credit within their limit
and asks a supervisor above it (the policy's answer shown as it is), and a supervisor's wall
raises a surge alert while a storm floods one team (contacts opened through the API), and lists
a new SLA breach as soon as it is raised."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from support.browser import sign_in
from support.late_case import miss_issuer_deadline, open_case
from support.servers import token

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]
MARIA = "cus-00001"


def test_an_agent_grants_a_credit_within_the_limit_and_asks_approval_above_it(
    chromium: Browser, server: str
) -> None:
    agent = sign_in(chromium, server, "agent")
    agent.goto(f"/agent/customers/{MARIA}")
    expect(agent.locator("#tier")).to_contain_text("Tier")
    agent.fill("#credit-amount", "5.00")
    agent.fill("#credit-reason", "Outage on the 20th")
    agent.click("#credit-submit")
    answer = agent.locator("#concession-answer")
    expect(answer).to_have_attribute("data-state", "granted")
    expect(agent.locator("#promises li.granted")).to_have_count(1)

    agent.fill("#credit-amount", "900.00")
    agent.fill("#credit-reason", "Three months of dropped calls")
    agent.click("#credit-submit")
    expect(answer).to_have_attribute("data-state", "pending")
    expect(answer).to_contain_text("supervisor")
    expect(agent.locator("#promises li.pending")).to_have_count(1)

    supervisor = sign_in(chromium, server, "supervisor")
    waiting = supervisor.locator("#approvals li.pending", has_text="900.00")
    expect(waiting).to_have_count(1)
    waiting.locator("button", has_text="Approve").click()
    expect(supervisor.locator("#approvals li.pending")).to_have_count(0)


def _team_customers(database: Path, team_id: str) -> list[str]:
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT id FROM customers WHERE home_team_id = ?", (team_id,))
        return [row[0] for row in rows]


def test_a_supervisor_sees_a_surge_alert_while_a_storm_floods_a_team(
    chromium: Browser, server: str, server_database: Path
) -> None:
    wall = sign_in(chromium, server, "supervisor")
    expect(wall).to_have_url(f"{server}/supervisor")
    expect(wall.locator("#surge-alert")).to_have_count(0)
    headers = {**token(server, "agent"), "X-Requested-With": "teamline"}
    storm = _team_customers(server_database, "team-east-1")
    assert len(storm) >= 5
    with httpx.Client(base_url=server, headers=headers, timeout=20) as api:
        for customer_id in storm:  # everyone in the region calls at once
            body = {"customer_id": customer_id, "channel": "voice", "first_words": "no signal"}
            assert api.post("/api/v1/contacts", json=body).status_code == 201
    alert = wall.locator("#surge-alert")
    expect(alert).to_contain_text("Hudson team (East)", timeout=20_000)  # the wall updated live
    row = wall.locator("tr.surging[data-team=team-east-1]")
    expect(row).to_have_count(1)
    assert int(row.locator("td.queue").inner_text()) >= 1


def test_a_supervisors_wall_lists_a_new_sla_breach_without_a_reload(
    chromium: Browser, server: str, server_database: Path
) -> None:
    """A chargeback assigned to the demo supervisor with the issuer's deadline seconds away:
    once swept, its alert reaches the supervisor's socket and the wall's SLA list re-reads."""
    wall = sign_in(chromium, server, "supervisor")
    expect(wall.locator("body[data-live=on]")).to_have_count(1)
    case_id = open_case(server, "Card payment taken twice")
    expect(wall.locator("#sla-breaches li", has_text=case_id)).to_have_count(0)
    miss_issuer_deadline(server, server_database, case_id, "supervisor")
    listed = wall.locator("#sla-breaches li.late", has_text=case_id)
    expect(listed).to_contain_text("issuer_deadline", timeout=10_000)  # well before 30 s
