"""How long a staffing answer takes: `teamline.wfm.staffing.required_agents` under Erlang C and A.

Issue 4 asks for one interval's answer in under 0.1 ms under Erlang C at any size and in under
20 ms under Erlang A. This script times, with `timeit` (the best of `--repeat` runs, each long
enough for 0.2 s, divided by its number of calls), one interval at 100; 10,000 and 1,000,000
calls per hour with handle times of 180 s and 600 s and the classic target of 80 % answered
within 20 s: under Erlang C; under Erlang A with 120 s mean patience; and under Erlang A with
60 s patience, at most 5 % abandoning and an ASA of at most 15 s (the costliest target, a
quadrature per agent count). It also times a day of 96 quarter-hour intervals at once (one
vectorised call, arrivals from 200 to 40,000 an hour), per model. Each case's answer (agents) is
printed beside its time, so a faster but wrong search shows.

`erlang_c_staffing_us` and `erlang_a_staffing_ms` are the worst single-interval means over the
sizes; the rest are the details. Figures depend on the machine and on what else runs on it (the
load average is in the output).

Run: `.venv/bin/python bench/erlang.py [--json] [--repeat 5]`. With `--json` it prints exactly
one JSON object; without, a table. The run takes under a minute.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import timeit
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy

from teamline.wfm.staffing import required_agents

SIZES = (100, 10_000, 1_000_000)
AHTS = (180.0, 600.0)
MODELS: dict[str, dict[str, Any]] = {
    "erlang_c": {},
    "erlang_a": {"patience_s": 120.0},
    "erlang_a_abandon_asa": {"patience_s": 60.0, "max_abandon": 0.05, "max_asa_s": 15.0},
}


def per_call_s(fn: Callable[[], object], repeat: int) -> float:
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    return min(timer.repeat(repeat=repeat, number=number)) / number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--repeat", type=int, default=5, help="timeit repeats (best is kept)")
    args = parser.parse_args()

    cases: list[dict[str, Any]] = []
    for model, extra in MODELS.items():
        for calls in SIZES:
            for aht in AHTS:

                def one(calls: int = calls, aht: float = aht, extra: dict[str, Any] = extra) -> int:
                    return int(
                        required_agents(calls, aht, service_level=0.8, threshold_s=20.0, **extra)
                    )

                seconds = per_call_s(one, args.repeat)
                cases.append(
                    {
                        "model": model,
                        "calls_per_hour": calls,
                        "aht_s": aht,
                        "agents": one(),
                        "us": round(seconds * 1e6, 1),
                    }
                )

    # a day of quarter hours: a morning peak and an afternoon one over a quiet night
    hours = np.arange(96) / 4.0
    arrivals = 200.0 + 40_000.0 * (
        np.exp(-(((hours - 10.5) / 2.0) ** 2)) + 0.7 * np.exp(-(((hours - 15.0) / 2.5) ** 2))
    )
    day: dict[str, Any] = {"intervals": 96}
    for model, extra in MODELS.items():
        seconds = per_call_s(
            lambda extra=extra: required_agents(arrivals, 300.0, **extra), max(1, args.repeat // 2)
        )
        day[f"{model}_ms"] = round(seconds * 1e3, 2)
        day[f"{model}_us_per_interval"] = round(seconds * 1e6 / 96, 1)
        day[f"{model}_agents_total"] = int(required_agents(arrivals, 300.0, **extra).sum())

    result = {
        "erlang_c_staffing_us": max(c["us"] for c in cases if c["model"] == "erlang_c"),
        "erlang_a_staffing_ms": round(
            max(c["us"] for c in cases if c["model"] != "erlang_c") / 1e3, 2
        ),
        "cases": cases,
        "day": day,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"{'model':22} {'calls/h':>10} {'AHT s':>6} {'agents':>8} {'per answer':>12}")
    for c in cases:
        print(
            f"{c['model']:22} {c['calls_per_hour']:>10,} {c['aht_s']:>6.0f} {c['agents']:>8,}"
            f" {c['us']:>9.1f} us"
        )
    print(
        f"worst: Erlang C {result['erlang_c_staffing_us']} us, "
        f"Erlang A {result['erlang_a_staffing_ms']} ms"
    )
    print("day of 96 intervals:", json.dumps(day))
    print("load average:", result["load_average"])


if __name__ == "__main__":
    main()
