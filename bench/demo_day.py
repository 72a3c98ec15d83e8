"""A whole day of the demo company through the digital twin, and how long it takes (issue 4).

Issue 4's acceptance: "A whole day of the demo company (all teams, all channels) simulates in
under 60 s." This builds the demo company's organisation exactly as `teamline demo` does
(`build_demo_company` with the demo seed; it is pure, in memory, no database: only its teams
and agents are used, so it is asked for a single customer and no months of history), turns it
into a twin `Scenario` and runs 24 hours of voice, chat and async arrivals through the real
routing engine with the default workflow (`default_workflow()`, wrap-up included).

How the day is made, and what is assumed (the demo company has an organisation but no traffic
model; each choice is named here so it can be argued with):

- Teams: the six regional teams (two per region: New York, Chicago, Los Angeles, with their
  standard hours 08:00-21:00 on a Tuesday, neighbours as the demo ranks them) and the national
  standard-care pool (always open), staffed with their frontline agents (supervisors do not
  answer). The escalation, executive, regulatory and social-care teams are in the scenario
  with nobody logged in: the twin generates frontline contacts only, which never go there.
- The day runs from Tuesday 00:00 in New York for 24 hours, so every region's whole local day
  is inside it. Contacts are prepaid-segment (standard hours): after a team's 9 p.m. cut-off,
  and before 8 a.m., its customers reach the national pool (the engine decides that).
- Arrivals per team and channel: a Poisson stream whose hourly rate follows the demo history's
  own local-hour weights (`demo_history._LIVE_HOURS` for voice and chat, `_WRITTEN_HOURS` for
  async, copied below) in the team's time zone; the channel mix is the demo history's weights
  for these three channels (voice 34 : chat 18 : async 16). A region's share of the volume is
  its customer weight (east 40 %, central 27 %, west 33 %), split between its two teams by
  frontline agents (the demo gives a customer to the team with the fewest customers per agent).
- Handle times: the workflow's own means (voice 300 s, chat 480 s, async 600 s), exponential;
  an agent takes one call, or up to 3 chats, or up to 5 async messages. Patience: voice 180 s,
  chat 300 s (assumed: a chat window is left open longer than a phone held), async none (the
  customer does not wait on the line).
- Shifts: per team, the agents each hour needs: Erlang A for voice (80 % within 20 s, AHT 330
  s with the 30 s wrap-up, patience 180 s, `teamline.wfm.staffing.required_agents`) plus chat
  and async workload at 85 % of the agents' capacity; 8-hour shifts are started greedily hour
  by hour to cover it (within the team's open hours: a shift starting later than 8 hours
  before the cut-off is a shorter, part-time one ending at it), never more shifts than the
  team has frontline agents. The national pool covers the after-hours contacts of all regions
  the same way, around the clock.
- The day's volume: the largest for which every regional team's need is met by its own
  headcount (the binding team's roster is then full), found by bisection.
- The engine's surge detection gets each team's mean rate of the day as its forecast (a flat
  forecast, like the live router's): the live channels' daily peak is ~1.7x that mean, so
  Poisson noise at the peak crosses the 2x bound now and then; `decisions` counts the surges.

`--scale N` gives every team N times its agents (and the day the volume they can carry): not
the demo company any more, but a measure of how far under 60 s its day is. The national pool's
answers to regional customers count as not home in the home share (after hours included).

Run: `.venv/bin/python bench/demo_day.py [--json] [--seed 1] [--scale 1]`. The wall time counts
building the organisation and the scenario, the simulation and the report. With `--json` it
prints exactly one JSON object: `wall_seconds`, `under_60s`, `simulate_seconds`, the day's size,
`total` and `channels` figures, `teams` (per team: the twin's report row and its roster) and
the machine.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from provenance import code_version
from teamline.domain.enums import AgentLevel, Channel, TeamKind
from teamline.domain.organisation import Team
from teamline.routing.workflow import Workflow, default_workflow
from teamline.services import demo_texts
from teamline.services.demo_company import build_demo_company
from teamline.sim.engine_driver import simulate
from teamline.sim.model import (
    ArrivalProfile,
    ArrivalStream,
    ChannelSetup,
    HandleTime,
    Scenario,
    Shift,
    TeamSetup,
)
from teamline.sim.report import build_report
from teamline.wfm.staffing import required_agents

DEMO_SEED = 20261125  # `teamline demo`'s default (config.Settings.demo_seed)
DEMO_NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
DAY_START = datetime(2026, 11, 24, 0, 0, tzinfo=ZoneInfo("America/New_York"))  # a Tuesday
HOURS = 24
SHIFT_H = 8
SEGMENT = "prepaid"  # the engine's default segment for a contact: standard hours
MIX = {Channel.VOICE: 34.0, Channel.CHAT: 18.0, Channel.ASYNC: 16.0}
# local-hour weights 0-23 of the demo history (services/demo_history.py)
LIVE_HOURS = (0, 0, 0, 0, 0, 0, 1, 2, 5, 8, 9, 9, 8, 8, 8, 8, 8, 8, 7, 6, 5, 3, 2, 1)
WRITTEN_HOURS = (1, 0, 0, 0, 0, 0, 1, 2, 4, 6, 6, 6, 6, 6, 5, 5, 5, 5, 6, 6, 6, 5, 4, 2)
HOUR_WEIGHTS = {Channel.VOICE: LIVE_HOURS, Channel.CHAT: LIVE_HOURS, Channel.ASYNC: WRITTEN_HOURS}
PATIENCE_S = {Channel.VOICE: 180.0, Channel.CHAT: 300.0, Channel.ASYNC: None}
CAPACITY = {Channel.VOICE: 1, Channel.CHAT: 3, Channel.ASYNC: 5}
MAX_WORK_OCCUPANCY = 0.85  # chat and async agents: share of their capacity planned busy


def organisation() -> tuple[list[Team], dict[str, int]]:
    """The demo company's teams and frontline agents per team, as `teamline demo` builds them."""
    company = build_demo_company(DEMO_SEED, DEMO_NOW, customer_count=1)
    frontline = dict.fromkeys((t.id for t in company.teams), 0)
    for agent in company.agents:
        if agent.level is not AgentLevel.SUPERVISOR:
            frontline[agent.team_id] += 1
    return company.teams, frontline


