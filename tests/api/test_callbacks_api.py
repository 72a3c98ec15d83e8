"""Scheduled calls and callbacks over HTTP: book a call, see its job, and the refusals: a time
in the past or without a zone, someone else's customer, someone else's job."""

from __future__ import annotations

from collections.abc import Callable

from support.openapi_check import CheckedClient

Login = Callable[[str], dict[str, str]]
API = "/api/v1"
MARIA, OTHER = "cus-00001", "cus-00006"
TOMORROW_10_07_NEW_YORK = "2026-11-25T10:07:00-05:00"


def test_a_customer_books_a_call_with_her_agent_and_follows_it(
    client: CheckedClient, login: Login
) -> None:
    booked = client.post(f"{API}/scheduled-calls",
                         json={"customer_id": MARIA, "at": TOMORROW_10_07_NEW_YORK},
                         headers=login("customer"))  # fmt: skip
    assert booked.status_code == 201, booked.text
    body = booked.json()
    assert body["scheduled_for"] == "2026-11-25T15:15:00Z"
    assert body["moved"] is True and body["agent_id"] == "agt-0018"
    assert body["job"]["state"] == "waiting" and body["job"]["max_attempts"] == 3
    job = client.get(f"{API}/callbacks/{body['job']['id']}", headers=login("customer"))
    assert job.status_code == 200 and job.json()["contact_id"] == body["job"]["contact_id"]
    contact = client.get(f"{API}/contacts/{body['job']['contact_id']}", headers=login("agent"))
    assert contact.json()["channel"] == "scheduled_call"


def test_bad_bookings_answer_4xx_naming_the_field(client: CheckedClient, login: Login) -> None:
    maria = login("customer")
    for at in ("2026-11-24T09:00:00-05:00", "2026-11-25T10:00:00"):  # past; no time zone
        answer = client.post(f"{API}/scheduled-calls", json={"customer_id": MARIA, "at": at},
                             headers=maria)  # fmt: skip
        assert answer.status_code == 422, at
        assert answer.json()["errors"][0]["field"] in ("at", "body.at"), answer.text
    theirs = client.post(f"{API}/scheduled-calls",
                         json={"customer_id": OTHER, "at": TOMORROW_10_07_NEW_YORK},
                         headers=maria)  # fmt: skip
    assert theirs.status_code == 404
    staff = client.post(f"{API}/scheduled-calls",
                        json={"customer_id": OTHER, "at": TOMORROW_10_07_NEW_YORK},
                        headers=login("agent"))  # fmt: skip
    assert staff.status_code == 201
    hidden = client.get(f"{API}/callbacks/{staff.json()['job']['id']}", headers=maria)
    assert hidden.status_code == 404


def test_a_callback_from_the_app_is_a_job_at_the_customers_number(
    client: CheckedClient, login: Login
) -> None:
    call = client.post(f"{API}/contacts", json={"customer_id": MARIA, "channel": "voice"},
                       headers=login("customer")).json()  # fmt: skip
    callback = client.post(f"{API}/contacts/{call['id']}/callback", headers=login("customer"))
    assert callback.status_code == 200, callback.text
    twice = client.post(f"{API}/contacts/{call['id']}/callback", headers=login("customer"))
    assert twice.status_code == 422  # the call is no longer waiting: one callback, not two
    assert twice.json()["errors"][0]["field"] == "contact_id"
