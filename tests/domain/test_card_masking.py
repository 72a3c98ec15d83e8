"""Card numbers are masked on intake, everything else a customer writes is left as it is
(issue 9, privacy)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teamline.domain.card_masking import (
    contains_card_number,
    find_card_numbers,
    luhn_valid,
    mask_card_numbers,
)

# Test numbers published by the card networks: all pass the Luhn check.
VISA = "4111111111111111"
MASTERCARD = "5555555555554444"
AMEX = "378282246310005"
DISCOVER = "6011111111111117"
VISA_19 = "4000000000000000006"


def luhn_complete(body: str) -> str:
    """`body` plus the check digit that makes it pass Luhn."""
    for check in "0123456789":
        if luhn_valid(body + check):
            return body + check
    raise AssertionError("some check digit always completes a Luhn number")


@pytest.mark.parametrize("number", [VISA, MASTERCARD, AMEX, DISCOVER, VISA_19])
def test_the_networks_test_numbers_pass_luhn(number: str) -> None:
    assert luhn_valid(number)


@pytest.mark.parametrize("number", ["4111111111111112", "", "41111111111x1111", "١٢٣"])
def test_a_wrong_check_digit_or_a_non_digit_fails_luhn(number: str) -> None:
    assert not luhn_valid(number)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("my card is 4111 1111 1111 1111 thanks", "my card is **** **** **** 1111 thanks"),
        ("card 4111-1111-1111-1111.", "card ****-****-****-1111."),
        (f"pay with {VISA}", "pay with ************1111"),
        ("amex 3782 822463 10005 please", "amex **** ****** *0005 please"),
        (f"{MASTERCARD}", "************4444"),
        ("4111 1111 1111 1111 2026", "**** **** **** 1111 2026"),
        (
            "two cards: 4111111111111111 and 5555 5555 5555 4444",
            "two cards: ************1111 and **** **** **** 4444",
        ),
        (f"19 digits {VISA_19}", "19 digits ***************0006"),
    ],
)
def test_a_card_number_keeps_only_its_last_four_digits(text: str, masked: str) -> None:
    assert mask_card_numbers(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "call me at +1 555 010 0199",
        "my number is +46 70 123 45 67",
        "account 1234567890123",  # 13 digits, fails Luhn
        "order 4111111111111112 was wrong",  # a card with a wrong check digit
        "it happened on 2026-11-24 at 15:00",
        "reference 12345678901234567890123",  # 23 digits: longer than any card
        "ticket 41111111111",  # Luhn-valid but only 11 digits
        "no digits at all",
        "",
    ],
)
def test_numbers_that_are_not_cards_are_left_alone(text: str) -> None:
    assert mask_card_numbers(text) == text
    assert not contains_card_number(text)


def test_the_match_says_where_the_card_is_and_its_last_four() -> None:
    (card,) = find_card_numbers("pay 4111 1111 1111 1111 now")
    assert (card.start, card.end, card.last4) == (4, 23, "1111")


def test_masking_twice_changes_nothing() -> None:
    once = mask_card_numbers(f"{VISA} 123456789")
    assert mask_card_numbers(once) == once


# Words that never end or start with a digit or separator, so the card stays a run of its own.
_words = st.text(
    alphabet=st.characters(categories=("L", "P", "Zs"), exclude_characters="-*"), max_size=30
).map(lambda s: f"x{s}x")
_card_bodies = st.integers(min_value=12, max_value=18).flatmap(
    lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)
)


def _layout(digits: str, style: str) -> str:
    if style == "together":
        return digits
    sep = " " if style == "spaces" else "-"
    return sep.join(digits[k : k + 4] for k in range(0, len(digits), 4))


@settings(max_examples=300, deadline=None)
@given(_words, _card_bodies, st.sampled_from(["together", "spaces", "dashes"]), _words)
def test_any_luhn_valid_number_embedded_in_text_is_masked(
    before: str, body: str, style: str, after: str
) -> None:
    card = luhn_complete(body)
    written = _layout(card, style)
    masked = mask_card_numbers(f"{before} {written} {after}")
    assert card not in "".join(ch for ch in masked if ch.isdigit())
    assert masked.startswith(f"{before} ") and masked.endswith(f" {after}")
    middle = masked[len(before) + 1 : len(masked) - len(after) - 1]
    assert "".join(ch for ch in middle if ch.isdigit()) == card[-4:]
    assert middle.count("*") == len(card) - 4
    assert re.sub(r"[0-9*]", "#", middle) == re.sub(r"[0-9]", "#", written)  # layout kept


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789 -*abc"), max_size=80))
def test_masking_is_idempotent(text: str) -> None:
    once = mask_card_numbers(text)
    assert mask_card_numbers(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Nd",)), max_size=200))
def test_text_without_digits_is_unchanged(text: str) -> None:
    assert mask_card_numbers(text) == text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="0123456789", min_size=1, max_size=22), max_size=5))
def test_numbers_failing_luhn_are_never_masked(numbers: list[str]) -> None:
    bad = [n for n in numbers if not (13 <= len(n) <= 19 and luhn_valid(n))]
    text = " word ".join(bad)
    assert mask_card_numbers(text) == text


_pieces = st.one_of(
    _card_bodies.map(luhn_complete),
    st.text(alphabet="0123456789", min_size=1, max_size=8),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_pieces, st.sampled_from([" ", "-", "", ", "])), max_size=6))
def test_masking_is_idempotent_when_cards_touch_other_numbers(
    pieces: list[tuple[str, str]],
) -> None:
    text = "".join(piece + sep for piece, sep in pieces)
    once = mask_card_numbers(text)
    assert mask_card_numbers(once) == once
