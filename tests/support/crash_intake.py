"""Break things at random moments while clients submit every kind of intake item, and prove
that every acknowledged item is stored exactly once (issues 5, 6 and 9; used by the small tests in
`make test` and by `bench/crash_intake.py` with 20,000 items).

Clients send every item with its own `Idempotency-Key` (a webhook: its own `webhook-id`) and
resend it, with the same key, until it is acknowledged (HTTP 2xx), across faults and restarts:
the server must answer a resend of a committed item with the first answer and write nothing more.
Items are internal notes (staff), messages from a customer to their own thread, contacts
(`voice`), callback requests, service orders from staff (hotline) and from the customer
(website), and signed social webhook deliveries. The faults are chosen by the caller: `kill -9`
of the server (then a restart), and on PostgreSQL `pg_ctl stop -m immediate` of the database
(then its crash recovery) while the server keeps running and answers 503. Afterwards the
database is read directly (`support/crash_verify.py`).
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import httpx

from teamline.channels.standard_webhooks import signature

from support.crash_verify import Item, Outcome, before_counts, marker, social_handles, verify
from support.servers import free_port, serve, token

API = "/api/v1"
MAX_ATTEMPTS = 60  # an item still refused after this many sends is a failure, not a wait
WEBHOOK_SECRET = "whsec_Y3Jhc2gtaW50YWtlIHNoYXJlZCBrZXk="  # base64 of "crash-intake shared key"
KINDS = ["note"] * 4 + ["message"] * 2 + ["contact", "callback", "order", "web_order", "webhook"]

__all__ = ["KINDS", "Fault", "Outcome", "Server", "kill_server", "run"]


class Server:
    """One `teamline serve` process, killed and started again on demand."""

    def __init__(
        self, url: str, env: Mapping[str, str] | None = None, entry: Sequence[str] | None = None
    ) -> None:
        self.url = url
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {"TEAMLINE_SOCIAL_WEBHOOK_SECRET": WEBHOOK_SECRET, **(env or {})}
        self.entry = tuple(entry) if entry else ("-m", "teamline")
        self.process: subprocess.Popen[bytes] | None = None
        self.lock = threading.Lock()

    def start(self) -> None:
        self.process = serve(self.url, self.port, env=self.env, entry=self.entry)

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


# A fault breaks something and repairs it; it returns its name for the report.
Fault = Callable[[Server, random.Random], str]


def kill_server(server: Server, rng: random.Random) -> str:
    server.kill()
    return "server killed"


def _request(item: Item, handles: Mapping[str, str]) -> tuple[str, bytes, dict[str, str]]:
    """The path, body and extra headers of one send of `item`."""
    tag = marker(item.key)
    headers = {"Idempotency-Key": item.key, "Content-Type": "application/json"}
    body: dict[str, object]
    if item.kind in ("callback", "contact"):
        channel = "callback" if item.kind == "callback" else "voice"
        path, body = "/contacts", {"customer_id": item.customer_id, "channel": channel,
                                   "kind": "callback" if item.kind == "callback" else "inbound",
                                   "first_words": tag}  # fmt: skip
    elif item.kind in ("order", "web_order"):
        source = "website" if item.kind == "web_order" else "hotline"
        path, body = "/orders", {"kind": "new_connection", "source": source, "note": tag,
                                 "address": "12 Harbour Street"}  # fmt: skip
        if item.kind == "order":
            body["customer_id"] = item.customer_id
    elif item.kind == "message":
        path, body = "/messages", {"body": f"a question {tag}"}
    elif item.kind == "webhook":
        platform, _, author = handles[item.customer_id].partition(":")
        event = {"platform": platform, "kind": "dm", "author": author,
                 "text": f"my line is down {tag}", "post_id": item.key}  # fmt: skip
        raw = json.dumps(event).encode()
        # signed at every send: the provider re-signs its retries with a fresh timestamp
        at = int(time.time())
        return (
            "/social/webhook",
            raw,
            {
                "webhook-id": item.key,
                "webhook-timestamp": str(at),
                "webhook-signature": signature(WEBHOOK_SECRET, item.key, at, raw),
                "Content-Type": "application/json",
            },
        )
    else:
        path, body = "/messages", {"customer_id": item.customer_id, "internal": True,
                                   "body": f"note {tag}"}  # fmt: skip
    return path, json.dumps(body).encode(), headers


def _send(
    client: httpx.Client, base: str, auth: dict[str, str], item: Item, handles: Mapping[str, str]
) -> str | None:
    """One attempt: the acknowledged record's id, or None (not acknowledged: send again)."""
    path, body, headers = _request(item, handles)
    if item.kind != "webhook":
        headers = {**headers, **auth}
    try:
        answer = client.post(f"{base}{API}{path}", content=body, timeout=10, headers=headers)
    except httpx.TransportError as exc:
        item.last_answer = repr(exc)
        return None
    item.last_answer = f"{answer.status_code} {answer.text[:300]}"
    ok = answer.status_code in (200, 201)
    item.refusals += not ok
    if ok:
        created = answer.json()
        if item.kind == "webhook":
            return item.key
        return str(created.get("id") or created["number"])
    if answer.status_code >= 500 or answer.status_code in (401, 409):
        return None  # the server or its database is going down, or restarting: send again
    raise AssertionError(f"{item.kind} {item.key}: {answer.status_code} {answer.text}")


