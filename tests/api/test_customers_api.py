"""The customer endpoints over HTTP: lookup by any spelling, errors that name the field,
visibility by role, timeline pages, moves and undoable merges."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from support.openapi_check import CheckedClient

Login = Callable[[str], dict[str, str]]
API = "/api/v1"


@pytest.mark.parametrize(
    "query",
    [
        {"phone": "(555) 010-0199"},
        {"phone": "+1 555 010 0199"},
        {"phone": "5550100199"},
        {"account_number": "100000001"},
        {"email": "MARIA.ROSSI@example.com"},
    ],
)
def test_lookup_finds_the_customer_however_the_identity_is_written(
    client: CheckedClient, login: Login, query: dict[str, str]
) -> None:
    answer = client.get(f"{API}/customers/lookup", params=query, headers=login("agent"))
    assert answer.status_code == 200
    body = answer.json()
    assert body["display_name"] == "Maria Rossi"
    assert {"kind": "phone", "value": "+15550100199"} in body["identities"]
    assert body["home_team"]["region_id"] == body["region_id"]


def test_an_unparseable_phone_is_a_422_naming_the_field(
    client: CheckedClient, login: Login
) -> None:
    answer = client.get(
        f"{API}/customers/lookup", params={"phone": "call me maybe"}, headers=login("agent")
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "phone"


def test_lookup_needs_exactly_one_identity(client: CheckedClient, login: Login) -> None:
    for params in ({}, {"phone": "5550100199", "email": "a@b.co"}):
        answer = client.get(f"{API}/customers/lookup", params=params, headers=login("agent"))
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["field"] == "query"


def test_an_unknown_identity_is_404(client: CheckedClient, login: Login) -> None:
    answer = client.get(
        f"{API}/customers/lookup", params={"email": "x@nowhere.example"}, headers=login("agent")
    )
    assert answer.status_code == 404


def test_creating_a_customer_assigns_a_home_team_and_refuses_unknown_fields(
    client: CheckedClient, login: Login
) -> None:
    body = {
        "display_name": "Lena Berg",
        "region_id": "reg-east",
        "segment": "postpaid",
        "language": "sv",
        "phones": ["+46 70 123 45 67"],
        "emails": ["Lena@Example.se"],
    }
    created = client.post(f"{API}/customers", json=body, headers=login("agent"))
    assert created.status_code == 201, created.text
    assert created.json()["home_team"]["region_id"] == "reg-east"
    assert created.json()["tier"] == 0
    again = client.post(f"{API}/customers", json=body, headers=login("agent"))
    assert again.status_code == 409
    typo = client.post(
        f"{API}/customers",
        json={**body, "phones": [], "emails": [], "segmnt": "x"},
        headers=login("agent"),
    )
    assert typo.status_code == 422
    assert "body.segmnt" in [e["field"] for e in typo.json()["errors"]]
    bad_phone = client.post(
        f"{API}/customers", json={**body, "phones": ["12"]}, headers=login("agent")
    )
    assert bad_phone.status_code == 422
    assert bad_phone.json()["errors"][0]["field"] == "body.phones"


def test_a_customer_cannot_see_another_customer_and_is_told_not_found(
    client: CheckedClient, login: Login
) -> None:
    me = client.get(f"{API}/me", headers=login("customer")).json()
    mine = client.get(f"{API}/customers/{me['customer_id']}", headers=login("customer"))
    assert mine.status_code == 200
    someone = client.get(f"{API}/customers", params={"name": "an"}, headers=login("agent"))
    other = next(c for c in someone.json() if c["id"] != me["customer_id"])
    hidden = client.get(f"{API}/customers/{other['id']}", headers=login("customer"))
    missing = client.get(f"{API}/customers/cus-does-not-exist", headers=login("customer"))
    assert hidden.status_code == missing.status_code == 404
    assert (
        client.get(f"{API}/customers/{other['id']}/timeline", headers=login("customer")).status_code
        == 404
    )


def test_without_a_token_the_api_answers_401(client: CheckedClient) -> None:
    answer = client.get(f"{API}/customers/lookup", params={"phone": "5550100199"})
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    forged = client.get(f"{API}/me", headers={"Authorization": "Bearer forged"})
    assert forged.status_code == 401


def test_the_timeline_pages_through_every_entry_once_newest_first(
    client: CheckedClient, login: Login
) -> None:
    star = client.get(
        f"{API}/customers/lookup", params={"account_number": "100000001"}, headers=login("agent")
    ).json()
    seen: list[tuple[str, str]] = []
    times: list[str] = []
    cursor = None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = client.get(
            f"{API}/customers/{star['id']}/timeline", params=params, headers=login("agent")
        ).json()
        seen += [(e["kind"], e["id"]) for e in page["entries"]]
        times += [e["at"] for e in page["entries"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    whole = client.get(
        f"{API}/customers/{star['id']}/timeline", params={"limit": 200}, headers=login("agent")
    ).json()
    assert seen == [(e["kind"], e["id"]) for e in whole["entries"]]
    assert len(seen) == len(set(seen)) > 6
    assert {e["kind"] for e in whole["entries"]} == {"contact", "message", "case"}
    assert len({e["channel"] for e in whole["entries"]}) >= 3
    assert times == sorted(times, reverse=True)


def test_customers_never_see_internal_notes(client: CheckedClient, login: Login) -> None:
    me = client.get(f"{API}/me", headers=login("customer")).json()
    path = f"{API}/customers/{me['customer_id']}/timeline"
    staff = client.get(path, params={"limit": 200}, headers=login("agent")).json()["entries"]
    own = client.get(path, params={"limit": 200}, headers=login("customer")).json()["entries"]
    assert any(e["internal"] for e in staff)
    assert not any(e["internal"] for e in own)
    assert len(own) == len(staff) - sum(e["internal"] for e in staff)


def test_a_forged_cursor_is_a_422_naming_the_cursor(client: CheckedClient, login: Login) -> None:
    me = client.get(f"{API}/me", headers=login("customer")).json()
    answer = client.get(
        f"{API}/customers/{me['customer_id']}/timeline",
        params={"cursor": "bm90IGEgY3Vyc29y"},
        headers=login("customer"),
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "cursor"


def test_a_merge_joins_two_timelines_and_its_undo_splits_them_again(
    client: CheckedClient, login: Login
) -> None:
    star = client.get(
        f"{API}/customers/lookup", params={"account_number": "100000001"}, headers=login("agent")
    ).json()
    dup = client.post(
        f"{API}/customers",
        json={
            "display_name": "M. Rossi",
            "region_id": star["region_id"],
            "segment": "postpaid",
            "emails": ["m.rossi@work.example"],
        },
        headers=login("agent"),
    ).json()
    merge = {"survivor_id": star["id"], "merged_id": dup["id"]}
    refused = client.post(f"{API}/merges", json=merge, headers=login("agent"))
    assert refused.status_code == 403
    done = client.post(f"{API}/merges", json=merge, headers=login("supervisor"))
    assert done.status_code == 201, done.text
    found = client.get(
        f"{API}/customers/lookup",
        params={"email": "m.rossi@work.example"},
        headers=login("agent"),
    ).json()
    assert found["id"] == star["id"]
    merged = client.get(f"{API}/customers/{dup['id']}", headers=login("agent")).json()
    assert merged["merged_into_id"] == star["id"]
    undo = client.post(f"{API}/merges/{done.json()['merge_id']}/undo", headers=login("supervisor"))
    assert undo.status_code == 200 and undo.json()["undone_at"]
    back = client.get(
        f"{API}/customers/lookup",
        params={"email": "m.rossi@work.example"},
        headers=login("agent"),
    ).json()
    assert back["id"] == dup["id"] and back["merged_into_id"] is None
    twice = client.post(f"{API}/merges/{done.json()['merge_id']}/undo", headers=login("supervisor"))
    assert twice.status_code == 409


def test_moving_a_customer_gives_them_a_team_of_the_new_region(
    client: CheckedClient, login: Login
) -> None:
    star = client.get(
        f"{API}/customers/lookup", params={"account_number": "100000001"}, headers=login("agent")
    ).json()
    target = "reg-west" if star["region_id"] != "reg-west" else "reg-east"
    moved = client.post(
        f"{API}/customers/{star['id']}/move", json={"region_id": target}, headers=login("agent")
    )
    assert moved.status_code == 200
    assert moved.json()["home_team"]["region_id"] == target


def test_supervisors_read_the_audit_log_of_privileged_acts_and_agents_cannot(
    client: CheckedClient, login: Login
) -> None:
    star = "cus-00001"
    client.post(f"{API}/customers/{star}/move", json={"region_id": "reg-west"},
                headers=login("agent"))  # fmt: skip
    entries = client.get(
        f"{API}/audit", params={"object_type": "customer", "object_id": star},
        headers=login("supervisor"),
    ).json()  # fmt: skip
    assert [e["action"] for e in entries] == ["customer.move"]
    agent_id = client.get(f"{API}/me", headers=login("agent")).json()["id"]
    assert entries[0]["actor_id"] == agent_id
    assert entries[0]["detail"]["region_id"] == "reg-west"
    assert client.get(f"{API}/audit", headers=login("agent")).status_code == 403
    newest = client.get(f"{API}/audit", params={"limit": 2}, headers=login("admin")).json()
    older = client.get(
        f"{API}/audit", params={"before_id": newest[-1]["id"]}, headers=login("admin")
    ).json()
    assert all(e["id"] < newest[-1]["id"] for e in older)
