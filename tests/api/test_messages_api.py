"""Async messaging and logged contacts over HTTP, and `Idempotency-Key` on the POSTs that
create things: the same POST sent three times, two of them at once, makes one record and gets
one answer, on SQLite and on PostgreSQL (issue 5, items 1, 2 and 8)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any

import pytest

from teamline.app import create_app
from teamline.config import Settings
from teamline.domain.enums import Channel
from teamline.services import conversations
from teamline.services.channel_actors import inbound_actor
from teamline.services.demo import DEMO_PASSWORD, DemoResult

from conftest import NOW
from support.openapi_check import CheckedClient

Login = Callable[[str], dict[str, str]]
API = "/api/v1"
MARIA = "cus-00001"


def post(client: CheckedClient, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    answer = client.post(f"{API}/messages", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    data: dict[str, Any] = answer.json()
    return data


def test_a_customer_writes_and_leaves_and_the_answer_waits_in_her_thread(
    client: CheckedClient, login: Login
) -> None:
    asked = post(client, login("customer"), {"body": "Why is my bill higher this month?"})
    assert (asked["customer_id"], asked["author_kind"], asked["channel"]) == (
        MARIA,
        "customer",
        "async",
    )
    thread = asked["conversation_id"]
    note = post(
        client,
        login("agent"),
        {"customer_id": MARIA, "internal": True, "body": "Roaming charges from her trip."},
    )
    reply = post(
        client,
        login("agent"),
        {"conversation_id": thread, "body": "Roaming in Spain: I credited it back."},
    )
    assert reply["conversation_id"] == thread and reply["author_kind"] == "agent"

    def seqs(role: str) -> list[int]:
        answer = client.get(
            f"{API}/conversations/{thread}/messages",
            params={"after_seq": asked["seq"] - 1},
            headers=login(role),
        )
        assert answer.status_code == 200, answer.text
        return [m["seq"] for m in answer.json()]

    assert seqs("agent") == [asked["seq"], note["seq"], reply["seq"]]
    assert seqs("customer") == [asked["seq"], reply["seq"]]  # never the internal note
    listed = client.get(f"{API}/customers/{MARIA}/conversations", headers=login("customer"))
    assert listed.status_code == 200
    assert listed.json()[0]["id"] == thread and listed.json()[0]["current"] is True


def test_who_may_write_and_read_what(client: CheckedClient, login: Login) -> None:
    staff_without_customer = client.post(
        f"{API}/messages", json={"body": "hello"}, headers=login("agent")
    )
    assert staff_without_customer.status_code == 422
    assert staff_without_customer.json()["errors"][0]["field"] == "customer_id"
    someone_else = client.post(
        f"{API}/messages",
        json={"body": "hi", "customer_id": "cus-00002"},
        headers=login("customer"),
    )
    assert someone_else.status_code == 404
    hidden_note = client.post(
        f"{API}/messages", json={"body": "psst", "internal": True}, headers=login("customer")
    )
    assert hidden_note.status_code == 403
    theirs = post(client, login("agent"), {"customer_id": "cus-00002", "body": "Shipped."})
    peek = client.get(
        f"{API}/conversations/{theirs['conversation_id']}/messages", headers=login("customer")
    )
    assert peek.status_code == 404
    assert (
        client.get(
            f"{API}/customers/cus-00002/conversations", headers=login("customer")
        ).status_code
        == 404
    )
    bad_seq = client.get(
        f"{API}/conversations/x/messages", params={"after_seq": -1}, headers=login("agent")
    )
    assert bad_seq.status_code == 422 and bad_seq.json()["errors"][0]["field"] == "query.after_seq"


def test_store_staff_log_a_visit_on_the_timeline_without_routing_it(
    client: CheckedClient, login: Login
) -> None:
    answer = client.post(
        f"{API}/customers/{MARIA}/contacts/logged",
        json={
            "channel": "store",
            "note": "Swapped her SIM card; the old one was damaged.",
            "subject": "SIM swap",
        },
        headers=login("agent"),
    )
    assert answer.status_code == 201, answer.text
    logged = answer.json()
    assert (logged["channel"], logged["state"], logged["subject"]) == (
        "store",
        "completed",
        "SIM swap",
    )
    timeline = client.get(
        f"{API}/customers/{MARIA}/timeline", params={"limit": 5}, headers=login("customer")
    ).json()["entries"]
    shown = {(e["kind"], e["id"]) for e in timeline}
    assert ("contact", logged["id"]) in shown and ("message", str(logged["note"]["id"])) in shown
    status = client.get(f"{API}/contacts/{logged['id']}", headers=login("agent")).json()
    assert status["state"] == "completed" and status["estimate"] is None

    by_customer = client.post(
        f"{API}/customers/{MARIA}/contacts/logged",
        json={"channel": "store", "note": "I was here"},
        headers=login("customer"),
    )
    assert by_customer.status_code == 403
    not_logged = client.post(
        f"{API}/customers/{MARIA}/contacts/logged",
        json={"channel": "voice", "note": "a call"},
        headers=login("agent"),
    )
    assert (
        not_logged.status_code == 422 and not_logged.json()["errors"][0]["field"] == "body.channel"
    )


# ---- Idempotency-Key --------------------------------------------------------------------------


@pytest.fixture
def any_client(demo_database: tuple[str, DemoResult]) -> Iterator[CheckedClient]:
    """The app over a demo company on SQLite, then on PostgreSQL."""
    settings = Settings(database_url=demo_database[0], router_tick_seconds=0)
    with CheckedClient(create_app(settings, clock=lambda: NOW)) as test_client:
        yield test_client


def signed_in(client: CheckedClient, role: str) -> dict[str, str]:
    answer = client.post(
        f"{API}/auth/token",
        data={"username": f"{role}@demo.teamline.dev", "password": DEMO_PASSWORD},
    )
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def three_times(
    client: CheckedClient, path: str, body: dict[str, Any], headers: dict[str, str]
) -> list[tuple[int, dict[str, Any]]]:
    """Once, then twice at the same moment (two threads against one app)."""

    def send(gate: Barrier | None = None) -> tuple[int, dict[str, Any]]:
        if gate is not None:
            gate.wait()
        answer = client.post(path, json=body, headers=headers)
        return answer.status_code, answer.json()

    first = send()
    gate = Barrier(2)
    with ThreadPoolExecutor(2) as pool:
        racing = list(pool.map(send, [gate, gate]))
    return [first, *racing]


def race_twice_then_once(
    client: CheckedClient, path: str, body: dict[str, Any], headers: dict[str, str]
) -> list[tuple[int, dict[str, Any]]]:
    """Two at the same moment first (neither finds an answer yet), then a third."""
    gate = Barrier(2)

    def send(wait: bool) -> tuple[int, dict[str, Any]]:
        if wait:
            gate.wait()
        answer = client.post(path, json=body, headers=headers)
        return answer.status_code, answer.json()

    with ThreadPoolExecutor(2) as pool:
        racing = list(pool.map(send, [True, True]))
    return [*racing, send(False)]


def rows_of(client: CheckedClient, role_headers: dict[str, str]) -> list[int]:
    answer = client.get(f"{API}/customers/{MARIA}/conversations", headers=role_headers).json()
    thread = answer[0]["id"] if answer else None
    if thread is None:
        return []
    messages = client.get(f"{API}/conversations/{thread}/messages", headers=role_headers).json()
    return [m["id"] for m in messages]


@pytest.mark.parametrize("order", [three_times, race_twice_then_once])
def test_a_message_posted_three_times_with_one_key_is_stored_once(
    any_client: CheckedClient, order: Callable[..., list[tuple[int, dict[str, Any]]]]
) -> None:
    customer = signed_in(any_client, "customer")
    before = rows_of(any_client, signed_in(any_client, "agent"))
    body = {"body": "Is my router covered by the warranty?"}
    answers = order(any_client, f"{API}/messages", body, {**customer, "Idempotency-Key": "m-1"})
    assert [status for status, _ in answers] == [201, 201, 201]
    assert answers[0][1] == answers[1][1] == answers[2][1]
    after = rows_of(any_client, signed_in(any_client, "agent"))
    assert len(after) == len(before) + 1 and answers[0][1]["id"] in after


@pytest.mark.parametrize("order", [three_times, race_twice_then_once])
def test_a_contact_opened_three_times_with_one_key_is_opened_once(
    any_client: CheckedClient, order: Callable[..., list[tuple[int, dict[str, Any]]]]
) -> None:
    customer = signed_in(any_client, "customer")

    def timeline_contacts() -> set[str]:
        entries = any_client.get(
            f"{API}/customers/{MARIA}/timeline", params={"limit": 20}, headers=customer
        ).json()["entries"]
        return {e["id"] for e in entries if e["kind"] == "contact"}

    before = timeline_contacts()
    body = {"customer_id": MARIA, "channel": "voice"}
    answers = order(any_client, f"{API}/contacts", body, {**customer, "Idempotency-Key": "c-1"})
    assert [status for status, _ in answers] == [201, 201, 201]
    assert answers[0][1] == answers[1][1] == answers[2][1]
    assert timeline_contacts() - before == {answers[0][1]["id"]}


def test_a_key_reused_for_another_request_is_refused_and_a_replay_says_so(
    client: CheckedClient, login: Login
) -> None:
    headers = {**login("customer"), "Idempotency-Key": "same-key"}
    first = client.post(f"{API}/messages", json={"body": "first words"}, headers=headers)
    again = client.post(
        f"{API}/messages", json={"body": "first words", "internal": False}, headers=headers
    )
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    other = client.post(f"{API}/messages", json={"body": "other words"}, headers=headers)
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
    elsewhere = client.post(
        f"{API}/contacts", json={"customer_id": MARIA, "channel": "chat"}, headers=headers
    )
    assert elsewhere.status_code == 422  # a key names one request, on one path
    # keys are the user's own: the agent's "same-key" is another key
    agent = client.post(
        f"{API}/messages",
        json={"customer_id": MARIA, "body": "first words"},
        headers={**login("agent"), "Idempotency-Key": "same-key"},
    )
    assert agent.status_code == 201 and agent.json()["id"] != first.json()["id"]
    refused = client.post(
        f"{API}/messages",
        json={"body": "x"},
        headers={**login("customer"), "Idempotency-Key": "bad key"},
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "header.Idempotency-Key"


def test_a_failed_request_leaves_its_key_free_for_the_retry(
    client: CheckedClient, login: Login
) -> None:
    headers = {**login("agent"), "Idempotency-Key": "retry-me"}
    failed = client.post(
        f"{API}/messages", json={"customer_id": "cus-99999", "body": "hi"}, headers=headers
    )
    assert failed.status_code == 404
    fixed = client.post(
        f"{API}/messages", json={"customer_id": "cus-99999", "body": "hi"}, headers=headers
    )
    assert fixed.status_code == 404  # it ran again: nothing was stored for the key


def test_a_reply_leaves_the_way_the_customer_wrote_or_as_a_notification(
    client: CheckedClient, login: Login
) -> None:
    """Maria emails; the agent's reply in the app goes back to her by email, threaded, and
    not as a second, notification mail. A reply to a customer who only used the app while
    offline is a notification."""
    app: Any = client.app
    mail = conversations.post_message(
        app.state.new_uow(), app.state.router, inbound_actor(Channel.EMAIL, MARIA), MARIA,
        "My modem blinks red.", NOW, channel=Channel.EMAIL, external_id="<m1@example.com>",
    )  # fmt: skip
    reply = post(client, login("agent"), {"customer_id": MARIA, "body": "Restart it, please."})
    with app.state.new_uow() as uow:
        outgoing = uow.outbound.of_message(reply["id"])
    assert [(o.channel, o.headers.get("In-Reply-To")) for o in outgoing] == [
        ("email", "<m1@example.com>")
    ]
    assert mail.conversation_id == reply["conversation_id"]

    other = post(client, login("agent"), {"customer_id": "cus-00002", "body": "Shipped today."})
    with app.state.new_uow() as uow:
        outgoing = uow.outbound.of_message(other["id"])
        customer = uow.customers.get("cus-00002")
    address = customer.identity("email") if customer else None
    assert address is not None  # the demo gives every customer an email address
    assert [(o.channel, o.recipient, o.headers) for o in outgoing] == [
        ("email", address, {"Auto-Submitted": "auto-generated"})
    ]