def _item(
    rng: random.Random, customers: list[str], handles: Mapping[str, str], kinds: Sequence[str]
) -> Item:
    key, kind = uuid.UUID(int=rng.getrandbits(128)).hex, rng.choice(kinds)
    # a webhook comes from a customer known by a social handle
    pool = sorted(handles) if kind == "webhook" else customers
    return Item(key, kind, rng.choice(pool))


@dataclass
class _Shared:
    queue: list[Item]
    lock: threading.Lock
    acknowledged: int = 0


def run(
    url: str,
    items: int,
    customers: list[str],
    clients: int = 4,
    kill_every: tuple[float, float] = (1.0, 4.0),
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
    faults: Sequence[Fault] = (kill_server,),
    server: Server | None = None,
    kinds: Sequence[str] = KINDS,
) -> Outcome:
    """Send `items` random items of `kinds` for `customers` through `server` (default: a
    `teamline serve` of `url`) while one fault from `faults` strikes every `kill_every` s."""
    rng = random.Random(seed)
    handles = social_handles(url, customers)
    todo = [_item(rng, customers, handles, kinds) for _ in range(items)]
    before = before_counts(url)
    server = server or Server(url)
    server.start()
    started = time.monotonic()
    done = threading.Event()
    struck: list[str] = []
    shared = _Shared(list(reversed(todo)), threading.Lock())
    failures: list[str] = []

    def logins() -> dict[str, dict[str, str]]:
        while True:
            try:
                return {"staff": token(server.base, "admin"),
                        "customer": token(server.base, "customer")}  # fmt: skip
            except (httpx.TransportError, KeyError, ValueError):
                time.sleep(0.2)

    # signed in once, before the first fault: sessions are rows, so the tokens survive restarts
    signed_in = logins()

    def client_loop() -> None:
        headers = signed_in
        with httpx.Client() as client:
            while True:
                with shared.lock:
                    if not shared.queue or failures:
                        return
                    item = shared.queue.pop()
                item.attempts += 1
                mine = item.kind in ("message", "web_order")  # the customer's own doing
                got = _send(client, server.base, headers["customer" if mine else "staff"],
                            item, handles)  # fmt: skip
                if got is None:
                    if item.refusals >= MAX_ATTEMPTS:
                        continue  # given up: reported as missing, with its last answer
                    with shared.lock:
                        shared.queue.append(item)  # resend later with the same key
                    time.sleep(0.05)
                    if item.last_answer.startswith("401"):
                        headers = logins()
                    continue
                item.acknowledged_id = got
                with shared.lock:
                    shared.acknowledged += 1
                    if progress is not None:
                        progress(shared.acknowledged, items)

    def striker() -> None:
        while not done.wait(rng.uniform(*kill_every)):
            try:
                struck.append(rng.choice(faults)(server, rng))
            except RuntimeError as exc:  # the server would not start again: that is a failure
                failures.append(str(exc))
                done.set()
                with shared.lock:
                    shared.queue.clear()
                return

    threads = [threading.Thread(target=client_loop) for _ in range(clients)]
    fault_thread = threading.Thread(target=striker, daemon=True)
    try:
        for t in threads:
            t.start()
        fault_thread.start()
        for t in threads:
            t.join()
    finally:
        done.set()
        fault_thread.join(timeout=60)
        server.stop()  # also when the test itself is stopped: no server outlives it
    seconds = time.monotonic() - started
    if failures:
        raise AssertionError(f"the server did not come back after a fault: {failures[0][-3000:]}")
    return verify(url, todo, struck, seconds, before)
