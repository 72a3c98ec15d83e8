"""Plan changes that would drop a grandfathered plan, and heavy data use that flags an account
for the fraud team (DOMAIN.md 5; issue 6 item 7).

**Grandfathered plans** (e.g. an old unlimited data plan no longer sold) are lost on a device
upgrade or a contract renewal, and on any move to another plan: the agent and the customer must
be warned *before* they confirm. `check_plan_change` gives the warning; applying the change
without acknowledging it is refused, naming the `acknowledged` field.

**Heavy data use** can flag an account for the fraud/abuse department. The threshold is data
(`BillingPolicy`): use above `heavy_data_multiple` times the plan's allowance, or, on a plan
without an allowance (unlimited), above `heavy_data_unlimited_gb`, both per 30 days and scaled
to the length of the period measured. A flag carries the sentence that explains it; the fraud
team lists the open ones and clears each with a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum

from teamline.domain.billing import BillingPolicy, check_text
from teamline.domain.errors import Conflict, InvalidInput

PLAN_MAX = 100
NOTE_MAX = 500
PERIOD_MAX_DAYS = 62  # a bill period and a little slack; longer usage windows are not one period
TERMS = (12, 24)
_GB = Decimal("0.01")


class PlanChangeKind(StrEnum):
    DEVICE_UPGRADE = "device_upgrade"
    RENEWAL = "renewal"  # a new commitment on the account
    PLAN_CHANGE = "plan_change"  # another plan, no new commitment

    @property
    def commits(self) -> bool:
        """An upgrade or a renewal starts a new commitment (and with it a termination fee)."""
        return self is not PlanChangeKind.PLAN_CHANGE


@dataclass(frozen=True, slots=True)
class PlanChangeCheck:
    kind: PlanChangeKind
    current_plan: str
    new_plan: str
    loses_grandfathered: bool
    warning: str | None  # shown before confirming; None when nothing is lost
    explanation: str

    @property
    def needs_acknowledgement(self) -> bool:
        return self.warning is not None


def check_plan_change(
    current_plan: str, grandfathered: bool, kind: PlanChangeKind, new_plan: str
) -> PlanChangeCheck:
    """What the change would cost the account's grandfathered plan, said before it is made."""
    new_plan = check_text(new_plan, "new_plan", PLAN_MAX)
    what = kind.value.replace("_", " ")
    if kind is PlanChangeKind.PLAN_CHANGE and new_plan == current_plan:
        raise InvalidInput("new_plan", f"the account is on {current_plan!r} already")
    if not grandfathered:
        text = (
            f"No warning: {current_plan!r} is a current plan, not a grandfathered one, so the "
            f"{what} to {new_plan!r} loses nothing it could not get again."
        )
        return PlanChangeCheck(kind, current_plan, new_plan, False, None, text)
    cause = (
        f"a {what}"
        if kind.commits
        else f"moving to another plan ({new_plan!r}); it is no longer sold"
    )
    warning = (
        f"Warning: {current_plan!r} is a grandfathered plan. It is lost for good on {cause}, "
        "and cannot be chosen again afterwards. Confirm with the customer before going ahead."
    )
    if kind.commits and new_plan == current_plan:
        warning += f" Even keeping the name {new_plan!r}, the account moves to its current terms."
    text = (
        f"The {what} needs an acknowledgement: a device upgrade, a contract renewal or a plan "
        "change ends a grandfathered plan (DOMAIN.md 5)."
    )
    return PlanChangeCheck(kind, current_plan, new_plan, True, warning, text)


def confirm_plan_change(check: PlanChangeCheck, acknowledged: bool) -> str:
    """The sentence recorded with an applied change; refused while a warning is unacknowledged."""
    if check.needs_acknowledgement and not acknowledged:
        raise InvalidInput("acknowledged", f"{check.warning} Send acknowledged: true to proceed.")
    lost = (
        " The grandfathered plan was given up, as acknowledged."
        if check.loses_grandfathered
        else ""
    )
    return f"Changed {check.current_plan!r} to {check.new_plan!r} ({check.kind.value}).{lost}"


