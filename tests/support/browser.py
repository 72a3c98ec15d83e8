"""Browser helpers for the page tests: signing in through the real login form."""

from __future__ import annotations

from playwright.sync_api import Browser, Page

from teamline.services.demo import DEMO_PASSWORD


def sign_in(browser: Browser, base: str, role: str, **context: object) -> Page:
    """A fresh browser context (its own cookies) signed in as a demo login through the form."""
    page = browser.new_context(base_url=base, **context).new_page()  # type: ignore[arg-type]
    page.set_default_timeout(15_000)
    page.goto("/login")
    page.fill("input[name=email]", f"{role}@demo.teamline.dev")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()
    return page
