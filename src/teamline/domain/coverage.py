"""Dropped calls and bad coverage (DOMAIN.md 5; issue 6 item 5): the rules, with no I/O.

"On a complaint the system verifies the dropped call, checks for other complaints in the same
area, sends an engineer to investigate, and if reception is bad, gives the customer a free
microcell." Each step here is a pure function or a small state machine, and each decision comes
with the sentence an agent reads out:

- **Verification.** A complaint is *verified* when the network's call records show a call of
  that customer that ended `dropped` within `verify_window_minutes` of the time complained of
  (the nearest such call is the evidence). Otherwise the sentence says what the records do show.
- **Clustering.** Complaints in one area whose times lie within `cluster_window_hours` of each
  other form a cluster once there are `cluster_min_complaints` of them (3 in 24 hours by
  default): one engineering investigation for the area, never one per complaint.
- **Investigation.** A cluster, or one verified drop (`verified_drop_opens`), opens an
  investigation for the area; while one is active every new complaint of that area joins it
  (the complaint and the investigation as records: `domain/coverage_cases.py`).

      open -> confirmed_bad_reception -> fixed
      open -> no_fault_found | fixed

- **Microcell.** When engineers confirm bad reception, each complainant whose trouble is at home
  (with the address to ship to) gets a free microcell order, one per customer per investigation,
  also when their complaint joins after the confirmation.

The customer sees where their complaint stands (`complaint_status`), not the black box.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from teamline.domain.errors import InvalidInput
from teamline.domain.hours import require_aware
from teamline.domain.policy_data import Converter, build, int_of

AREA_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,39}$")
LINE_MAX = 40
CELL_MAX = 40


class CallEnd(StrEnum):
    """How a call ended, as the network recorded it."""

    NORMAL = "normal"
    DROPPED = "dropped"  # the network lost the call: what a complaint is checked against
    FAILED = "failed"  # never connected


def check_area(value: str, field_name: str = "area_id") -> str:
    value = value.strip()
    if not AREA_PATTERN.match(value):
        raise InvalidInput(
            field_name, "an area id is 1 to 40 letters, digits or . _ : - (e.g. 'north-17')"
        )
    return value


def clean_text(field_name: str, value: str, maximum: int, *, required: bool) -> str:
    value = value.strip()
    if required and not value:
        raise InvalidInput(field_name, "must not be empty")
    if len(value) > maximum:
        raise InvalidInput(field_name, f"at most {maximum} characters")
    if "\x00" in value:
        raise InvalidInput(field_name, "cannot hold NUL characters")
    return value


def _when(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _minutes(delta: timedelta) -> str:
    minutes = round(abs(delta.total_seconds()) / 60)
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class CoveragePolicy:
    """How close a dropped call must be to count, and what makes a cluster (data, not code)."""

    verify_window_minutes: int = 120
    cluster_min_complaints: int = 3
    cluster_window_hours: int = 24
    verified_drop_opens: bool = True  # one verified drop is enough to send an engineer

    def __post_init__(self) -> None:
        if not 1 <= self.verify_window_minutes <= 7 * 24 * 60:
            raise InvalidInput("verify_window_minutes", "between 1 minute and 7 days")
        if not 2 <= self.cluster_min_complaints <= 1000:
            raise InvalidInput("cluster_min_complaints", "a cluster is 2 to 1000 complaints")
        if not 1 <= self.cluster_window_hours <= 24 * 31:
            raise InvalidInput("cluster_window_hours", "between 1 hour and 31 days")

    @property
    def verify_window(self) -> timedelta:
        return timedelta(minutes=self.verify_window_minutes)

    @property
    def cluster_window(self) -> timedelta:
        return timedelta(hours=self.cluster_window_hours)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], prefix: str = "coverage") -> CoveragePolicy:
        def flag(value: object, f: str) -> bool:
            if not isinstance(value, bool):
                raise InvalidInput(f, "must be true or false")
            return value

        converters: dict[str, Converter] = {
            "verify_window_minutes": lambda v, f: int_of(v, f, minimum=1),
            "cluster_min_complaints": lambda v, f: int_of(v, f, minimum=2),
            "cluster_window_hours": lambda v, f: int_of(v, f, minimum=1),
            "verified_drop_opens": flag,
        }
        return build(data, prefix, converters, cls)


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One call as the network recorded it. `area_id` is the coverage area of the cell that
    carried it (the unit engineers investigate)."""

    customer_id: str
    line: str
    started_at: datetime
    ended_at: datetime
    end_reason: CallEnd
    cell_id: str
    area_id: str
    external_id: str | None = None
    id: int | None = None  # the stored row's number, once stored

    def __post_init__(self) -> None:
        require_aware(self.started_at, "started_at")
        require_aware(self.ended_at, "ended_at")
        if self.ended_at < self.started_at:
            raise InvalidInput("ended_at", "a call ends after it starts")
        if self.ended_at - self.started_at > timedelta(days=2):
            raise InvalidInput("ended_at", "a call record covers at most 2 days")
        clean_text("line", self.line, LINE_MAX, required=True)
        clean_text("cell_id", self.cell_id, CELL_MAX, required=True)
        check_area(self.area_id)
        if self.external_id is not None:
            clean_text("external_id", self.external_id, 100, required=True)


