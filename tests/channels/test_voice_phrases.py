"""The phone line speaks six languages, each with every phrase, numbers agreeing with nouns,
and hears "yes" to the callback offer in each (DOMAIN.md section 9)."""

from __future__ import annotations

import pytest

from teamline.channels.voice_phrases import (
    PHRASES,
    SPEECH_LANGUAGE,
    accepts_callback,
    minutes,
    say,
)
from teamline.domain.human_request import SUPPORTED_LANGUAGES

VALUES = {"name": "Maria", "team": "Hudson", "minutes": "5", "position": 2, "phone": "+1"}


def test_every_language_has_every_phrase_and_a_speech_tag() -> None:
    assert set(PHRASES) == set(SUPPORTED_LANGUAGES) == set(SPEECH_LANGUAGE)
    for language, phrases in PHRASES.items():
        assert set(phrases) == set(PHRASES["en"]), language
        for key in phrases:
            assert say(language, key, **VALUES).strip(), (language, key)


@pytest.mark.parametrize(
    ("language", "seconds", "spoken"),
    [
        ("en", 20, "1 minute"), ("en", 300, "5 minutes"), ("ru", 60, "1 минута"),
        ("ru", 180, "3 минуты"), ("ru", 600, "10 минут"), ("sr", 120, "2 minuta"),
        ("it", 90, "2 minuti"), ("sv", 60, "1 minut"), ("es", 240, "4 minutos"),
    ],
)  # fmt: skip
def test_a_wait_is_said_in_whole_minutes_in_the_right_form(
    language: str, seconds: float, spoken: str
) -> None:
    assert minutes(language, seconds) == spoken


@pytest.mark.parametrize(
    ("digits", "speech", "taken"),
    [
        ("1", "", True), ("2", "", False), ("", "yes please", True), ("", "Sì, grazie", True),
        ("", "Sí, llámeme", True), ("", "Ja tack", True), ("", "Да, перезвоните", True),
        ("", "Može", True), ("", "да", True), ("", "No, I'll wait", False),
        ("", "Нет, не надо", False), ("", "I want to talk to an agent", False), ("", "", False),
    ],
)  # fmt: skip
def test_the_callback_offer_is_taken_by_pressing_1_or_saying_yes(
    digits: str, speech: str, taken: bool
) -> None:
    assert accepts_callback(digits, speech) is taken
