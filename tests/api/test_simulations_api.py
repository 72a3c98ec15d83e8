"""Supervisors run the digital twin over HTTP: a built-in scenario in, the report out; other
roles are refused, and a wrong value answers 422 naming its field."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from teamline.config import Settings
from teamline.services import twin
from teamline.sim.compare import expected_contacts
from teamline.sim.scenarios import builtin_names, load_builtin

from support.openapi_check import CheckedClient

Login = Callable[[str], dict[str, str]]
URL = "/api/v1/simulations"
STORM = {"scenario": "storm", "seed": 3, "hours": 0.75}  # 30 min warm-up, 15 min measured


def test_a_supervisor_runs_the_storm_and_sees_the_three_policies(
    client: CheckedClient, login: Login
) -> None:
    answer = client.post(URL, json=STORM, headers=login("supervisor"))
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["seed"] == 3 and report["scenario"]["name"] == "storm"
    assert report["scenario"]["hours"] == 0.75
    assert set(report["summary"]) == {"dedicated", "pooled", "overflow"}
    assert set(report["summary"]["overflow"]) == {"surge", "rest", "all"}
    assert report["summary"]["dedicated"]["all"]["home_share"] == 1.0
    overflow = report["policies"]["overflow"]
    assert set(overflow["teams"]) >= {"east-1", "west-2", "national"}
    assert overflow["intervals"]["interval_seconds"] == 900
    again = client.post(URL, json=STORM, headers=login("admin"))
    assert again.json() == report  # the same seed, the same report


@pytest.mark.parametrize(("role", "status"), [("agent", 403), ("customer", 403)])
def test_other_roles_may_not_run_simulations(
    client: CheckedClient, login: Login, role: str, status: int
) -> None:
    answer = client.post(URL, json=STORM, headers=login(role))
    assert answer.status_code == status
    assert "supervisor" in answer.json()["detail"]


def test_signing_in_comes_first(client: CheckedClient) -> None:
    assert client.post(URL, json=STORM).status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"scenario": "hurricane"}, "body.scenario"),
        ({"scenario": "storm", "hours": 0}, "body.hours"),
        ({"scenario": "storm", "hours": 25}, "body.hours"),
        ({"scenario": "storm", "seed": -1}, "body.seed"),
        ({"scenario": "storm", "seed": True}, "body.seed"),
        ({"scenario": "storm", "hours": "1"}, "body.hours"),
        ({"scenario": "storm", "speed": "fast"}, "body.speed"),
        ({"seed": 1}, "body.scenario"),
        ({"scenario": "storm", "hours": 0.25}, "hours"),  # inside the storm's warm-up
    ],
)
def test_wrong_values_answer_422_naming_the_field(
    client: CheckedClient, login: Login, body: dict[str, object], field: str
) -> None:
    answer = client.post(URL, json=body, headers=login("supervisor"))
    assert answer.status_code == 422, answer.text
    assert field in [e["field"] for e in answer.json()["errors"]]


def test_a_run_too_big_for_a_request_is_refused_before_it_starts(
    client: CheckedClient, login: Login
) -> None:
    # these tests allow 5,000 contacts a request; the whole normal day is about 18,000
    answer = client.post(URL, json={"scenario": "normal-day"}, headers=login("supervisor"))
    assert answer.status_code == 422
    (error,) = answer.json()["errors"]
    assert error["field"] == "hours" and "teamline simulate" in error["message"]


def test_the_api_offers_every_built_in_scenario_and_each_fits_the_default_limit() -> None:
    assert tuple(s.value for s in twin.BuiltinScenario) == builtin_names()
    limit = Settings().simulation_max_contacts
    assert all(expected_contacts(load_builtin(name)) <= limit for name in builtin_names())
