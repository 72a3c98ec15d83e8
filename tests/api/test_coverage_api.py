"""Coverage complaints over HTTP (issue 6 item 5): staff load call records, a customer's
complaint is verified and clustered with explanations, joins the area's investigation, and the
customer sees its status (and nothing of anyone else's); engineering concludes and the free
microcell order appears. Every answer is checked against the OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from conftest import NOW
from support.openapi_check import CheckedClient

Login = Callable[[str], dict[str, str]]
API = "/api/v1"
MARIA, OTHER = "cus-00001", "cus-00002"
AREA = "lab-9"


def iso(delta: timedelta) -> str:
    return (NOW + delta).isoformat()


def call(customer_id: str, minutes_ago: int, end: str = "dropped", ref: str = "") -> dict[str, Any]:
    body: dict[str, Any] = {
        "line": "+15550100199", "started_at": iso(timedelta(minutes=-minutes_ago - 5)),
        "ended_at": iso(timedelta(minutes=-minutes_ago)), "end_reason": end, "cell_id": "c-1",
        "area_id": AREA, "customer_id": customer_id,
    }  # fmt: skip
    if ref:
        body["external_id"] = ref
    return body


def complain(**kw: Any) -> dict[str, Any]:
    return {
        "occurred_at": iso(timedelta(minutes=-60)), "description": "Calls drop at home",
        "area_id": AREA, "at_home": True, "address": "5 Elm Road",
    } | kw  # fmt: skip


def test_a_customers_complaint_is_verified_opens_an_investigation_and_shows_its_status(
    client: CheckedClient, login: Login
) -> None:
    agent, maria = login("agent"), login("customer")
    loaded = client.post(
        f"{API}/call-records",
        json={"calls": [call(MARIA, 55, ref="n-1"), call(MARIA, 30, "normal", "n-2")]},
        headers=agent,
    )
    assert loaded.json() == {"added": 2, "duplicates": 0, "verified_complaints": []}
    again = client.post(f"{API}/call-records", json={"calls": [call(MARIA, 55, ref="n-1")]},
                        headers=agent)  # fmt: skip
    assert again.json() == {"added": 0, "duplicates": 1, "verified_complaints": []}
    answer = client.post(f"{API}/coverage-complaints", json=complain(), headers=maria)
    assert answer.status_code == 201, answer.text
    c = answer.json()
    assert c["customer_id"] == MARIA and c["verified"] and c["status"] == "open"
    assert c["verification"].startswith("Verified: a call on line +15550100199 dropped at")
    assert "Investigation INV-" in c["clustering"] and c["status_text"]
    mine = client.get(f"{API}/coverage-complaints/{c['id']}", headers=maria)
    assert mine.status_code == 200 and mine.json()["investigation_id"] == c["investigation_id"]
    listed = client.get(f"{API}/coverage-complaints", headers=maria).json()
    assert [x["id"] for x in listed] == [c["id"]]
    found = client.get(f"{API}/coverage-investigations/{c['investigation_id']}", headers=agent)
    assert found.status_code == 200
    investigation = found.json()
    assert investigation["opened_by"] == "verified_drop" and investigation["verified"] == 1
    assert investigation["explanation"].startswith("Opened for a verified dropped call.")
    hidden = client.get(f"{API}/coverage-investigations/{c['investigation_id']}", headers=maria)
    assert hidden.status_code == 403  # investigations are staff work: the route refuses
    assert client.get(f"{API}/coverage-investigations", headers=maria).status_code == 403
    span = {"customer_id": MARIA, "start": iso(timedelta(hours=-2)), "end": iso(timedelta())}
    calls = client.get(f"{API}/call-records", params=span, headers=agent)
    assert [x["end_reason"] for x in calls.json()] == ["dropped", "normal"]
    assert client.get(f"{API}/call-records", params=span, headers=maria).status_code == 403


def test_records_loaded_after_a_complaint_verify_it(client: CheckedClient, login: Login) -> None:
    agent, maria = login("agent"), login("customer")
    filed = client.post(f"{API}/coverage-complaints", json=complain(), headers=maria).json()
    assert not filed["verified"] and filed["status"] == "received"
    loaded = client.post(
        f"{API}/call-records", json={"calls": [call(MARIA, 58, ref="late-1")]}, headers=agent
    )
    assert loaded.status_code == 201
    assert loaded.json()["verified_complaints"] == [filed["id"]]
    now = client.get(f"{API}/coverage-complaints/{filed['id']}", headers=maria).json()
    assert now["verified"] and now["status"] == "open" and now["investigation_id"]


def test_confirmed_bad_reception_issues_a_free_microcell_the_customer_sees(
    client: CheckedClient, login: Login
) -> None:
    agent, supervisor, maria = login("agent"), login("supervisor"), login("customer")
    made = [
        client.post(
            f"{API}/coverage-complaints",
            json=complain(customer_id=customer, occurred_at=iso(timedelta(hours=-hours))),
            headers=agent,
        ).json()
        for customer, hours in ((OTHER, 10), ("cus-00003", 5))
    ]
    mine = client.post(f"{API}/coverage-complaints", json=complain(), headers=maria).json()
    assert [m["status"] for m in made] == ["received", "received"]
    assert made[1]["clustering"].startswith("Not clustered: 1 other complaint")
    assert mine["clustering"].startswith("Clustered: 3 complaints about area lab-9")
    number = mine["investigation_id"]
    url = f"{API}/coverage-investigations/{number}/conclude"
    body = {"outcome": "confirmed_bad_reception", "findings": "-117 dBm at the addresses"}
    assert client.post(url, json=body, headers=maria).status_code == 403
    done = client.post(url, json=body, headers=supervisor)
    assert done.status_code == 200, done.text
    assert {m["customer_id"] for m in done.json()["microcells"]} == {MARIA, OTHER, "cus-00003"}
    status = client.get(f"{API}/coverage-complaints/{mine['id']}", headers=maria).json()
    assert status["status"] == "confirmed_bad_reception" and status["microcell_order"]
    order = client.get(f"{API}/orders/{status['microcell_order']}", headers=maria).json()
    assert order["kind"] == "microcell" and "no charge" in order["note"]
    listed = client.get(f"{API}/coverage-investigations", params={"area_id": AREA}, headers=agent)
    assert [(i["id"], i["complaints"]) for i in listed.json()] == [(number, 3)]
    twice = client.post(url, json=body, headers=supervisor)
    assert twice.status_code == 409
    own_order = client.post(f"{API}/orders", json={"kind": "microcell", "source": "website",
                                                   "address": "x"}, headers=maria)  # fmt: skip
    assert own_order.status_code == 422 and own_order.json()["errors"][0]["field"] == "kind"


def test_bad_input_and_foreign_complaints_answer_4xx_naming_the_field(
    client: CheckedClient, login: Login
) -> None:
    agent, maria = login("agent"), login("customer")
    theirs = client.post(
        f"{API}/coverage-complaints", json=complain(customer_id=OTHER), headers=agent
    ).json()
    assert client.get(f"{API}/coverage-complaints/{theirs['id']}", headers=maria).status_code == 404
    cases: list[tuple[dict[str, Any], str]] = [
        (complain(occurred_at="2026-11-24T14:00:00"), "body.occurred_at"),
        (complain(area_id="no spaces"), "body.area_id"),
        (complain(area_id=None), "area_id"),
        (complain(address=""), "address"),
        (complain(description=""), "body.description"),
        (complain(mood="angry"), "body.mood"),
    ]
    for body, field in cases:
        answer = client.post(f"{API}/coverage-complaints", json=body, headers=maria)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["errors"][0]["field"] == field
    unknown = call(MARIA, 5)
    del unknown["customer_id"]
    unknown["line"] = "+15557770000"
    bad = client.post(f"{API}/call-records", json={"calls": [call(MARIA, 9), unknown]},
                      headers=agent)  # fmt: skip
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "calls[1].line"
    conclude = client.post(
        f"{API}/coverage-investigations/INV-NOPE/conclude",
        json={"outcome": "fixed", "findings": "x"}, headers=agent,
    )  # fmt: skip
    assert conclude.status_code == 404
