"""Delivering replies that leave by email or a social network (issue 5, items 6-7).

A reply is written as an `outbound_messages` row in the same transaction as the message it
carries (the reply hooks of `services/replies.py`), so an acknowledged reply is never lost.
`deliver_pending` then hands each pending row to a transport (an SMTP relay, a social
network's API) one attempt at a time:

- claim first (pending -> sending, a conditional update): two senders never send one row;
- a temporary failure goes back to pending and is retried after a growing pause;
- a permanent failure (the relay refused the recipient), or `max_attempts` used up: failed;
- accepted: sent, and never picked again.

Time is an input: each pass is told `now`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from teamline.store.outbound import FAILED, PENDING, SENT, Outbound
from teamline.store.uow import UnitOfWork

__all__ = [
    "DeliveryFailed",
    "DeliveryPolicy",
    "DeliveryReport",
    "Outbound",
    "Prepare",
    "Transport",
    "deliver_pending",
]

log = logging.getLogger("teamline.outbound")


class DeliveryFailed(Exception):
    """A transport could not hand the message over; `permanent` when retrying cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Transport(Protocol):
    """Hands one outbound message to the outside world, or raises `DeliveryFailed`."""

    def send(self, item: Outbound) -> None: ...


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    max_attempts: int = 5
    first_retry: timedelta = timedelta(minutes=1)
    longest_retry: timedelta = timedelta(hours=1)
    # an attempt still `sending` after this was made by a sender that died
    lease: timedelta = timedelta(minutes=5)
    batch: int = 100

    def retry_after(self, attempts: int) -> timedelta:
        """The pause before attempt `attempts + 1`: doubling from `first_retry`, capped."""
        if attempts <= 0:
            return timedelta(0)
        pause: timedelta = self.first_retry * (2 ** min(attempts - 1, 20))
        return min(pause, self.longest_retry)


@dataclass(slots=True)
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


# fills in what only the sending side knows (an email's Message-ID, say) inside the claim's
# transaction, and returns the row as it is to be sent
Prepare = Callable[[UnitOfWork, Outbound], Outbound]


def _due(item: Outbound, policy: DeliveryPolicy, now: datetime) -> bool:
    last_attempt = item.sent_at  # while not sent: when the last attempt started
    return last_attempt is None or now >= last_attempt + policy.retry_after(item.attempts)


def _finish(new_uow: Callable[[], UnitOfWork], item: Outbound, state: str, now: datetime) -> None:
    with new_uow() as uow:
        uow.outbound.finish(item.id, state, now)
        uow.commit()


def _claim(
    new_uow: Callable[[], UnitOfWork], item: Outbound, prepare: Prepare | None, now: datetime
) -> Outbound | None:
    with new_uow() as uow:
        if not uow.outbound.claim(item.id, item.attempts, now):
            return None  # another sender took it
        ready = prepare(uow, item) if prepare else item
        uow.commit()
    return ready


def deliver_pending(
    new_uow: Callable[[], UnitOfWork],
    channel: str,
    transport: Transport,
    now: datetime,
    policy: DeliveryPolicy = DeliveryPolicy(),
    prepare: Prepare | None = None,
) -> DeliveryReport:
    """One pass over the channel's pending replies that are due: each attempted once."""
    report = DeliveryReport()
    with new_uow() as uow:
        released = uow.outbound.release_stale(channel, now - policy.lease)
        items = uow.outbound.pending(channel, policy.batch)
        uow.commit()
    if released:
        log.warning("%d %s replies left sending by a stopped sender: retrying", released, channel)
    for item in items:
        if item.attempts >= policy.max_attempts:
            with new_uow() as uow:
                uow.outbound.finish(item.id, FAILED, was=PENDING)
                uow.commit()
            report.failed.append(item.id)
            continue
        if not _due(item, policy, now):
            continue
        ready = _claim(new_uow, item, prepare, now)
        if ready is None:
            continue
        try:
            transport.send(ready)
        except DeliveryFailed as exc:
            give_up = exc.permanent or item.attempts + 1 >= policy.max_attempts
            log.warning("%s reply %d not delivered (%s)%s", channel, item.id, exc,
                        ": giving up" if give_up else ": will retry")  # fmt: skip
            _finish(new_uow, item, FAILED if give_up else PENDING, now)
            (report.failed if give_up else report.retrying).append(item.id)
            continue
        _finish(new_uow, item, SENT, now)
        report.sent.append(item.id)
    return report
