"""Callback and scheduled-call jobs: the promise to call a customer, kept until it is kept.

DOMAIN.md section 1 ("No waiting on hold"): a customer takes a callback instead of holding and
keeps their place in line, or schedules a call for a chosen time. A job is that promise, stored:
it survives restarts, is dialled when an agent takes its contact (the router's DIAL_CALLBACK),
and a call nobody answers is tried again after a pause, a bounded number of times:

    waiting --(an agent took the contact)--> dialling --answered / agent dials--> done
       ^                                        |  \\--no answer, attempts left--> retry
       |                                        |                                  |
       +--------(a new attempt waits in line at its time)--------------------------+
                                                \\--no answer, none left--> failed
    waiting --(the contact ended without a call: the customer got through meanwhile)--> cancelled

Every outcome is an event on the customer's timeline (`CallbackAttempted`), so whoever answers
next sees "we tried twice at 10:10 and 10:20, no answer".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import ClassVar

from teamline.domain.errors import InvalidTransition
from teamline.domain.events import Event
from teamline.domain.hours import require_aware


class JobState(StrEnum):
    WAITING = "waiting"  # its contact waits in line, or for its time
    DIALLING = "dialling"  # claimed by the runner: the call is being placed
    RETRY = "retry"  # nobody answered; the next attempt is due at `due_at`
    DONE = "done"
    FAILED = "failed"  # every attempt went unanswered
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        return self in (JobState.WAITING, JobState.DIALLING, JobState.RETRY)


JOB_TRANSITIONS: dict[JobState, frozenset[JobState]] = {
    JobState.WAITING: frozenset({JobState.DIALLING, JobState.CANCELLED}),
    JobState.DIALLING: frozenset({JobState.DONE, JobState.RETRY, JobState.FAILED}),
    JobState.RETRY: frozenset({JobState.WAITING, JobState.CANCELLED}),
    JobState.DONE: frozenset(),
    JobState.FAILED: frozenset(),
    JobState.CANCELLED: frozenset(),
}


class CallOutcome(StrEnum):
    """What placing a call gave."""

    ANSWERED = "answered"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    FAILED = "failed"  # the provider could not place it (a bad number, an outage)
    PLACED = "placed"  # the provider rings now; the outcome comes later by status callback
    AGENT_DIALS = "agent_dials"  # no telephony provider configured: the agent dials by hand

    @property
    def reached(self) -> bool:
        return self in (CallOutcome.ANSWERED, CallOutcome.AGENT_DIALS)

    @property
    def is_final(self) -> bool:
        return self is not CallOutcome.PLACED


@dataclass(slots=True)
class CallbackJob:
    id: str
    contact_id: str  # the attempt waiting in line now (each retry is a new contact)
    customer_id: str
    phone: str  # E.164
    due_at: datetime  # requested at (callback), the slot (scheduled call), or the next retry
    max_attempts: int
    updated_at: datetime
    state: JobState = JobState.WAITING
    attempts: int = 0
    outcome: str = ""
    preferred_agent_id: str | None = None

    def __post_init__(self) -> None:
        require_aware(self.due_at, "due_at")
        require_aware(self.updated_at, "updated_at")

    def _move(self, target: JobState, now: datetime) -> None:
        if target not in JOB_TRANSITIONS[self.state]:
            raise InvalidTransition("callback job", self.state.value, target.value)
        self.state, self.updated_at = target, now

    def start_dialling(self, now: datetime) -> None:
        self._move(JobState.DIALLING, now)

    def dialled(self, outcome: CallOutcome, now: datetime, retry_after: timedelta) -> None:
        """Record what the call gave: done, a retry after `retry_after`, or failed for good."""
        if self.state is not JobState.DIALLING:
            raise InvalidTransition("callback job", self.state.value, outcome.value)
        self.outcome = outcome.value
        if not outcome.is_final:
            self.updated_at = now  # still ringing: the status callback finishes it
            return
        self.attempts += 1
        if outcome.reached:
            self._move(JobState.DONE, now)
        elif self.attempts >= self.max_attempts:
            self._move(JobState.FAILED, now)
        else:
            self._move(JobState.RETRY, now)
            self.due_at = now + retry_after

    def requeued(self, contact_id: str, now: datetime) -> None:
        """The next attempt waits in line as a new contact."""
        self._move(JobState.WAITING, now)
        self.contact_id = contact_id

    def cancel(self, why: str, now: datetime) -> None:
        self._move(JobState.CANCELLED, now)
        self.outcome = why

    @property
    def next_attempt_at(self) -> datetime | None:
        return self.due_at if self.state is JobState.RETRY else None

    def describe(self) -> str:
        """One line for the timeline, e.g. 'Callback: no answer (attempt 1 of 3)'."""
        said = self.outcome.replace("_", " ") or self.state.value
        line = f"Callback: {said} (attempt {self.attempts} of {self.max_attempts})"
        if (at := self.next_attempt_at) is not None:
            line += f"; next try {at:%Y-%m-%d %H:%M} UTC"
        return line


@dataclass(frozen=True, slots=True, kw_only=True)
class CallbackRequested(Event):
    """A customer will be called: instead of holding (keeping their place), or at a chosen
    time (`scheduled_for`)."""

    name: ClassVar[str] = "callback.requested"
    job_id: str
    contact_id: str
    customer_id: str
    scheduled_for: datetime | None = None
    preferred_agent_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CallbackAttempted(Event):
    """One call to the customer and what came of it; `state` is the job's after it."""

    name: ClassVar[str] = "callback.attempted"
    job_id: str
    contact_id: str
    customer_id: str
    attempt: int
    outcome: str
    state: str
    next_attempt_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CallbackCancelled(Event):
    name: ClassVar[str] = "callback.cancelled"
    job_id: str
    contact_id: str
    customer_id: str
    reason: str
