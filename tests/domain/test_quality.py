"""QA sampling (DOMAIN.md 7; issue 7 item 3): 8 stratified samples per agent per month, every
complaint always, the same sample for the same seed."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teamline.domain.errors import InvalidInput
from teamline.domain.quality import (
    SAMPLES_PER_AGENT,
    Handled,
    Month,
    default_seed,
    iso_week,
    parse_month,
    sample_month,
    stable_hash,
)

ZONE = ZoneInfo("America/Chicago")
OCTOBER = Month(2026, 10)
CHANNELS = ("voice", "chat", "async", "email", "social", "callback")


def simulated_month(agents: int, seed: int) -> list[Handled]:
    """A month of handled conversations: 0 to 60 per agent on weighted channels, about 2% of
    them complained about, plus some from September and November that must be ignored."""
    rng = random.Random(seed)
    start = datetime(2026, 10, 1, tzinfo=ZONE)
    out: list[Handled] = []
    number = 0
    for a in range(agents):
        agent = f"agt-{a:04d}"
        count = rng.choice((0, 1, 3, 7, 8, 9)) if a % 10 == 0 else rng.randint(10, 60)
        for _ in range(count + 2):
            number += 1
            at = start + timedelta(seconds=rng.randrange(31 * 86400))
            if _ >= count:  # the two extra: just outside the month on either side
                at = start - timedelta(minutes=5) if _ == count else start + timedelta(days=31)
            channel = rng.choices(CHANNELS, (40, 20, 15, 10, 5, 10))[0]
            out.append(Handled(f"con-{number:07d}", agent, channel, at, rng.random() < 0.02))
    return out


def test_a_month_of_300_agents_gives_8_samples_each_every_complaint_and_the_same_again() -> None:
    """The acceptance of issue 7 item 3, over a simulated month with 300 agents."""
    conversations = simulated_month(300, seed=11)
    result = sample_month(conversations, OCTOBER, 42, ZONE)
    in_month = [c for c in conversations if c.at.astimezone(ZONE).month == 10]
    per_agent = Counter(c.agent_id for c in in_month)
    assert len(result.agents) == len(per_agent) >= 250
    for agent in result.agents:
        assert agent.conversations == per_agent[agent.agent_id]
        assert agent.sampled == min(SAMPLES_PER_AGENT, agent.conversations)
    assert any(a.conversations < SAMPLES_PER_AGENT for a in result.agents)  # the "fewer" case
    queued = {p.contact_id for p in result.picks}
    complained = {c.contact_id for c in in_month if c.complained}
    assert len(complained) > 50 and complained <= queued
    assert all(p.complaint == (p.contact_id in complained) for p in result.picks)
    assert len(queued) == len(result.picks)  # nobody queued twice
    again = sample_month(list(reversed(conversations)), OCTOBER, 42, ZONE)
    assert again == result
    other = sample_month(conversations, OCTOBER, 43, ZONE)
    assert {p.contact_id for p in other.picks} != queued


def test_samples_spread_over_channels_and_weeks() -> None:
    start = datetime(2026, 10, 1, 8, tzinfo=ZONE)  # Thursday of ISO week 40
    many_calls = [
        Handled(f"v{i}", "agt-1", "voice", start + timedelta(hours=7 * i), False) for i in range(70)
    ]
    few_emails = [
        Handled(f"e{i}", "agt-1", "email", start + timedelta(days=3 * i), False) for i in range(10)
    ]
    picks = sample_month(many_calls + few_emails, OCTOBER, 1, ZONE).agents[0].picks
    assert len(picks) == 8
    assert Counter(p.channel for p in picks) == {"voice": 4, "email": 4}
    weeks = Counter(p.week for p in picks)
    assert len(weeks) == 5 and max(weeks.values()) <= 2  # weeks 40-44 of 2026 all seen
    assert all(p.reason == f"stratified channel={p.channel} week={p.week}" for p in picks)


def test_a_complaint_is_queued_in_addition_and_says_why() -> None:
    start = datetime(2026, 10, 5, 9, tzinfo=ZONE)
    handled = [
        Handled(f"c{i}", "agt-1", "chat", start + timedelta(hours=i), i in (3, 17))
        for i in range(30)
    ]
    agent = sample_month(handled, OCTOBER, 5, ZONE).agents[0]
    assert agent.sampled == 8 and agent.complaints == 2
    reasons = {p.contact_id: p.reason for p in agent.picks}
    assert {"c3", "c17"} <= set(reasons)
    for cid in ("c3", "c17"):
        assert reasons[cid].endswith("complaint")
    assert len(agent.picks) == 8 + sum(1 for c in ("c3", "c17") if reasons[c] == "complaint")


def test_the_month_is_read_in_the_company_zone() -> None:
    # 03:00 UTC on 1 November is still 31 October in Chicago (UTC-5 that night)
    late = Handled("late", "agt-1", "voice", datetime(2026, 11, 1, 3, 0, tzinfo=UTC))
    assert [p.contact_id for p in sample_month([late], OCTOBER, 1, ZONE).picks] == ["late"]
    assert sample_month([late], OCTOBER, 1, ZoneInfo("Europe/Rome")).picks == []
    assert iso_week(late.at, ZONE) == "2026-W44"


def test_months_are_written_yyyy_mm_and_the_default_seed_is_the_month() -> None:
    assert parse_month(" 2026-10 ") == OCTOBER and str(OCTOBER) == "2026-10"
    assert Month(2026, 12).next == Month(2027, 1)
    assert default_seed(OCTOBER) == 202610
    for bad in ("2026-13", "2026/10", "26-10", "october", "2026-00", ""):
        with pytest.raises(InvalidInput) as caught:
            parse_month(bad)
        assert caught.value.field == "month"


_IN_ANOTHER_PROCESS = """
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo
from teamline.domain.quality import Handled, Month, sample_month
start = datetime(2026, 10, 1, 12, tzinfo=UTC)
handled = [Handled(f"c{i}", f"agt-{i % 7}", ("voice", "chat", "email")[i % 3],
                   start + timedelta(hours=13 * i)) for i in range(300)]
