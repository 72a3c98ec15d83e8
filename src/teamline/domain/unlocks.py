"""Unlock codes (DOMAIN.md 3 and 5; issue 6 item 6): a request is a case with a visible status
and a deadline; the rules that decide it are `domain/unlock_rules.py`.

"A customer travelling abroad (or entitled by law after buying a device) asks for an unlock
code; eligibility depends on the account; the request is a case with a visible status, not a
black box ("the unlock team is working on it")." So:

    requested -> eligible -> code_sent
              -> ineligible -> eligible (asked again after, say, paying a bill)
    requested | eligible | ineligible -> refused (with the reason)

Every request has a deadline (`deadline_business_days` business days, 2 by default, counted in
the customer's region: the end of the second working day after the request). A request still
`requested` or `eligible` after its deadline is *overdue*: computed from `now`, never stored, and
shown to the customer and to supervisors alike. The code itself is issued by staff outside
Teamline: only *that* it was sent, and how, is stored, never the code.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import ClassVar
from zoneinfo import ZoneInfo

from teamline.domain.errors import InvalidInput, InvalidTransition
from teamline.domain.events import Event
from teamline.domain.hours import require_aware
from teamline.domain.unlock_rules import RuleResult, Travel, UnlockDecision

MACHINE = "unlock request"
REASON_MAX = 500


class UnlockState(StrEnum):
    REQUESTED = "requested"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    CODE_SENT = "code_sent"
    REFUSED = "refused"

    @property
    def waiting(self) -> bool:
        """The company owes the next step: the deadline runs."""
        return self in (UnlockState.REQUESTED, UnlockState.ELIGIBLE)

    @property
    def closed(self) -> bool:
        return self in (UnlockState.CODE_SENT, UnlockState.REFUSED)


class Delivery(StrEnum):
    """How the code reached the customer (the code itself is never stored)."""

    SMS = "sms"
    EMAIL = "email"
    APP = "app"
    LETTER = "letter"
    IN_STORE = "in_store"


def check_imei(value: str) -> str:
    """A device's IMEI: 15 digits whose last is the Luhn check digit."""
    value = value.strip().replace(" ", "").replace("-", "")
    if len(value) != 15 or not value.isdigit():
        raise InvalidInput("imei", "an IMEI is 15 digits (dial *#06# on the phone)")
    total = 0
    for position, digit in enumerate(int(d) for d in reversed(value)):
        if position % 2:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    if total % 10:
        raise InvalidInput("imei", "not a valid IMEI: its check digit does not match")
    return value


def masked_imei(imei: str) -> str:
    """The IMEI as shown where others may read: its last four digits."""
    return f"ending {imei[-4:]}"


def add_business_days(
    start: datetime, days: int, zone: ZoneInfo, holidays: Collection[date] = frozenset()
) -> datetime:
    """The end of the `days`-th working day (Monday to Friday, not a holiday) after the day of
    `start` in `zone`: a request on Monday with 2 days is due by the end of Wednesday, on
    Saturday by the end of Tuesday, and a holiday in between adds a day. The holidays are the
    region's (its team's calendar)."""
    require_aware(start, "start")
    day = start.astimezone(zone).date()
    left = days
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            left -= 1
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)


# ---- the case --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class UnlockRequested(Event):
    name: ClassVar[str] = "unlock.requested"
    request_id: str
    customer_id: str
    deadline_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class UnlockDecided(Event):
    name: ClassVar[str] = "unlock.decided"
    request_id: str
    customer_id: str
    state: str
    by_law: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class UnlockCodeSent(Event):
    name: ClassVar[str] = "unlock.code_sent"
    request_id: str
    customer_id: str
    delivery: str  # how, never what


@dataclass(frozen=True, slots=True, kw_only=True)
class UnlockRefused(Event):
    name: ClassVar[str] = "unlock.refused"
    request_id: str
    customer_id: str
    previous_state: str


def _reason(value: str, field_name: str = "reason") -> str:
    value = value.strip()
    if not value:
        raise InvalidInput(field_name, "say why: the customer reads it")
    if len(value) > REASON_MAX:
        raise InvalidInput(field_name, f"at most {REASON_MAX} characters")
    return value


