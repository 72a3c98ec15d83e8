"""Kill the server (and its router) with SIGKILL in the middle of a stream of contacts, start it
again, and every contact that was acknowledged is there and routed (issue 3, item 8)."""

from __future__ import annotations

import shutil
import signal
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from teamline.services.demo import DemoResult
from teamline.store.db import make_engine

from support.servers import free_port, serve, token

pytestmark = pytest.mark.slow


def test_every_acknowledged_contact_survives_a_killed_router(
    sqlite_demo_template: tuple[Path, DemoResult], tmp_path: Path
) -> None:
    db = tmp_path / "teamline.db"
    shutil.copyfile(sqlite_demo_template[0], db)
    engine = make_engine(f"sqlite:///{db}")
    with engine.begin() as conn:  # the whole company is on shift
        conn.execute(
            text("INSERT INTO agent_presence (agent_id, activity, since) "
                 "SELECT id, 'available', :at FROM agents"),
            {"at": datetime.now(UTC).replace(tzinfo=None)},
        )  # fmt: skip
        customers = conn.execute(text("SELECT id FROM customers ORDER BY id LIMIT 40")).scalars()
        customer_ids = list(customers)
    engine.dispose()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(f"sqlite:///{db}", port)
    acknowledged: list[str] = []
    try:
        staff = token(base, "admin")
        for n, customer_id in enumerate(customer_ids):
            if n == 25:
                server.send_signal(signal.SIGKILL)  # mid-stream, no goodbye
                server.wait(timeout=10)
            try:
                answer = httpx.post(
                    f"{base}/api/v1/contacts",
                    json={"customer_id": customer_id, "channel": "voice"},
                    headers=staff,
                    timeout=5,
                )
            except httpx.TransportError:
                continue  # never acknowledged: the client knows to try again
            assert answer.status_code == 201, answer.text
            acknowledged.append(answer.json()["id"])
    finally:
        if server.poll() is None:
            server.kill()
    assert len(acknowledged) == 25

    server = serve(f"sqlite:///{db}", port)
    try:
        staff = token(base, "admin")
        states = {}
        for contact_id in acknowledged:
            answer = httpx.get(f"{base}/api/v1/contacts/{contact_id}", headers=staff)
            assert answer.status_code == 200, answer.text
            states[contact_id] = answer.json()["state"]
        assert set(states.values()) == {"offered"}, states
    finally:
        server.kill()
        server.wait(timeout=10)
