"""What a run of the digital twin means: service figures per team and in total, as plain JSON.

This module owns the definitions of the figures, computed from a `SimResult` alone (no engine,
no clock): the same result gives the same report, and a seed gives the same result. Only
contacts arriving after the warm-up count; occupancy is measured from the warm-up to the last
arrival (the drain after it would dilute it).

    offered          contacts that arrived for the team (its customers: the home team)
    answered         accepted by an agent; abandoned: the customer left first;
                     unresolved: neither when the run stopped (the drain limit)
    service_level    answered within the team's threshold / offered (abandons are misses)
    p_wait           share not offered to an agent on arrival (abandons and unresolved wait)
    asa_seconds      mean time from arrival to answer, answered contacts only
    mean_queue_seconds  mean time from arrival to the first offer, or to abandoning
    abandon_rate     abandoned / offered
    occupancy        agent time busy (offered, talking, wrapping up; a chat is a share of the
                     agent) / agent time logged in, for the team's agents
    home_share       answered by the home team's own agents / answered
    returning        contacts of customers who called before (`customers.py`)
    same_agent_share of those answered, the share answered by the agent who completed the
                     customer's previous contact (continuity at work)
    overflow_out     the team's contacts answered by another team; overflow_in: the reverse

The total has the same contact figures over every team (each contact against its own team's
threshold), occupancy over every agent, and `overflow`: contacts answered outside their home
team. `channels` has the contact figures per channel.

Optional parts: `groups` (named sets of teams, say a storm region and the rest) with the team
figures summed over the set (home share is still "answered by the customer's own team";
overflow in counts contacts the set's agents answered for other teams' customers, so a set's
figures are its teams' figures added up), and `intervals`: the same figures per team and per
group for each interval of arrivals from second 0 (warm-up included; a contact counts in the
interval it arrived in, occupancy is the agent time inside the interval).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from teamline.sim.result import SimResult


def _num(x: float) -> float | None:
    return None if not math.isfinite(x) else round(float(x), 6)


def _ratio(a: float, b: float) -> float | None:
    return _num(a / b) if b else None


def overlap(rows: np.ndarray, a: float, b: float) -> np.ndarray:
    """Seconds of each interval (start, end, ...) inside [a, b]."""
    seconds: np.ndarray = np.clip(np.minimum(rows[:, 1], b) - np.maximum(rows[:, 0], a), 0.0, None)
    return seconds


def _contact_figures(result: SimResult, mask: np.ndarray, threshold: np.ndarray) -> dict[str, Any]:
    answer = result.answer_wait[mask]
    queue = result.queue_wait[mask]
    offered = int(mask.sum())
    answered_mask = ~np.isnan(answer)
    answered = int(answered_mask.sum())
    abandoned = int(result.abandoned[mask].sum())
    within = int((answer[answered_mask] <= threshold[mask][answered_mask]).sum())
    resolved = ~np.isnan(queue)
    back = result.returning[mask] & answered_mask
    return {
        "offered": offered,
        "answered": answered,
        "abandoned": abandoned,
        "unresolved": offered - answered - abandoned,
        "service_level": _ratio(within, offered),
        "p_wait": _ratio(int((~(queue <= 0)).sum()), offered),
        "asa_seconds": _num(float(answer[answered_mask].mean())) if answered else None,
        "mean_queue_seconds": _num(float(queue[resolved].mean())) if resolved.any() else None,
        "abandon_rate": _ratio(abandoned, offered),
        "returning": int(result.returning[mask].sum()),
        "same_agent_share": _ratio(int(result.same_agent[mask][back].sum()), int(back.sum())),
    }


def build_report(
    result: SimResult,
    interval_seconds: float | None = None,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, Any]:
    """Per team (by id), in total and per channel; with `groups`, per named set of teams; with
    `interval_seconds`, per interval too. Every value is JSON-able."""
    scenario = result.scenario
    setups = scenario.teams
    measured = result.arrival >= scenario.warmup_seconds
    seconds = np.array([s.team.service_level_seconds for s in setups], dtype=float)
    threshold = seconds[result.team] if len(result.team) else np.zeros(0)
    answered = measured & (result.agent_team >= 0)
    a, b = scenario.warmup_seconds, max(result.last_arrival, scenario.warmup_seconds)
    busy_s = overlap(result.busy, a, b) * result.busy[:, 2]  # weighted by the agent's share
    staffed_s = overlap(result.staffed, a, b)
    busy_team = result.busy[:, 3].astype(np.int64)
    staffed_team = result.staffed[:, 2].astype(np.int64)

    teams: dict[str, Any] = {}
    for k, setup in enumerate(setups):
        home = measured & (result.team == k)
        row = _contact_figures(result, home, threshold)
        served_home = answered & (result.team == k)
        by_home_team = int((served_home & (result.agent_team == k)).sum())
        busy = float(busy_s[busy_team == k].sum())
        staffed = float(staffed_s[staffed_team == k].sum())
        row |= {
            "service_level_seconds": setup.team.service_level_seconds,
            "agents": setup.agents + len(setup.shifts),
            "occupancy": _ratio(busy, staffed),
            "home_share": _ratio(by_home_team, row["answered"]),
            "overflow_out": row["answered"] - by_home_team,
            "overflow_in": int((answered & (result.agent_team == k) & (result.team != k)).sum()),
        }
        teams[setup.team.id] = row

    total = _contact_figures(result, measured, threshold)
    by_home = int((answered & (result.agent_team == result.team)).sum())
    busy_all = float(busy_s.sum())
    total |= {
        "agents": sum(s.agents + len(s.shifts) for s in setups),
        "occupancy": _ratio(busy_all, float(staffed_s.sum())),
        "home_share": _ratio(by_home, total["answered"]),
        "overflow": total["answered"] - by_home,
    }
    channels = {
        channel.value: _contact_figures(result, measured & (result.channel == c), threshold)
        for c, channel in enumerate(result.channels)
    }
    report: dict[str, Any] = {
        "run": {
            "contacts": len(result.arrival),
            "measured": int(measured.sum()),
            "warmup_seconds": scenario.warmup_seconds,
            "last_arrival_seconds": _num(result.last_arrival),
            "end_seconds": _num(result.end),
            "engine_calls": result.engine_calls,
            "late_decisions": result.late_decisions,
            "decisions": dict(result.decisions),
        },
        "total": total,
        "teams": teams,
        "channels": channels,
    }
    sets = {name: _members(result, ids, name) for name, ids in (groups or {}).items()}
    if sets:
        report["groups"] = {}
        for name, members in sets.items():
            home = measured & members[result.team]
            row = _contact_figures(result, home, threshold)
            served = answered & members[np.maximum(result.agent_team, 0)]
            by_home = int((home & answered & (result.agent_team == result.team)).sum())
            report["groups"][name] = row | {
                "teams": [t for t, m in zip(result.team_ids, members, strict=True) if m],
                "agents": sum(
                    setups[k].agents + len(setups[k].shifts) for k in members.nonzero()[0]
                ),
                "occupancy": _ratio(
                    float(busy_s[members[busy_team]].sum()),
                    float(staffed_s[members[staffed_team]].sum()),
                ),
                "home_share": _ratio(by_home, row["answered"]),
                "overflow_out": row["answered"] - by_home,
                "overflow_in": int((served & (result.agent_team != result.team)).sum()),
            }
    if interval_seconds is not None:
        if not interval_seconds > 0:
            raise ValueError("an interval is positive")
        each = {tid: np.arange(len(setups)) == k for k, tid in enumerate(result.team_ids)}
        report["intervals"] = {
            "interval_seconds": interval_seconds,
            "teams": {k: per_interval(result, m, interval_seconds) for k, m in each.items()},
            "groups": {k: per_interval(result, m, interval_seconds) for k, m in sets.items()},
        }
    return report


def _members(result: SimResult, team_ids: Sequence[str], name: str) -> np.ndarray:
    unknown = set(team_ids) - set(result.team_ids)
    if unknown:
        raise ValueError(f"group {name!r} names unknown teams {sorted(unknown)}")
    return np.array([t in team_ids for t in result.team_ids], dtype=bool)


def per_interval(
    result: SimResult, members: np.ndarray, interval_seconds: float
) -> list[dict[str, Any]]:
    """The figures of a set of teams (`members`: a flag per team) per interval of arrivals."""
    scenario = result.scenario
    span = scenario.horizon_seconds or result.last_arrival
    n = max(1, math.ceil(max(span, result.last_arrival) / interval_seconds))
    seconds = np.array([s.team.service_level_seconds for s in scenario.teams], dtype=float)
    j = np.minimum((result.arrival // interval_seconds).astype(np.int64), n - 1)
    home = members[result.team]
    answered = home & (result.agent_team >= 0)
    served = (result.agent_team >= 0) & members[np.maximum(result.agent_team, 0)]
    back = answered & result.returning

    def count(mask: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        w = None if weights is None else weights[mask]
        return np.bincount(j[mask], weights=w, minlength=n)

    offered, got = count(home), count(answered)
    within = count(answered & (result.answer_wait <= seconds[result.team]))
    wait = count(answered, np.nan_to_num(result.answer_wait))
    abandoned = count(home & result.abandoned)
    by_home = count(answered & (result.agent_team == result.team))
    overflow_in = count(served & (result.agent_team != result.team))
    returning, same = count(back), count(back & result.same_agent)
    busy_rows = result.busy[members[result.busy[:, 3].astype(np.int64)]]
    staffed_rows = result.staffed[members[result.staffed[:, 2].astype(np.int64)]]
    rows = []
    for k in range(n):
        a, b = k * interval_seconds, (k + 1) * interval_seconds
        busy = float((overlap(busy_rows, a, b) * busy_rows[:, 2]).sum())
        staffed = float(overlap(staffed_rows, a, b).sum())
        rows.append(
            {
                "start_seconds": a,
                "offered": int(offered[k]),
                "answered": int(got[k]),
                "abandoned": int(abandoned[k]),
                "service_level": _ratio(within[k], offered[k]),
                "asa_seconds": _ratio(wait[k], got[k]),
                "abandon_rate": _ratio(abandoned[k], offered[k]),
                "occupancy": _ratio(busy, staffed),
                "home_share": _ratio(by_home[k], got[k]),
                "same_agent_share": _ratio(same[k], returning[k]),
                "overflow_in": int(overflow_in[k]),
                "overflow_out": int(got[k] - by_home[k]),
            }
        )
    return rows


def batch_means(values: np.ndarray, batches: int = 30) -> tuple[float, float]:
    """(mean, standard error) of a correlated series by non-overlapping batch means.

    Waits of successive contacts are strongly correlated (a queue remembers), so the plain
    standard error understates the error many times; batches much longer than the queue's
    memory are close to independent. The tail that does not fill a batch is left out.
    """
    values = np.asarray(values, dtype=float)
    size = len(values) // batches
    if batches < 2 or size < 1:
        raise ValueError("need at least two batches of one value")
    means = values[: size * batches].reshape(batches, size).mean(axis=1)
    return float(means.mean()), float(means.std(ddof=1) / math.sqrt(batches))
