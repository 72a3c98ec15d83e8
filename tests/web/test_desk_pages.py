"""The agent desktop's and the supervisor wall's forms, in-process: a call is offered and taken
from the desk, marked (hold), escalated with a handoff note that the next person reads, and a
second one wrapped up with a code; the care forms (ETF quote, service order, suspension); the
customer's choice of traditional service; staffing, quality and a what-if run. Every refused
input answers 4xx with a message, never 500."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from teamline.app import create_app
from teamline.config import Settings
from teamline.services.demo import DemoResult
from teamline.store.db import make_engine
from teamline.store.tables import AuditRow

from conftest import NOW
from support.openapi_check import CheckedClient
from support.pages import csrf_of, sign_in

MARIA = "cus-00001"


@pytest.fixture
def pages(sqlite_demo_template: tuple[Path, DemoResult], tmp_path: Path) -> Iterator[CheckedClient]:
    shutil.copyfile(sqlite_demo_template[0], tmp_path / "teamline.db")
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'teamline.db'}",
        router_tick_seconds=0,
        simulation_max_contacts=20_000,
    )
    with CheckedClient(create_app(settings, clock=lambda: NOW), follow_redirects=False) as c:
        yield c


def post(pages: CheckedClient, path: str, **form: str) -> int:
    return pages.post(path, data={**form, "csrf_token": csrf_of(pages)}).status_code


def _call_taken(pages: CheckedClient) -> str:
    """Maria calls; the demo agent, available, is offered the call and takes it at the desk."""
    assert post(pages, "/agent/activity", activity="available") == 303
    opened = pages.post(
        "/api/v1/contacts",
        json={"customer_id": MARIA, "channel": "voice"},
        headers={"X-Requested-With": "teamline"},
    )
    assert opened.status_code == 201, opened.text
    contact_id = opened.json()["id"]
    answer = pages.post(f"/agent/offers/{contact_id}/accept", data={"csrf_token": csrf_of(pages)})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/agent/customers/{MARIA}?contact={contact_id}"
    page = pages.get(answer.headers["location"]).text
    assert "Hold / mute marker" in page and "Transfer or escalate" in page
    return str(contact_id)


def _audited(pages: CheckedClient, action: str) -> list[dict[str, object]]:
    engine = make_engine(pages.app.state.settings.database_url)  # type: ignore[attr-defined]
    with engine.connect() as db:
        rows = db.execute(select(AuditRow.detail).where(AuditRow.action == action)).scalars()
        found = [dict(r) for r in rows]
    engine.dispose()
    return found


def test_a_call_is_taken_marked_and_escalated_with_a_handoff_note(pages: CheckedClient) -> None:
    sign_in(pages, "agent@demo.teamline.dev")
    contact_id = _call_taken(pages)
    marker = {"kind": "hold", "start": "5", "end": "35", "customer_id": MARIA}
    assert post(pages, f"/agent/contacts/{contact_id}/markers", **marker) == 303
    recording = pages.get(f"/api/v1/contacts/{contact_id}/recording").json()
    assert recording["segments"] == [{"start": 5.0, "end": 35.0, "kind": "hold"}]
    bad = {**marker, "start": "40", "end": "10"}
    assert post(pages, f"/agent/contacts/{contact_id}/markers", **bad) == 422

    assert post(pages, f"/agent/contacts/{contact_id}/handoff", target="level:escalation",
                note="") == 422  # fmt: skip
    note = "Dropped calls at home since Monday; offered a microcell check."
    target = "level:escalation"
    assert post(pages, f"/agent/contacts/{contact_id}/handoff", target=target, note=note) == 303
    page = pages.get(f"/agent/customers/{MARIA}").text
    assert f"Handoff to escalation: {note}" in page  # the next person reads it
    assert contact_id not in pages.get("/agent").text  # it left the agent


def test_a_contact_is_wrapped_up_with_its_code(pages: CheckedClient) -> None:
    sign_in(pages, "agent@demo.teamline.dev")
    contact_id = _call_taken(pages)
    assert post(pages, f"/agent/contacts/{contact_id}/wrap-up", code="nonsense") == 422
    assert post(pages, f"/agent/contacts/{contact_id}/wrap-up", code="resolved",
                note="reset the router") == 303  # fmt: skip
    assert _audited(pages, "contact.wrap_up")[-1]["code"] == "resolved"
    assert post(pages, f"/agent/contacts/{contact_id}/wrap-up", code="resolved") == 404


def test_the_care_forms_quote_order_and_suspend(pages: CheckedClient) -> None:
    sign_in(pages, "agent@demo.teamline.dev")
    page = pages.get(f"/agent/customers/{MARIA}?etf_account=100000001&etf_on=2026-12-01").text
    assert 'id="etf-quote"' in page and "USD" in page
    assert (
        "the date is YYYY-MM-DD"
        in pages.get(f"/agent/customers/{MARIA}?etf_account=100000001&etf_on=soon").text
    )
    form = {"kind": "move", "address": "Via Roma 1, Brooklyn"}
    assert post(pages, f"/agent/customers/{MARIA}/orders", **form) == 303
    assert "SO-" in pages.get(f"/agent/customers/{MARIA}").text
    assert post(pages, f"/agent/customers/{MARIA}/orders", kind="teleport") == 422
    away = {"account_number": "100000001", "start_on": "2026-12-10", "end_on": "2027-01-10",
            "reason": "away for the winter"}  # fmt: skip
    assert post(pages, f"/agent/customers/{MARIA}/suspensions", **away) == 303
    assert _audited(pages, "account.suspend")
    assert post(pages, f"/agent/customers/{MARIA}/suspensions", **{**away, "end_on": "x"}) == 422
    assert post(pages, f"/agent/customers/{MARIA}/concessions", amount="lots") == 422
    assert pages.get(f"/agent/customers/{MARIA}?older=not-a-cursor").status_code == 422


def test_a_customer_opts_out_of_the_team_model_and_back(pages: CheckedClient) -> None:
    sign_in(pages, "customer@demo.teamline.dev")
    pages.cookies.set("teamline_lang", "en")
    assert post(pages, "/me/team-model", opted_out="true") == 303
    page = pages.get("/me").text
    assert "You chose traditional service" in page and "National standard care" in page
    assert post(pages, "/me/team-model", opted_out="false") == 303
    assert "My team: Hudson team (East)" in pages.get("/me").text
    assert post(pages, "/me/book", at="tomorrow") == 422
    assert post(pages, "/me/book", at="2020-01-01T10:00:00+00:00") == 422


def test_the_supervisor_pages_staffing_quality_and_what_if(pages: CheckedClient) -> None:
    sign_in(pages, "supervisor@demo.teamline.dev")
    staffing = pages.get("/supervisor/staffing?team=team-east-1").text
    assert staffing.count("<meter") == 48  # every half hour of the day
    assert pages.get("/supervisor/staffing?team=nowhere").status_code == 404
    assert 'id="qa-queue"' in pages.get("/supervisor/quality").text
    run = {"scenario": "storm", "hours": "1", "seed": "3"}
    answer = pages.post("/supervisor/what-if", data={**run, "csrf_token": csrf_of(pages)})
    assert answer.status_code == 200
    assert 'src="data:image/png;base64,' in answer.text and "overflow" in answer.text
    assert post(pages, "/supervisor/what-if", scenario="apocalypse") == 422


def test_an_unlock_request_and_a_coverage_complaint_show_their_status_to_the_customer(
    pages: CheckedClient,
) -> None:
    sign_in(pages, "agent@demo.teamline.dev")
    trip = {"imei": "490154203237518", "account_number": "100000001", "destination": "it",
            "departs": "2026-12-20"}  # fmt: skip
    assert post(pages, f"/agent/customers/{MARIA}/unlocks", **trip) == 303
    assert post(pages, f"/agent/customers/{MARIA}/unlocks", **{**trip, "imei": "123"}) == 422
    dropped = {"occurred_at": "2026-11-24T09:30", "description": "Calls drop in my kitchen",
               "at_home": "true", "address": "Via Roma 1, Brooklyn", "area": "BKN-001"}  # fmt: skip
    assert post(pages, f"/agent/customers/{MARIA}/coverage", **dropped) == 303
    assert post(pages, f"/agent/customers/{MARIA}/coverage", occurred_at="noon") == 422
    page = pages.get(f"/agent/customers/{MARIA}").text
    assert page.count("Calls drop") == 0  # the description is kept, the list shows the status
    assert 'id="unlocks"' in page and 'id="complaints"' in page
    pages.cookies.clear()
    sign_in(pages, "customer@demo.teamline.dev")
    pages.cookies.set("teamline_lang", "en")
    mine = pages.get("/me").text
    assert 'id="care-cases"' in mine
    assert mine.count("<strong>Unlock code</strong>") == 1
    assert mine.count("<strong>Coverage complaint</strong>") == 1
