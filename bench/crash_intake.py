"""The large crash test of issues 5, 6 and 9: kill -9 the server (and, with `--postgres`, crash
the database with `pg_ctl stop -m immediate`) at random moments while clients submit at least
20,000 acknowledged intake items of every kind; after the restarts every acknowledged item is
present, none twice, and the database passes its integrity check.

A fresh SQLite demo company (200 customers) is made in a temporary directory; then
`tests/support/crash_intake.py` (the same harness as the small test in `make test`) runs
`teamline serve` and strikes every 1-4 s while 6 clients send internal notes, customer
messages, contacts, callback requests, service orders (staff and website) and signed social
webhooks, each with its own `Idempotency-Key` (webhooks: `webhook-id`), resending every item
until it is acknowledged. The database is then read directly: each acknowledged item's marker
appears exactly once, the contacts created are exactly the acknowledged ones, and SQLite's
integrity and foreign-key checks (PostgreSQL: amcheck on every B-tree index) pass. With
`--postgres` the company lives in a private PostgreSQL cluster and half the strikes crash the
database instead of the server.

Run: `.venv/bin/python bench/crash_intake.py [--items 20000] [--clients 6] [--seed 1]
[--postgres] [--json]`.
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

import random  # noqa: E402

from support.crash_intake import KINDS, Server, kill_server, run  # noqa: E402
from support.pg_cluster import PrivateCluster  # noqa: E402


def demo_database(url: str, customers: int) -> str:
    env = {**os.environ, "TEAMLINE_DATABASE_URL": url,
           "TEAMLINE_DEMO_CUSTOMERS": str(customers)}  # fmt: skip
    teamline = [sys.executable, "-m", "teamline"]
    subprocess.run([*teamline, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([*teamline, "demo"], env=env, check=True, capture_output=True)
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", action="store_true", help="a private PostgreSQL cluster")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="teamline-crash-") as tmp:
        cluster = PrivateCluster.start(Path(tmp)) if args.postgres else None
        faults = [kill_server]
        if cluster is not None:
            url = demo_database(cluster.create_database("crash"), 200)

            def crash_database(server: Server, rng: random.Random) -> str:
                cluster.stop_immediate()
                cluster.restart()
                return "database crashed"

            faults.append(crash_database)
        else:
            url = demo_database(f"sqlite:///{Path(tmp) / 'teamline.db'}", 200)
        customers = [f"cus-{n:05d}" for n in range(1, 201)]

        def progress(done: int, total: int) -> None:
            if not args.json and done % 1000 == 0:
                print(f"  {done:,} / {total:,} acknowledged", flush=True)

        try:
            outcome = run(url, args.items, customers, clients=args.clients,
                          kill_every=(1.0, 4.0), seed=args.seed, progress=progress,
                          faults=faults)  # fmt: skip
        finally:
            if cluster is not None:
                cluster.close()
    report = {
        "items": len(outcome.items),
        "acknowledged": outcome.acknowledged,
        "kills": outcome.kills,
        "faults": {f: outcome.faults.count(f) for f in sorted(set(outcome.faults))},
        "database": "postgresql" if args.postgres else "sqlite",
        "resent": outcome.resent,
        "missing": len(outcome.missing),
        "lost": len(outcome.missing),
        "duplicates": len(outcome.duplicates),
        "duplicated": len(outcome.duplicates),
        "integrity_problems": outcome.integrity[:5],
        "seconds": round(outcome.seconds, 1),
        "items_per_s": round(outcome.acknowledged / outcome.seconds, 1),
        "by_kind": {k: sum(1 for i in outcome.items if i.kind == k) for k in sorted(set(KINDS))},
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
