"""How long `teamline demo` takes: building the company, and writing it to SQLite and PostgreSQL.

Issue 2 asks the demo company (5,000 customers with months of history) to load in under 30 s.
Run: `.venv/bin/python bench/demo_load.py [--customers N] [--postgres URL]`. Prints JSON.
There is no peer to compare with: the figure is absolute.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from teamline.services.demo import load_demo
from teamline.services.demo_company import build_demo_company
from teamline.store.db import make_engine, session_factory
from teamline.store.migrate import upgrade
from teamline.store.uow import UnitOfWork

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def load_into(url: str, customers: int) -> dict[str, float]:
    engine = make_engine(url)
    started = time.perf_counter()
    upgrade(engine)
    migrated = time.perf_counter()
    sessions = session_factory(engine)
    load_demo(lambda: UnitOfWork(sessions), 20261125, customers, NOW)
    loaded = time.perf_counter()
    engine.dispose()
    return {"migrate_s": round(migrated - started, 2), "load_s": round(loaded - migrated, 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--postgres", help="an EMPTY scratch database URL; its schema is dropped")
    args = parser.parse_args()

    started = time.perf_counter()
    company = build_demo_company(20261125, NOW, args.customers)
    built = time.perf_counter() - started
    report: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "customers": args.customers,
        "agents": len(company.agents),
        "contacts": len(company.contacts),
        "messages": sum(len(c.messages) for c in company.conversations),
        "build_s": round(built, 2),
    }
    with tempfile.TemporaryDirectory() as scratch:
        report["sqlite"] = load_into(f"sqlite:///{Path(scratch) / 'bench.db'}", args.customers)
    if args.postgres:
        engine = make_engine(args.postgres)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        report["postgres"] = load_into(args.postgres, args.customers)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
