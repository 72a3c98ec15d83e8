"""How fast a running server says "503, retry later" when PostgreSQL goes away, and how fast it
serves again when the database returns (issue 9: 503 with Retry-After within 200 ms, recovery
within 5 s). A private cluster is stopped with `pg_ctl stop -m immediate` under a served demo
company; GET, POST and /readyz are timed while it is down; then it restarts (crash recovery) and
the time to the first 200 is measured.

Run: `.venv/bin/python bench/database_down.py [--rounds 20] [--json]`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the outage harness lives with the test that uses it

from provenance import code_version  # noqa: E402

from support.db_outage import measure  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="teamline-down-") as tmp:
        outage = measure(Path(tmp), rounds=args.rounds)
    times = sorted(a.seconds * 1000 for a in outage.during)
    report = {
        "answers": len(outage.during),
        "all_503": all(a.status == 503 for a in outage.during),
        "api_with_retry_after": all(
            a.retry_after for a in outage.during if a.path.startswith("/api/")
        ),
        "p50_ms": round(times[len(times) // 2], 1),
        "max_ms": round(times[-1], 1),
        "recovery_s": round(outage.recovery_seconds, 2),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "code": code_version(),
    }
    lines = [f"{key:>22}: {value}" for key, value in report.items()]
    print(json.dumps(report) if args.json else "\n".join(lines))


if __name__ == "__main__":
    main()