result = sample_month(handled, Month(2026, 10), 99, ZoneInfo("America/Chicago"))
print(",".join(p.contact_id for p in result.picks))
"""


def test_the_same_seed_gives_the_same_sample_in_another_process() -> None:
    # a fixed value: Python's hash() of a str changes with every process (PYTHONHASHSEED)
    assert stable_hash("agt-0001") == 0xA4B8B0552C30C797
    assert stable_hash("agt-0001") != stable_hash("agt-0002")
    picks = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", _IN_ANOTHER_PROCESS],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        picks.add(done.stdout.strip())
    assert len(picks) == 1 and len(next(iter(picks)).split(",")) == 7 * 8


handled_lists = st.lists(
    st.builds(
        Handled,
        contact_id=st.text("abcdef0123", min_size=1, max_size=6),
        agent_id=st.sampled_from(["agt-1", "agt-2", "agt-3"]),
        channel=st.sampled_from(CHANNELS),
        at=st.datetimes(
            min_value=datetime(2026, 9, 28), max_value=datetime(2026, 11, 3), timezones=st.just(UTC)
        ),
        complained=st.booleans(),
    ),
    max_size=80,
    unique_by=lambda c: c.contact_id,
)


@settings(max_examples=150, deadline=None)
@given(conversations=handled_lists, seed=st.integers(0, 2**64 - 1))
def test_any_month_min_8_per_agent_all_complaints_and_deterministic(
    conversations: list[Handled], seed: int
) -> None:
    result = sample_month(conversations, OCTOBER, seed, ZONE)
    in_month: dict[str, dict[str, Handled]] = {}
    for c in conversations:
        if c.at.astimezone(ZONE).month == 10 and c.at.astimezone(ZONE).year == 2026:
            in_month.setdefault(c.agent_id, {}).setdefault(c.contact_id, c)
    assert {a.agent_id for a in result.agents} == set(in_month)
    for agent in result.agents:
        mine = in_month[agent.agent_id]
        assert agent.conversations == len(mine)
        assert agent.sampled == min(8, len(mine))
        ids = [p.contact_id for p in agent.picks]
        assert len(ids) == len(set(ids)) and set(ids) <= set(mine)
        assert {cid for cid, c in mine.items() if c.complained} <= set(ids)
        # nothing but the 8 and the complaints
        assert all(p.stratified or p.complaint for p in agent.picks)
    assert sample_month(list(reversed(conversations)), OCTOBER, seed, ZONE) == result