def team_shares(teams: Sequence[Team], frontline: dict[str, int]) -> dict[str, float]:
    """Each regional team's share of the day's contacts: its region's weight, by agents."""
    region_weight = {
        f"reg-{key}": w
        for (key, *_rest), w in zip(demo_texts.REGIONS, demo_texts.REGION_WEIGHTS, strict=True)
    }
    regional = [t for t in teams if t.kind is TeamKind.REGIONAL]
    out = {}
    for team in regional:
        region_agents = sum(frontline[t.id] for t in regional if t.region_id == team.region_id)
        out[team.id] = region_weight[team.region_id or ""] * frontline[team.id] / region_agents
    return out


def open_hours(team: Team) -> np.ndarray:
    """Whether the team serves standard-hours customers in each hour of the run (at its middle)."""
    return np.array(
        [
            team.hours.is_open(DAY_START + timedelta(hours=k, minutes=30), team.zone, SEGMENT)
            for k in range(HOURS)
        ]
    )


def hourly_rates(team: Team, daily: float) -> dict[Channel, np.ndarray]:
    """Arrivals per hour of each channel in each hour of the run, by the team's local hour."""
    local = [(DAY_START + timedelta(hours=k)).astimezone(team.zone).hour for k in range(HOURS)]
    total_mix = sum(MIX.values())
    out = {}
    for channel, share in MIX.items():
        weights = np.array(HOUR_WEIGHTS[channel], dtype=float)
        out[channel] = daily * share / total_mix * weights[local] / weights.sum()
    return out


def need(
    rates: dict[Channel, np.ndarray], wrap_up_s: float, handle: dict[str, float]
) -> np.ndarray:
    """Agents each hour needs: Erlang A for the calls, workload at 85 % for chats and async."""
    voice = required_agents(
        rates[Channel.VOICE],
        handle["voice"] + wrap_up_s,
        service_level=0.8,
        threshold_s=20.0,
        patience_s=PATIENCE_S[Channel.VOICE],
    ).astype(float)
    for channel in (Channel.CHAT, Channel.ASYNC):
        erlangs = rates[channel] * handle[channel.value] / 3600
        voice += erlangs / CAPACITY[channel] / MAX_WORK_OCCUPANCY
    return np.ceil(voice - 1e-9).astype(int)


