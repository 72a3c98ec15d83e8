"""Real `teamline serve` processes for tests that kill, restart or pair servers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx

from teamline.services.demo import DEMO_PASSWORD


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(url: str, port: int, tick_seconds: float = 0.2) -> subprocess.Popen[bytes]:
    """Start a server on `url` and return once it answers /readyz."""
    env = {
        **os.environ,
        "TEAMLINE_DATABASE_URL": url,
        "TEAMLINE_ROUTER_TICK_SECONDS": str(tick_seconds),
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
    """A bearer header for a demo login (agent, supervisor, customer, admin)."""
    answer = httpx.post(
        f"{base}/api/v1/auth/token",
        data={"username": f"{role}@demo.teamline.dev", "password": DEMO_PASSWORD},
    )
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}