@dataclass
class UnlockRequest:
    id: str
    customer_id: str
    account_number: str
    imei: str
    travel: Travel | None
    requested_by: str
    created_at: datetime
    deadline_at: datetime
    state: UnlockState = UnlockState.REQUESTED
    tier: int | None = None
    by_law: bool = False
    results: tuple[RuleResult, ...] = ()
    explanation: str = ""
    decided_at: datetime | None = None
    delivery: Delivery | None = None
    closed_by: str | None = None
    closed_at: datetime | None = None
    refusal_reason: str = ""
    updated_at: datetime | None = None
    events: list[Event] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def open(
        cls,
        request_id: str,
        customer_id: str,
        account_number: str,
        imei: str,
        travel: Travel | None,
        requested_by: str,
        now: datetime,
        deadline_at: datetime,
    ) -> UnlockRequest:
        require_aware(now, "now")
        if deadline_at <= now:
            raise InvalidInput("deadline_at", "a deadline lies ahead")
        request = cls(
            request_id,
            customer_id,
            account_number,
            check_imei(imei),
            travel,
            requested_by,
            now,
            deadline_at,
            updated_at=now,
        )
        request.events.append(
            UnlockRequested(
                at=now, request_id=request_id, customer_id=customer_id, deadline_at=deadline_at
            )
        )
        return request

    def decide(self, decision: UnlockDecision, tier: int, now: datetime) -> None:
        """Record the rules' answer: at first, or again for an ineligible request."""
        if self.state not in (UnlockState.REQUESTED, UnlockState.INELIGIBLE):
            target = UnlockState.ELIGIBLE if decision.eligible else UnlockState.INELIGIBLE
            raise InvalidTransition(MACHINE, self.state.value, target.value)
        self.state = UnlockState.ELIGIBLE if decision.eligible else UnlockState.INELIGIBLE
        self.tier, self.by_law, self.results = tier, decision.by_law, decision.results
        self.explanation, self.decided_at, self.updated_at = decision.explanation, now, now
        self.events.append(
            UnlockDecided(
                at=now,
                request_id=self.id,
                customer_id=self.customer_id,
                state=self.state.value,
                by_law=decision.by_law,
            )
        )

    def code_sent(self, delivery: Delivery, by: str, now: datetime) -> None:
        if self.state is not UnlockState.ELIGIBLE:
            raise InvalidTransition(MACHINE, self.state.value, UnlockState.CODE_SENT.value)
        self.state, self.delivery = UnlockState.CODE_SENT, delivery
        self.closed_by, self.closed_at, self.updated_at = by, now, now
        self.events.append(
            UnlockCodeSent(
                at=now, request_id=self.id, customer_id=self.customer_id, delivery=delivery.value
            )
        )

    def refuse(self, reason: str, by: str, now: datetime) -> None:
        if self.state.closed:
            raise InvalidTransition(MACHINE, self.state.value, UnlockState.REFUSED.value)
        previous = self.state
        self.refusal_reason = _reason(reason)
        self.state = UnlockState.REFUSED
        self.closed_by, self.closed_at, self.updated_at = by, now, now
        self.events.append(
            UnlockRefused(
                at=now,
                request_id=self.id,
                customer_id=self.customer_id,
                previous_state=previous.value,
            )
        )

    def overdue(self, now: datetime) -> bool:
        """The company still owes the next step and the deadline has passed."""
        return self.state.waiting and now > self.deadline_at

    def status_text(self, now: datetime) -> str:
        """Where the request stands, in one sentence for the customer."""
        due = self.deadline_at.strftime("%Y-%m-%d %H:%M UTC")
        late = f" This is late: it was due by {due}." if self.overdue(now) else ""
        device = f"the device {masked_imei(self.imei)}"
        if self.state is UnlockState.REQUESTED:
            return f"We are checking the request for {device}; the answer is due by {due}.{late}"
        if self.state is UnlockState.ELIGIBLE:
            return f"{device.capitalize()} can be unlocked; the code is due by {due}.{late}"
        if self.state is UnlockState.INELIGIBLE:
            return f"{device.capitalize()} cannot be unlocked yet. {self.explanation}"
        if self.state is UnlockState.CODE_SENT:
            assert self.delivery is not None and self.closed_at is not None
            sent = self.closed_at.strftime("%Y-%m-%d")
            return f"The unlock code for {device} was sent by {self.delivery.value} on {sent}."
        return f"The request for {device} was refused: {self.refusal_reason}"
