"""`make screenshots`: a PNG of every page, taken in Debian's chromium, into docs/screenshots/.

A fresh SQLite database gets the demo company through the CLI (`teamline db upgrade`,
`teamline demo` with 300 customers instead of 5,000: the pages look the same and it loads in
seconds), `teamline serve` serves it on a free port,
and Playwright drives `/usr/bin/chromium` (never a downloaded browser) through the pages of each
role: the customer app on a phone-sized screen (also in Russian and Serbian), the agent desktop
with a live offer and the conversation page, the supervisor wall during a storm, staffing, the
what-if simulation and quality. Needs the dev dependencies (Playwright): `make install-dev`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, sync_playwright

from teamline.services.demo import DEMO_PASSWORD

CHROMIUM = "/usr/bin/chromium"
DEMO_CUSTOMERS = 300
STORM_CUSTOMERS = 90  # a third of the customers call at once
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 1000}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _environment(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "TEAMLINE_DATABASE_URL": url,
        "TEAMLINE_ROUTER_TICK_SECONDS": "0.2",
        "TEAMLINE_DEMO_CUSTOMERS": str(DEMO_CUSTOMERS),
    }


def _serve(url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run(
            [sys.executable, "-m", "teamline", *command],
            env=_environment(url),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    env = _environment(url)
    process = subprocess.Popen(
        [sys.executable, "-m", "teamline", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),  # a file, not a pipe: a pipe nobody reads fills and blocks it
    )
    deadline = time.monotonic() + 300  # a busy machine takes its time to import everything
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.3)
        if process.poll() is not None:
            break
    process.kill()
    problem = log.read_text(errors="replace")[-2000:]
    raise SystemExit(f"the server did not start:\n{problem}")


def _sign_in(browser: Browser, base: str, role: str, viewport: dict[str, int]) -> Page:
    context = browser.new_context(base_url=base, viewport=viewport)  # type: ignore[arg-type]
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto("/login")
    page.fill("input[name=email]", f"{role}@demo.teamline.dev")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()
    return page


def _shot(page: Page, folder: Path, name: str) -> None:
    page.wait_for_load_state("networkidle")
    page.screenshot(path=folder / f"{name}.png", full_page=True)
    print(f"{folder / name}.png")


def _storm(base: str, customers: list[str]) -> None:
    """Open a voice call for each customer, as agents logging them would."""
    answer = httpx.post(
        f"{base}/api/v1/auth/token",
        data={"username": "agent@demo.teamline.dev", "password": DEMO_PASSWORD},
    )
    headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as api:
        for customer_id in customers:
            api.post("/api/v1/contacts", json={"customer_id": customer_id, "channel": "voice"})


def take(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="teamline-shots-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'teamline.db'}"
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = _serve(url, port, Path(tmp) / "server.log")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
                )
                _pages(browser, base, folder)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)


def _pages(browser: Browser, base: str, folder: Path) -> None:
    login = browser.new_context(base_url=base, viewport=PHONE).new_page()  # type: ignore[arg-type]
    login.goto("/login")
    _shot(login, folder, "login")

    agent = _sign_in(browser, base, "agent", DESKTOP)
    agent.click("#go-available")
    customer = _sign_in(browser, base, "customer", PHONE)
    customer.context.add_cookies([{"name": "teamline_lang", "value": "en", "url": base}])
    customer.reload()
    customer.fill("#message-body", "Hi! My internet drops every evening since Monday.")
    customer.click("#send")
    customer.locator("#thread li.customer").last.wait_for()
    _shot(customer, folder, "customer-app")
    agent.locator("#offers li.offer").first.wait_for()
    _shot(agent, folder, "agent-desktop-offer")
    agent.locator("#offers li.offer button.accept").first.click()
    agent.wait_for_url("**/agent/customers/**")
    agent.fill("#message-body", "Sorry about that! I see a line fault in your street.")
    agent.click("#send")
    agent.locator("#thread li.agent").last.wait_for()
    _shot(agent, folder, "agent-conversation")
    for lang, name in (("ru", "customer-app-ru"), ("sr", "customer-app-sr")):
        customer.select_option("#lang-select", lang)
        customer.click("#lang-apply")
        customer.wait_for_load_state()
        _shot(customer, folder, name)

    supervisor = _sign_in(browser, base, "supervisor", DESKTOP)
    _storm(base, [f"cus-{n:05d}" for n in range(1, STORM_CUSTOMERS + 1)])
    supervisor.reload()
    _shot(supervisor, folder, "supervisor-wall")
    supervisor.goto("/supervisor/staffing")
    _shot(supervisor, folder, "supervisor-staffing")
    supervisor.goto("/supervisor/what-if")
    supervisor.fill("input[name=hours]", "4")  # the storm runs from hour 2 to 4
    supervisor.click("#what-if button[type=submit]", timeout=300_000)  # the twin runs first
    supervisor.locator("#what-if-plot").wait_for(timeout=120_000)
    _shot(supervisor, folder, "supervisor-what-if")
    supervisor.goto("/supervisor/quality")
    _shot(supervisor, folder, "supervisor-quality")


def main() -> None:
    take(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))


if __name__ == "__main__":
    main()
