"""Coverage complaints and engineering investigations as records (DOMAIN.md 5; issue 6 item 5):
the complaint with its two explanations, the investigation's state machine, what opens one,
and where a complaint stands for the customer. The checks themselves (verification against the
call records, clustering) are `domain/coverage.py`.

    open -> confirmed_bad_reception -> fixed
    open -> no_fault_found | fixed

When engineers confirm bad reception, each complainant whose trouble is at home (with the
address to ship to) gets a free microcell, one per customer per investigation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import ClassVar

from teamline.domain.coverage import (
    LINE_MAX,
    Clustering,
    CoveragePolicy,
    Verification,
    check_area,
    clean_text,
)
from teamline.domain.errors import InvalidInput, InvalidTransition
from teamline.domain.events import Event
from teamline.domain.hours import require_aware

MACHINE = "coverage investigation"
DESCRIPTION_MAX = 2000
ADDRESS_MAX = 300
FINDINGS_MAX = 2000


class InvestigationState(StrEnum):
    OPEN = "open"
    CONFIRMED_BAD_RECEPTION = "confirmed_bad_reception"
    NO_FAULT_FOUND = "no_fault_found"
    FIXED = "fixed"

    @property
    def active(self) -> bool:
        """Still taking complaints: open, or confirmed and waiting for the fix."""
        return self in (InvestigationState.OPEN, InvestigationState.CONFIRMED_BAD_RECEPTION)


class OpenedBy(StrEnum):
    CLUSTER = "cluster"
    VERIFIED_DROP = "verified_drop"


ALLOWED: dict[InvestigationState, frozenset[InvestigationState]] = {
    InvestigationState.OPEN: frozenset(
        {
            InvestigationState.CONFIRMED_BAD_RECEPTION,
            InvestigationState.NO_FAULT_FOUND,
            InvestigationState.FIXED,
        }
    ),
    InvestigationState.CONFIRMED_BAD_RECEPTION: frozenset({InvestigationState.FIXED}),
    InvestigationState.NO_FAULT_FOUND: frozenset(),
    InvestigationState.FIXED: frozenset(),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ComplaintFiled(Event):
    name: ClassVar[str] = "coverage.complaint_filed"
    complaint_id: str
    customer_id: str
    area_id: str
    verified: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class ComplaintVerified(Event):
    """Call records loaded after the complaint show its dropped call."""

    name: ClassVar[str] = "coverage.complaint_verified"
    complaint_id: str
    customer_id: str
    area_id: str
    call_record_id: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class InvestigationOpened(Event):
    name: ClassVar[str] = "coverage.investigation_opened"
    investigation_id: str
    area_id: str
    opened_by: str
    complaint_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ComplaintJoined(Event):
    name: ClassVar[str] = "coverage.complaint_joined"
    investigation_id: str
    complaint_id: str
    customer_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class InvestigationConcluded(Event):
    name: ClassVar[str] = "coverage.investigation_concluded"
    investigation_id: str
    area_id: str
    state: str
    previous_state: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MicrocellIssued(Event):
    name: ClassVar[str] = "coverage.microcell_issued"
    investigation_id: str
    customer_id: str
    complaint_id: str
    order_number: str


@dataclass
class Complaint:
    """A customer's complaint about dropped calls or bad reception, with the two explanations
    an agent reads: why it is (not) verified, and why it was (not) clustered."""

    id: str
    customer_id: str
    area_id: str
    occurred_at: datetime
    line: str
    description: str
    at_home: bool  # the trouble is where the customer lives: a microcell can help
    address: str  # where a microcell would go
    verified: bool
    verification: str
    call_record_id: int | None
    filed_by: str
    created_at: datetime
    clustering: str = ""
    investigation_id: str | None = None
    events: list[Event] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def file(
        cls,
        complaint_id: str,
        customer_id: str,
        area_id: str | None,
        occurred_at: datetime,
        line: str,
        description: str,
        at_home: bool,
        address: str,
        check: Verification,
        filed_by: str,
        now: datetime,
    ) -> Complaint:
        """A complaint checked against the call records (`check`). The area is the one named,
        or the area of the dropped call that verifies it."""
        require_aware(occurred_at, "occurred_at")
        require_aware(now, "now")
        if occurred_at > now + timedelta(minutes=5):
            raise InvalidInput("occurred_at", "the time complained of is in the future")
        if now - occurred_at > timedelta(days=90):
            raise InvalidInput("occurred_at", "complaints are taken within 90 days")
        if area_id is None:
            if check.call is None:
                raise InvalidInput(
                    "area_id", "name the area: no dropped call on record shows where it was"
                )
            area_id = check.call.area_id
        address = clean_text("address", address, ADDRESS_MAX, required=False)
        if at_home and not address:
            raise InvalidInput("address", "trouble at home needs the home address")
        complaint = cls(
            complaint_id,
            customer_id,
            check_area(area_id),
            occurred_at,
            clean_text("line", line, LINE_MAX, required=False),
            clean_text("description", description, DESCRIPTION_MAX, required=True),
            at_home,
            address,
            check.verified,
            check.explanation,
            check.call.id if check.call else None,
            filed_by,
            now,
        )
        complaint.events.append(
            ComplaintFiled(
                at=now,
                complaint_id=complaint_id,
                customer_id=customer_id,
                area_id=complaint.area_id,
                verified=check.verified,
            )
        )
        return complaint

    def verify_late(self, check: Verification, now: datetime) -> bool:
        """The network's call records often arrive hours after the call: a complaint not
        verified when filed is verified once records loaded later show its dropped call.
        Whether this check verified it now (a verified complaint stays as it is)."""
        if self.verified or not check.verified:
            return False
        self.verified = True
        self.verification = f"{check.explanation} (The record arrived after the complaint.)"
        self.call_record_id = check.call.id if check.call else None
        self.events.append(
            ComplaintVerified(
                at=now,
                complaint_id=self.id,
                customer_id=self.customer_id,
                area_id=self.area_id,
                call_record_id=self.call_record_id,
            )
        )
        return True

    def join(self, investigation: Investigation, clustering: str, now: datetime) -> None:
        """The complaint goes to the area's active investigation, saying why (`clustering`)."""
        self.investigation_id = investigation.id
        self.clustering = clustering
        self.events.append(
            ComplaintJoined(
                at=now,
                investigation_id=investigation.id,
                complaint_id=self.id,
                customer_id=self.customer_id,
            )
        )

    @property
    def wants_microcell(self) -> bool:
        return self.at_home and bool(self.address)


