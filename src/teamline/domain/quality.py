"""Quality review by sampling (DOMAIN.md 7; issue 7 item 3): which conversations are reviewed.

The rule, written once and called by the CLI, the API and the services:

- The unit of review is a **handled conversation**: a contact of any channel that an agent took
  (assigned, in wrap-up or completed). It belongs to the agent who handled it and to the
  calendar month and ISO week of its arrival, read in the company's time zone.
- Each agent gets **8 stratified samples per calendar month** (all of them when they handled
  fewer): the agent's conversations are split into strata by (channel, ISO week); samples are
  taken one at a time from the stratum that keeps channels and weeks most evenly covered,
  a random conversation of it each time. So a month of 70 calls and 10 emails over 4 weeks
  gives samples spread over the 4 weeks and both channels, not 8 calls of one Tuesday.
- **Every conversation the customer complained about is reviewed, always**: added to the queue
  in addition to the 8 (reason `complaint`). The 8 are drawn from all conversations, complained
  about or not, so the random picture of the agent's work stays unbiased; a drawn conversation
  that was also complained about says both reasons.
- **Reproducible and auditable**: the randomness is `random.Random(seed ^ H(agent id))` where H
  is the first 8 bytes of SHA-256 (never Python's salted `hash()`), conversations are ordered
  by (arrival, id) before shuffling, and each pick carries the sentence that says why. The same
  seed and the same conversations give the same sample on any machine, in any process.

`sample_month` is a pure function: conversations in, picks out, no I/O.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from teamline.domain.errors import InvalidInput
from teamline.domain.hours import require_aware

SAMPLES_PER_AGENT = 8  # DOMAIN.md 7: "about 8 conversations per agent per calendar month"
HANDLED_STATES = frozenset({"assigned", "wrap_up", "completed"})
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, slots=True, order=True)
class Month:
    """A calendar month, written YYYY-MM."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 2000 <= self.year <= 2999:
            raise InvalidInput("month", f"{self} is not a month between 2000-01 and 2999-12")

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def start(self, zone: ZoneInfo) -> datetime:
        """The month's first instant in `zone` (aware)."""
        return datetime(self.year, self.month, 1, tzinfo=zone)

    def end(self, zone: ZoneInfo) -> datetime:
        """The next month's first instant in `zone`: the month is [start, end)."""
        following = self.next
        return datetime(following.year, following.month, 1, tzinfo=zone)


def parse_month(text: str) -> Month:
    """'2026-10' -> Month(2026, 10); anything else names the `month` field."""
    found = _MONTH.match(text.strip())
    if found is None:
        raise InvalidInput("month", f"{text!r} is not a month written YYYY-MM, e.g. 2026-10")
    return Month(int(found[1]), int(found[2]))


def month_of(at: datetime, zone: ZoneInfo) -> Month:
    local = require_aware(at).astimezone(zone)
    return Month(local.year, local.month)


def iso_week(at: datetime, zone: ZoneInfo) -> str:
    """The ISO week of `at` in `zone`, e.g. '2026-W44' (weeks may start in the month before)."""
    year, week, _ = require_aware(at).astimezone(zone).isocalendar()
    return f"{year}-W{week:02d}"


def default_seed(month: Month) -> int:
    """The seed used when none is given: the month itself (202610), so a re-run agrees."""
    return month.year * 100 + month.month


def stable_hash(text: str) -> int:
    """A 64-bit hash that is the same in every process (unlike the salted built-in `hash`)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


@dataclass(frozen=True, slots=True)
class Handled:
    """One handled conversation, as the sampler sees it."""

    contact_id: str
    agent_id: str
    channel: str
    at: datetime  # arrival, aware
    complained: bool = False

    def __post_init__(self) -> None:
        require_aware(self.at, "at")


class PickKind(StrEnum):
    STRATIFIED = "stratified"
    COMPLAINT = "complaint"


@dataclass(frozen=True, slots=True)
class Pick:
    """A conversation put in the review queue, and why."""

    contact_id: str
    agent_id: str
    channel: str
    week: str
    at: datetime
    stratified: bool  # one of the agent's 8
    complaint: bool  # the customer complained about it

    @property
    def reason(self) -> str:
        """The audit sentence: 'stratified channel=voice week=2026-W44', 'complaint' or both."""
        parts = [f"stratified channel={self.channel} week={self.week}"] if self.stratified else []
        if self.complaint:
            parts.append("complaint")
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class AgentSample:
    agent_id: str
    conversations: int  # handled in the month
    picks: tuple[Pick, ...]  # stratified first, in drawing order; then complaints by time

    @property
    def sampled(self) -> int:
        """How many of the agent's stratified samples were drawn (8, or all when fewer)."""
        return sum(1 for p in self.picks if p.stratified)

    @property
    def complaints(self) -> int:
        return sum(1 for p in self.picks if p.complaint)