def roster(
    need_per_hour: np.ndarray, is_open: np.ndarray, headcount: int
) -> tuple[list[Shift], int]:
    """Greedy 8-hour shifts covering the need in open hours; (shifts, agent-hours left unmet)."""
    hours = np.flatnonzero(is_open)
    if not hours.size:
        return [], 0
    close = int(hours[-1]) + 1
    always = bool(is_open.all())
    on_duty = np.zeros(HOURS + SHIFT_H, dtype=int)
    shifts: list[Shift] = []
    unmet = 0
    for k in hours:
        deficit = int(need_per_hour[k]) - int(on_duty[k])
        if deficit <= 0:
            continue
        start = int(k)
        end = start + SHIFT_H if always else min(start + SHIFT_H, close)
        take = min(deficit, headcount - len(shifts))
        unmet += deficit - take
        for _ in range(take):
            shifts.append(Shift(start * 3600.0, end * 3600.0))
        on_duty[start:end] += take
    return shifts, unmet


def plan_day(
    teams: Sequence[Team], frontline: dict[str, int], daily: float, workflow: Workflow
) -> dict[str, Any]:
    """Arrival rates and rosters of every team for a day of `daily` contacts."""
    shares = team_shares(teams, frontline)
    handle = dict(workflow.handle_seconds)
    rates: dict[str, dict[Channel, np.ndarray]] = {}
    shifts: dict[str, list[Shift]] = {}
    unmet: dict[str, int] = {}
    after_hours = {c: np.zeros(HOURS) for c in MIX}
    for team in teams:
        if team.id not in shares:
            continue
        rates[team.id] = hourly_rates(team, daily * shares[team.id])
        is_open = open_hours(team)
        for channel, r in rates[team.id].items():
            after_hours[channel] += np.where(is_open, 0.0, r)
        wanted = need(rates[team.id], workflow.wrap_up_seconds, handle)
        shifts[team.id], unmet[team.id] = roster(wanted, is_open, frontline[team.id])
    for team in teams:
        if team.kind is TeamKind.NATIONAL_POOL:
            wanted = need(after_hours, workflow.wrap_up_seconds, handle)
            shifts[team.id], unmet[team.id] = roster(wanted, open_hours(team), frontline[team.id])
    return {"rates": rates, "shifts": shifts, "unmet": unmet}


def day_volume(teams: Sequence[Team], frontline: dict[str, int], workflow: Workflow) -> float:
    """The most contacts a day for which every regional team's own agents meet its need."""
    regional = [t.id for t in teams if t.kind is TeamKind.REGIONAL]

    def fits(daily: float) -> bool:
        unmet = plan_day(teams, frontline, daily, workflow)["unmet"]
        return all(unmet[t] == 0 for t in regional)

    lo, hi = 0.0, 1000.0
    while fits(hi):
        lo, hi = hi, hi * 2
    for _ in range(30):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if fits(mid) else (lo, mid)
        if hi - lo < 1.0:
            break
    return math.floor(lo)


