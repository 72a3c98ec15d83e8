"""Billing care: how an account pays, when a balance blocks it, the ways to pay at any hour and
voluntary suspensions (DOMAIN.md 5; issue 6 item 7).

Two billing methods (DOMAIN.md 5):
- **credit**: service is provided and billed afterwards; an amount due never blocks it. The
  customer may set a voluntary **suspension** (e.g. while away) with a start and an end date:
  nothing is provided or billed in between.
- **advance**: the customer pays before using; a balance with no funds left (zero) blocks
  service. Emergency calls and calls to customer care still work, and the agent explains the
  ways to pay that are open at any hour (`domain/ways_to_pay.py`).

The balance is the ledger's (`domain/ledger.py`): the sum of the lines on `customer:<account>`.
Positive means the customer owes; negative is value in the customer's favour (prepaid funds, a
credit). So an advance account's funds are the negated balance, and it is blocked when they
are at or below `block_at` (0: "a zero balance blocks service").

    bill issued:     customer:<account> +v, billing:charges -v
    payment:         customer:<account> -v, payments:<way> +v
    suspension fee:  customer:<account> +v, fees:suspension -v
    opening balance: customer:<account> +v, billing:opening_balance -v (either sign)

Every decision carries an `explanation` an agent can read out as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from teamline.domain.enums import BillingMethod
from teamline.domain.errors import Conflict, InvalidInput
from teamline.domain.ledger import LedgerLine, Posting, customer_account
from teamline.domain.money import Money
from teamline.domain.months import add_months
from teamline.domain.policy_data import Converter, build, decimal_of, int_of
from teamline.domain.ways_to_pay import DEFAULT_WAYS, WayNow, WayToPay, ways_sentence

REASON_MAX = 200


def check_text(value: str, field: str, max_length: int, *, required: bool = True) -> str:
    """Text as stored: trimmed, within its length, and without NUL (PostgreSQL cannot hold it)."""
    text = value.strip()
    if (required and not text) or len(text) > max_length or "\x00" in text:
        least = 1 if required else 0
        raise InvalidInput(field, f"{least} to {max_length} characters, no NUL")
    return text


STILL_WORKS = ("emergency calls", "calls to customer care", "the app and website, to pay")


@dataclass(frozen=True, slots=True)
class BillingPolicy:
    """The numbers of billing care; DOMAIN.md gives none but "a zero balance blocks", so these
    are defaults an operator may change (`billing:` in the care policy file)."""

    block_at: Decimal = Decimal(0)  # advance: funds at or below this block service
    suspension_max_days: int = 90
    suspensions_per_year: int = 2
    suspension_fee: Decimal = Decimal(0)  # per suspension, in the account's currency
    heavy_data_multiple: Decimal = Decimal(3)  # times the plan's allowance in a 30-day period
    heavy_data_unlimited_gb: Decimal = Decimal(150)  # an unlimited plan, per 30 days
    dispute_review_days: int = 10
    dispute_window_days: int = 365
    receipt_max_bytes: int = 5 * 1024 * 1024
    ways_to_pay: tuple[WayToPay, ...] = DEFAULT_WAYS
    still_works: tuple[str, ...] = STILL_WORKS

    def __post_init__(self) -> None:
        if self.suspension_max_days < 1:
            raise InvalidInput("suspension_max_days", "at least 1 day")
        if self.heavy_data_multiple <= 1:
            raise InvalidInput("heavy_data_multiple", "must be more than 1 (the allowance)")
        if not self.ways_to_pay or all(w.hours is not None for w in self.ways_to_pay):
            raise InvalidInput("ways_to_pay", "at least one way to pay must be open at any hour")

    def way(self, key: str) -> WayToPay:
        for way in self.ways_to_pay:
            if way.key == key:
                return way
        keys = ", ".join(w.key for w in self.ways_to_pay)
        raise InvalidInput("method", f"{key!r} is not a way to pay; one of {keys}")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], prefix: str = "billing") -> BillingPolicy:
        """The numbers from plain data (`billing: {suspension_max_days: 60}`); the ways to pay
        stay the built-in list."""
        money: Converter = lambda v, f: decimal_of(v, f, minimum=Decimal(0))  # noqa: E731
        count: Converter = lambda v, f: int_of(v, f, minimum=1)  # noqa: E731
        converters: dict[str, Converter] = {
            "block_at": money,
            "suspension_max_days": count,
            "suspensions_per_year": count,
            "suspension_fee": money,
            "heavy_data_multiple": money,
            "heavy_data_unlimited_gb": money,
            "dispute_review_days": count,
            "dispute_window_days": count,
            "receipt_max_bytes": count,
        }
        return build(data, prefix, converters, cls)


def mode_explanation(method: BillingMethod) -> str:
    if method is BillingMethod.CREDIT:
        return (
            "Credit billing: service is provided first and billed afterwards; an amount due "
            "does not stop it. The customer may suspend it while away."
        )
    return (
        "Advance billing: the customer pays before using the service; when no funds are "
        "left (a zero balance), service is blocked until a payment arrives."
    )


# ---- bill periods ----


@dataclass(frozen=True, slots=True)
class BillPeriod:
    """One monthly billing cycle: from `start` until the day before `end`, billed on `end`."""

    start: date
    end: date

    def suspended_days(self, suspensions: list[Suspension]) -> int:
        """Days of this period inside a suspension: not provided, not billed."""
        days = 0
        for s in suspensions:
            first, last = max(s.start_on, self.start), min(s.end_on, self.end)
            days += max((last - first).days, 0)
        return days

    def sentence(self, method: BillingMethod, suspensions: list[Suspension]) -> str:
        if method is BillingMethod.CREDIT:
            text = f"This period runs from {self.start} to {self.end}, billed on {self.end}."
        else:
            text = f"This period runs from {self.start}; the next one is paid by {self.end}."
        paused = self.suspended_days(suspensions)
        if paused:
            text += f" {paused} suspended days of it are not billed."
        return text


def bill_period(anchor: date, on: date) -> BillPeriod:
    """The cycle containing `on`, for bills that fall on `anchor`'s day of the month (the
    contract's signing day, or the 1st): monthly anniversaries counted as for contracts
    (`domain/months.py`), so a cycle starting on the 31st ends on the last of a short month."""
    k = (on.year - anchor.year) * 12 + (on.month - anchor.month)
    if add_months(anchor, k) > on:
        k -= 1
    return BillPeriod(add_months(anchor, k), add_months(anchor, k + 1))


# ---- standing: active, blocked or suspended ----


@dataclass(frozen=True, slots=True)
class Standing:
    service: str  # "active" | "blocked" | "suspended"
    amount_due: Money  # what a credit account owes now (0 when in favour)
    funds: Money  # an advance account's prepaid funds (0 when it owes)
    still_works: tuple[str, ...]
    explanation: str

    @property
    def blocked(self) -> bool:
        return self.service == "blocked"


def standing(
    policy: BillingPolicy,
    method: BillingMethod,
    balance: Money,
    suspension: Suspension | None,
    ways: list[WayNow],
) -> Standing:
    """Whether the account has service now, and why. `balance` is the ledger's (positive:
    owed); `suspension` is the one in force today, if any; `ways` are the ways to pay now."""
    zero = Money(Decimal(0), balance.currency)
    due, funds = balance.clamp_at_zero(), (-balance).clamp_at_zero()
    if suspension is not None:
        text = (
            f"Service is suspended at the customer's request from {suspension.start_on} "
            f"until {suspension.end_on} (it resumes that day); nothing is provided or billed "
            f"meanwhile. Emergency calls still work."
        )
        return Standing("suspended", due, funds, ("emergency calls",), text)
    if method is BillingMethod.CREDIT:
        owes = f"{due} is due" if due.amount else "nothing is due"
        text = (
            f"Service is active: the account is billed after use (credit billing) and {owes}; "
            "an amount due does not block service."
        )
        return Standing("active", due, zero, (), text)
    block = Money(policy.block_at, balance.currency)
    if funds <= block:
        works = ", ".join(policy.still_works)
        text = (
            f"Service is blocked: the account pays in advance and has {funds} of funds left "
            f"(service needs more than {block}). Still working: {works}. " + ways_sentence(ways)
        )
        return Standing("blocked", due, funds, policy.still_works, text)
    text = f"Service is active: the account pays in advance and has {funds} of funds left."
    return Standing("active", due, funds, (), text)


# ---- voluntary suspensions ----


@dataclass(slots=True)
class Suspension:
    """A pause the customer asked for (credit billing): in force from `start_on` until the day
    before `end_on`; service resumes on `end_on`. Ending it early moves `end_on` to that day."""

    id: str
    account_number: str
    start_on: date
    end_on: date
    reason: str
    fee: Money
    requested_by: str | None
    created_at: datetime
    ended_early_at: datetime | None = None

    @property
    def days(self) -> int:
        return (self.end_on - self.start_on).days

    def in_force(self, day: date) -> bool:
        return self.start_on <= day < self.end_on

    def overlaps(self, start: date, end: date) -> bool:
        return self.start_on < end and start < self.end_on and self.days > 0

    def end_early(self, today: date, now: datetime) -> None:
        """Service back from `today`: a suspension not yet started is withdrawn whole."""
        if today >= self.end_on:
            raise Conflict(f"suspension {self.id} already ended on {self.end_on}")
        self.end_on = max(today, self.start_on)
        self.ended_early_at = now

    def explanation(self) -> str:
        fee = f"; fee {self.fee}" if self.fee.amount else "; no fee"
        if self.days == 0:
            return f"Suspension from {self.start_on} was withdrawn before it started{fee}."
        return (
            f"Suspended from {self.start_on} until {self.end_on} ({self.days} days): service "
            f"resumes on {self.end_on} and those days are not billed{fee}."
        )


def plan_suspension(
    policy: BillingPolicy,
    method: BillingMethod,
    currency: str,
    start_on: date,
    end_on: date,
    reason: str,
    today: date,
    existing: list[Suspension],
) -> tuple[Money, str]:
    """Check a requested suspension; return its fee and the sentence explaining it."""
    if method is not BillingMethod.CREDIT:
        raise InvalidInput(
            "account_number",
            "only a credit-billed account is suspended; an advance account simply stops "
            "paying ahead and is never billed for days it does not pay for",
        )
    check_text(reason, "reason", REASON_MAX)
    if start_on < today:
        raise InvalidInput("start_on", f"cannot start in the past (today is {today})")
    if end_on <= start_on:
        raise InvalidInput("end_on", "must be after start_on (service resumes on end_on)")
    days = (end_on - start_on).days
    if days > policy.suspension_max_days:
        raise InvalidInput(
            "end_on", f"a suspension lasts at most {policy.suspension_max_days} days"
        )
    for other in existing:
        if other.overlaps(start_on, end_on):
            raise Conflict(
                f"overlaps suspension {other.id} ({other.start_on} until {other.end_on})"
            )
    year_ago = date.fromordinal(start_on.toordinal() - 365)
    recent = [s for s in existing if s.days > 0 and s.start_on > year_ago]
    if len(recent) >= policy.suspensions_per_year:
        raise Conflict(
            f"at most {policy.suspensions_per_year} suspensions in 12 months; "
            f"this account has {len(recent)}"
        )
    fee = Money(policy.suspension_fee, currency)
    fee_text = f"a fee of {fee}" if fee.amount else "no fee"
    text = (
        f"Suspension accepted: from {start_on} until {end_on} ({days} days, at most "
        f"{policy.suspension_max_days}); service resumes on {end_on}, those days are not "
        f"billed, and it costs {fee_text}."
    )
    return fee, text


# ---- postings ----


def _posting(
    posting_id: str,
    at: datetime,
    customer_id: str,
    account_number: str,
    memo: str,
    other: str,
    owed: Money,
) -> Posting:
    """A posting that raises what the customer owes by `owed` (lowers it when negative)."""
    lines = (LedgerLine(customer_account(account_number), owed), LedgerLine(other, -owed))
    return Posting(posting_id, at, customer_id, account_number, None, memo[:200], lines)


def charge_posting(
    posting_id: str, at: datetime, customer_id: str, account_number: str, amount: Money, due: date
) -> Posting:
    if amount.amount <= 0:
        raise InvalidInput("amount", "a bill's amount is above 0")
    memo = f"bill due {due}"
    return _posting(posting_id, at, customer_id, account_number, memo, "billing:charges", amount)


def payment_posting(
    posting_id: str,
    at: datetime,
    customer_id: str,
    account_number: str,
    amount: Money,
    way: str,
    memo: str,
) -> Posting:
    if amount.amount <= 0:
        raise InvalidInput("amount", "a payment's amount is above 0")
    other = f"payments:{way}"
    return _posting(posting_id, at, customer_id, account_number, memo, other, -amount)


def fee_posting(
    posting_id: str, at: datetime, customer_id: str, account_number: str, fee: Money, memo: str
) -> Posting:
    return _posting(posting_id, at, customer_id, account_number, memo, "fees:suspension", fee)


def opening_posting(
    posting_id: str, at: datetime, customer_id: str, account_number: str, balance: Money
) -> Posting:
    """The balance an account brought from an earlier system, so the ledger explains it."""
    other = "billing:opening_balance"
    return _posting(posting_id, at, customer_id, account_number, "opening balance", other, balance)


@dataclass(frozen=True, slots=True)
class BillRecord:
    """A bill as the billing feed sends it, and when it was paid."""

    due_on: date
    amount: Money
    paid_on: date | None = None
    way: str = field(default="bank_transfer")

    def on_time(self, today: date) -> bool | None:
        """True paid by the due date; False paid late or unpaid past it; None not due yet."""
        if self.paid_on is not None:
            return self.paid_on <= self.due_on
        return None if today <= self.due_on else False

    def explanation(self, today: date) -> str:
        if self.paid_on is not None:
            when = "on time" if self.paid_on <= self.due_on else "late"
            return f"{self.amount} due {self.due_on}: paid {when} on {self.paid_on}."
        if today <= self.due_on:
            return f"{self.amount} due {self.due_on}: not due yet."
        return f"{self.amount} due {self.due_on}: unpaid and past due; it counts as late."
