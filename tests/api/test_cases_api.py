"""Cases over HTTP (issue 7 items 1-2): opened from a contact, answered, paused while waiting on
the customer, climbed up the ladder with handoff notes (the supervisor files the request, "the
supervisor's supervisor" is a lateral move), a regulator complaint whose statutory deadline
raises a breach event exactly once even across a restart, and what a customer may see."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from teamline.api.live_frames import SERVER_FRAME
from teamline.app import create_app
from teamline.config import Settings
from teamline.domain.enums import AgentLevel
from teamline.services.demo import DEMO_PASSWORD, DemoResult

from conftest import NOW
from support.openapi_check import CheckedClient

API = "/api/v1"
MARIA = "cus-00001"  # the demo customer login
OTHER = "cus-00002"
Headers = dict[str, str]


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def world(
    sqlite_demo_template: tuple[Path, DemoResult], tmp_path: Path
) -> Iterator[tuple[CheckedClient, Clock, Settings]]:
    template, _ = sqlite_demo_template
    shutil.copyfile(template, tmp_path / "teamline.db")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'teamline.db'}", router_tick_seconds=0)
    clock = Clock()
    with CheckedClient(create_app(settings, clock=clock)) as client:
        yield client, clock, settings


@pytest.fixture
def client(world: tuple[CheckedClient, Clock, Settings]) -> CheckedClient:
    return world[0]


def sign_in(client: CheckedClient, role: str) -> Headers:
    """Bearer headers for a demo login, valid from the app's clock's now."""
    answer = client.post(
        f"{API}/auth/token",
        data={"username": f"{role}@demo.teamline.dev", "password": DEMO_PASSWORD},
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


@pytest.fixture
def login(client: CheckedClient) -> Callable[[str], Headers]:
    cache: dict[str, Headers] = {}
    return lambda role: (
        cache.setdefault(role, sign_in(client, role)) if role not in cache else cache[role]
    )


def state(client: CheckedClient) -> Any:
    return client.app.state  # type: ignore[attr-defined]


def contact_of(client: CheckedClient, customer_id: str) -> str:
    with state(client).new_uow() as uow:
        return str(uow.timeline.contact_ids_of(customer_id)[0])


def supervisors(client: CheckedClient) -> list[str]:
    with state(client).new_uow() as uow:
        return [
            a.id
            for t in uow.organisation.teams()
            for a in uow.organisation.agents_of(t.id)
            if a.level is AgentLevel.SUPERVISOR
        ][:2]


def outbox(client: CheckedClient, name: str) -> list[dict[str, Any]]:
    with state(client).new_uow() as uow:
        return [e.payload for e in uow.journal.outbox_after(0, 100_000) if e.name == name]


def open_case(client: CheckedClient, headers: Headers, **extra: Any) -> dict[str, Any]:
    body = {"subject": "Internet drops every evening", **extra}
    answer = client.post(f"{API}/cases", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def escalate(client: CheckedClient, headers: Headers, case_id: str, **body: Any) -> Any:
    return client.post(f"{API}/cases/{case_id}/escalate", json=body, headers=headers)


def clock_of(case: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(c for c in case["clocks"] if c["kind"] == kind)


def test_a_case_from_a_contact_runs_its_clocks_and_is_the_customers_own(
    client: CheckedClient, login: Callable[[str], Headers]
) -> None:
    contact = contact_of(client, MARIA)
    case = open_case(client, login("agent"), contact_id=contact)
    assert case["customer_id"] == MARIA and case["state"] == "new"
    assert case["contact_ids"] == [contact] and case["level"] == "frontline"
    assert {c["kind"] for c in case["clocks"]} == {"first_response", "resolution"}
    assert clock_of(case, "first_response")["status"] == "running"
    assert outbox(client, "case.opened")[-1]["case_id"] == case["id"]  # after the demo's
    # the same contact cannot start a second case
    again = client.post(
        f"{API}/cases", json={"subject": "x", "contact_id": contact}, headers=login("agent")
    )
    assert again.status_code == 409
    mine = client.get(f"{API}/customers/{MARIA}/cases", headers=login("customer"))
    assert case["id"] in [c["id"] for c in mine.json()]  # beside the demo's case of hers
    assert {c["customer_id"] for c in mine.json()} == {MARIA}
    theirs = open_case(client, login("agent"), customer_id=OTHER)
    for path in (f"/cases/{theirs['id']}", f"/customers/{OTHER}/cases"):
        assert client.get(f"{API}{path}", headers=login("customer")).status_code == 404


def test_replies_pause_and_resume_move_the_clocks(
    client: CheckedClient, login: Callable[[str], Headers]
) -> None:
    agent = login("agent")
    case = open_case(client, login("customer"))  # a customer opens their own
    url = f"{API}/cases/{case['id']}"
    answered = client.post(f"{url}/replies", json={"awaiting_customer": True}, headers=agent)
    assert answered.json()["state"] == "pending_customer"
    assert clock_of(answered.json(), "first_response")["status"] == "met"
    assert clock_of(answered.json(), "resolution")["status"] == "paused"
    written = client.post(f"{url}/replies", json={}, headers=login("customer")).json()
    assert written["state"] == "open"
    assert clock_of(written, "next_response")["status"] == "running"
    paused = client.post(f"{url}/pause", json={"note": "asked for the router model"}, headers=agent)
    assert paused.json()["state"] == "pending_customer"
    assert client.post(f"{url}/resume", headers=agent).json()["state"] == "open"
    assert client.post(f"{url}/resume", headers=agent).status_code == 409
    assert client.post(f"{url}/solve", json={"resolution": " "}, headers=agent).status_code == 422
    solved = client.post(f"{url}/solve", json={"resolution": "New router"}, headers=agent)
    assert solved.json()["state"] == "solved"
    # the customer says it is not solved: the case opens again, owing a resolution from now
    doubted = client.post(f"{url}/replies", json={}, headers=login("customer")).json()
    assert doubted["state"] == "open"
    assert clock_of(doubted, "resolution")["status"] == "running"
    assert clock_of(doubted, "next_response")["status"] == "running"
    assert "reopened" in [step["kind"] for step in doubted["steps"]]
    again = client.post(f"{url}/solve", json={"resolution": "New mast"}, headers=agent)
    assert again.json()["state"] == "solved"
    assert client.post(f"{url}/close", headers=agent).json()["state"] == "closed"
    assert client.post(f"{url}/close", headers=agent).status_code == 409
    closed = client.post(f"{url}/replies", json={}, headers=login("customer"))
    assert closed.status_code == 409
    assert client.post(f"{url}/pause", json={}, headers=login("customer")).status_code == 403


def test_the_ladder_with_handoff_notes_a_filed_request_and_a_lateral_supervisor(
    client: CheckedClient, login: Callable[[str], Headers]
) -> None:
    agent = login("agent")
    case_id = open_case(client, agent, customer_id=MARIA)["id"]
    empty = escalate(client, agent, case_id, target="escalation", handoff_note="  ")
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "handoff_note"
    skip = escalate(client, agent, case_id, target="supervisor", handoff_note="wants a boss")
    assert skip.status_code == 409  # the escalation team comes first
    attitude = escalate(
        client, agent, case_id, target="supervisor", handoff_note="n", attitude="rude"
    )
    assert attitude.status_code == 422  # no such input: attitude decides nothing
    story = "Drops every evening since the storm; router replaced once; wants a credit"
    up = escalate(client, agent, case_id, target="escalation", handoff_note=story)
    assert up.json()["level"] == "escalation" and up.json()["team_id"] == "team-escalation"
    first, second = supervisors(client)
    unfiled = escalate(client, agent, case_id, target="supervisor", handoff_note="n")
    assert unfiled.status_code == 422 and unfiled.json()["errors"][0]["field"] == "request"
    sup = escalate(
        client, agent, case_id, target="supervisor", handoff_note="still dropping",
        request="A $30 credit for the outage days", assignee_agent_id=first,
    ).json()  # fmt: skip
    assert (
        sup["level"] == "supervisor" and sup["filed_request"] == "A $30 credit for the outage days"
    )
    assert [s["kind"] for s in sup["steps"]][-2:] == ["escalated", "request_filed"]
    assert outbox(client, "case.request_filed")[0]["case_id"] == case_id
    same = escalate(
        client, agent, case_id, target="supervisors_supervisor", handoff_note="n",
        assignee_agent_id=first,
    )  # fmt: skip
    assert same.status_code == 422 and same.json()["errors"][0]["field"] == "assignee_agent_id"
    lateral = escalate(
        client, agent, case_id, target="supervisors_supervisor",
        handoff_note="asks for the supervisor's supervisor", assignee_agent_id=second,
    ).json()  # fmt: skip
    assert lateral["level"] == "supervisor" and lateral["assignee_agent_id"] == second
    assert lateral["steps"][-1]["kind"] == "lateral"
    assert outbox(client, "case.escalated")[-1]["lateral"] is True
    # the customer sees each step but never an internal handoff note
    seen = client.get(f"{API}/cases/{case_id}", headers=login("customer")).json()
    assert [s["kind"] for s in seen["steps"]] == [s["kind"] for s in lateral["steps"]]
    for staff_copy, own in zip(lateral["steps"], seen["steps"], strict=True):
        assert own["note"] == ("" if staff_copy["internal"] else staff_copy["note"])
    assert story not in str(seen)
    assert seen["filed_request"] == "A $30 credit for the outage days"  # their own words
    exec_case = escalate(
        client, agent, case_id, target="executive_care", handoff_note="CEO letter", internal=False
    ).json()
    assert exec_case["team_id"] == "team-executive"
    assert exec_case["contact_address"] == "executive@teamline.example"
    seen = client.get(f"{API}/cases/{case_id}", headers=login("customer")).json()
    assert seen["steps"][-1]["note"] == "CEO letter"


def test_social_care_and_chargebacks(
    client: CheckedClient, login: Callable[[str], Headers]
) -> None:
    agent = login("agent")
    social = open_case(client, agent, customer_id=MARIA, level="social_care")
    assert social["team_id"] == "team-social"
    assert clock_of(social, "first_response")["target_minutes"] == 30
    missing = escalate(
        client, agent, social["id"], target="chargeback", handoff_note="n", card_issuer="Bank"
    )
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "issuer_deadline"
    deadline = (NOW + timedelta(days=20)).isoformat()
    chargeback = escalate(
        client, agent, social["id"], target="chargeback", handoff_note="disputed $89",
        card_issuer="Big Bank", issuer_deadline=deadline,
    ).json()  # fmt: skip
    assert chargeback["card_issuer"] == "Big Bank"
    assert clock_of(chargeback, "issuer_deadline")["due_at"].startswith("2026-12-14T15:00")


def test_a_missed_statutory_deadline_raises_one_alert_even_across_a_restart(
    world: tuple[CheckedClient, Clock, Settings], login: Callable[[str], Headers]
) -> None:
    client, clock, settings = world
    agent = login("agent")
    case_id = open_case(client, agent, customer_id=MARIA)["id"]
    bad = escalate(client, agent, case_id, target="regulatory", handoff_note="n", regulator_id="x")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "regulator"
    complaint = escalate(
        client, agent, case_id, target="regulatory", handoff_note="FCC complaint #4471",
        regulator_id="fcc",
    ).json()  # fmt: skip
    assert complaint["team_id"] == "team-regulatory" and complaint["regulator_id"] == "fcc"
    due = clock_of(complaint, "statutory")["due_at"]
    assert due == "2026-12-25T05:00:00Z"  # 30 days, end of day in New York (the department)
    asked = {"awaiting_customer": True, "note": "asked for the bills"}
    paused = client.post(f"{API}/cases/{case_id}/replies", json=asked, headers=agent).json()
    assert paused["state"] == "pending_customer"
    assert clock_of(paused, "statutory")["status"] == "running"  # the statute does not wait
    assert client.post(f"{API}/sla/sweep", headers=agent).status_code == 403
    clock.now = NOW + timedelta(days=31)
    supervisor, agent = sign_in(client, "supervisor"), sign_in(client, "agent")
    swept = client.post(f"{API}/sla/sweep", headers=supervisor).json()
    assert swept["alerts"] >= 2  # at least the statute's warning and breach
    statutory = [b for b in outbox(client, "sla.breached") if b["clock"] == "statutory"]
    assert len(statutory) == 1 and statutory[0]["regulator_id"] == "fcc"
    assert len([w for w in outbox(client, "sla.breach_warning") if w["clock"] == "statutory"]) == 1
    breaches = client.get(f"{API}/sla/breaches", headers=supervisor).json()
    assert case_id in [b["id"] for b in breaches]
    assert client.get(f"{API}/sla/breaches", headers=agent).status_code == 403
    assert client.post(f"{API}/sla/sweep", headers=supervisor).json()["alerts"] == 0
    # a restarted server (a new app over the same database) raises nothing twice
    with CheckedClient(create_app(settings, clock=clock)) as restarted:
        state(restarted).case_policy  # noqa: B018  (the new app is wired)
        answer = restarted.post(f"{API}/sla/sweep", headers=supervisor)
        assert answer.status_code == 200 and answer.json()["alerts"] == 0
    assert len([b for b in outbox(client, "sla.breached") if b["clock"] == "statutory"]) == 1


def test_the_running_server_sweeps_on_its_own(
    sqlite_demo_template: tuple[Path, DemoResult], tmp_path: Path
) -> None:
    template, _ = sqlite_demo_template
    shutil.copyfile(template, tmp_path / "teamline.db")
    url = f"sqlite:///{tmp_path / 'teamline.db'}"
    clock = Clock()
    settings = Settings(database_url=url, router_tick_seconds=0.05)
    with CheckedClient(create_app(settings, clock=clock)) as client:
        body = {"subject": "No dial tone", "customer_id": MARIA, "priority": "urgent"}
        answer = client.post(f"{API}/cases", json=body, headers=sign_in(client, "agent"))
        case_id = answer.json()["id"]
        clock.now = NOW + timedelta(days=3)  # the router loop's next tick finds both clocks late
        deadline = time.monotonic() + 20
        breached: set[str] = set()
        while time.monotonic() < deadline and len(breached) < 2:
            time.sleep(0.1)
            breached = {
                b["clock"] for b in outbox(client, "sla.breached") if b["case_id"] == case_id
            }
    assert breached == {"first_response", "resolution"}


def test_sla_alerts_reach_the_holding_teams_staff_live_and_nobody_else(
    world: tuple[CheckedClient, Clock, Settings], login: Callable[[str], Headers]
) -> None:
    client, clock, _settings = world
    agent = login("agent")
    case = open_case(client, agent, customer_id=MARIA)
    hub = state(client).live
    with (
        client.websocket_connect("/api/v1/live", headers=agent) as held,
        client.websocket_connect("/api/v1/live", headers=login("admin")) as admin,
    ):
        hello = held.receive_json()
        assert admin.receive_json()["type"] == "hello"
        with state(client).new_uow() as uow:
            mine = uow.organisation.agent(hello["agent_id"])
        assert mine is not None and mine.team_id == case["team_id"]  # the demo agent's team
        clock.now = NOW + timedelta(days=3)  # the first response was due within hours
        swept = client.post(f"{API}/sla/sweep", headers=login("supervisor"))
        assert swept.json()["alerts"] >= 2
        hub.wake()
        seen = []
        while len(seen) < 2:  # a warning and a breach of the first response, at least
            frame = held.receive_json()
            SERVER_FRAME.validate_python(frame)
            if frame["type"] == "sla_alert" and frame["case_id"] == case["id"]:
                seen.append((frame["alert"], frame["clock"]))
        assert ("warning", "first_response") in seen and ("breach", "first_response") in seen
        # the admin's socket holds no team: its queue up to a pong has no alert
        admin.send_json({"type": "ping"})
        frames = []
        while (frame := admin.receive_json())["type"] != "pong":
            frames.append(frame)
        assert [f for f in frames if f["type"] == "sla_alert"] == []
