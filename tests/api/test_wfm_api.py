"""Workforce planning over HTTP: supervisors ask for staff and read a team's forecast; customers
ask for their best time to call; wrong values answer 422 naming the query field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from conftest import NOW
from support.openapi_check import CheckedClient

Login = Callable[[str], dict[str, str]]
API = "/api/v1"
MARIA = "cus-00001"


def test_a_supervisor_asks_how_many_agents_300_calls_an_hour_need(
    client: CheckedClient, login: Login
) -> None:
    params = {"arrivals_per_hour": 300, "aht_seconds": 360, "target_sl": 0.8, "within_seconds": 20}
    answer = client.get(f"{API}/staffing", params=params, headers=login("supervisor"))
    assert answer.status_code == 200, answer.text
    plan = answer.json()
    assert plan["model"] == "erlang_c" and plan["load_erlangs"] == pytest.approx(30.0)
    assert plan["agents"] > 30 and plan["service_level"] >= 0.8 and plan["p_abandon"] == 0.0
    impatient = client.get(
        f"{API}/staffing",
        params=params | {"patience_seconds": 120, "max_occupancy": 0.85},
        headers=login("admin"),
    ).json()
    assert impatient["model"] == "erlang_a" and impatient["p_abandon"] > 0.0
    assert impatient["occupancy"] <= 0.85


@pytest.mark.parametrize("role", ["agent", "customer"])
def test_planning_is_for_supervisors(client: CheckedClient, login: Login, role: str) -> None:
    staffing = client.get(f"{API}/staffing", params={"arrivals_per_hour": 10, "aht_seconds": 300},
                          headers=login(role))  # fmt: skip
    assert staffing.status_code == 403
    team = maria_team(client, login)
    assert client.get(f"{API}/teams/{team}/forecast", headers=login(role)).status_code == 403
    nobody = client.get(f"{API}/staffing", params={"arrivals_per_hour": 10, "aht_seconds": 300})
    assert nobody.status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"arrivals_per_hour": -1, "aht_seconds": 300}, "query.arrivals_per_hour"),
        ({"arrivals_per_hour": "many", "aht_seconds": 300}, "query.arrivals_per_hour"),
        ({"arrivals_per_hour": "nan", "aht_seconds": 300}, "query.arrivals_per_hour"),
        ({"arrivals_per_hour": 10, "aht_seconds": "inf"}, "query.aht_seconds"),
        ({"arrivals_per_hour": 10}, "query.aht_seconds"),
        ({"arrivals_per_hour": 10, "aht_seconds": 300, "target_sl": 1}, "query.target_sl"),
        ({"arrivals_per_hour": 10, "aht_seconds": 300, "within_seconds": -5},
         "query.within_seconds"),
        ({"arrivals_per_hour": 10, "aht_seconds": 300, "patience_seconds": 0},
         "query.patience_seconds"),
        ({"arrivals_per_hour": 10, "aht_seconds": 300, "max_occupancy": 1.2},
         "query.max_occupancy"),
        ({"arrivals_per_hour": 9_000_000, "aht_seconds": 86_400}, "arrivals_per_hour"),
    ],
)  # fmt: skip
def test_bad_staffing_questions_name_the_field(
    client: CheckedClient, login: Login, params: dict[str, object], field: str
) -> None:
    answer = client.get(f"{API}/staffing", params=params, headers=login("supervisor"))
    assert answer.status_code == 422, answer.text
    assert field in [e["field"] for e in answer.json()["errors"]]


def maria_team(client: CheckedClient, login: Login) -> str:
    maria = client.get(f"{API}/customers/{MARIA}", headers=login("agent")).json()
    team_id: str = maria["home_team"]["id"]
    return team_id


def test_a_supervisor_reads_a_teams_week_half_hour_by_half_hour(
    client: CheckedClient, login: Login
) -> None:
    team = maria_team(client, login)
    answer = client.get(f"{API}/teams/{team}/forecast", headers=login("supervisor"))
    assert answer.status_code == 200, answer.text
    plan = answer.json()
    assert plan["team_id"] == team and len(plan["slots"]) == 336
    assert plan["slots"][0] == "mon 00:00" and plan["slots"][-1] == "sun 23:30"
    voice = next(c for c in plan["channels"] if c["channel"] == "voice")
    assert len(voice["arrivals_per_hour"]) == len(voice["required_agents"]) == 336
    assert sum(voice["arrivals_per_hour"]) > 0
    assert all(t >= v for t, v in zip(plan["total_required_agents"], voice["required_agents"],
                                      strict=True))  # fmt: skip
    with_patience = client.get(f"{API}/teams/{team}/forecast", params={"patience_seconds": 60},
                               headers=login("admin")).json()  # fmt: skip
    assert with_patience["team_id"] == team
    missing = client.get(f"{API}/teams/no-such-team/forecast", headers=login("supervisor"))
    assert missing.status_code == 404


def test_maria_asks_when_to_call_and_gets_her_teams_open_hours_best_first(
    client: CheckedClient, login: Login
) -> None:
    answer = client.get(f"{API}/me/best-time", params={"channel": "voice"},
                        headers=login("customer"))  # fmt: skip
    assert answer.status_code == 200, answer.text
    best = answer.json()
    assert best["customer_id"] == MARIA and best["team_id"] == maria_team(client, login)
    slots = best["slots"]
    assert slots and {s["label"] for s in slots} <= {"quiet", "normal", "busy", "very_busy"}
    waits = [s["predicted_wait_seconds"] for s in slots]
    assert all(w is not None for w in waits) and waits == sorted(waits)
    for s in slots:
        start = datetime.fromisoformat(s["start"])
        assert NOW - timedelta(hours=1) < start < NOW + timedelta(hours=48)
        assert datetime.fromisoformat(s["end"]) - start == timedelta(hours=1)
    halves = client.get(f"{API}/me/best-time", params={"channel": "chat", "hours": 6,
                                                      "slot_minutes": 30},
                        headers=login("customer")).json()  # fmt: skip
    assert halves["channel"] == "chat"
    assert all(
        datetime.fromisoformat(s["end"]) - datetime.fromisoformat(s["start"])
        == timedelta(minutes=30)
        for s in halves["slots"]
    )


def test_staff_ask_for_a_customer_and_customers_only_for_themselves(
    client: CheckedClient, login: Login
) -> None:
    staff = client.get(f"{API}/customers/{MARIA}/best-time", headers=login("agent"))
    assert staff.status_code == 200 and staff.json()["customer_id"] == MARIA
    own = client.get(f"{API}/customers/{MARIA}/best-time", headers=login("customer"))
    assert own.status_code == 200
    other = client.get(f"{API}/customers/cus-00002/best-time", headers=login("customer"))
    assert other.status_code == 404
    # /me/... is declared for customers only: staff are refused by role (the access matrix)
    not_a_customer = client.get(f"{API}/me/best-time", headers=login("supervisor"))
    assert not_a_customer.status_code == 403


@pytest.mark.parametrize(
    ("params", "field"),
    [({"channel": "email"}, "query.channel"), ({"hours": 0}, "query.hours"),
     ({"hours": 1000}, "query.hours"), ({"slot_minutes": 45}, "query.slot_minutes"),
     ({"slot_minutes": 15}, "query.slot_minutes")],
)  # fmt: skip
def test_bad_best_time_questions_name_the_field(
    client: CheckedClient, login: Login, params: dict[str, object], field: str
) -> None:
    answer = client.get(f"{API}/me/best-time", params=params, headers=login("customer"))
    assert answer.status_code == 422, answer.text
    assert field in [e["field"] for e in answer.json()["errors"]]
