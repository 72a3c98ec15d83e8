"""Page helpers for tests without a browser: the CSRF token of a page and signing in."""

from __future__ import annotations

from teamline.services.demo import DEMO_PASSWORD

from support.openapi_check import CheckedClient


def csrf_of(browser: CheckedClient) -> str:
    """The token the forms of the next page carry (signed in: bound to the session)."""
    page = browser.get("/login")
    marker = 'name="csrf_token" value="'
    start = page.text.index(marker) + len(marker)
    return page.text[start : page.text.index('"', start)]


def sign_in(browser: CheckedClient, email: str, password: str = DEMO_PASSWORD) -> int:
    data = {"email": email, "password": password, "csrf_token": csrf_of(browser)}
    return browser.post("/login", data=data).status_code
