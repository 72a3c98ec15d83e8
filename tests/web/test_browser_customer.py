"""Issue 8 acceptance in chromium, the customer app on a phone-sized screen: booking a call in
a free slot of the team's hours, and the language switch (Russian, Serbian in both scripts)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from support.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]
PHONE = {"viewport": {"width": 390, "height": 844}}


def test_a_customer_books_a_call_in_a_free_slot_with_its_expected_wait(
    chromium: Browser, server: str
) -> None:
    page = sign_in(chromium, server, "customer", **PHONE)
    page.context.add_cookies([{"name": "teamline_lang", "value": "en", "url": server}])
    page.reload()
    expect(page.locator("#my-team h1")).to_contain_text("My team: Hudson team (East)")
    expect(page.locator("#open-now")).to_have_text("Open now")  # postpaid: 24/7
    slots = page.locator("#slots li")
    assert slots.count() > 0
    expect(page.locator("#slots li.best")).to_have_count(1)
    chosen = slots.nth(1).locator("button.slot")
    when = chosen.inner_text()
    chosen.click()
    expect(page.locator("#booked")).to_contain_text(f"Your call is booked for {when}")
    page.click("#callback")  # and a call back as soon as there is a free seat
    expect(page.locator("#booked")).to_contain_text("Your call is booked for")


def test_the_language_switch_turns_the_customer_app_russian_then_serbian(
    chromium: Browser, server: str
) -> None:
    page = sign_in(chromium, server, "customer", **PHONE)
    expect(page.locator("#team-title")).to_contain_text("Il mio team")  # Maria's own language
    page.select_option("#lang-select", "ru")
    page.click("#lang-apply")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("#team-title")).to_contain_text("Моя команда")
    expect(page.locator("#send")).to_have_text("Отправить")
    expect(page.locator("#calls-title")).to_have_text("Поговорите с нами")
    page.select_option("#lang-select", "sr")
    page.click("#lang-apply")
    expect(page.locator("html")).to_have_attribute("lang", "sr")
    expect(page.locator("#team-title")).to_contain_text("Мој тим")
    expect(page.locator("#send")).to_have_text("Пошаљи")
    page.select_option("#lang-select", "sr-Latn")
    page.click("#lang-apply")
    expect(page.locator("#team-title")).to_contain_text("Moj tim")
    expect(page.locator("#send")).to_have_text("Pošalji")
    page.reload()  # the choice stays
    expect(page.locator("#team-title")).to_contain_text("Moj tim")
