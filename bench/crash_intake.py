"""The large crash test of issue 5: kill -9 the server at random moments while clients submit at
least 20,000 acknowledged messages and callback requests; after the restarts every acknowledged
item is present, none twice.

A fresh SQLite demo company (200 customers) is made in a temporary directory; then
`tests/support/crash_intake.py` (the same harness as the small test in `make test`) runs
`teamline serve` and kills it every 1-4 s while 6 clients send internal notes, customer
messages, callback requests and service orders (staff and website), each with its own
`Idempotency-Key`, resending every item until it is acknowledged. The database is then read
directly: each acknowledged item's marker appears exactly once, and the callback contacts
created are exactly the acknowledged ones.

Run: `.venv/bin/python bench/crash_intake.py [--items 20000] [--clients 6] [--seed 1] [--json]`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the harness lives with the tests that also run it

from support.crash_intake import run  # noqa: E402


def demo_database(directory: Path, customers: int) -> Path:
    db = directory / "teamline.db"
    env = {**os.environ, "TEAMLINE_DATABASE_URL": f"sqlite:///{db}",
           "TEAMLINE_DEMO_CUSTOMERS": str(customers)}  # fmt: skip
    teamline = [sys.executable, "-m", "teamline"]
    subprocess.run([*teamline, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([*teamline, "demo"], env=env, check=True, capture_output=True)
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="teamline-crash-") as tmp:
        db = demo_database(Path(tmp), 200)
        customers = [f"cus-{n:05d}" for n in range(1, 201)]

        def progress(done: int, total: int) -> None:
            if not args.json and done % 1000 == 0:
                print(f"  {done:,} / {total:,} acknowledged", flush=True)

        outcome = run(db, args.items, customers, clients=args.clients, kill_every=(1.0, 4.0),
                      seed=args.seed, progress=progress)  # fmt: skip
    report = {
        "items": len(outcome.items),
        "acknowledged": outcome.acknowledged,
        "kills": outcome.kills,
        "resent": outcome.resent,
        "missing": len(outcome.missing),
        "duplicates": len(outcome.duplicates),
        "seconds": round(outcome.seconds, 1),
        "items_per_s": round(outcome.acknowledged / outcome.seconds, 1),
        "by_kind": {
            k: sum(1 for i in outcome.items if i.kind == k)
            for k in ("note", "message", "callback", "order", "web_order")
        },
        "ok": outcome.ok,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    if args.json:
        print(json.dumps(report))
    else:
        print(json.dumps(report, indent=2))
    sys.exit(0 if outcome.ok else 1)


if __name__ == "__main__":
    main()
