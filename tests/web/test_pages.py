"""Signing in through the page: the cookie it sets, what it shows, and the CSRF guard on writes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from teamline.app import create_app
from teamline.config import Settings
from teamline.services.demo import DEMO_PASSWORD, DemoResult

from conftest import NOW
from support.openapi_check import CheckedClient


@pytest.fixture
def browser(
    sqlite_demo_template: tuple[Path, DemoResult], tmp_path: Path
) -> Iterator[CheckedClient]:
    shutil.copyfile(sqlite_demo_template[0], tmp_path / "teamline.db")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'teamline.db'}", router_tick_seconds=0)
    with CheckedClient(create_app(settings, clock=lambda: NOW), follow_redirects=False) as c:
        yield c


def sign_in(browser: CheckedClient, email: str, password: str = DEMO_PASSWORD) -> int:
    return browser.post("/login", data={"email": email, "password": password}).status_code


def test_the_start_page_sends_strangers_to_sign_in(browser: CheckedClient) -> None:
    answer = browser.get("/")
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    assert "Sign in" in browser.get("/login").text


def test_a_wrong_password_says_so_without_saying_which_part(browser: CheckedClient) -> None:
    assert sign_in(browser, "customer@demo.teamline.dev", "wrong password") == 401
    assert sign_in(browser, "nobody@demo.teamline.dev", "wrong password") == 401
    assert "teamline_session" not in browser.cookies


def test_a_signed_in_customer_sees_their_team_and_hours(browser: CheckedClient) -> None:
    assert sign_in(browser, "customer@demo.teamline.dev") == 303
    cookie = browser.cookies["teamline_session"]
    assert cookie
    page = browser.get("/")
    assert page.status_code == 200
    assert "Maria Rossi" in page.text and "Your team:" in page.text and "Mon" in page.text


def test_the_cookie_is_http_only_and_same_site(browser: CheckedClient) -> None:
    answer = browser.post(
        "/login", data={"email": "agent@demo.teamline.dev", "password": DEMO_PASSWORD}
    )
    header = answer.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=lax" in header


def test_a_cookie_alone_never_authorises_a_write(browser: CheckedClient) -> None:
    sign_in(browser, "supervisor@demo.teamline.dev")
    body = {"region_id": "reg-west"}
    forged = browser.post("/api/v1/customers/cus-00001/move", json=body)
    assert forged.status_code == 403
    honest = browser.post(
        "/api/v1/customers/cus-00001/move", json=body, headers={"X-Requested-With": "teamline"}
    )
    assert honest.status_code == 200
    assert browser.get("/api/v1/me").json()["role"] == "supervisor"


def test_signing_out_ends_the_session_on_the_server(browser: CheckedClient) -> None:
    sign_in(browser, "agent@demo.teamline.dev")
    token = browser.cookies["teamline_session"]
    assert browser.post("/logout").status_code == 303
    browser.cookies.set("teamline_session", token)
    assert browser.get("/api/v1/me").status_code == 401
