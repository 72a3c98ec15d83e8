"""The live socket over a real network: `teamline serve` (uvicorn) on a free port, clients from the
`websockets` package, on SQLite and on PostgreSQL. A customer's connection is cut abruptly
(no closing handshake, like a phone leaving Wi-Fi) three times while an agent keeps writing from
another thread; each time it reconnects with its last seq. In the end it has seen every message
of the thread exactly once, in order (issue 5's acceptance)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

from teamline.api.live_frames import SERVER_FRAME
from teamline.services.demo import DemoResult

from support.pg_cluster import PrivateCluster
from support.servers import free_port, serve, token

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]
Frame = dict[str, Any]
REPLIES = 40
CUT_AFTER = ("reply 5", "reply 17", "reply 30")  # the customer's connection drops after these


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        template, _ = request.getfixturevalue("sqlite_demo_template")
        shutil.copyfile(template, tmp_path / "teamline.db")
        url = f"sqlite:///{tmp_path / 'teamline.db'}"
    else:
        cluster: PrivateCluster = request.getfixturevalue("pg_cluster")
        demo: tuple[str, DemoResult] = request.getfixturevalue("pg_demo_template")
        url = cluster.create_database(f"live_{uuid.uuid4().hex[:12]}", template=demo[0])
    port = free_port()
    process = serve(url, port)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def open_live(host: str, role: str) -> Iterator[ClientConnection]:
    """Signed in the way a browser page would: from our origin, with an auth frame (never a
    token in the URL)."""
    bearer = token(f"http://{host}", role)["Authorization"].removeprefix("Bearer ")
    origin = Origin(f"http://{host}")
    with connect(f"ws://{host}/api/v1/live", origin=origin, proxy=None) as ws:
        ws.send(json.dumps({"type": "auth", "token": bearer}))
        assert receive(ws)["type"] == "hello"
        yield ws


def receive(ws: ClientConnection) -> Frame:
    frame: Frame = json.loads(ws.recv(timeout=20))
    SERVER_FRAME.validate_python(frame)
    return frame


def until(ws: ClientConnection, kind: str, **match: Any) -> tuple[list[Frame], Frame]:
    before = []
    while True:
        frame = receive(ws)
        if frame["type"] == kind and all(frame.get(k) == v for k, v in match.items()):
            return before, frame
        before.append(frame)


def cut(ws: ClientConnection) -> None:
    """Drop the connection the way a network does: no close frame, the socket just goes."""
    ws.socket.shutdown(socket.SHUT_RDWR)
    ws.socket.close()


def test_a_foreign_origin_is_refused_over_the_network(server: str) -> None:
    evil = Origin("http://evil.example")
    with (
        connect(f"ws://{server}/api/v1/live", origin=evil, proxy=None) as ws,
        pytest.raises(ConnectionClosed) as closed,
    ):
        ws.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008


def test_a_customer_cut_off_three_times_sees_every_message_exactly_once(server: str) -> None:
    with ExitStack() as connection:
        customer = connection.enter_context(open_live(server, "customer"))
        customer.send(json.dumps({"type": "send", "body": "Is anyone there?", "client_id": "c0"}))
        thread = until(customer, "sent", client_id="c0")[1]["conversation_id"]
        customer.send(json.dumps({"type": "subscribe", "conversation_id": thread, "last_seq": 0}))
        backlog, _ = until(customer, "subscribed")
        received = [f for f in backlog if f["type"] == "message"]
        with open_live(server, "agent") as agent:
            writer = Writer(agent, thread)
            writer.start()
            cuts = 0
            while received[-1]["body"] != f"reply {REPLIES - 1}":
                try:
                    frame = receive(customer)
                except ConnectionClosed:
                    frame = {"type": "closed"}
                if frame["type"] == "message":
                    received.append(frame)
                planned = cuts < len(CUT_AFTER) and frame.get("body") == CUT_AFTER[cuts]
                if frame["type"] == "closed" or planned:
                    if planned:
                        cuts += 1
                        cut(customer)
                    connection.close()
                    customer = connection.enter_context(open_live(server, "customer"))
                    customer.send(json.dumps({"type": "subscribe", "conversation_id": thread,
                                              "last_seq": received[-1]["seq"]}))  # fmt: skip
            writer.join(timeout=60)
            assert not writer.failures, writer.failures
    with open_live(server, "agent") as reader:  # the whole thread, as staff see it
        reader.send(json.dumps({"type": "subscribe", "conversation_id": thread, "last_seq": 0}))
        everything = [f for f in until(reader, "subscribed")[0] if f["type"] == "message"]
    assert cuts == len(CUT_AFTER)
    visible = [f["seq"] for f in everything if not f["internal"]]
    assert [f["seq"] for f in received] == visible  # every message once, in order
    replies = [f["body"] for f in received if f["author_kind"] == "agent"][-REPLIES:]
    assert replies == [f"reply {n}" for n in range(REPLIES)]


class Writer(threading.Thread):
    """The agent, writing on and on from their own socket."""

    def __init__(self, agent: ClientConnection, thread: str) -> None:
        super().__init__()
        self.agent, self.thread = agent, thread
        self.failures: list[BaseException] = []

    def run(self) -> None:
        try:
            for n in range(REPLIES):
                frame = {"type": "send", "conversation_id": self.thread, "body": f"reply {n}",
                         "client_id": f"a{n}"}  # fmt: skip
                self.agent.send(json.dumps(frame))
                until(self.agent, "sent", client_id=f"a{n}")
        except BaseException as exc:  # reported by the test's thread
            self.failures.append(exc)
