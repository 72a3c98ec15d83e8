"""Live chat and offers over `GET /api/v1/live` (issue 5, items 3 and 9): who may connect, a
customer and an agent chatting with typing and read markers, internal notes kept from the
customer, offers reaching the agent's socket and accepted from it, and the acceptance test: a
client that drops mid-conversation and resumes from its last seq sees every message once.

Every frame a test receives is checked against its model in `api/live_frames.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from teamline.api import live as live_api
from teamline.api.live_frames import SERVER_FRAME
from teamline.services.demo import DEMO_PASSWORD

from support.openapi_check import CheckedClient

pytestmark = pytest.mark.timeout(60)
Login = Callable[[str], dict[str, str]]
Frame = dict[str, Any]
LIVE = "/api/v1/live"
API = "/api/v1"
MARIA = "cus-00001"


class Socket:
    """A test client's socket that checks every frame against its model."""

    def __init__(self, ws: WebSocketTestSession) -> None:
        self.ws = ws

    def send(self, **frame: Any) -> None:
        self.ws.send_json(frame)

    def next(self) -> Frame:
        frame: Frame = self.ws.receive_json()
        SERVER_FRAME.validate_python(frame)
        return frame

    def until(self, kind: str, **match: Any) -> tuple[list[Frame], Frame]:
        """Frames up to the first of `kind` whose fields match: (those before, that one)."""
        before = []
        while True:
            frame = self.next()
            if frame["type"] == kind and all(frame.get(k) == v for k, v in match.items()):
                return before, frame
            before.append(frame)

    def settle(self) -> list[Frame]:
        """Everything sent before the answer to a ping (the frames already queued)."""
        self.send(type="ping")
        return self.until("pong")[0]


@pytest.fixture
def connect(client: CheckedClient, login: Login) -> Callable[..., Any]:
    @contextmanager
    def open_socket(role: str) -> Iterator[Socket]:
        token = login(role)["Authorization"].removeprefix("Bearer ")
        with client.websocket_connect(LIVE) as ws:
            socket = Socket(ws)
            socket.send(type="auth", token=token)
            hello = socket.next()
            assert hello["type"] == "hello" and hello["role"] == role
            yield socket

    return open_socket


def closed_with(ws: WebSocketTestSession) -> WebSocketDisconnect:
    with pytest.raises(WebSocketDisconnect) as refused:
        ws.receive_json()
    return refused.value


def marias_thread(customer: Socket, first_words: str = "Hello, anyone there?") -> str:
    customer.send(type="send", body=first_words, client_id="first")
    _, sent = customer.until("sent", client_id="first")
    return str(sent["conversation_id"])


# ---- who may connect -----------------------------------------------------------------------


