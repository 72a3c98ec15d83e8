"""Browser fixtures: a real `teamline serve` process over a fresh copy of the small demo
database, and Debian's chromium driven by Playwright (never a downloaded browser).

Each test module gets its own server and database (a copy of the session's demo template), so
one module's messages, bookings or storms never reach another's; a module's tests are written
not to depend on each other's order. The browser starts once per session.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from teamline.services.demo import DemoResult

from support.servers import free_port, serve

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def server_database(
    sqlite_demo_template: tuple[Path, DemoResult], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    path = tmp_path_factory.mktemp("browser") / "teamline.db"
    shutil.copyfile(sqlite_demo_template[0], path)
    return path


@pytest.fixture(scope="module")
def server(server_database: Path) -> Iterator[str]:
    """The base URL of the module's server, on its own copy of the demo database."""
    port = free_port()
    process = serve(f"sqlite:///{server_database}", port, tick_seconds=0.2)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: `make system-deps` installs it with apt-get")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield browser
        browser.close()
