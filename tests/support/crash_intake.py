"""Kill the server at random moments while clients submit messages and callback requests, and
prove that every acknowledged item is stored exactly once (issue 5 acceptance; used by
`tests/channels/test_crash_intake.py` (small) and `bench/crash_intake.py` (large)).

Clients send every item with its own `Idempotency-Key` and resend it, with the same key, until
it is acknowledged (HTTP 201), across kills and restarts: the server must answer a resend of a
committed item with the first answer and write nothing more. Items are internal notes (staff),
messages from a customer to their own thread, callback requests (a `callback` contact) and
service orders from staff (hotline) and from the customer (website): issue 6 asks that an order
appear exactly once even when the server is killed right after acknowledging it.
Afterwards the database is read directly: each item's marker appears exactly once, and the
callback contacts are exactly the acknowledged ones.
"""

from __future__ import annotations

import random
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import text

from teamline.store.db import make_engine

from support.servers import free_port, serve, token

API = "/api/v1"
MARIA = "cus-00001"
MAX_ATTEMPTS = 60  # an item still refused after this many sends is a failure, not a wait


@dataclass
class Item:
    key: str
    kind: str  # note, message, callback, order (staff), web_order (the customer's own)
    customer_id: str
    acknowledged_id: str | None = None
    attempts: int = 0
    last_answer: str = ""
    refusals: int = 0  # answers that were not an acknowledgement (not counting a down server)


@dataclass
class Outcome:
    items: list[Item]
    kills: int
    seconds: float
    acknowledged: int
    resent: int
    duplicates: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.duplicates and not self.missing and self.acknowledged == len(self.items)


class Server:
    """One `teamline serve` process over a SQLite file, killed and started again on demand."""

    def __init__(self, db: Path) -> None:
        self.url = f"sqlite:///{db}"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.lock = threading.Lock()

    def start(self) -> None:
        self.process = serve(self.url, self.port)

    def kill(self) -> None:
        with self.lock:
            if self.process is not None:
                self.process.send_signal(signal.SIGKILL)
                self.process.wait(timeout=10)
            self.start()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def _send(client: httpx.Client, base: str, headers: dict[str, str], item: Item) -> str | None:
    """One attempt: the acknowledged record's id, or None (not acknowledged: send again)."""
    marker = f"[intake {item.key}]"
    if item.kind == "callback":
        path, body = "/contacts", {"customer_id": item.customer_id, "channel": "callback",
                                   "kind": "callback", "first_words": marker}  # fmt: skip
    elif item.kind in ("order", "web_order"):
        source = "website" if item.kind == "web_order" else "hotline"
        path, body = "/orders", {"kind": "new_connection", "source": source, "note": marker,
                                 "address": "12 Harbour Street"}  # fmt: skip
        if item.kind == "order":
            body["customer_id"] = item.customer_id
    elif item.kind == "message":
        path, body = "/messages", {"body": f"a question {marker}"}
    else:
        path, body = "/messages", {"customer_id": item.customer_id, "internal": True,
                                   "body": f"note {marker}"}  # fmt: skip
    try:
        answer = client.post(f"{base}{API}{path}", json=body, timeout=10,
                             headers={**headers, "Idempotency-Key": item.key})  # fmt: skip
    except httpx.TransportError as exc:
        item.last_answer = repr(exc)
        return None
    item.last_answer = f"{answer.status_code} {answer.text[:300]}"
    item.refusals += answer.status_code != 201
    if answer.status_code == 201:
        created = answer.json()
        return str(created.get("id") or created["number"])
    if answer.status_code >= 500 or answer.status_code in (401, 409):
        return None  # the server is going down, or restarting: send again
    raise AssertionError(f"{item.kind} {item.key}: {answer.status_code} {answer.text}")


