"""Quality review over HTTP (issue 7 item 3): a supervisor samples a month and reviews from the
queue, calibrates with a colleague and reads trends; an agent sees their own; a customer sees
no QA data at all. Every answer is checked against the OpenAPI document."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from support.openapi_check import CheckedClient

Login = Callable[[str], dict[str, str]]
API = "/api/v1"


def sample(client: CheckedClient, login: Login, month: str = "2026-10", seed: int = 9) -> Any:
    answer = client.post(
        f"{API}/qa/samples", json={"month": month, "seed": seed}, headers=login("supervisor")
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_supervisor_samples_the_month_once_and_reads_why_each_was_picked(
    client: CheckedClient, login: Login
) -> None:
    run = sample(client, login)
    assert run["added"] > 0 and run["zone"] == "America/Chicago"
    assert all(a["sampled"] == min(8, a["conversations"]) for a in run["agents"])
    assert sample(client, login)["added"] == 0  # the same seed: nothing twice
    queue = client.get(
        f"{API}/qa/samples", params={"month": "2026-10"}, headers=login("supervisor")
    ).json()
    assert len(queue) == run["added"]
    assert all(q["reason"].startswith(("stratified channel=", "complaint")) for q in queue)
    per_agent = Counter(q["agent_id"] for q in queue if q["stratified"])
    assert per_agent == {a["agent_id"]: a["sampled"] for a in run["agents"] if a["sampled"]}

    detail = client.get(f"{API}/qa/samples/{queue[0]['contact_id']}", headers=login("admin"))
    assert detail.status_code == 200, detail.text
    assert detail.json()["samples"][0]["reason"] == queue[0]["reason"]
    assert detail.json()["transcript"]


def test_an_agent_sees_their_own_samples_and_a_customer_no_qa_data(
    client: CheckedClient, login: Login
) -> None:
    sample(client, login)
    queue = client.get(
        f"{API}/qa/samples", params={"month": "2026-10"}, headers=login("supervisor")
    ).json()
    mine = client.get(f"{API}/qa/samples", params={"month": "2026-10"}, headers=login("agent"))
    agents = {q["agent_id"] for q in mine.json()}
    assert mine.status_code == 200 and len(agents) == 1
    foreign = next(q for q in queue if q["agent_id"] not in agents)
    answer = client.get(f"{API}/qa/samples/{foreign['contact_id']}", headers=login("agent"))
    assert answer.status_code == 404
    assert (
        client.post(
            f"{API}/qa/samples", json={"month": "2026-10"}, headers=login("agent")
        ).status_code
        == 403
    )

    customer = login("customer")
    for path, params in [
        ("/qa/samples", {"month": "2026-10"}),
        ("/qa/reviews", {}),
        ("/qa/scorecards", {}),
        ("/qa/scores", {"from": "2026-10", "to": "2026-10"}),
    ]:
        answer = client.get(f"{API}{path}", params=params, headers=customer)
        assert answer.status_code == 403, path
    answer = client.get(f"{API}/qa/samples/{foreign['contact_id']}", headers=customer)
    assert answer.status_code == 403 and foreign["reason"] not in answer.text
    flagged = client.post(
        f"{API}/qa/complaints", json={"contact_id": foreign["contact_id"]}, headers=customer
    )
    assert flagged.status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"month": "2026-13"}, "month"),
        ({"month": "10-2026"}, "body.month"),
        ({"month": "2026-10", "seed": -3}, "body.seed"),
        ({"month": "2026-10", "extra": 1}, "body.extra"),
    ],
)
def test_a_bad_month_is_a_422_naming_the_field(
    client: CheckedClient, login: Login, body: dict[str, Any], field: str
) -> None:
    answer = client.post(f"{API}/qa/samples", json=body, headers=login("supervisor"))
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == field


def test_reviews_calibration_and_scores(client: CheckedClient, login: Login) -> None:
    sample(client, login)
    supervisor, admin = login("supervisor"), login("admin")
    cards = client.get(f"{API}/qa/scorecards", headers=login("agent")).json()
    card = cards[0]
    assert card["id"] == "qsc-default" and len(card["criteria"]) == 5
    queue = client.get(f"{API}/qa/samples", params={"month": "2026-10"}, headers=supervisor).json()
    contact = queue[0]["contact_id"]
    top = {c["key"]: c["scale"] for c in card["criteria"]}
    body = {"contact_id": contact, "scorecard_id": card["id"], "scores": top, "comment": "Clear"}
    review = client.post(f"{API}/qa/reviews", json=body, headers=supervisor)
    assert review.status_code == 201, review.text
    assert review.json()["total"] == 100.0
    assert client.post(f"{API}/qa/reviews", json=body, headers=supervisor).status_code == 409
    assert client.post(f"{API}/qa/reviews", json=body, headers=login("agent")).status_code == 403
    bad = client.post(f"{API}/qa/reviews", json={**body, "scores": {"nope": 1}}, headers=admin)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "scores"
    unqueued = client.post(f"{API}/qa/reviews", json={**body, "contact_id": "con-x"}, headers=admin)
    assert unqueued.status_code == 404

    opened = client.post(
        f"{API}/qa/calibrations",
        json={"contact_id": contact, "scorecard_id": card["id"]},
        headers=supervisor,
    )
    assert opened.status_code == 201, opened.text
    cal = opened.json()["id"]
    middle = {k: 3 for k in top}
    first = client.post(
        f"{API}/qa/calibrations/{cal}/reviews", json={"scores": top}, headers=supervisor
    )
    second = client.post(
        f"{API}/qa/calibrations/{cal}/reviews", json={"scores": middle}, headers=admin
    )
    assert first.status_code == second.status_code == 201, second.text
    agreement = second.json()["agreement"]
    assert agreement["reviewers"] == 2 and 0 < agreement["agreement"] < 1
    assert client.get(f"{API}/qa/calibrations/{cal}", headers=login("agent")).status_code == 403

    scores = client.get(
        f"{API}/qa/scores",
        params={"from": "2026-09", "to": "2026-11", "by": "team"},
        headers=supervisor,
    )
    assert scores.status_code == 200
    assert [(s["month"], s["reviews"], s["mean"]) for s in scores.json()] == [("2026-10", 1, 100.0)]
    backwards = client.get(
        f"{API}/qa/scores", params={"from": "2026-11", "to": "2026-09"}, headers=supervisor
    )
    assert backwards.status_code == 422


def test_a_scorecard_is_configured_by_a_supervisor(client: CheckedClient, login: Login) -> None:
    body = {
        "name": "Email care",
        "criteria": [
            {"key": "grammar", "name": "Clear writing", "weight": 1, "scale": 3},
            {"key": "correct", "name": "Correct answer", "weight": 4, "scale": 10},
        ],
    }
    made = client.post(f"{API}/qa/scorecards", json=body, headers=login("supervisor"))
    assert made.status_code == 201 and made.json()["criteria"][1]["scale"] == 10
    assert client.post(f"{API}/qa/scorecards", json=body, headers=login("agent")).status_code == 403
    twice = {**body, "criteria": [body["criteria"][0]] * 2}
    assert (
        client.post(f"{API}/qa/scorecards", json=twice, headers=login("admin")).status_code == 422
    )
    retired = client.patch(
        f"{API}/qa/scorecards/{made.json()['id']}", json={"active": False}, headers=login("admin")
    )
    assert retired.status_code == 200 and retired.json()["active"] is False
