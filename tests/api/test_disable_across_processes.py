"""Disabling a user closes their live sockets on every process (issue 9 item 4): two `teamline
serve` processes share one database; an admin disables an agent through the first, and the
agent's WebSocket on the second is closed within 5 seconds (the hubs learn it from the outbox)."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect
from websockets.typing import Origin

from teamline.services.demo import DemoResult

from support.servers import free_port, serve, token

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


@pytest.fixture
def two_servers(
    sqlite_demo_template: tuple[Path, DemoResult], tmp_path: Path
) -> Iterator[tuple[str, str]]:
    template, _ = sqlite_demo_template
    shutil.copyfile(template, tmp_path / "teamline.db")
    url = f"sqlite:///{tmp_path / 'teamline.db'}"
    processes: list[subprocess.Popen[bytes]] = []
    try:
        hosts = []
        for tick in (0.2, 0):  # the second never routes: a plain API worker
            port = free_port()
            processes.append(serve(url, port, tick_seconds=tick))
            hosts.append(f"127.0.0.1:{port}")
        yield hosts[0], hosts[1]
    finally:
        for process in processes:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def test_disabling_on_one_process_closes_the_socket_on_another(
    two_servers: tuple[str, str],
) -> None:
    first, second = two_servers
    agent = token(f"http://{second}", "agent")
    admin = token(f"http://{first}", "admin")
    me = httpx.get(f"http://{second}/api/v1/me", headers=agent).json()
    origin = Origin(f"http://{second}")
    with connect(f"ws://{second}/api/v1/live", origin=origin, proxy=None) as ws:
        ws.send(json.dumps({"type": "auth", "token": agent["Authorization"].split()[1]}))
        assert json.loads(ws.recv(timeout=20))["type"] == "hello"
        started = time.monotonic()
        answer = httpx.patch(
            f"http://{first}/api/v1/users/{me['id']}", json={"active": False}, headers=admin
        )
        assert answer.status_code == 200, answer.text
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                ws.recv(timeout=5)
        elapsed = time.monotonic() - started
    assert elapsed < 5, elapsed
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008
    assert "disabled" in closed.value.rcvd.reason
    assert httpx.get(f"http://{second}/api/v1/me", headers=agent).status_code == 401