def run(
    db: Path,
    items: int,
    customers: list[str],
    clients: int = 4,
    kill_every: tuple[float, float] = (1.0, 4.0),
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    rng = random.Random(seed)
    kinds = ["note"] * 5 + ["message"] * 2 + ["callback"] * 2 + ["order", "web_order"]
    todo = [Item(uuid.UUID(int=rng.getrandbits(128)).hex, rng.choice(kinds),
                 rng.choice(customers)) for _ in range(items)]  # fmt: skip
    before = _callback_ids(db)
    server = Server(db)
    server.start()
    started = time.monotonic()
    done = threading.Event()
    kills = 0
    queue = list(reversed(todo))
    queue_lock = threading.Lock()
    acknowledged = 0
    failures: list[str] = []

    def logins() -> dict[str, dict[str, str]]:
        while True:
            try:
                return {
                    "staff": token(server.base, "admin"),
                    "customer": token(server.base, "customer"),
                }
            except (httpx.TransportError, KeyError, ValueError):
                time.sleep(0.2)

    # signed in once, before the first kill: sessions are rows, so the tokens survive restarts
    signed_in = logins()

    def client_loop() -> None:
        nonlocal acknowledged
        headers = signed_in
        with httpx.Client() as client:
            while True:
                with queue_lock:
                    if not queue or failures:
                        return
                    item = queue.pop()
                item.attempts += 1
                mine = item.kind in ("message", "web_order")  # the customer's own doing
                who = headers["customer" if mine else "staff"]
                got = _send(client, server.base, who, item)
                if got is None:
                    if item.refusals >= MAX_ATTEMPTS:
                        continue  # given up: reported as missing, with its last answer
                    with queue_lock:
                        queue.append(item)  # resend later with the same key
                    time.sleep(0.05)
                    if item.last_answer.startswith("401"):
                        headers = logins()
                    continue
                item.acknowledged_id = got
                with queue_lock:
                    acknowledged += 1
                    if progress is not None:
                        progress(acknowledged, items)

    def killer() -> None:
        nonlocal kills
        while not done.wait(rng.uniform(*kill_every)):
            try:
                server.kill()
            except RuntimeError as exc:  # the server would not start again: that is a failure
                failures.append(str(exc))
                done.set()
                with queue_lock:
                    queue.clear()
                return
            kills += 1

    threads = [threading.Thread(target=client_loop) for _ in range(clients)]
    murderer = threading.Thread(target=killer, daemon=True)
    try:
        for t in threads:
            t.start()
        murderer.start()
        for t in threads:
            t.join()
    finally:
        done.set()
        murderer.join(timeout=60)
        server.stop()  # also when the test itself is stopped: no server outlives it
    seconds = time.monotonic() - started
    if failures:
        raise AssertionError(f"the server did not come back after a kill: {failures[0][-3000:]}")
    return _verify(db, todo, kills, seconds, before)


def _callback_ids(db: Path) -> set[str]:
    engine = make_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        ids = {
            str(r[0]) for r in conn.execute(text("SELECT id FROM contacts WHERE kind = 'callback'"))
        }
    engine.dispose()
    return ids


def _verify(db: Path, items: list[Item], kills: int, seconds: float, before: set[str]) -> Outcome:
    engine = make_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        bodies = conn.execute(text("SELECT body FROM messages WHERE body LIKE '%[intake %'"))
        seen: dict[str, int] = {}
        for (body,) in bodies:
            key = body.rsplit("[intake ", 1)[1].rstrip("]")
            seen[key] = seen.get(key, 0) + 1
        for (note,) in conn.execute(
            text("SELECT note FROM service_orders WHERE note LIKE '[intake %'")
        ):
            key = note.rsplit("[intake ", 1)[1].rstrip("]")
            seen[key] = seen.get(key, 0) + 1
    engine.dispose()
    callbacks = _callback_ids(db) - before
    outcome = Outcome(items, kills, seconds, sum(1 for i in items if i.acknowledged_id),
                      sum(i.attempts - 1 for i in items))  # fmt: skip
    acknowledged_callbacks = {i.acknowledged_id for i in items if i.kind == "callback"}
    for item in items:
        if item.kind == "callback":
            if item.acknowledged_id not in callbacks:
                outcome.missing.append(item.key)
        elif seen.get(item.key, 0) == 0:
            outcome.missing.append(item.key)
        elif seen[item.key] > 1:
            outcome.duplicates.append(item.key)
    outcome.duplicates += sorted(str(c) for c in callbacks - acknowledged_callbacks)
    return outcome
