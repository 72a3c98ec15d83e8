"""A case made late on purpose, for the page tests of SLA alerts: opened through the API, then
handed to chargeback with the card issuer's deadline seconds away, assigned to a demo login's
agent, and swept once that deadline has passed."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from support.servers import token

MARIA = "cus-00001"


def open_case(server: str, subject: str) -> str:
    """A case for Maria, opened by the demo agent: its id."""
    opened = httpx.post(
        f"{server}/api/v1/cases",
        json={"subject": subject, "customer_id": MARIA},
        headers=token(server, "agent"),
    )
    assert opened.status_code == 201, opened.text
    return str(opened.json()["id"])


def miss_issuer_deadline(server: str, database: Path, case_id: str, role: str) -> None:
    """Assign the case, as a chargeback due in two seconds, to the agent of the demo login
    `role`; wait past the deadline; run the SLA sweep."""
    with sqlite3.connect(database) as db:
        (agent_id,) = db.execute(
            "SELECT agent_id FROM users WHERE email = ?", (f"{role}@demo.teamline.dev",)
        ).fetchone()
    due = datetime.now(UTC) + timedelta(seconds=2)
    moved = httpx.post(
        f"{server}/api/v1/cases/{case_id}/escalate",
        json={
            "target": "chargeback", "handoff_note": "the customer disputes a card payment",
            "card_issuer": "Big Bank", "issuer_deadline": due.isoformat(),
            "assignee_agent_id": agent_id,
        },
        headers=token(server, "agent"),
    )  # fmt: skip
    assert moved.status_code == 200, moved.text
    time.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()) + 0.5)
    swept = httpx.post(f"{server}/api/v1/sla/sweep", headers=token(server, "supervisor"))
    assert swept.status_code == 200, swept.text
