"""Calendar-month arithmetic for contracts and tenure: one way of counting, used everywhere.

A month is counted from the signing day: a contract signed on the 15th completes a month on the
15th of each following month. A day that does not exist in a shorter month is its last day: a
contract signed on 31 January completes its first month on 28 February (29 in a leap year) and
its second on 31 March. Each anniversary is computed from the signing date itself, never from
the previous anniversary, so a short month never shifts the later ones.
"""

from __future__ import annotations

import calendar
from datetime import date

from teamline.domain.errors import InvalidInput


def add_months(start: date, months: int) -> date:
    """`start` moved by whole calendar months, clamped to the last day of a shorter month."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise InvalidInput("months", f"{months} months from {start} is outside the calendar")
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last))


def full_months_between(start: date, on: date) -> int:
    """How many full months have passed from `start` to `on`: the largest n with
    `add_months(start, n) <= on` (0 before the first monthly anniversary; never negative)."""
    if on < start:
        return 0
    months = (on.year - start.year) * 12 + (on.month - start.month)
    while months > 0 and add_months(start, months) > on:
        months -= 1
    return months