def test_a_socket_without_credentials_is_closed_with_a_policy_violation(
    client: CheckedClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    with client.websocket_connect(LIVE) as ws:
        ws.send_json({"type": "subscribe", "conversation_id": "cnv-1"})
        refused = closed_with(ws)
    assert refused.code == 1008 and "sign in" in refused.reason
    monkeypatch.setattr(live_api, "AUTH_SECONDS", 0.2)
    with client.websocket_connect(LIVE) as ws:  # says nothing at all
        assert closed_with(ws).code == 1008


def test_an_unknown_token_is_refused_and_tokens_never_ride_in_the_url(
    client: CheckedClient, login: Login
) -> None:
    with client.websocket_connect(LIVE) as ws:
        ws.send_json({"type": "auth", "token": "not-a-real-token"})
        refused = closed_with(ws)
    assert refused.code == 1008 and "session has ended" in refused.reason
    token = login("customer")["Authorization"].removeprefix("Bearer ")
    with client.websocket_connect(f"{LIVE}?token={token}") as ws:
        ws.send_json({"type": "ping"})
        assert closed_with(ws).code == 1008


def test_a_bearer_header_signs_in_without_a_frame(client: CheckedClient, login: Login) -> None:
    with client.websocket_connect(LIVE, headers=login("agent")) as ws:
        hello = Socket(ws).next()
    assert hello["type"] == "hello" and hello["role"] == "agent" and hello["agent_id"]


def test_signing_out_ends_the_live_socket(
    client: CheckedClient, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live_api, "RECHECK_SECONDS", 0.2)
    headers = login("agent")
    with client.websocket_connect(LIVE, headers=headers) as ws:
        assert Socket(ws).next()["type"] == "hello"
        assert client.post(f"{API}/auth/logout", headers=headers).status_code == 204
        refused = closed_with(ws)
    assert refused.code == 1008 and "session has ended" in refused.reason


def test_the_session_cookie_works_only_from_our_own_origin(client: CheckedClient) -> None:
    client.get("/login")  # the login form's double-submit CSRF cookie (web/csrf.py)
    signed_in = client.post(
        "/login",
        data={"email": "customer@demo.teamline.dev", "password": DEMO_PASSWORD,
              "csrf_token": client.cookies.get("teamline_csrf") or ""},
        follow_redirects=False,
    )  # fmt: skip
    assert signed_in.status_code == 303
    for origin in ("http://testserver", "http://127.0.0.1:8000"):  # the Host, the public URL
        with client.websocket_connect(LIVE, headers={"origin": origin}) as ws:
            assert Socket(ws).next()["type"] == "hello", origin
    with client.websocket_connect(LIVE, headers={"origin": "https://evil.example"}) as ws:
        refused = closed_with(ws)
    assert refused.code == 1008 and "origin" in refused.reason
    with client.websocket_connect(LIVE, headers={"origin": "null"}) as ws:
        assert closed_with(ws).code == 1008
    with client.websocket_connect(LIVE) as ws:  # no Origin: not a browser, so no cookie
        ws.send_json({"type": "ping"})
        assert closed_with(ws).code == 1008


# ---- chatting ------------------------------------------------------------------------------


def test_a_customer_and_an_agent_chat_with_typing_and_read_markers(
    connect: Callable[..., Any],
) -> None:
    with connect("customer") as customer, connect("agent") as agent:
        thread = marias_thread(customer, "Il mio telefono non prende in casa")
        agent.send(type="subscribe", conversation_id=thread, last_seq=0)
        backlog, subscribed = agent.until("subscribed")
        seqs = [f["seq"] for f in backlog if f["type"] == "message"]
        assert seqs == list(range(1, subscribed["last_seq"] + 1))  # the whole thread, in order
        assert backlog[-1]["body"] == "Il mio telefono non prende in casa"
        mine = subscribed["last_seq"]
        customer.send(type="subscribe", conversation_id=thread, last_seq=mine)
        customer.until("subscribed", last_seq=mine)

        agent.send(type="typing", conversation_id=thread)
        _, typing = customer.until("typing")
        assert typing["side"] == "agent" and typing["active"] is True and typing["name"]
        agent.send(type="send", conversation_id=thread, body="Ciao Maria, guardo subito",
                   client_id="r1")  # fmt: skip
        _, reply = customer.until("message")
        assert reply["seq"] == mine + 1 and reply["author_kind"] == "agent"
        assert reply["channel"] == "chat"

        customer.send(type="read", conversation_id=thread, seq=reply["seq"])
        _, read = agent.until("read", side="customer")
        assert read["seq"] == reply["seq"] and read["name"] == "Maria"
        customer.send(type="typing", conversation_id=thread, active=False)
        _, typing = agent.until("typing")
        assert typing == {"type": "typing", "conversation_id": thread, "active": False,
                          "side": "customer", "name": "Maria"}  # fmt: skip
        customer.send(type="send", body="Grazie!", client_id="c2")  # her thread by default
        _, thanks = agent.until("message", body="Grazie!")
        assert thanks["seq"] == reply["seq"] + 1 and thanks["author_kind"] == "customer"


def test_internal_notes_reach_agents_and_never_the_customer(connect: Callable[..., Any]) -> None:
    with connect("customer") as customer, connect("agent") as agent:
        thread = marias_thread(customer)
        for socket in (customer, agent):
            socket.send(type="subscribe", conversation_id=thread, last_seq=0)
            socket.until("subscribed")
        agent.send(type="send", conversation_id=thread, body="VIP, be gentle", client_id="n",
                   internal=True)  # fmt: skip
        agent.send(type="send", conversation_id=thread, body="How can I help?", client_id="r")
        _, note = agent.until("message", body="VIP, be gentle")
        _, reply = customer.until("message")
        assert note["internal"] is True
        assert reply["body"] == "How can I help?" and reply["seq"] == note["seq"] + 1
        assert all(f.get("internal") is not True for f in customer.settle())
        customer.send(type="subscribe", conversation_id=thread, last_seq=0)  # a full replay
        replay, _ = customer.until("subscribed")
        assert "VIP, be gentle" not in [f.get("body") for f in replay]


def test_a_retried_send_is_posted_once(connect: Callable[..., Any]) -> None:
    with connect("customer") as customer:
        thread = marias_thread(customer)
        customer.send(type="subscribe", conversation_id=thread, last_seq=0)
        _, subscribed = customer.until("subscribed")
        for _ in range(2):
            customer.send(type="send", body="Only once, please", client_id="retry-me")
        acks = [customer.until("sent", client_id="retry-me")[1] for _ in range(2)]
        assert acks[0] == acks[1]
    with connect("customer") as again:  # a new connection retries the same send
        again.send(type="send", body="Only once, please", client_id="retry-me")
        _, ack = again.until("sent", client_id="retry-me")
        assert ack == acks[0]
        again.send(type="subscribe", conversation_id=thread, last_seq=subscribed["last_seq"])
        messages, _ = again.until("subscribed")
    assert [m["body"] for m in messages if m["type"] == "message"] == ["Only once, please"]


def test_bad_frames_answer_an_error_naming_the_field_and_the_socket_lives_on(
    connect: Callable[..., Any],
) -> None:
    with connect("customer") as customer:
        thread = marias_thread(customer)
        customer.ws.send_text("not json")
        assert customer.next()["errors"][0]["field"] == "frame"
        customer.send(type="subscribe", conversation_id=thread, last_seq=-1)
        error = customer.next()
        assert error["code"] == "invalid_input" and error["ref"] == "subscribe"
        assert [e["field"] for e in error["errors"]] == ["last_seq"]
        customer.send(type="shout")
        assert customer.next()["errors"][0]["field"] == "type"
        customer.send(type="send", body="", client_id="x")
        assert customer.next()["errors"][0]["field"] == "body"
        customer.send(type="subscribe", conversation_id=thread, last_seq=10_000)
        assert customer.next()["errors"][0]["field"] == "last_seq"
        customer.send(type="typing", conversation_id=thread)  # not subscribed yet
        assert customer.next()["code"] == "not_found"
        customer.send(type="subscribe", conversation_id="cnv-000001", last_seq=0)
        assert customer.next()["code"] == "not_found"  # someone else's thread
        customer.send(type="send", body="a note", client_id="n", internal=True)
        refused = customer.next()
        assert refused["code"] == "permission_denied" and refused["client_id"] == "n"
        customer.send(type="accept", contact_id="con-1")
        assert customer.next()["code"] == "permission_denied"
        customer.send(type="ping")
        assert customer.next() == {"type": "pong"}


# ---- offers --------------------------------------------------------------------------------


def open_call(client: CheckedClient, login: Login) -> str:
    answer = client.post(f"{API}/contacts", json={"customer_id": MARIA, "channel": "voice"},
                         headers=login("customer"))  # fmt: skip
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def test_an_agent_receives_an_offer_on_the_socket_and_accepts_it_there(
    client: CheckedClient, login: Login, connect: Callable[..., Any]
) -> None:
    with connect("agent") as agent:
        on = client.post(f"{API}/agents/me/activity", json={"activity": "available"},
                         headers=login("agent"))  # fmt: skip
        assert on.status_code == 204
        contact_id = open_call(client, login)
        _, offer = agent.until("offer", contact_id=contact_id)
        assert offer["customer_id"] == MARIA and offer["channel"] == "voice"
        assert offer["reasons"]
        agent.send(type="accept", contact_id=contact_id)
        _, accepted = agent.until("accepted", contact_id=contact_id)
        assert [d["kind"] for d in accepted["decisions"]] == ["assigned"]
        _, gone = agent.until("offer_withdrawn", contact_id=contact_id)
        assert gone["reason"] == "assigned"  # the desktop's other tabs drop it too
        agent.send(type="accept", contact_id=contact_id)
        assert agent.until("error")[1]["code"] == "conflict"
    seen = client.get(f"{API}/contacts/{contact_id}", headers=login("customer")).json()
    assert seen["state"] == "assigned"


def test_an_open_offer_greets_the_agent_and_a_rejection_withdraws_it(
    client: CheckedClient, login: Login, connect: Callable[..., Any]
) -> None:
    client.post(f"{API}/agents/me/activity", json={"activity": "available"},
                headers=login("agent"))  # fmt: skip
    contact_id = open_call(client, login)  # offered while the desktop was closed
    with connect("agent") as agent:
        offer = agent.next()  # right after hello
        assert offer["type"] == "offer" and offer["contact_id"] == contact_id
        assert offer["customer_id"] == MARIA
        agent.send(type="reject", contact_id=contact_id)
        _, rejected = agent.until("rejected", contact_id=contact_id)
        assert "offer_rejected" in [d["kind"] for d in rejected["decisions"]]
        _, gone = agent.until("offer_withdrawn", contact_id=contact_id)
        assert gone["reason"] == "offer_rejected"


def test_a_customers_chat_is_offered_with_its_thread_and_answered_from_the_desktop(
    client: CheckedClient, login: Login, connect: Callable[..., Any]
) -> None:
    client.post(f"{API}/agents/me/activity", json={"activity": "available"},
                headers=login("agent"))  # fmt: skip
    with connect("agent") as agent, connect("customer") as customer:
        thread = marias_thread(customer, "Ho bisogno di aiuto con la bolletta")
        _, offer = agent.until("offer", channel="chat")
        assert offer["conversation_id"] == thread and offer["customer_id"] == MARIA
        agent.send(type="accept", contact_id=offer["contact_id"])
        agent.until("accepted")
        agent.send(type="subscribe", conversation_id=thread, last_seq=0)
        backlog, _ = agent.until("subscribed")
        assert backlog[-1]["body"] == "Ho bisogno di aiuto con la bolletta"


# ---- the acceptance test -------------------------------------------------------------------


def test_a_client_that_drops_mid_conversation_resumes_with_every_message_exactly_once(
    connect: Callable[..., Any],
) -> None:
    """Issue 5's acceptance: the customer's socket drops while the agent keeps writing; on
    reconnecting with its last seq it receives exactly the missed messages, in order."""
    received: list[Frame] = []
    with connect("agent") as agent:
        with connect("customer") as customer:
            thread = marias_thread(customer)
            customer.send(type="subscribe", conversation_id=thread, last_seq=0)
            backlog, _ = customer.until("subscribed")
            received += [f for f in backlog if f["type"] == "message"]
            agent.send(type="subscribe", conversation_id=thread, last_seq=0)
            agent.until("subscribed")
            for n in range(5):
                agent.send(type="send", conversation_id=thread, body=f"reply {n}",
                           client_id=f"a{n}")  # fmt: skip
            before, two = customer.until("message", body="reply 2")
            received += [*before, two]  # and the socket drops with more on the way
        for n in range(5, 12):  # the agent keeps writing to nobody
            agent.send(type="send", conversation_id=thread, body=f"reply {n}", client_id=f"a{n}")
            agent.until("sent", client_id=f"a{n}")
        with connect("customer") as customer:
            customer.send(type="subscribe", conversation_id=thread,
                          last_seq=received[-1]["seq"])  # fmt: skip
            for n in range(12, 15):  # and while the backlog is read
                agent.send(type="send", conversation_id=thread, body=f"reply {n}",
                           client_id=f"a{n}")  # fmt: skip
            while received[-1]["body"] != "reply 14":
                frame = customer.next()
                if frame["type"] == "message":
                    received.append(frame)
            received += [f for f in customer.settle() if f["type"] == "message"]
    with connect("agent") as reader:  # the whole thread, as staff see it
        reader.send(type="subscribe", conversation_id=thread, last_seq=0)
        everything = [f for f in reader.until("subscribed")[0] if f["type"] == "message"]
    visible = [f["seq"] for f in everything if not f["internal"]]
    assert [f["seq"] for f in received] == visible  # every one, once, in order
    replies = [f["body"] for f in received if f["author_kind"] == "agent"][-15:]
    assert replies == [f"reply {n}" for n in range(15)]
