"""Server-side render time of every page with the demo company loaded (issue 8: no page over
300 ms). Prints one JSON object per page (p50 and p99 in ms over `--rounds` renders, after two
warm-up renders) and a summary line.

The app runs in this process (the router rebuilt from the database, as `teamline serve` does)
and each page is requested through the ASGI interface with a signed-in session, so the time is
the server's alone: routing, services, database, templates; no network, no browser. Besides the
wall-clock time it reports the process's CPU time per render (`cpu_*`): on a machine shared
with other work the wall clock also counts the time spent waiting for a core.

Run: `.venv/bin/python bench/pages.py [--database teamline.db] [--rounds 30]`. Without
`--database` it loads the demo company (the `teamline demo` default, 5,000 customers) into a
temporary SQLite database first; with it, it works on a copy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from provenance import code_version
from teamline.app import create_app
from teamline.config import Settings
from teamline.services.demo import DEMO_PASSWORD, load_demo
from teamline.store.db import make_engine, session_factory
from teamline.store.migrate import upgrade
from teamline.store.uow import UnitOfWork

BUDGET_MS = 300.0


def _demo_database(folder: Path, source: Path | None) -> str:
    path = folder / "teamline.db"
    if source is not None:
        shutil.copyfile(source, path)
        for suffix in ("-wal", "-shm"):
            if Path(f"{source}{suffix}").exists():
                shutil.copyfile(f"{source}{suffix}", f"{path}{suffix}")
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)  # a database from an older checkout gets the newer tables
        engine.dispose()
        return f"sqlite:///{path}"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    settings = Settings(database_url=url)
    sessions = session_factory(engine)
    load_demo(lambda: UnitOfWork(sessions), settings.demo_seed, settings.demo_customers,
              datetime.now(UTC))  # fmt: skip
    engine.dispose()
    return url


def _sign_in(client: TestClient, role: str) -> None:
    client.cookies.clear()
    page = client.get("/login").text
    marker = 'name="csrf_token" value="'
    start = page.index(marker) + len(marker)
    token = page[start : page.index('"', start)]
    data = {"email": f"{role}@demo.teamline.dev", "password": DEMO_PASSWORD, "csrf_token": token}
    answer = client.post("/login", data=data, follow_redirects=False)
    if answer.status_code != 303:
        raise SystemExit(f"signing in as {role} failed: {answer.status_code} {answer.text[:200]}")


def _time(client: TestClient, path: str, rounds: int) -> dict[str, object]:
    samples, cpu = [], []
    for n in range(rounds + 2):
        started, cpu_started = time.perf_counter(), time.process_time()
        answer = client.get(path, follow_redirects=False)
        elapsed = (time.perf_counter() - started) * 1000
        cpu_ms = (time.process_time() - cpu_started) * 1000
        if answer.status_code != 200:
            raise SystemExit(f"{path}: {answer.status_code} {answer.text[:300]}")
        if n >= 2:  # two warm-up renders: template compilation, first queries
            samples.append(elapsed)
            cpu.append(cpu_ms)
    samples.sort()
    cpu.sort()
    p99 = samples[min(len(samples) - 1, round(0.99 * (len(samples) - 1)))]
    return {
        "page": path,
        "rounds": rounds,
        "p50_ms": round(statistics.median(samples), 1),
        "p99_ms": round(p99, 1),
        "max_ms": round(samples[-1], 1),
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "cpu_p99_ms": round(cpu[min(len(cpu) - 1, round(0.99 * (len(cpu) - 1)))], 1),
        "bytes": len(answer.content),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, help="a demo SQLite database to copy")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--keep", type=Path, help="keep the database it made at this path")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="teamline-pages-") as folder:
        url = _demo_database(Path(folder), args.database)
        if args.keep is not None:
            shutil.copyfile(Path(folder) / "teamline.db", args.keep)
        app = create_app(Settings(database_url=url, router_tick_seconds=0))
        results = []
        with TestClient(app) as client:
            _sign_in(client, "customer")
            maria = client.get("/api/v1/me").json()["customer_id"]
            by_role = {
                "customer": ["/me"],
                "agent": ["/agent", "/agent?q=Rossi", f"/agent/customers/{maria}"],
                "supervisor": ["/supervisor", "/supervisor/live", "/supervisor/staffing",
                               "/supervisor/quality", "/supervisor/what-if"],
            }  # fmt: skip
            client.cookies.clear()
            results.append(_time(client, "/login", args.rounds))
            for role, paths in by_role.items():
                _sign_in(client, role)
                for path in paths:
                    results.append(_time(client, path, args.rounds))
        for line in results:
            print(json.dumps(line))
        worst = max(float(str(r["p99_ms"])) for r in results)
        print(json.dumps({
            "summary": "pages", "pages": len(results), "worst_p99_ms": worst,
            "budget_ms": BUDGET_MS, "within_budget": worst <= BUDGET_MS,
            "database": "sqlite", "customers": "demo", "code": code_version(),
            "python": platform.python_version(), "cpus": os.cpu_count(),
            "load_average": os.getloadavg()[0], "argv": sys.argv[1:],
        }))  # fmt: skip


if __name__ == "__main__":
    main()