@dataclass
class Investigation:
    """One engineering investigation of one area, opened by a cluster or a verified drop."""

    id: str
    area_id: str
    opened_by: OpenedBy
    explanation: str  # why it was opened
    opened_at: datetime
    state: InvestigationState = InvestigationState.OPEN
    findings: str = ""
    decided_by: str | None = None
    decided_at: datetime | None = None
    updated_at: datetime | None = None
    events: list[Event] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def open(
        cls,
        investigation_id: str,
        area_id: str,
        opened_by: OpenedBy,
        explanation: str,
        complaint_ids: Sequence[str],
        now: datetime,
    ) -> Investigation:
        require_aware(now, "now")
        found = cls(
            investigation_id, check_area(area_id), opened_by, explanation, now, updated_at=now
        )
        found.events.append(
            InvestigationOpened(
                at=now,
                investigation_id=investigation_id,
                area_id=found.area_id,
                opened_by=opened_by.value,
                complaint_ids=tuple(complaint_ids),
            )
        )
        return found

    def conclude(
        self, outcome: InvestigationState, findings: str, decided_by: str, now: datetime
    ) -> None:
        """Record what engineering found; the findings say what was measured or done."""
        if outcome is InvestigationState.OPEN:
            raise InvalidInput("outcome", "confirmed_bad_reception, no_fault_found or fixed")
        if outcome not in ALLOWED[self.state]:
            raise InvalidTransition(MACHINE, self.state.value, outcome.value)
        previous = self.state
        self.findings = clean_text("findings", findings, FINDINGS_MAX, required=True)
        self.state, self.decided_by, self.decided_at, self.updated_at = (
            outcome,
            decided_by,
            now,
            now,
        )
        self.events.append(
            InvestigationConcluded(
                at=now,
                investigation_id=self.id,
                area_id=self.area_id,
                state=outcome.value,
                previous_state=previous.value,
            )
        )

    @property
    def issues_microcells(self) -> bool:
        """Bad reception confirmed (and not yet fixed): complainants at home get a microcell."""
        return self.state is InvestigationState.CONFIRMED_BAD_RECEPTION


def opening_reason(
    check: Verification, clustering: Clustering, policy: CoveragePolicy
) -> OpenedBy | None:
    """What opens an investigation for a complaint with no active one in its area."""
    if clustering.clustered:
        return OpenedBy.CLUSTER
    if check.verified and policy.verified_drop_opens:
        return OpenedBy.VERIFIED_DROP
    return None


def opening_explanation(reason: OpenedBy, check: Verification, clustering: Clustering) -> str:
    if reason is OpenedBy.CLUSTER:
        return f"Opened for a cluster. {clustering.explanation}"
    return f"Opened for a verified dropped call. {check.explanation}"


_STATUS_TEXT = {
    "received": "We checked your complaint; no engineering investigation is open for the area "
    "yet. More reports from your area, or a dropped call on record, open one.",
    InvestigationState.OPEN: "Engineers are investigating reception in your area.",
    InvestigationState.CONFIRMED_BAD_RECEPTION: "Engineers confirmed bad reception in your area "
    "and are working on it.",
    InvestigationState.NO_FAULT_FOUND: "Engineers investigated your area and found no fault "
    "in the network.",
    InvestigationState.FIXED: "Engineers fixed reception in your area.",
}


def complaint_status(
    investigation: Investigation | None, microcell_order: str | None
) -> tuple[str, str]:
    """(status code, sentence) for the customer: where the complaint stands now."""
    if investigation is None:
        return "received", _STATUS_TEXT["received"]
    state = investigation.state
    text = _STATUS_TEXT[state]
    if microcell_order is not None:
        text += f" A free microcell is on its way to you: order {microcell_order}."
    return state.value, text
