"""The digital twin against SimPy on one M/M/c+M queue: the same figures, and who is faster.

Issue 4 asks Teamline's simulator (`teamline.sim`, which drives the real routing engine) to
reproduce a plain SimPy model of the same queue, service level and abandonment within 0.005,
and to run at least 5x faster. The model: 50 agents, 90 % offered load, exponential handle
times (mean 180 s) and exponential patience (mean 180 s), first come first served, service
level = answered within 20 s / all arrivals (abandons are misses), 1,000,000 calls.

Teamline: `single_team` (only the home-team ring, no wrap-up, offers accepted at once) run by
`teamline.sim.simulate`; every call is submitted, offered, accepted and completed (or abandoned)
through `RoutingEngine`'s public calls. SimPy: a `Resource` with 50 servers; each customer
requests one and gives up when its patience timeout fires first (the textbook SimPy reneging
model). Both timings include building and running the model; Teamline's includes its report.

By default SimPy replays the very customers Teamline drew (arrival times, handle times and
patience: common random numbers), so the two figures differ only if the two models behave
differently, not by luck: they should agree to rounding. `--independent` gives SimPy its own
random stream instead (then expect differences of a few thousandths at 1,000,000 calls: these
are heavily correlated queueing statistics).

Run: `.venv/bin/python bench/sim_vs_simpy.py [--json] [--calls 1000000] [--seed 1]
[--independent]`. With `--json` it prints exactly one JSON object: `teamline_s`, `simpy_s`,
`speedup` (simpy_s / teamline_s), `sl_teamline`, `sl_simpy`, `abandon_teamline`,
`abandon_simpy`, then the run's size and throughputs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import time
from collections.abc import Generator, Sequence
from typing import Any

import numpy as np
import simpy

from teamline.sim.engine_driver import simulate
from teamline.sim.model import HandleTime, single_team
from teamline.sim.report import build_report

AGENTS = 50
LOAD = 0.9
HANDLE_S = 180.0
PATIENCE_S = 180.0
THRESHOLD_S = 20


def run_teamline(calls: int, seed: int) -> tuple[float, dict[str, Any], Any]:
    started = time.perf_counter()
    rate_per_hour = LOAD * AGENTS / HANDLE_S * 3600
    scenario = single_team(
        AGENTS,
        rate_per_hour,
        HandleTime(HANDLE_S),
        patience_seconds=PATIENCE_S,
        max_contacts=calls,
        service_level_seconds=THRESHOLD_S,
    )
    result = simulate(scenario, np.random.default_rng(seed))
    report = build_report(result)
    return time.perf_counter() - started, report, result


def run_simpy(
    arrival: Sequence[float], handle: Sequence[float], patience: Sequence[float]
) -> tuple[float, float, float]:
    """(seconds, service level, abandonment) of the SimPy model over these customers."""
    started = time.perf_counter()
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=AGENTS)
    counts = {"in_time": 0, "abandoned": 0}

    def customer(give_up: float, work: float) -> Generator[Any, Any, None]:
        came = env.now
        with agents.request() as request:
            got = yield request | env.timeout(give_up)
            if request in got:
                if env.now - came <= THRESHOLD_S:
                    counts["in_time"] += 1
                yield env.timeout(work)
            else:
                counts["abandoned"] += 1

    def source() -> Generator[Any, Any, None]:
        for at, work, give_up in zip(arrival, handle, patience, strict=True):
            yield env.timeout(at - env.now)
            env.process(customer(give_up, work))

    env.process(source())
    env.run()
    n = len(arrival)
    return time.perf_counter() - started, counts["in_time"] / n, counts["abandoned"] / n


def independent_customers(
    calls: int, seed: int
) -> tuple[list[float], list[float], list[float], float]:
    """SimPy's own customers (seconds spent drawing them are returned, to add to its time)."""
    started = time.perf_counter()
    rng = random.Random(seed + 1_000_003)
    rate = LOAD * AGENTS / HANDLE_S
    t, arrival, handle, patience = 0.0, [], [], []
    for _ in range(calls):
        t += rng.expovariate(rate)
        arrival.append(t)
        handle.append(rng.expovariate(1 / HANDLE_S))
        patience.append(rng.expovariate(1 / PATIENCE_S))
    return arrival, handle, patience, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--independent", action="store_true", help="SimPy draws its own customers")
    args = parser.parse_args()
    if args.calls < 1:
        parser.error("--calls is positive")

    teamline_s, report, result = run_teamline(args.calls, args.seed)
    if args.independent:
        arrival, handle, patience, drawing_s = independent_customers(args.calls, args.seed)
    else:
        arrival, handle, patience = (
            result.arrival.tolist(),
            result.handle.tolist(),
            result.patience.tolist(),
        )
        drawing_s = 0.0
    del result
    simpy_s, sl_simpy, abandon_simpy = run_simpy(arrival, handle, patience)
    simpy_s += drawing_s
    total = report["total"]
    out = {
        "teamline_s": round(teamline_s, 2),
        "simpy_s": round(simpy_s, 2),
        "speedup": round(simpy_s / teamline_s, 3),
        "sl_teamline": total["service_level"],
        "sl_simpy": round(sl_simpy, 6),
        "abandon_teamline": total["abandon_rate"],
        "abandon_simpy": round(abandon_simpy, 6),
        "calls": args.calls,
        "customers": "independent" if args.independent else "common random numbers",
        "teamline_calls_per_s": round(args.calls / teamline_s),
        "simpy_calls_per_s": round(args.calls / simpy_s),
        "engine_calls": report["run"]["engine_calls"],
        "late_decisions": report["run"]["late_decisions"],
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.2f}",
    }
    if args.json:
        print(json.dumps(out))
        return
    print(
        f"{args.calls:,} calls, {AGENTS} agents, {LOAD:.0%} load ({out['customers']})\n"
        f"  Teamline (real routing engine) {teamline_s:8.2f} s  "
        f"{out['teamline_calls_per_s']:>8,} calls/s  SL {out['sl_teamline']:.4f}  "
        f"abandoned {out['abandon_teamline']:.4f}\n"
        f"  SimPy                          {simpy_s:8.2f} s  "
        f"{out['simpy_calls_per_s']:>8,} calls/s  SL {out['sl_simpy']:.4f}  "
        f"abandoned {out['abandon_simpy']:.4f}\n"
        f"  speedup (SimPy time / Teamline time) {out['speedup']:.2f}x (target 5x)"
    )


if __name__ == "__main__":
    main()
