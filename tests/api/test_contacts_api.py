"""A customer reaches their team through the live router, over HTTP: the wait while nobody is
on shift, the agent coming on, continuity, accepting, completing, callbacks, and permissions."""

from __future__ import annotations

from collections.abc import Callable

from support.openapi_check import CheckedClient

Login = Callable[[str], dict[str, str]]
API = "/api/v1"
MARIA = "cus-00001"


def open_call(client: CheckedClient, login: Login, **extra: object) -> dict[str, object]:
    answer = client.post(
        f"{API}/contacts",
        json={"customer_id": MARIA, "channel": "voice", **extra},
        headers=login("customer"),
    )
    assert answer.status_code == 201, answer.text
    body: dict[str, object] = answer.json()
    return body


def test_nobody_on_shift_means_an_unknown_wait_and_a_callback_offer(
    client: CheckedClient, login: Login
) -> None:
    contact = open_call(client, login)
    assert contact["state"] == "queued"
    estimate = contact["estimate"]
    assert isinstance(estimate, dict)
    assert estimate["position"] == 1 and estimate["seconds"] is None
    assert estimate["offer_callback"] is True


def test_marias_own_agent_comes_on_shift_gets_her_call_and_completes_it(
    client: CheckedClient, login: Login
) -> None:
    contact = open_call(client, login, first_words="Voglio parlare con un operatore")
    on = client.post(f"{API}/agents/me/activity", json={"activity": "available"},
                     headers=login("agent"))  # fmt: skip
    assert on.status_code == 204
    me = client.get(f"{API}/me", headers=login("agent")).json()
    seen = client.get(f"{API}/contacts/{contact['id']}", headers=login("customer")).json()
    assert seen["state"] == "offered" and seen["agent_id"] == me["agent_id"]
    accepted = client.post(f"{API}/offers/{contact['id']}/accept", headers=login("agent"))
    assert [d["kind"] for d in accepted.json()] == ["assigned"]
    done = client.post(f"{API}/contacts/{contact['id']}/complete", headers=login("agent"))
    assert [d["kind"] for d in done.json()] == ["completed"]
    timeline = client.get(f"{API}/customers/{MARIA}/timeline", params={"limit": 5},
                          headers=login("agent")).json()  # fmt: skip
    newest = timeline["entries"][0]
    assert newest["id"] == contact["id"] and newest["state"] == "completed"


def test_a_waiting_caller_takes_a_callback_and_keeps_the_place(
    client: CheckedClient, login: Login
) -> None:
    contact = open_call(client, login)
    callback = client.post(f"{API}/contacts/{contact['id']}/callback", headers=login("customer"))
    assert callback.status_code == 200, callback.text
    assert callback.json()["channel"] == "callback" and callback.json()["state"] == "queued"
    old = client.get(f"{API}/contacts/{contact['id']}", headers=login("customer")).json()
    assert old["state"] == "cancelled"


def test_only_the_offered_agent_accepts_and_others_learn_nothing(
    client: CheckedClient, login: Login
) -> None:
    contact = open_call(client, login)
    client.post(f"{API}/agents/me/activity", json={"activity": "available"},
                headers=login("agent"))  # fmt: skip
    stranger = client.post(f"{API}/offers/{contact['id']}/accept", headers=login("supervisor"))
    assert stranger.status_code == 409
    customer = client.post(f"{API}/offers/{contact['id']}/accept", headers=login("customer"))
    assert customer.status_code == 403
    not_with_you = client.post(
        f"{API}/contacts/{contact['id']}/complete", headers=login("supervisor")
    )
    assert not_with_you.status_code == 404


def test_a_customer_cannot_open_a_contact_for_someone_else(
    client: CheckedClient, login: Login
) -> None:
    answer = client.post(
        f"{API}/contacts", json={"customer_id": "cus-00002", "channel": "chat"},
        headers=login("customer"),
    )  # fmt: skip
    assert answer.status_code == 404


def test_hanging_up_ends_the_wait(client: CheckedClient, login: Login) -> None:
    contact = open_call(client, login)
    gone = client.post(f"{API}/contacts/{contact['id']}/hang-up", headers=login("customer"))
    assert [d["kind"] for d in gone.json()] == ["abandoned"]
