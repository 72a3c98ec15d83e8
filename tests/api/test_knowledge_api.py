"""Knowledge articles and saved replies over HTTP (issue 7 item 5): searched with every word,
best first, per team and language (Cyrillic too); inserted for one customer with placeholders
filled; edited by agents with a version, so nobody overwrites a colleague's change."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from teamline.store.tables import ContactRow

from support.openapi_check import CheckedClient

Login = Callable[[str], dict[str, str]]
API = "/api/v1"
MARIA = "cus-00001"


def test_agents_search_articles_with_every_word_best_first(
    client: CheckedClient, login: Login
) -> None:
    agent = login("agent")
    found = client.get(
        f"{API}/knowledge/articles", params={"q": "ROAMING credit"}, headers=agent
    ).json()
    assert found and found[0]["title"] == "Bill higher than expected"
    none = client.get(
        f"{API}/knowledge/articles", params={"q": "roaming zebra"}, headers=agent
    ).json()
    assert none == []
    listed = client.get(f"{API}/knowledge/articles", params={"limit": 50}, headers=agent).json()
    assert [a["title"] for a in listed] == sorted(a["title"] for a in listed)
    assert client.get(f"{API}/knowledge/articles", headers=login("customer")).status_code == 403


def test_a_saved_reply_is_found_in_russian_and_inserted_for_the_customer(
    client: CheckedClient, login: Login
) -> None:
    agent = login("agent")
    ru = client.get(
        f"{API}/saved-replies", params={"q": "ЗДРАВСТВУЙТЕ", "language": "ru"}, headers=agent
    ).json()
    assert [r["title"] for r in ru] == ["Приветствие"]
    greeting = client.get(
        f"{API}/saved-replies", params={"q": "greeting", "language": "en"}, headers=agent
    ).json()[0]
    inserted = client.post(
        f"{API}/saved-replies/{greeting['id']}/insert", json={"customer_id": MARIA}, headers=agent
    )
    assert inserted.status_code == 200, inserted.text
    text = inserted.json()["text"]
    assert text.startswith("Hi Maria, this is ") and "{" not in text
    missing = client.post(
        f"{API}/saved-replies/{greeting['id']}/insert", json={"customer_id": "cus-x"}, headers=agent
    )
    assert missing.status_code == 404
    article_as_reply = client.post(
        f"{API}/saved-replies/kba-demo-001/insert", json={"customer_id": MARIA}, headers=agent
    )
    assert article_as_reply.status_code == 404


def test_an_agent_writes_and_edits_over_the_version_they_read(
    client: CheckedClient, login: Login
) -> None:
    agent, supervisor = login("agent"), login("supervisor")
    body = {
        "language": "es",
        "team_id": "team-west-1",
        "title": "Código de desbloqueo",
        "body": "Hola {first_name}, su solicitud de desbloqueo está abierta.",
    }
    made = client.post(f"{API}/saved-replies", json=body, headers=agent)
    assert made.status_code == 201, made.text
    reply = made.json()
    assert reply["version"] == 1 and reply["team_id"] == "team-west-1"
    edit = {"title": reply["title"], "body": "Hola {first_name}, ya está en camino.", "version": 1}
    edited = client.put(f"{API}/saved-replies/{reply['id']}", json=edit, headers=supervisor)
    assert edited.status_code == 200 and edited.json()["version"] == 2
    assert edited.json()["updated_by"] != reply["created_by"]
    stale = client.put(f"{API}/saved-replies/{reply['id']}", json=edit, headers=agent)
    assert stale.status_code == 409
    found = client.get(f"{API}/saved-replies", params={"q": "camino"}, headers=agent).json()
    assert [r["id"] for r in found] == [reply["id"]]
    other_team = client.get(
        f"{API}/saved-replies", params={"q": "camino", "team_id": "team-east-1"}, headers=agent
    ).json()
    assert other_team == []  # a team's own texts stay with the team

    for bad, field in (
        ({**body, "body": "Hola {nombre}"}, "body"),
        ({**body, "language": "de"}, "language"),
        ({**body, "team_id": "team-nope"}, "team_id"),
    ):
        refused = client.post(f"{API}/saved-replies", json=bad, headers=agent)
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == field
    as_customer = client.get(f"{API}/saved-replies/{reply['id']}", headers=login("customer"))
    assert as_customer.status_code == 403  # the team's working texts: staff only


def test_articles_are_suggested_from_the_contacts_subject(
    client: CheckedClient, login: Login
) -> None:
    with client.app.state.new_uow() as uow:
        contact_id = uow.session.scalar(
            select(ContactRow.id)
            .where(ContactRow.subject == "Dropped calls at home")
            .order_by(ContactRow.id)
            .limit(1)
        )
    assert contact_id is not None
    answer = client.get(
        f"{API}/knowledge/suggestions", params={"contact_id": contact_id}, headers=login("agent")
    )
    assert answer.status_code == 200, answer.text
    titles = [a["title"] for a in answer.json()]
    assert titles[0] == "Dropped calls at home" and len(titles) <= 5
    missing = client.get(
        f"{API}/knowledge/suggestions", params={"contact_id": "con-x"}, headers=login("agent")
    )
    assert missing.status_code == 404
    refused = client.get(
        f"{API}/knowledge/suggestions", params={"contact_id": contact_id}, headers=login("customer")
    )
    assert refused.status_code == 403
