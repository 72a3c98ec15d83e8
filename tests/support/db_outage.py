"""A database that goes away under a running server, measured (issue 9): what every request
answers while PostgreSQL is stopped (`pg_ctl stop -m immediate`, a crash), how long each answer
took, and how long after the database's return the server serves again without a restart of its
own. Used by `tests/api/test_database_down.py` (behaviour) and `bench/database_down.py` (times).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from teamline.services.demo import load_demo
from teamline.store.db import make_engine, session_factory
from teamline.store.migrate import upgrade
from teamline.store.uow import UnitOfWork

from support.pg_cluster import PrivateCluster
from support.servers import free_port, serve, token

CUSTOMER = "/api/v1/customers/cus-00001"
GIVE_UP_SECONDS = 60.0  # a server that is not back by then never will be


@dataclass(frozen=True)
class Answer:
    method: str
    path: str
    status: int
    retry_after: str | None
    seconds: float


@dataclass
class Outage:
    before: int  # the status of a request before the database went away
    during: list[Answer] = field(default_factory=list)
    recovery_seconds: float = 0.0  # from the database accepting connections to a 200


def _demo(cluster: PrivateCluster) -> str:
    url = cluster.create_database("down")
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    load_demo(lambda: UnitOfWork(sessions), 7, 10, datetime.now(UTC))
    engine.dispose()
    return url


def _timed(client: httpx.Client, method: str, path: str, **kwargs: object) -> Answer:
    started = time.monotonic()
    answer = client.request(method, path, **kwargs)  # type: ignore[arg-type]
    seconds = time.monotonic() - started
    return Answer(method, path, answer.status_code, answer.headers.get("Retry-After"), seconds)


def measure(base_dir: Path, rounds: int = 5) -> Outage:
    with PrivateCluster.start(base_dir) as cluster:
        port = free_port()
        server = serve(_demo(cluster), port)
        base = f"http://127.0.0.1:{port}"
        try:
            staff = token(base, "admin")
            with httpx.Client(base_url=base, headers=staff, timeout=GIVE_UP_SECONDS) as client:
                outage = Outage(client.get(CUSTOMER).status_code)
                cluster.stop_immediate()
                note = {"customer_id": "cus-00001", "internal": True, "body": "while down"}
                for _ in range(rounds):
                    outage.during.append(_timed(client, "GET", CUSTOMER))
                    outage.during.append(_timed(client, "POST", "/api/v1/messages", json=note))
                    outage.during.append(_timed(client, "GET", "/readyz"))
                cluster.restart()
                back = time.monotonic()
                while client.get(CUSTOMER).status_code != 200:
                    if time.monotonic() - back > GIVE_UP_SECONDS:
                        break
                    time.sleep(0.05)
                outage.recovery_seconds = time.monotonic() - back
        finally:
            server.kill()
            server.wait(timeout=10)
    return outage
