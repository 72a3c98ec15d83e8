"""The ways to pay at any hour (DOMAIN.md 5): when an advance account is blocked for lack of
funds, the agent explains the alternative ways to pay that are open right now.

Each way is data: a key, a name, when the money reaches the account, and its hours in the
customer's local time (none: at any hour). In the accounts, a blocked prepaid customer at night
was told "come back tomorrow"; five of the seven default ways are open at any hour, and an
answer lists the open ones first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
Span = tuple[time, time]  # opens, closes
Hours = tuple[Span | None, ...]  # Monday first; None: closed that day


@dataclass(frozen=True, slots=True)
class WayToPay:
    """One way to pay with its hours: `hours[weekday]` is (opens, closes) in the customer's
    local time, None that day; `hours` None means at any hour, every day."""

    key: str
    name: str
    credited: str  # when the money reaches the account, in words
    hours: Hours | None = None

    def open_at(self, local: datetime) -> bool:
        if self.hours is None:
            return True
        span = self.hours[local.weekday()]
        return span is not None and span[0] <= local.time() < span[1]

    def describe_hours(self) -> str:
        if self.hours is None:
            return "at any hour, every day"
        parts = []
        for day, span in zip(WEEKDAYS, self.hours, strict=True):
            text = f"{span[0]:%H:%M}-{span[1]:%H:%M}" if span else "closed"
            parts.append(f"{day} {text}")
        return ", ".join(parts)


def _week(weekday: Span, saturday: Span | None, sunday: Span | None) -> Hours:
    return (weekday,) * 5 + (saturday, sunday)


STORE_HOURS = _week((time(9), time(21)), (time(9), time(21)), (time(10), time(18)))
DEFAULT_WAYS: tuple[WayToPay, ...] = (
    WayToPay("app", "the mobile app (card)", "at once"),
    WayToPay("website", "the website (card)", "at once"),
    WayToPay("phone_ivr", "the automated payment line, by phone (card)", "at once"),
    WayToPay("voucher", "a top-up voucher bought at any shop, entered in the app", "at once"),
    WayToPay("bank_transfer", "a bank transfer", "in 1 to 3 business days"),
    WayToPay("store", "cash or card in one of our stores", "at once", STORE_HOURS),
    WayToPay("partner_shop", "cash at a partner shop", "within 1 hour", STORE_HOURS),
)


@dataclass(frozen=True, slots=True)
class WayNow:
    way: WayToPay
    open_now: bool


def ways_now(ways_to_pay: tuple[WayToPay, ...], local: datetime) -> list[WayNow]:
    """Every way to pay, the ones open at `local` (the customer's time) first."""
    ways = [WayNow(w, w.open_at(local)) for w in ways_to_pay]
    return sorted(ways, key=lambda w: not w.open_now)


def ways_sentence(ways: list[WayNow]) -> str:
    open_now = [f"{w.way.name} (credited {w.way.credited})" for w in ways if w.open_now]
    closed = [w.way.name for w in ways if not w.open_now]
    text = "Ways to pay right now: " + "; ".join(open_now) + "."
    if closed:
        text += " Closed at this hour: " + "; ".join(closed) + "."
    return text
