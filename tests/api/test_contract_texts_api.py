"""Contract and warranty texts over HTTP (issue 6 item 8): staff attach, staff and the
account's own customer list, read a section and search; a customer asking about another
account gets 404."""

from __future__ import annotations

from collections.abc import Callable

from support.openapi_check import CheckedClient

Login = Callable[[str], dict[str, str]]
API = "/api/v1"
ACCOUNT = "100000001"  # Maria's
BODY = {
    "kind": "warranty",
    "title": "Handset warranty",
    "version": "2",
    "text": "1. Cover\nDefects for 12 months.\n2. Exclusions\nWater damage is not covered.",
}


def test_attach_list_read_and_search(client: CheckedClient, login: Login) -> None:
    docs = f"{API}/accounts/{ACCOUNT}/documents"
    assert client.post(docs, json=BODY, headers=login("customer")).status_code == 403
    made = client.post(docs, json=BODY, headers=login("agent"))
    assert made.status_code == 201, made.text
    document = made.json()
    assert [s["number"] for s in document["sections"]] == ["1", "2"]
    listed = client.get(docs, headers=login("customer"))
    assert listed.status_code == 200 and [d["id"] for d in listed.json()] == [document["id"]]
    section = client.get(f"{docs}/{document['id']}/sections/2", headers=login("customer"))
    assert section.status_code == 200, section.text
    assert section.json()["heading"] == "Exclusions"
    assert section.json()["title"] == "Handset warranty" and section.json()["version"] == "2"
    found = client.get(f"{docs}/search", params={"q": "water COVERED"}, headers=login("agent"))
    assert found.status_code == 200, found.text
    assert [q["marked"] for q in found.json()] == ["**Water** damage is not **covered**."]
    assert client.get(
        f"{docs}/{document['id']}/sections/9", headers=login("agent")
    ).status_code == (404)
    bad = client.post(docs, json={**BODY, "text": "no headings"}, headers=login("agent"))
    assert bad.status_code == 422


def test_a_customer_reads_only_their_own_accounts_texts(
    client: CheckedClient, login: Login
) -> None:
    someone = client.get(f"{API}/customers/cus-00002", headers=login("agent"))
    assert someone.status_code == 200, someone.text
    other = someone.json()["accounts"][0]["number"]
    made = client.post(f"{API}/accounts/{other}/documents", json=BODY, headers=login("agent"))
    assert made.status_code == 201, made.text
    docs = f"{API}/accounts/{other}/documents"
    assert client.get(docs, headers=login("customer")).status_code == 404
    assert client.get(f"{docs}/search?q=water", headers=login("customer")).status_code == 404
    assert client.get(f"{docs}/search?q=water", headers=login("agent")).status_code == 200
    doc_id = made.json()["id"]
    assert client.get(f"{docs}/{doc_id}/sections/1", headers=login("customer")).status_code == 404
    mine = f"{API}/accounts/{ACCOUNT}/documents/{doc_id}/sections/1"
    assert client.get(mine, headers=login("agent")).status_code == 404
    assert client.get(f"{API}/accounts/nope/documents", headers=login("agent")).status_code == 404
