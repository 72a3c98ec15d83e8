"""SLA clocks of a case: first response, next response, resolution, and fixed deadlines.

Issue 7 item 1. A clock counts *business* time on the calendar of the team that holds the case
(`domain/business_calendar.py`) against a target in business minutes; it pauses while the case
waits on the customer (that time is theirs, not ours) and stops when it is met. Two clocks count
wall-clock time to a fixed instant and never pause, because nobody outside grants us more time:
a regulator's statutory deadline and a card issuer's chargeback deadline (DOMAIN.md 4).

A running clock knows, from the instant it (re)started, when it will reach its warning share of
the target (75% by default) and when it breaches; both instants are stored, so a sweep finds due
alerts with one indexed query and never needs the calendar. `warned` and `breached` remember that
the alert was raised, so each is raised exactly once per clock (`due_alerts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from teamline.domain.business_calendar import ZERO, BusinessCalendar
from teamline.domain.errors import InvalidInput


class ClockKind(StrEnum):
    FIRST_RESPONSE = "first_response"  # from opening (or a handoff) to the holder's first reply
    NEXT_RESPONSE = "next_response"  # from a customer's message to the next reply
    RESOLUTION = "resolution"  # from opening (or a handoff) to solved
    STATUTORY = "statutory"  # a regulator's deadline in calendar days: never pauses
    ISSUER_DEADLINE = "issuer_deadline"  # the card issuer's chargeback deadline: never pauses

    @property
    def pausable(self) -> bool:
        return self not in FIXED_DEADLINES


FIXED_DEADLINES = frozenset({ClockKind.STATUTORY, ClockKind.ISSUER_DEADLINE})


class ClockStatus(StrEnum):
    RUNNING = "running"
    WARNING = "warning"  # past the warning share of its target, not yet breached
    BREACHED = "breached"
    PAUSED = "paused"  # waiting on the customer
    MET = "met"  # stopped in time
    MET_LATE = "met_late"  # stopped after the breach

    @property
    def late(self) -> bool:
        """Breached now, or met after its breach."""
        return self in (ClockStatus.BREACHED, ClockStatus.MET_LATE)


class Alert(StrEnum):
    WARNING = "warning"
    BREACH = "breach"


@dataclass
class SlaClock:
    """One clock. `spent` is the business time consumed before `running_since`; a clock that is
    not running has no `running_since` and no due instants (paused) or a `stopped_at` (met)."""

    kind: ClockKind
    target: timedelta
    started_at: datetime
    spent: timedelta = ZERO
    running_since: datetime | None = None
    warn_at: datetime | None = None
    due_at: datetime | None = None
    stopped_at: datetime | None = None
    warned: bool = False
    breached: bool = False

    @classmethod
    def start(
        cls,
        kind: ClockKind,
        target: timedelta,
        calendar: BusinessCalendar,
        now: datetime,
        warning_share: float,
    ) -> SlaClock:
        """A business-time clock running from `now` against `target`."""
        if kind in FIXED_DEADLINES:
            raise InvalidInput("kind", f"a {kind.value} clock runs to a fixed deadline")
        if target <= ZERO:
            raise InvalidInput("target", "an SLA target must be positive")
        clock = cls(kind, target, now)
        clock._run(calendar, now, warning_share)
        return clock

    @classmethod
    def deadline(
        cls, kind: ClockKind, due_at: datetime, now: datetime, warning_share: float
    ) -> SlaClock:
        """A wall-clock countdown to a fixed instant (statutory, issuer); never paused."""
        if kind not in FIXED_DEADLINES:
            raise InvalidInput("kind", f"a {kind.value} clock counts business time")
        if due_at <= now:
            raise InvalidInput("deadline", "the deadline has already passed")
        window = due_at - now
        clock = cls(kind, window, now, running_since=now, due_at=due_at)
        clock.warn_at = now + window * warning_share
        return clock

    def _run(self, calendar: BusinessCalendar, now: datetime, warning_share: float) -> None:
        self.running_since = now
        left = self.target - self.spent
        self.due_at = calendar.add(now, max(left, ZERO))
        self.warn_at = calendar.add(now, max(self.target * warning_share - self.spent, ZERO))

    @property
    def running(self) -> bool:
        return self.running_since is not None

    @property
    def stopped(self) -> bool:
        return self.stopped_at is not None

    def elapsed(self, calendar: BusinessCalendar, now: datetime) -> timedelta:
        """Time counted so far: business time, or wall time for a fixed deadline."""
        if self.running_since is None:
            return self.spent
        if self.kind in FIXED_DEADLINES:
            return self.spent + max(now - self.running_since, ZERO)
        return self.spent + calendar.elapsed(self.running_since, now)

    def pause(self, calendar: BusinessCalendar, now: datetime) -> None:
        """Stop counting while the case waits on the customer; fixed deadlines keep running."""
        if not self.kind.pausable or self.running_since is None:
            return
        self.spent = self.elapsed(calendar, now)
        self.running_since = self.warn_at = self.due_at = None

    def resume(self, calendar: BusinessCalendar, now: datetime, warning_share: float) -> None:
        """Count again from `now`: the due instant moves by the business time spent paused."""
        if self.running_since is not None or self.stopped:
            return
        self._run(calendar, now, warning_share)

    def stop(self, calendar: BusinessCalendar, now: datetime) -> None:
        """The clock is met (replied, solved): it counts no more and raises no more alerts."""
        if self.stopped:
            return
        if self.running_since is not None:
            # a late stop is late even if the sweep never ran: judge by the due instant
            if self.due_at is not None and now >= self.due_at:
                self.breached = True
            self.spent = self.elapsed(calendar, now)
        self.running_since = self.warn_at = self.due_at = None
        self.stopped_at = now

    def status(self, now: datetime) -> ClockStatus:
        if self.stopped:
            return ClockStatus.MET_LATE if self.breached else ClockStatus.MET
        if self.running_since is None:
            return ClockStatus.BREACHED if self.breached else ClockStatus.PAUSED
        if self.breached or (self.due_at is not None and now >= self.due_at):
            return ClockStatus.BREACHED
        if self.warned or (self.warn_at is not None and now >= self.warn_at):
            return ClockStatus.WARNING
        return ClockStatus.RUNNING

    def due_alerts(self, now: datetime) -> list[Alert]:
        """Alerts whose instant has come and that were not raised yet; marks them raised.

        A breach found without its warning (the sweep was down for the whole window) raises
        both, warning first, so the trail never skips a step.
        """
        if self.running_since is None:
            return []
        alerts = []
        if not self.warned and self.warn_at is not None and now >= self.warn_at:
            self.warned = True
            alerts.append(Alert.WARNING)
        if not self.breached and self.due_at is not None and now >= self.due_at:
            if not self.warned:
                self.warned = True
                alerts.append(Alert.WARNING)
            self.breached = True
            alerts.append(Alert.BREACH)
        return alerts

    def next_alert_at(self) -> datetime | None:
        """When this clock next needs the sweep, or None."""
        if self.running_since is None:
            return None
        if not self.warned and self.warn_at is not None:
            return self.warn_at
        if not self.breached and self.due_at is not None:
            return self.due_at
        return None
