"""Payment card numbers never reach storage in clear (issue 9, privacy; DOMAIN.md section 4).

Customers read their card number aloud or type it into a chat to pay or to dispute a charge.
Messages, transcripts and logs keep only the last four digits, masked on intake:
"4111 1111 1111 1111" becomes "**** **** **** 1111".

What counts as a card number: 13 to 19 digits, written together or in groups joined by single
spaces or dashes, that pass the Luhn check (the check digit every issuer uses). Anything else is
left alone: phone numbers, account numbers, order numbers and dates fail the length or the Luhn
check, and agents need to read them.

Masking keeps the layout (separators stay where they were) and is idempotent: a masked number is
never masked again, and its last four digits never merge with neighbouring digits into a "new"
card on a second pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CARD_MIN_DIGITS = 13
CARD_MAX_DIGITS = 19
KEEP_LAST = 4
MASK_CHAR = "*"

_GROUP = re.compile(r"[0-9]+")
_SEPARATORS = frozenset(" -")
# the tail of a number masked earlier: at least 9 mask characters (13 - 4), single separators
_MASKED_BEFORE = re.compile(r"\*(?:[ -]?\*){" + str(CARD_MIN_DIGITS - KEEP_LAST - 1) + r",}[ -]?$")


def luhn_valid(digits: str) -> bool:
    """The Luhn mod-10 check: double every second digit from the right, the sum ends in 0."""
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for position, ch in enumerate(reversed(digits)):
        n = int(ch)
        if position % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


@dataclass(frozen=True, slots=True)
class CardNumber:
    """Where a card number sits in the text (`text[start:end]`) and its last four digits."""

    start: int
    end: int
    last4: str


def _runs(text: str) -> list[list[re.Match[str]]]:
    """Digit groups chained by single separators: '4111 1111-1111 1111' is one run of four."""
    runs: list[list[re.Match[str]]] = []
    for group in _GROUP.finditer(text):
        if runs:
            previous = runs[-1][-1]
            gap = text[previous.end() : group.start()]
            if len(gap) == 1 and gap in _SEPARATORS:
                runs[-1].append(group)
                continue
        runs.append([group])
    return runs


def _is_masked_tail(text: str, group: re.Match[str]) -> bool:
    return bool(_MASKED_BEFORE.search(text[max(0, group.start() - 40) : group.start()]))


def find_card_numbers(text: str) -> list[CardNumber]:
    """Every card number in `text`, left to right, never overlapping.

    Within a run of digit groups, the longest span of whole groups that is a valid card wins
    ("4111 1111 1111 1111 2026" is a card followed by a year).
    """
    found: list[CardNumber] = []
    for run in _runs(text):
        i = 0
        while i < len(run):
            if _is_masked_tail(text, run[i]):
                i += 1
                continue
            end = _longest_card_from(run, i)
            if end is None:
                i += 1
                continue
            digits = "".join(g.group() for g in run[i : end + 1])
            found.append(CardNumber(run[i].start(), run[end].end(), digits[-KEEP_LAST:]))
            i = end + 1
    return found


def _longest_card_from(run: list[re.Match[str]], i: int) -> int | None:
    """Index of the last group of the longest valid card starting at group i, if any."""
    best: int | None = None
    digits = ""
    for j in range(i, len(run)):
        digits += run[j].group()
        if len(digits) > CARD_MAX_DIGITS:
            break
        if len(digits) >= CARD_MIN_DIGITS and luhn_valid(digits):
            best = j
    return best


def mask_card_numbers(text: str) -> str:
    """`text` with every card number's digits but the last four replaced by '*'."""
    cards = find_card_numbers(text)
    if not cards:
        return text
    out: list[str] = []
    cursor = 0
    for card in cards:
        out.append(text[cursor : card.start])
        span = text[card.start : card.end]
        digits_seen = 0
        total_digits = sum(ch.isdigit() for ch in span)
        for ch in span:
            if ch.isdigit():
                digits_seen += 1
                out.append(ch if digits_seen > total_digits - KEEP_LAST else MASK_CHAR)
            else:
                out.append(ch)
        cursor = card.end
    out.append(text[cursor:])
    return "".join(out)


def contains_card_number(text: str) -> bool:
    return bool(find_card_numbers(text))
