"""CSAT over HTTP (issue 7 item 4): one question after resolution on the customer's channel,
one answer per survey, a complaint queued for review, results per agent, team and reason."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import select

from teamline.store.tables import ContactRow, MessageRow, OutboundMessageRow
from teamline.store.tables_quality import CsatSurveyRow

from support.openapi_check import CheckedClient

Login = Callable[[str], dict[str, str]]
API = "/api/v1"
MARIA = "cus-00001"


def resolved_contact(client: CheckedClient, channel: str, customer: str = MARIA) -> ContactRow:
    with client.app.state.new_uow() as uow:
        row = uow.session.scalar(
            select(ContactRow)
            .outerjoin(CsatSurveyRow, CsatSurveyRow.contact_id == ContactRow.id)
            .where(
                CsatSurveyRow.id.is_(None),  # the demo answered some already
                ContactRow.customer_id == customer,
                ContactRow.channel == channel,
                ContactRow.state == "completed",
                ContactRow.agent_id.is_not(None),
            )
            .order_by(ContactRow.created_at.desc())
        )
        assert isinstance(row, ContactRow)
        uow.session.expunge(row)
        return row


def test_the_question_goes_on_the_customers_channel_and_takes_one_answer(
    client: CheckedClient, login: Login
) -> None:
    email = resolved_contact(client, "email")
    sent = client.post(f"{API}/csat/surveys", json={"contact_id": email.id}, headers=login("agent"))
    assert sent.status_code == 201, sent.text
    survey = sent.json()
    assert survey["channel"] == "email" and survey["score"] is None and "5" in survey["question"]
    again = client.post(
        f"{API}/csat/surveys", json={"contact_id": email.id}, headers=login("admin")
    )
    assert again.json()["id"] == survey["id"]  # one survey per contact
    with client.app.state.new_uow() as uow:
        asked = uow.session.scalars(
            select(MessageRow.body).where(
                MessageRow.conversation_id == email.conversation_id,
                MessageRow.author_kind == "system",
            )
        ).all()
        mails = uow.session.scalars(
            select(OutboundMessageRow.state).where(
                OutboundMessageRow.headers["Survey"].as_string() == survey["id"]
            )
        ).all()
    assert [body for body in asked if "1" in body and "5" in body]
    assert mails == ["pending"]

    customer = login("customer")
    mine = client.get(f"{API}/csat/surveys", headers=customer).json()
    assert survey["id"] in {s["id"] for s in mine}
    answer = {"score": 2, "reason": "had_to_repeat", "comment": "I explained it twice"}
    first = client.post(f"{API}/csat/surveys/{survey['id']}/answer", json=answer, headers=customer)
    assert first.status_code == 200 and first.json()["score"] == 2
    repeat = client.post(f"{API}/csat/surveys/{survey['id']}/answer", json=answer, headers=customer)
    assert repeat.status_code == 200 and repeat.json() == first.json()
    other = {**answer, "score": 5}
    changed = client.post(f"{API}/csat/surveys/{survey['id']}/answer", json=other, headers=customer)
    assert changed.status_code == 409
    staff = client.post(
        f"{API}/csat/surveys/{survey['id']}/answer", json=answer, headers=login("admin")
    )
    assert staff.status_code == 403  # only the customer answers
    for bad, field in (
        ({"score": 6}, "body.score"),
        ({"score": 3, "reason": "bored"}, "body.reason"),
    ):
        wrong = client.post(f"{API}/csat/surveys/{survey['id']}/answer", json=bad, headers=customer)
        assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == field


def test_a_complaint_in_the_answer_puts_the_conversation_in_the_review_queue(
    client: CheckedClient, login: Login
) -> None:
    call = resolved_contact(client, "voice")
    month = call.created_at.astimezone(ZoneInfo("America/Chicago")).strftime("%Y-%m")
    # the sampler ran before the complaint
    assert (
        client.post(
            f"{API}/qa/samples", json={"month": month, "seed": 1}, headers=login("supervisor")
        ).status_code
        == 200
    )
    survey = client.post(
        f"{API}/csat/surveys", json={"contact_id": call.id}, headers=login("agent")
    ).json()
    answer = {"score": 1, "reason": "not_resolved", "complaint": True, "comment": "Nobody helped"}
    answered = client.post(
        f"{API}/csat/surveys/{survey['id']}/answer", json=answer, headers=login("customer")
    )
    assert answered.status_code == 200, answered.text
    detail = client.get(f"{API}/qa/samples/{call.id}", headers=login("supervisor"))
    assert detail.status_code == 200, detail.text
    assert detail.json()["complaint"]["source"] == "csat"
    assert detail.json()["samples"][0]["reason"].endswith("complaint")


def test_an_unresolved_contact_gets_no_survey_and_results_are_for_supervisors(
    client: CheckedClient, login: Login
) -> None:
    answer = client.post(
        f"{API}/csat/surveys", json={"contact_id": "con-nope"}, headers=login("agent")
    )
    assert answer.status_code == 404
    customer = client.post(
        f"{API}/csat/surveys", json={"contact_id": "con-000001"}, headers=login("customer")
    )
    assert customer.status_code == 403
    for by in ("agent", "team", "reason"):
        results = client.get(
            f"{API}/csat/results",
            params={"month": "2026-10", "by": by},
            headers=login("supervisor"),
        )
        assert results.status_code == 200, results.text
        lines = results.json()
        assert lines and all(1 <= x["mean"] <= 5 and 0 <= x["satisfied_share"] <= 1 for x in lines)
    assert sum(x["answers"] for x in lines) > 0
    refused = client.get(f"{API}/csat/results", params={"month": "2026-10"}, headers=login("agent"))
    assert refused.status_code == 403
