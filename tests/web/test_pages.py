"""Signing in through the page: the cookie it sets, where each role starts, what a customer's
page shows, and the pages a role may not open."""

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
from support.pages import csrf_of, sign_in


@pytest.fixture
def browser(
    sqlite_demo_template: tuple[Path, DemoResult], tmp_path: Path
) -> Iterator[CheckedClient]:
    shutil.copyfile(sqlite_demo_template[0], tmp_path / "teamline.db")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'teamline.db'}", router_tick_seconds=0)
    with CheckedClient(create_app(settings, clock=lambda: NOW), follow_redirects=False) as c:
        yield c


def test_the_start_page_sends_strangers_to_sign_in(browser: CheckedClient) -> None:
    for path in ("/", "/me", "/agent", "/supervisor", "/agent/customers/cus-00001"):
        answer = browser.get(path)
        assert answer.status_code == 303 and answer.headers["location"] == "/login", path
    assert "Sign in" in browser.get("/login").text


def test_a_wrong_password_says_so_without_saying_which_part(browser: CheckedClient) -> None:
    assert sign_in(browser, "customer@demo.teamline.dev", "wrong password") == 401
    assert sign_in(browser, "nobody@demo.teamline.dev", "wrong password") == 401
    assert "teamline_session" not in browser.cookies


@pytest.mark.parametrize(
    ("role", "start"),
    [("customer", "/me"), ("agent", "/agent"), ("supervisor", "/supervisor")],
)
def test_each_role_starts_on_its_own_page(browser: CheckedClient, role: str, start: str) -> None:
    assert sign_in(browser, f"{role}@demo.teamline.dev") == 303
    assert browser.get("/").headers["location"] == start
    assert browser.get(start).status_code == 200


def test_a_signed_in_customer_sees_their_team_members_and_hours(browser: CheckedClient) -> None:
    assert sign_in(browser, "customer@demo.teamline.dev") == 303
    browser.cookies.set("teamline_lang", "en")
    page = browser.get("/me").text
    assert "My team: Hudson team (East)" in page
    assert page.count('class="avatar"') >= 30  # a team of 30-40, each with an avatar
    assert "America/New_York" in page and "Open now" in page


def test_roles_see_only_their_own_pages(browser: CheckedClient) -> None:
    sign_in(browser, "customer@demo.teamline.dev")
    assert browser.get("/agent").status_code == 403
    assert browser.get("/supervisor").status_code == 403
    browser.cookies.clear()
    sign_in(browser, "agent@demo.teamline.dev")
    assert browser.get("/me").status_code == 403
    assert browser.get("/supervisor").status_code == 403
    assert browser.get("/agent/customers/cus-00001").status_code == 200


def test_the_cookie_is_http_only_and_same_site(browser: CheckedClient) -> None:
    data = {"email": "agent@demo.teamline.dev", "password": DEMO_PASSWORD}
    answer = browser.post("/login", data={**data, "csrf_token": csrf_of(browser)})
    header = answer.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=lax" in header


def test_a_cookie_alone_never_authorises_an_api_write(browser: CheckedClient) -> None:
    sign_in(browser, "supervisor@demo.teamline.dev")
    body = {"region_id": "reg-west"}
    forged = browser.post("/api/v1/customers/cus-00001/move", json=body)
    assert forged.status_code == 403
    honest = browser.post(
        "/api/v1/customers/cus-00001/move", json=body, headers={"X-Requested-With": "teamline"}
    )
    assert honest.status_code == 200
    assert browser.get("/api/v1/me").json()["role"] == "supervisor"