def check_term(kind: PlanChangeKind, term_months: int | None) -> int | None:
    if not kind.commits:
        if term_months is not None:
            raise InvalidInput("term_months", "only an upgrade or a renewal starts a commitment")
        return None
    term = 24 if term_months is None else term_months
    if term not in TERMS:
        raise InvalidInput("term_months", f"a commitment lasts one of {TERMS} months")
    return term


# ---- heavy data use ----


@dataclass(frozen=True, slots=True)
class DataUse:
    """Gigabytes used on an account between two dates (end excluded), and the plan's allowance
    for 30 days (None: unlimited), as the usage feed reports them."""

    account_number: str
    period_start: date
    period_end: date
    gigabytes: Decimal
    allowance_gb: Decimal | None

    def __post_init__(self) -> None:
        days = (self.period_end - self.period_start).days
        if days <= 0:
            raise InvalidInput("period_end", "must be after period_start")
        if days > PERIOD_MAX_DAYS:
            raise InvalidInput("period_end", f"a usage period is at most {PERIOD_MAX_DAYS} days")
        if self.gigabytes < 0:
            raise InvalidInput("gigabytes", "cannot be negative")
        if self.allowance_gb is not None and self.allowance_gb <= 0:
            raise InvalidInput("allowance_gb", "above 0, or left out for an unlimited plan")

    @property
    def days(self) -> int:
        return (self.period_end - self.period_start).days


@dataclass(frozen=True, slots=True)
class DataUseAssessment:
    flagged: bool
    threshold_gb: Decimal
    explanation: str


def assess_data_use(policy: BillingPolicy, use: DataUse) -> DataUseAssessment:
    """Whether `use` is heavy enough to flag the account for the fraud team, and why."""
    scale = Decimal(use.days) / 30
    if use.allowance_gb is None:
        base = policy.heavy_data_unlimited_gb
        rule = f"{base} GB per 30 days on a plan without an allowance"
    else:
        base = use.allowance_gb * policy.heavy_data_multiple
        rule = (
            f"{policy.heavy_data_multiple} times the plan's allowance of {use.allowance_gb} GB "
            "per 30 days"
        )
    threshold = (base * scale).quantize(_GB, ROUND_HALF_EVEN)
    used = use.gigabytes.quantize(_GB, ROUND_HALF_EVEN)
    period = f"{use.period_start} to {use.period_end} ({use.days} days)"
    if used > threshold:
        text = (
            f"Flagged for the fraud team: {used} GB used from {period} is above {threshold} GB "
            f"({rule}). Heavy data use can mean a resold or shared line (DOMAIN.md 5); the "
            "fraud team reviews it. Service is not changed by the flag."
        )
        return DataUseAssessment(True, threshold, text)
    text = f"Not flagged: {used} GB used from {period} is within {threshold} GB ({rule})."
    return DataUseAssessment(False, threshold, text)


class FlagState(StrEnum):
    OPEN = "open"
    CLEARED = "cleared"


@dataclass(slots=True)
class FraudFlag:
    id: str
    account_number: str
    customer_id: str
    use: DataUse
    threshold_gb: Decimal
    reason: str
    flagged_at: datetime
    state: FlagState = FlagState.OPEN
    cleared_by: str | None = None
    cleared_at: datetime | None = None
    note: str = ""

    def clear(self, by: str, now: datetime, note: str) -> None:
        """The fraud team looked and found nothing to act on; the note says what they saw."""
        note = check_text(note, "note", NOTE_MAX)
        if self.state is not FlagState.OPEN:
            raise Conflict(f"flag {self.id} was cleared already")
        self.state, self.cleared_by, self.cleared_at, self.note = FlagState.CLEARED, by, now, note

    def explanation(self) -> str:
        if self.state is FlagState.CLEARED:
            return f"{self.reason} Cleared by the fraud team: {self.note}"
        return self.reason