@dataclass(frozen=True, slots=True)
class MonthSample:
    month: Month
    seed: int
    zone: str
    agents: tuple[AgentSample, ...]  # by agent id

    @property
    def picks(self) -> list[Pick]:
        return [p for a in self.agents for p in a.picks]


def _draw(
    conversations: Sequence[Handled], rng: random.Random, zone: ZoneInfo, count: int
) -> list[tuple[Handled, str]]:
    """`count` conversations spread over (channel, week) strata, each with its week."""
    strata: dict[tuple[str, str], list[Handled]] = {}
    for c in sorted(conversations, key=lambda c: (c.at, c.contact_id)):
        strata.setdefault((c.channel, iso_week(c.at, zone)), []).append(c)
    order = sorted(strata)
    rng.shuffle(order)  # who wins a tie between equally covered strata: seeded, not alphabetic
    for key in order:
        rng.shuffle(strata[key])
    taken: dict[str, int] = {}  # per channel and per week, their keys never collide
    per_stratum = dict.fromkeys(order, 0)
    drawn: list[tuple[Handled, str]] = []
    while len(drawn) < count:
        open_strata = [k for k in order if strata[k]]
        if not open_strata:
            break
        # an unvisited stratum first; then the one whose channel and week are least covered
        key = min(
            open_strata,
            key=lambda k: (per_stratum[k], taken.get(k[0], 0) + taken.get(k[1], 0)),
        )
        drawn.append((strata[key].pop(), key[1]))
        per_stratum[key] += 1
        taken[key[0]] = taken.get(key[0], 0) + 1
        taken[key[1]] = taken.get(key[1], 0) + 1
    return drawn


def sample_agent(
    agent_id: str,
    conversations: Sequence[Handled],
    seed: int,
    zone: ZoneInfo,
    per_agent: int = SAMPLES_PER_AGENT,
) -> AgentSample:
    """One agent's picks for one month: `per_agent` stratified, plus every complaint."""
    rng = random.Random(seed ^ stable_hash(agent_id))
    drawn = _draw(conversations, rng, zone, per_agent)
    picks = [
        Pick(c.contact_id, agent_id, c.channel, week, c.at, True, c.complained) for c, week in drawn
    ]
    chosen = {p.contact_id for p in picks}
    complaints = sorted(
        (c for c in conversations if c.complained and c.contact_id not in chosen),
        key=lambda c: (c.at, c.contact_id),
    )
    picks += [
        Pick(c.contact_id, agent_id, c.channel, iso_week(c.at, zone), c.at, False, True)
        for c in complaints
    ]
    return AgentSample(agent_id, len(conversations), tuple(picks))


def sample_month(
    conversations: Iterable[Handled],
    month: Month,
    seed: int,
    zone: ZoneInfo,
    per_agent: int = SAMPLES_PER_AGENT,
) -> MonthSample:
    """The review queue of `month`: for each agent with a handled conversation in the month
    (in `zone`), `per_agent` stratified samples (fewer only when they handled fewer) and every
    complained-about conversation. Conversations outside the month are ignored; a contact id
    seen twice counts once."""
    if per_agent < 0:
        raise InvalidInput("per_agent", "cannot sample a negative number of conversations")
    by_agent: dict[str, dict[str, Handled]] = {}
    for c in conversations:
        if month_of(c.at, zone) == month:
            by_agent.setdefault(c.agent_id, {}).setdefault(c.contact_id, c)
    agents = tuple(
        sample_agent(agent_id, list(by_agent[agent_id].values()), seed, zone, per_agent)
        for agent_id in sorted(by_agent)
    )
    return MonthSample(month, seed, zone.key, agents)
