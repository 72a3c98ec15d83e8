"""Unlock requests over HTTP (issue 6 item 6): the customer asks and sees a case with its state,
deadline and the rules that decided it; staff send the code (never to Teamline) or refuse;
supervisors see overdue requests; foreign requests answer 404 and bad input a 4xx naming the
field. Every answer is checked against the OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable

from conftest import NOW
from support.openapi_check import CheckedClient

Login = Callable[[str], dict[str, str]]
API = "/api/v1"
IMEI = "490154203237518"
OTHER_IMEI = "356938035643809"


def test_a_customer_asks_and_sees_the_case_with_its_deadline_and_explanation(
    client: CheckedClient, login: Login
) -> None:
    maria, agent = login("customer"), login("agent")
    answer = client.post(
        f"{API}/unlock-requests",
        json={"imei": IMEI, "travel": {"destination": "FR", "departs": "2026-12-10"}},
        headers={**maria, "Idempotency-Key": "unlock-1"},
    )
    assert answer.status_code == 201, answer.text
    case = answer.json()
    assert case["state"] == "eligible" and not case["overdue"] and not case["by_law"]
    assert case["deadline_at"] > NOW.isoformat() and case["tier"] is not None
    assert case["explanation"].startswith("Eligible. The account 100000001 is in good standing")
    assert {r["rule"]: r["passed"] for r in case["rules"]}["travel_abroad"] is True
    assert all(r["text"] for r in case["rules"])
    assert case["status_text"].startswith("The device ending 7518 can be unlocked")
    replay = client.post(
        f"{API}/unlock-requests",
        json={"imei": IMEI, "travel": {"destination": "FR", "departs": "2026-12-10"}},
        headers={**maria, "Idempotency-Key": "unlock-1"},
    )
    assert replay.status_code == 201 and replay.json()["id"] == case["id"]
    duplicate = client.post(f"{API}/unlock-requests", json={"imei": IMEI}, headers=maria)
    assert duplicate.status_code == 409 and case["id"] in duplicate.json()["detail"]
    url = f"{API}/unlock-requests/{case['id']}"
    assert client.post(f"{url}/code-sent", json={"delivery": "sms"}, headers=maria).status_code == (
        403
    )
    sent = client.post(f"{url}/code-sent", json={"delivery": "sms"}, headers=agent)
    assert sent.status_code == 200 and sent.json()["state"] == "code_sent"
    seen = client.get(url, headers=maria).json()
    assert seen["status_text"] == (
        "The unlock code for the device ending 7518 was sent by sms on 2026-11-24."
    )
    assert seen["closed_by_name"] and seen["delivery"] == "sms"
    timeline = client.get(f"{API}/customers/cus-00001/timeline", headers=maria).json()
    texts = " ".join(e["text"] for e in timeline["entries"])
    assert f"Unlock request {case['id']}" in texts and IMEI not in texts
    listed = client.get(f"{API}/unlock-requests", headers=maria).json()
    assert [x["id"] for x in listed] == [case["id"]]


def test_refusals_overdue_lists_and_foreign_requests(client: CheckedClient, login: Login) -> None:
    maria, agent, supervisor = login("customer"), login("agent"), login("supervisor")
    theirs = client.post(
        f"{API}/unlock-requests", json={"imei": OTHER_IMEI, "customer_id": "cus-00002"},
        headers=agent,
    ).json()  # fmt: skip
    url = f"{API}/unlock-requests/{theirs['id']}"
    assert client.get(url, headers=maria).status_code == 404
    assert client.post(f"{url}/reevaluate", headers=maria).status_code == 404
    if theirs["state"] == "eligible":
        refused = client.post(f"{url}/refuse", json={"reason": "Stolen"}, headers=agent)
        assert refused.status_code == 403 and "supervisor" in refused.json()["detail"]
    done = client.post(f"{url}/refuse", json={"reason": "Reported stolen"}, headers=supervisor)
    assert done.status_code == 200 and done.json()["refusal_reason"] == "Reported stolen"
    overdue = client.get(f"{API}/unlock-requests", params={"overdue": "true"}, headers=supervisor)
    assert overdue.status_code == 200
    late = overdue.json()  # the demo company's request still waiting for its code
    assert [x["state"] for x in late] == ["eligible"] and late[0]["overdue"]
    assert "This is late: it was due by" in late[0]["status_text"]
    forbidden = client.get(f"{API}/unlock-requests", params={"overdue": "true"}, headers=agent)
    assert forbidden.status_code == 403


def test_bad_input_answers_422_naming_the_field(client: CheckedClient, login: Login) -> None:
    maria, agent = login("customer"), login("agent")
    cases = [
        ({"imei": "490154203237519"}, maria, "imei"),
        ({"imei": "12"}, maria, "body.imei"),
        ({"imei": IMEI, "travel": {"destination": "fr", "departs": "2026-12-01"}}, maria,
         "body.travel.destination"),
        ({"imei": IMEI, "travel": {"destination": "FR", "departs": "2026-12-05",
                                   "returns": "2026-12-01"}}, maria, "travel.returns"),
        ({"imei": IMEI, "code": "1234"}, maria, "body.code"),
        ({"imei": IMEI}, agent, "customer_id"),
        ({"imei": IMEI, "account_number": "999"}, maria, "account_number"),
    ]  # fmt: skip
    for body, headers, field in cases:
        answer = client.post(f"{API}/unlock-requests", json=body, headers=headers)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["errors"][0]["field"] == field, answer.text
    case = client.post(f"{API}/unlock-requests", json={"imei": IMEI}, headers=maria).json()
    url = f"{API}/unlock-requests/{case['id']}"
    assert client.post(f"{url}/refuse", json={}, headers=agent).json()["errors"][0]["field"] == (
        "body.reason"
    )
    bad_delivery = client.post(f"{url}/code-sent", json={"delivery": "pigeon"}, headers=agent)
    assert bad_delivery.status_code == 422
    assert bad_delivery.json()["errors"][0]["field"] == "body.delivery"
