"""The callback runner: dials the customers the router says to call, retries, gives up, and
writes every outcome on the customer's timeline (DOMAIN.md section 1; issue 5 item 5).

One pass (`run`, called on every router tick by the process that routes the shard, so one
runner per shard) does, each job in a transaction of its own:
1. jobs whose contact ended before anyone called (the customer got through meanwhile): cancelled;
2. retries that are due: the next attempt waits in line as a new contact, in the first one's
   place;
3. jobs whose contact an agent took (the router's DIAL_CALLBACK, durable as the contact's
   `assigned` state): claimed (a conditional update: never dialled twice), then dialled;
4. calls claimed long ago that never reported an outcome (a crash mid-call, a lost status
   callback): counted as unanswered.

Dialling goes through the `OutboundCalls` port: a telephony provider (`channels/twilio_dialer.py`
places the call and its outcome comes back by status callback, `record_outcome`), or, with none
configured, `AgentDials`: the agent who took the contact dials by hand. No answer frees the agent
(the attempt's contact completes) and the job is retried after `retry_minutes`, at most
`max_attempts` calls in all, then failed. Jobs are rows, so all of this survives a restart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from teamline.domain.callbacks import (
    CallbackAttempted,
    CallbackCancelled,
    CallbackJob,
    CallOutcome,
    JobState,
)
from teamline.domain.enums import Channel
from teamline.domain.errors import TeamlineError
from teamline.routing.model import ContactKind
from teamline.services.callbacks import CallbackPolicy
from teamline.services.contacts import record_contact
from teamline.services.router import Router
from teamline.store.uow import UnitOfWork

__all__ = ["AgentDials", "CallOutcome", "CallbackRunner", "OutboundCalls"]

log = logging.getLogger("teamline.callbacks")
# a claimed call with no outcome after this long never reported one (rings stop after a minute)
STUCK_AFTER = timedelta(minutes=15)


class OutboundCalls(Protocol):
    """The port to a telephony provider: place a call to the job's customer, to be bridged to
    `agent_id` when answered. Answers the outcome, or PLACED when it comes later (then the
    provider's status callback calls `CallbackRunner.record_outcome`)."""

    def place(self, job: CallbackJob, agent_id: str | None) -> CallOutcome: ...


class AgentDials:
    """No provider configured: the agent who took the contact dials from their own phone (the
    desktop shows the DIAL_CALLBACK decision with the number); the job is handed over."""

    def place(self, job: CallbackJob, agent_id: str | None) -> CallOutcome:
        return CallOutcome.AGENT_DIALS


@dataclass
class CallbackRunner:
    new_uow: Callable[[], UnitOfWork]
    router: Router
    dialer: OutboundCalls
    policy: CallbackPolicy

    def run(self, now: datetime) -> int:
        """One pass over the jobs that need something now; how many moved."""
        return (
            self._cancel_orphans(now)
            + self._requeue_due(now)
            + self._dial_ready(now)
            + self._give_up_stuck(now)
        )

    # ---- the passes --------------------------------------------------------------------------

    def _cancel_orphans(self, now: datetime) -> int:
        with self.new_uow() as uow:
            jobs = uow.callbacks.orphaned()
        moved = 0
        for job in jobs:
            with self.new_uow() as uow:
                contact = uow.timeline.contact(job.contact_id)
                why = f"contact {contact.state.value} before the call" if contact else "no contact"
                job.cancel(why, now)
                if not uow.callbacks.save(job, JobState.WAITING):
                    continue
                uow.journal.record(
                    CallbackCancelled(at=now, job_id=job.id, contact_id=job.contact_id,
                                      customer_id=job.customer_id, reason=why)
                )  # fmt: skip
                uow.commit()
                moved += 1
        return moved

    def _requeue_due(self, now: datetime) -> int:
        with self.new_uow() as uow:
            jobs = uow.callbacks.due_retries(now)
        moved = 0
        for job in jobs:
            with self.new_uow() as uow:
                customer = uow.customers.get(job.customer_id)
                place = uow.callbacks.place_of(job.contact_id)
                if customer is None or place is None:
                    continue
                channel, virtual_start = place  # a retry keeps the first attempt's place
                attempt = record_contact(
                    uow, customer, Channel(channel), now, kind=ContactKind.CALLBACK,
                    virtual_start=virtual_start, preferred_agent_id=job.preferred_agent_id,
                )  # fmt: skip
                job.requeued(attempt.id, now)
                if not uow.callbacks.save(job, JobState.RETRY):
                    continue
                uow.commit()
            with suppress(TeamlineError):  # refused now: the router's reconcile routes it
                self.router.submit(attempt.id, now)
            moved += 1
        return moved

    def _dial_ready(self, now: datetime) -> int:
        with self.new_uow() as uow:
            jobs = uow.callbacks.ready_to_dial()
        moved = 0
        for job in jobs:
            with self.new_uow() as uow:
                contact = uow.timeline.contact(job.contact_id)
                job.start_dialling(now)
                if not uow.callbacks.save(job, JobState.WAITING):
                    continue  # claimed by someone else
                uow.commit()
            try:
                outcome = self.dialer.place(job, contact.agent_id if contact else None)
            except Exception:  # the provider failed: an attempt that reached nobody
                log.exception("placing callback %s failed", job.id)
                outcome = CallOutcome.FAILED
            self.record_outcome(job.id, outcome, now)
            moved += 1
        return moved

    def _give_up_stuck(self, now: datetime) -> int:
        with self.new_uow() as uow:
            jobs = uow.callbacks.stuck_dialling(now - STUCK_AFTER)
        for job in jobs:
            self.record_outcome(job.id, CallOutcome.NO_ANSWER, now)
        return len(jobs)

    # ---- outcomes ----------------------------------------------------------------------------

    def record_outcome(
        self, job_id: str, outcome: CallOutcome, now: datetime
    ) -> CallbackJob | None:
        """What a call gave, on the job and the customer's timeline. A job not being dialled
        (a repeated status callback) is left as it is."""
        with self.new_uow() as uow:
            job = uow.callbacks.get(job_id)
            if job is None or job.state is not JobState.DIALLING:
                return job
            job.dialled(outcome, now, self.policy.retry_after)
            if not uow.callbacks.save(job, JobState.DIALLING):
                return uow.callbacks.get(job_id)
            if outcome.is_final:
                uow.routing.set_contact(job.contact_id, subject=job.describe()[:200])
                uow.journal.record(
                    CallbackAttempted(
                        at=now, job_id=job.id, contact_id=job.contact_id,
                        customer_id=job.customer_id, attempt=job.attempts,
                        outcome=outcome.value, state=job.state.value,
                        next_attempt_at=job.next_attempt_at,
                    )
                )  # fmt: skip
            uow.commit()
        if outcome.is_final and not outcome.reached:
            # nobody to talk to: the agent who waited for the call is free again
            with suppress(TeamlineError):
                self.router.complete(job.contact_id, now)
        return job
