"""Issue 8, item 4: CSRF on every state-changing page request, the security headers, escaping
of what customers write, and sessions that end on sign-out and when the account is disabled."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import update

from teamline.app import create_app
from teamline.config import Settings
from teamline.services.demo import DemoResult
from teamline.store.db import make_engine
from teamline.store.tables import UserRow
from teamline.web import agent, agent_customer, customer, pages, supervisor

from conftest import NOW
from support.openapi_check import CheckedClient
from support.pages import csrf_of, sign_in

PAGE_ROUTERS = (pages, customer, agent, agent_customer, supervisor)
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def browser(
    sqlite_demo_template: tuple[Path, DemoResult], tmp_path: Path
) -> Iterator[CheckedClient]:
    shutil.copyfile(sqlite_demo_template[0], tmp_path / "teamline.db")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'teamline.db'}", router_tick_seconds=0)
    with CheckedClient(create_app(settings, clock=lambda: NOW), follow_redirects=False) as c:
        yield c


def _page_posts() -> list[str]:
    paths = []
    for module in PAGE_ROUTERS:
        for route in module.router.routes:
            if isinstance(route, APIRoute) and "POST" in route.methods:
                paths.append(route.path.replace("{", "").replace("}", ""))
    return paths


def test_every_page_post_is_refused_without_the_right_token(browser: CheckedClient) -> None:
    posts = _page_posts()
    assert len(posts) >= 14  # a new form cannot slip in unnoticed: it is a page router's POST
    sign_in(browser, "supervisor@demo.teamline.dev")
    for path in posts:
        assert browser.post(path, data={}).status_code == 403, path
        assert browser.post(path, data={"csrf_token": "forged"}).status_code == 403, path
    assert browser.post("/logout", headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert browser.get("/supervisor").status_code == 200  # still signed in


def test_the_login_form_needs_its_double_submit_token(browser: CheckedClient) -> None:
    data = {"email": "agent@demo.teamline.dev", "password": "teamline-demo"}
    assert browser.post("/login", data=data).status_code == 403
    assert browser.post("/login", data={**data, "csrf_token": "x" * 43}).status_code == 403
    assert browser.post("/login", data={**data, "csrf_token": csrf_of(browser)}).status_code == 303


def test_pages_carry_the_security_headers(browser: CheckedClient) -> None:
    answer = browser.get("/login")
    csp = answer.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert answer.headers["strict-transport-security"].startswith("max-age=")
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert browser.get("/api/v1/me").headers["x-content-type-options"] == "nosniff"  # API too


def test_what_a_customer_writes_is_shown_as_text_to_the_agent(browser: CheckedClient) -> None:
    sign_in(browser, "customer@demo.teamline.dev")
    token = csrf_of(browser)
    assert browser.post("/me/messages", data={"body": XSS, "csrf_token": token}).status_code == 303
    browser.cookies.clear()
    sign_in(browser, "agent@demo.teamline.dev")
    page = browser.get("/agent/customers/cus-00001").text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "<script>alert" not in page and "<img src=x" not in page


def test_signing_out_ends_the_session_on_the_server(browser: CheckedClient) -> None:
    sign_in(browser, "agent@demo.teamline.dev")
    token = browser.cookies["teamline_session"]
    assert browser.post("/logout", data={"csrf_token": csrf_of(browser)}).status_code == 303
    browser.cookies.set("teamline_session", token)
    assert browser.get("/agent").status_code == 303  # back to /login
    assert browser.get("/api/v1/me").status_code == 401


def test_disabling_an_account_ends_its_open_sessions(browser: CheckedClient) -> None:
    sign_in(browser, "agent@demo.teamline.dev")
    assert browser.get("/agent").status_code == 200
    engine = make_engine(browser.app.state.settings.database_url)  # type: ignore[attr-defined]
    with engine.begin() as db:
        db.execute(update(UserRow).where(UserRow.email == "agent@demo.teamline.dev")
                   .values(active=False))  # fmt: skip
    engine.dispose()
    answer = browser.get("/agent")
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