@dataclass(frozen=True, slots=True)
class Verification:
    verified: bool
    call: CallRecord | None  # the dropped call that verifies it
    explanation: str


def verify(
    occurred_at: datetime, calls: Sequence[CallRecord], policy: CoveragePolicy
) -> Verification:
    """Check a complaint against the customer's call records around `occurred_at`: the nearest
    call that ended `dropped` within the policy's window verifies it."""
    window = policy.verify_window
    start, end = occurred_at - window, occurred_at + window
    near = [c for c in calls if start <= c.ended_at <= end]
    dropped = [c for c in near if c.end_reason is CallEnd.DROPPED]
    span = f"between {_when(start)} and {_when(end)}"
    if dropped:
        best = min(dropped, key=lambda c: (abs(c.ended_at - occurred_at), c.ended_at))
        others = len(dropped) - 1
        more = f" ({others} more dropped in that window)" if others else ""
        text = (
            f"Verified: a call on line {best.line} dropped at {_when(best.ended_at)} in cell "
            f"{best.cell_id} (area {best.area_id}), {_minutes(best.ended_at - occurred_at)} "
            f"from the time complained of{more}."
        )
        return Verification(True, best, text)
    if near:
        ended = ", ".join(
            f"{n} {reason.value}"
            for reason in CallEnd
            if (n := sum(1 for c in near if c.end_reason is reason))
        )
        text = (
            f"Not verified: the network recorded {len(near)} call"
            f"{'' if len(near) == 1 else 's'} of this customer {span} ({ended}), none dropped."
        )
    else:
        text = f"Not verified: the network recorded no call of this customer {span}."
    return Verification(False, None, text)


@dataclass(frozen=True, slots=True)
class Clustering:
    clustered: bool
    complaint_ids: tuple[str, ...]  # the cluster, this complaint included (when clustered)
    explanation: str


def cluster(
    complaint_id: str,
    area_id: str,
    occurred_at: datetime,
    neighbours: Sequence[tuple[str, datetime]],
    policy: CoveragePolicy,
) -> Clustering:
    """Whether this complaint and the area's other complaints not yet investigated (id, time)
    make a cluster: at least `cluster_min_complaints` within one window of `cluster_window_hours`
    that holds this complaint. The densest such window wins; ties go to the earliest."""
    window = policy.cluster_window
    times = sorted([(occurred_at, complaint_id), *((t, i) for i, t in neighbours)])
    best: list[tuple[datetime, str]] = []
    for start, _ in times:
        if start > occurred_at or occurred_at - start > window:
            continue
        inside = [(t, i) for t, i in times if start <= t <= start + window]
        if len(inside) > len(best):
            best = inside
    need, hours = policy.cluster_min_complaints, policy.cluster_window_hours
    rule = f"{need} complaints within {hours} hours make a cluster"
    if len(best) >= need:
        first, last = best[0][0], best[-1][0]
        text = (
            f"Clustered: {len(best)} complaints about area {area_id} between {_when(first)} "
            f"and {_when(last)} ({rule})."
        )
        return Clustering(True, tuple(i for _, i in best), text)
    others = len(best) - 1
    text = (
        f"Not clustered: {others} other complaint{'' if others == 1 else 's'} about area "
        f"{area_id} within {hours} hours of this one ({rule})."
    )
    return Clustering(False, (), text)
