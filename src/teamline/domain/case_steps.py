"""A case's history and the input of an escalation (issue 7): the steps shown on the customer's
timeline, and the deadline clocks a move to regulator complaints or chargebacks brings along.

A step's `note` may be marked `internal`: staff read it, the customer never does (handoff notes
default to internal). The statutory deadline of a regulator complaint is counted in calendar days
in the regulatory department's zone; a chargeback runs to the card issuer's own deadline. Neither
pauses while the case waits on the customer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum

from teamline.domain.business_calendar import BusinessCalendar
from teamline.domain.errors import InvalidInput
from teamline.domain.escalation import Level, Target
from teamline.domain.hours import require_aware
from teamline.domain.sla import ClockKind, SlaClock
from teamline.domain.sla_policy import SlaPolicy

TEXT_MAX = 4000
ISSUER_MAX = 100


class StepKind(StrEnum):
    OPENED = "opened"
    CONTACT_LINKED = "contact_linked"
    RESPONDED = "responded"
    CUSTOMER_REPLIED = "customer_replied"
    PAUSED = "paused"
    RESUMED = "resumed"
    ESCALATED = "escalated"
    LATERAL = "lateral"  # to another supervisor: "the supervisor's supervisor"
    REQUEST_FILED = "request_filed"
    SOLVED = "solved"
    REOPENED = "reopened"  # the customer wrote on a solved case: it was not solved for them
    CLOSED = "closed"
    SLA_WARNING = "sla_warning"
    SLA_BREACH = "sla_breach"


@dataclass(frozen=True, slots=True)
class CaseStep:
    at: datetime
    kind: StepKind
    level: Level
    actor_id: str | None = None  # the user who took the step; None for the sweep
    note: str = ""
    internal: bool = False  # staff only: customers never see the note
    from_level: Level | None = None
    assignee_agent_id: str | None = None
    detail: str = ""  # a linked contact id, what was asked for, a clock and its due instant


# SLA alerts are the team's business; the customer sees the deadlines themselves
STAFF_ONLY = frozenset({StepKind.SLA_WARNING, StepKind.SLA_BREACH})


def seen_by_customer(step: CaseStep) -> CaseStep | None:
    """The step as the customer sees it: staff-only steps hidden; an internal step is shown
    without its note, so what the customer holds is nothing internal."""
    if step.kind in STAFF_ONLY:
        return None
    return replace(step, note="", internal=False) if step.internal else step


def describe(step: CaseStep, subject: str) -> str:
    """One line for the customer's timeline: the case, what happened, the note if any."""
    what = step.kind.value.replace("_", " ")
    if step.kind in (StepKind.ESCALATED, StepKind.LATERAL):
        what = f"{what} to {step.level.value.replace('_', ' ')}"
    line = f"Case \u201c{subject}\u201d: {what}"
    return f"{line} \u2014 {step.note}" if step.note else line


@dataclass(frozen=True)
class Escalation:
    """A request to move a case up (or across) the ladder with its handoff note."""

    target: Target
    note: str
    internal: bool = True
    assignee_agent_id: str | None = None  # required for a lateral move: the other supervisor
    request: str = ""  # the customer's request in their words: required at the supervisor rung
    regulator_id: str | None = None  # regulator complaints
    card_issuer: str | None = None  # chargebacks
    issuer_deadline: datetime | None = None


def text(name: str, value: str, maximum: int = TEXT_MAX, *, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise InvalidInput(name, "must not be empty")
    if len(value) > maximum:
        raise InvalidInput(name, f"at most {maximum} characters")
    return value


def deadline_clocks(
    move: Escalation, level: Level, calendar: BusinessCalendar, policy: SlaPolicy, now: datetime
) -> dict[ClockKind, SlaClock]:
    """The fixed-deadline clock a move brings (statutory or issuer), checking its inputs."""
    if level is not Level.REGULATORY and move.regulator_id is not None:
        raise InvalidInput("regulator_id", "only a regulator complaint names a regulator")
    if level is not Level.CHARGEBACK and (move.card_issuer or move.issuer_deadline):
        raise InvalidInput("card_issuer", "only a chargeback names a card issuer")
    share = policy.warning_share
    if level is Level.REGULATORY:
        if move.regulator_id is None:
            raise InvalidInput("regulator_id", "a regulator complaint names its regulator")
        due = policy.regulator(move.regulator_id).deadline(now, calendar.timezone)
        return {ClockKind.STATUTORY: SlaClock.deadline(ClockKind.STATUTORY, due, now, share)}
    if level is Level.CHARGEBACK:
        text("card_issuer", move.card_issuer or "", ISSUER_MAX, required=True)
        if move.issuer_deadline is None:
            raise InvalidInput(
                "issuer_deadline", "a chargeback is tracked to the issuer's deadline"
            )
        deadline = require_aware(move.issuer_deadline, "issuer_deadline").astimezone(UTC)
        if deadline <= now:
            raise InvalidInput("issuer_deadline", "the issuer's deadline has already passed")
        kind = ClockKind.ISSUER_DEADLINE
        return {kind: SlaClock.deadline(kind, deadline, now, share)}
    return {}
