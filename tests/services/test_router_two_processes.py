"""Two `teamline serve` processes on one PostgreSQL database: the first holds the shard lock and
routes; the second serves the API without routing, and every routing call it receives travels
to the first as a routing request (LISTEN/NOTIFY). Kill the first: the second takes the lock,
rebuilds from the database and routes on; nothing acknowledged is lost (issue 3, item 8)."""

from __future__ import annotations

import signal
import time

import httpx
import pytest
from sqlalchemy import text

from teamline.services.demo import DemoResult
from teamline.store.db import make_engine

from support.pg_cluster import PrivateCluster
from support.servers import free_port, serve, token

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
API = "/api/v1"
MARIA = "cus-00001"


def until(check: object, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(check) and check():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def test_a_worker_routes_through_the_lock_holder_and_takes_over_when_it_dies(
    pg_cluster: PrivateCluster, pg_demo_template: tuple[str, DemoResult]
) -> None:
    url = pg_cluster.create_database("two_processes", template=pg_demo_template[0])
    first_port, second_port = free_port(), free_port()
    first = serve(url, first_port)
    second = serve(url, second_port)  # the lock is taken: this one only serves the API
    worker = f"http://127.0.0.1:{second_port}"
    try:
        agent, customer = token(worker, "agent"), token(worker, "customer")
        on = httpx.post(f"{worker}{API}/agents/me/activity", json={"activity": "available"},
                        headers=agent, timeout=10)  # fmt: skip
        assert on.status_code == 204, on.text
        started = time.monotonic()
        opened = httpx.post(f"{worker}{API}/contacts", json={"customer_id": MARIA,
                            "channel": "voice"}, headers=customer, timeout=10)  # fmt: skip
        took = time.monotonic() - started
        assert opened.status_code == 201, opened.text
        contact = opened.json()
        assert contact["state"] == "offered", contact  # decided by the first process
        assert took < 2.0, f"a notified router answers at once, took {took:.2f} s"
        accepted = httpx.post(f"{worker}{API}/offers/{contact['id']}/accept", headers=agent)
        assert [d["kind"] for d in accepted.json()] == ["assigned"], accepted.text

        store = make_engine(url)
        with store.connect() as conn:  # the worker's calls went through the first process
            served = conn.execute(text("SELECT call, state FROM routing_requests")).all()
        store.dispose()
        assert {("set_activity", "done"), ("submit", "done"), ("accept", "done")} <= set(served)

        first.send_signal(signal.SIGKILL)  # the router dies; its advisory lock dies with it
        first.wait(timeout=10)
        done = httpx.post(f"{worker}{API}/contacts/{contact['id']}/complete", headers=agent,
                          timeout=10)  # fmt: skip
        assert done.status_code == 200, done.text  # the second took over and still knew it
        assert "completed" in [d["kind"] for d in done.json()]
        again = httpx.post(f"{worker}{API}/contacts", json={"customer_id": MARIA,
                           "channel": "chat"}, headers=customer, timeout=10)  # fmt: skip
        assert again.status_code == 201, again.text

        def routed() -> bool:
            seen = httpx.get(f"{worker}{API}/contacts/{again.json()['id']}", headers=customer)
            return bool(seen.json()["state"] in ("offered", "queued"))

        until(routed)
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
