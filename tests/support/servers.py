"""Real `teamline serve` processes for tests that kill, restart or pair servers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence

import httpx

from teamline.services.demo import DEMO_PASSWORD


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(
    url: str,
    port: int,
    tick_seconds: float = 0.2,
    env: Mapping[str, str] | None = None,
    entry: Sequence[str] = ("-m", "teamline"),
    extra: Sequence[str] = (),
) -> subprocess.Popen[bytes]:
    """Start a server on `url` and return once it answers /readyz. `entry` is what Python runs
    instead of `-m teamline`; `env` adds settings."""
    environment = {
        **os.environ,
        "TEAMLINE_DATABASE_URL": url,
        "TEAMLINE_ROUTER_TICK_SECONDS": str(tick_seconds),
        **(env or {}),
    }
    # The log goes to a file, never to a pipe: a pipe nobody reads fills up with the log of a
    # long test (a database down for a while, say) and then blocks the server mid-request.
    log = tempfile.TemporaryFile()  # noqa: SIM115 (the server writes it until it dies)
    process = subprocess.Popen(
        [sys.executable, *entry, "serve", "--port", str(port), *extra],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    deadline = time.monotonic() + 60  # a loaded machine imports the app slowly
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=3).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    process.wait(timeout=10)
    log.seek(0)
    raise RuntimeError(log.read().decode(errors="replace")[-5000:] or "no output")


def token(base: str, role: str) -> dict[str, str]:
    """A bearer header for a demo login (agent, supervisor, customer, admin)."""
    answer = httpx.post(
        f"{base}/api/v1/auth/token",
        data={"username": f"{role}@demo.teamline.dev", "password": DEMO_PASSWORD},
    )
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}