def scenario(teams: Sequence[Team], plan: dict[str, Any], workflow: Workflow) -> Scenario:
    setups = tuple(TeamSetup(t, 0, tuple(plan["shifts"].get(t.id, ()))) for t in teams)
    arrivals = tuple(
        ArrivalStream(team_id, ArrivalProfile(tuple(float(x) for x in r), 3600.0), channel)
        for team_id, by_channel in plan["rates"].items()
        for channel, r in by_channel.items()
    )
    channels = {
        c: ChannelSetup(HandleTime(workflow.handle_seconds[c.value]), PATIENCE_S[c]) for c in MIX
    }
    forecast = {
        team_id: float(sum(r.sum() for r in by_channel.values())) / HOURS
        for team_id, by_channel in plan["rates"].items()
    }
    return Scenario(
        teams=setups,
        arrivals=arrivals,
        channels=channels,
        workflow=workflow,
        horizon_seconds=HOURS * 3600.0,
        start=DAY_START.astimezone(UTC),
        forecast_per_hour=forecast,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--scale", type=int, default=1, help="N times the agents of every team (headroom)"
    )
    args = parser.parse_args()
    if args.scale < 1:
        parser.error("--scale is a positive whole number")

    started = time.perf_counter()
    workflow = default_workflow()
    teams, frontline = organisation()
    frontline = {team_id: n * args.scale for team_id, n in frontline.items()}
    daily = day_volume(teams, frontline, workflow)
    plan = plan_day(teams, frontline, daily, workflow)
    built = time.perf_counter()
    result = simulate(scenario(teams, plan, workflow), np.random.default_rng(args.seed))
    simulated = time.perf_counter()
    report = build_report(result)
    wall = time.perf_counter() - started

    team_rows = {}
    for team in teams:
        row = report["teams"][team.id]
        shifts = plan["shifts"].get(team.id, [])
        team_rows[team.id] = {
            "kind": team.kind.value,
            "zone": team.timezone,
            "frontline": frontline[team.id],
            "shifts": len(shifts),
            "first_shift_utc": min((s.start_seconds for s in shifts), default=None),
            "unmet_agent_hours": plan["unmet"].get(team.id, 0),
            **{
                k: row[k]
                for k in (
                    "offered",
                    "answered",
                    "abandoned",
                    "service_level",
                    "asa_seconds",
                    "abandon_rate",
                    "occupancy",
                    "home_share",
                    "overflow_out",
                    "overflow_in",
                )
            },
        }
        if team_rows[team.id]["first_shift_utc"] is not None:
            first = DAY_START + timedelta(seconds=team_rows[team.id]["first_shift_utc"])
            team_rows[team.id]["first_shift_utc"] = first.astimezone(UTC).strftime("%H:%M")
    out = {
        "wall_seconds": round(wall, 2),
        "under_60s": wall < 60.0,
        "build_seconds": round(built - started, 2),
        "simulate_seconds": round(simulated - built, 2),
        "report_seconds": round(wall - (simulated - started), 2),
        "day_start": DAY_START.isoformat(),
        "contacts_planned": daily,
        "contacts": report["run"]["contacts"],
        "engine_calls": report["run"]["engine_calls"],
        "late_decisions": report["run"]["late_decisions"],
        "decisions": report["run"]["decisions"],
        "agents_on_shift": sum(len(s) for s in plan["shifts"].values()),
        "total": report["total"],
        "channels": report["channels"],
        "teams": team_rows,
        "seed": args.seed,
        "scale": args.scale,
        "code": code_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.2f}",
    }
    if args.json:
        print(json.dumps(out))
        return
    print(
        f"demo company day from {DAY_START.isoformat()}: {out['contacts']:,} contacts "
        f"({daily:,} planned), {out['agents_on_shift']} agents on shifts, "
        f"{out['engine_calls']:,} engine calls"
    )
    print(
        f"wall {out['wall_seconds']} s (build {out['build_seconds']} s, simulate "
        f"{out['simulate_seconds']} s, report {out['report_seconds']} s): "
        f"under 60 s {out['under_60s']}"
    )
    total = report["total"]
    print(
        f"\nday total: SL {total['service_level']:.4f}  ASA {total['asa_seconds']:.1f} s  "
        f"abandoned {total['abandon_rate']:.4f}  occupancy {total['occupancy']:.3f}  "
        f"home share {total['home_share']:.3f}  overflow {total['overflow']:,}"
    )
    print(f"\n    {'channel':<8} {'offered':>8} {'SL':>7} {'ASA s':>8} {'aband.':>7}")
    for name, row in report["channels"].items():
        print(
            f"    {name:<8} {row['offered']:>8,} {row['service_level']:>7.4f} "
            f"{row['asa_seconds']:>8.1f} {row['abandon_rate']:>7.4f}"
        )
    print(
        f"\n    {'team':<17} {'agents':>6} {'shifts':>6} {'offered':>8} {'SL':>7} {'ASA s':>7} "
        f"{'aband.':>7} {'occ.':>6} {'home':>6} {'out':>6} {'in':>6}"
    )

    def f(x: float | None, spec: str) -> str:
        return "-" if x is None else format(x, spec)

    for team_id, r in team_rows.items():
        print(
            f"    {team_id:<17} {r['frontline']:>6} {r['shifts']:>6} {r['offered']:>8,} "
            f"{f(r['service_level'], '.4f'):>7} {f(r['asa_seconds'], '.1f'):>7} "
            f"{f(r['abandon_rate'], '.4f'):>7} {f(r['occupancy'], '.3f'):>6} "
            f"{f(r['home_share'], '.3f'):>6} {r['overflow_out']:>6} {r['overflow_in']:>6}"
        )
    national = report["teams"].get("team-national", {})
    print(
        f"\nthe national pool answered {national.get('overflow_in', 0):,} contacts of the regional "
        "teams' customers (after hours and overflow): counted as not home in the home share"
    )
    print(f"code {out['code']}; {out['machine']}")


if __name__ == "__main__":
    main()
