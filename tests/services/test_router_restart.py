"""Kill the server (and its router) with SIGKILL in the middle of a stream of contacts, start it
again, and every contact that was acknowledged is there and routed (issue 3, item 8)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from teamline.services.demo import DEMO_PASSWORD, DemoResult
from teamline.store.db import make_engine

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(db: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TEAMLINE_DATABASE_URL": f"sqlite:///{db}",
        "TEAMLINE_ROUTER_TICK_SECONDS": "0.2",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "teamline", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(process.stderr.read().decode() if process.stderr else "no output")


def token(base: str, role: str) -> dict[str, str]:
    answer = httpx.post(
        f"{base}/api/v1/auth/token",
        data={"username": f"{role}@demo.teamline.dev", "password": DEMO_PASSWORD},
    )
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


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
    server = serve(db, port)
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

    server = serve(db, port)
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
