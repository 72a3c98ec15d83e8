"""Durable writes and timeline reads per second on PostgreSQL, with wrk as the load generator
(issue 9 item 7). App, database and load generator share this machine.

A private PostgreSQL cluster with its durable defaults (fsync on, synchronous_commit on) gets
the schema and a demo company; `teamline serve --workers N` serves it. wrk then
1. POSTs staff messages to random customers' threads (`POST /api/v1/messages`, each with its own
   `Idempotency-Key`: the message, its sequence number, the idempotency record and the outbox
   event are committed before the 201 leaves), and
2. GETs random customers' cross-channel timelines (`GET /api/v1/customers/{id}/timeline`).
Afterwards the database is counted: every 201 wrk saw is a stored message.

Run: `.venv/bin/python bench/api_load.py [--workers 2] [--connections 16] [--seconds 20] [--json]`
(needs `wrk`: `apt-get install wrk`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the private-cluster helper lives with the tests

from datetime import UTC, datetime  # noqa: E402

from sqlalchemy import text  # noqa: E402

from provenance import code_version  # noqa: E402
from teamline.services.demo import load_demo  # noqa: E402
from teamline.store.db import make_engine, session_factory  # noqa: E402
from teamline.store.migrate import upgrade  # noqa: E402
from teamline.store.uow import UnitOfWork  # noqa: E402

from support.pg_cluster import PrivateCluster  # noqa: E402
from support.servers import free_port, serve, token  # noqa: E402

CUSTOMERS = 200
POST_SCRIPT = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  n = 0
  math.randomseed(%(seed)d * 1000 + tid)
end
request = function()
  n = n + 1
  local c = string.format("cus-%%05d", math.random(1, %(customers)d))
  local body = '{"customer_id":"' .. c .. '","body":"bench reply ' .. tid .. '-' .. n .. '"}'
  -- every request its own key: thread and sequence number (a replayed key is not a write)
  wrk.headers["Idempotency-Key"] = string.format("bench-%%d-%%d-%%d", %(seed)d, tid, n)
  return wrk.format("POST", "/api/v1/messages", nil, body)
end
"""
GET_SCRIPT = """
math.randomseed(%(seed)d)
request = function()
  local c = string.format("cus-%%05d", math.random(1, %(customers)d))
  return wrk.format("GET", "/api/v1/customers/" .. c .. "/timeline")
end
"""


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(base: str, headers: dict[str, str], script: str, connections: int, seconds: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", lua.name]
    for name, value in {**headers, "Content-Type": "application/json"}.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, base], capture_output=True, text=True, check=True).stdout
    os.unlink(lua.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s|m)\b", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s|m)\b", output)
    total = int(re.search(r"(\d+) requests in", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       output)  # fmt: skip
    return {
        "per_s": rate,
        "p50_ms": _ms(*p50.groups()),
        "p99_ms": _ms(*p99.groups()),
        "requests": total,
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
    }


def demo(cluster: PrivateCluster) -> str:
    url = cluster.create_database("load")
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    load_demo(lambda: UnitOfWork(sessions), 7, CUSTOMERS, datetime.now(UTC))
    engine.dispose()
    return url


def count_messages(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT count(*) FROM messages WHERE body LIKE 'bench reply %'"))
        count = int(found.scalar_one())
    engine.dispose()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="API worker processes")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    with tempfile.TemporaryDirectory(prefix="teamline-load-") as tmp:
        cluster = PrivateCluster.start(Path(tmp))
        try:
            url = demo(cluster)
            port = free_port()
            server = serve(url, port, extra=["--workers", str(args.workers), "--no-access-log"])
            base = f"http://127.0.0.1:{port}"
            try:
                staff = token(base, "admin")
                values = {"seed": args.seed, "customers": CUSTOMERS}
                writes = wrk(base, staff, POST_SCRIPT % values, args.connections, args.seconds)
                reads = wrk(base, staff, GET_SCRIPT % values, args.connections, args.seconds)
            finally:
                server.terminate()
                server.wait(timeout=30)
            stored = count_messages(url)
        finally:
            cluster.close()
    acknowledged = writes["requests"] - writes["non_2xx"]
    report = {
        "writes_per_s": round(writes["per_s"], 1),
        "write_p50_ms": round(writes["p50_ms"], 2),
        "write_p99_ms": round(writes["p99_ms"], 2),
        "reads_per_s": round(reads["per_s"], 1),
        "read_p50_ms": round(reads["p50_ms"], 2),
        "read_p99_ms": round(reads["p99_ms"], 2),
        "writes_acknowledged": acknowledged,
        "writes_stored": stored,
        "non_2xx": writes["non_2xx"] + reads["non_2xx"],
        "socket_errors": writes["socket_errors"] + reads["socket_errors"],
        "workers": args.workers,
        "connections": args.connections,
        "seconds_each": args.seconds,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "code": code_version(),
    }
    if args.json:
        print(json.dumps(report))
        return
    for key, value in report.items():
        print(f"{key:>20}: {value}")


if __name__ == "__main__":
    main()
