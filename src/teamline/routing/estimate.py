"""Estimated wait per contact, with an honest band, and when to offer a callback (issue 3;
DOMAIN.md section 8: tell the customer their wait and position, offer a callback).

With `n` agents serving a queue, each handling `c` contacts at once in `h` seconds on average,
completions come at rate `r = n c / h`. A contact with `k - 1` ahead of it is reached at the k-th
completion: under exponential handle times that is a Gamma(k, r) time, mean `k / r` and standard
deviation `sqrt(k) / r`. The band is the mean +/- 1.28 sd (an 80 % interval), floored at 0. As
the contact's rings widen (neighbours, all teams, national pool) the rate grows by the agents
the new ring adds, from the moment it opens.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from teamline.domain.enums import CapacityClass
from teamline.routing.core import EngineCore, ts
from teamline.routing.model import Activity, RouteState
from teamline.routing.queues import team_pool

Z80 = 1.2816  # the 80 % two-sided normal quantile


@dataclass(frozen=True, slots=True)
class WaitEstimate:
    seconds: float
    low: float
    high: float
    position: int  # 1 = next in line
    serving_agents: int
    offer_callback: bool


def _servers(engine: EngineCore, team_id: str, cls: CapacityClass, lang: str) -> tuple[int, int]:
    """(agents, contacts at once each) of a team who could serve this kind of contact now."""
    agents = [
        s
        for s in engine._team_agents.get(team_id, [])
        if s.activity is not Activity.OFFLINE
        and lang in s.agent.languages
        and s.agent.capacity.get(cls, 0) > 0
    ]
    per = max((s.agent.capacity.get(cls, 0) for s in agents), default=0)
    return len(agents), per


def estimate_wait(engine: EngineCore, contact_id: str, now: datetime) -> WaitEstimate:
    t = ts(now)
    contact = engine._contact(contact_id)
    request = contact.request
    cls, lang = request.capacity_class, request.language
    if contact.state is not RouteState.QUEUED:
        return WaitEstimate(0.0, 0.0, 0.0, 0, 0, False)
    home = contact.home_team_id or ""
    pool = (team_pool(home), cls, lang, request.level)
    line = engine._queues.waiting(pool, engine.contacts)
    position = next((i + 1 for i, c in enumerate(line) if c.id == contact_id), len(line) + 1)
    # the rate grows as rings open: (from when, extra teams)
    stages: list[tuple[float, list[str]]] = [(t, [home])]
    start, steps = contact.plan or (t, ())
    for after, ring in steps[contact.rings_open :]:
        opens = start + after
        if ring == "neighbours":
            teams = list(engine.teams[home].neighbours) if home in engine.teams else []
            stages.append((max(opens, t), [x for x in teams if engine._lending.get(x, False)]))
        elif ring == "national":
            stages.append((max(opens, t), list(engine._national)))
    total_agents = 0
    rate = 0.0
    mean = math.inf
    work = float(position)  # completions needed before this contact is reached
    clock = t
    for i, (start, teams) in enumerate(stages):
        if start > clock and rate > 0:
            done = (start - clock) * rate
            if done >= work:
                break
            work -= done
            clock = start
        clock = max(clock, start)
        for team_id in teams:
            n, per = _servers(engine, team_id, cls, lang)
            total_agents += n
            rate += n * per / engine._handle_time(team_id, cls)
        last = i == len(stages) - 1
        next_start = stages[i + 1][0] if not last else math.inf
        if rate > 0 and clock + work / rate <= next_start:
            break
    if rate > 0:
        mean = clock - t + work / rate
    effective_rate = position / mean if mean > 0 else math.inf
    sd = math.sqrt(position) / effective_rate if effective_rate not in (0, math.inf) else 0.0
    low, high = max(0.0, mean - Z80 * sd), mean + Z80 * sd
    callback = cls is CapacityClass.VOICE and high >= engine.workflow.callback_offer_wait_seconds
    return WaitEstimate(mean, low, high, position, total_agents, callback)
