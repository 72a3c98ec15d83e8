"""One interval's staffing answer: the fewest agents, and the measures those agents reach."""

from __future__ import annotations

import pytest

from teamline.domain.errors import InvalidInput
from teamline.wfm.erlang import erlang_a, erlang_c
from teamline.wfm.interval import plan_interval


def test_the_answer_is_the_fewest_agents_that_meet_the_target() -> None:
    plan = plan_interval(300.0, 360.0, target_sl=0.8, within_s=20.0)
    assert plan.model == "erlang_c" and plan.load_erlangs == pytest.approx(30.0)
    at = erlang_c(plan.agents, 300.0, 360.0, 20.0)
    below = erlang_c(plan.agents - 1, 300.0, 360.0, 20.0)
    assert float(at.service_level) >= 0.8 > float(below.service_level)
    assert plan.service_level == pytest.approx(float(at.service_level))
    assert plan.asa_s == pytest.approx(float(at.asa_s))
    assert plan.p_wait == pytest.approx(float(at.p_wait))
    assert plan.occupancy == pytest.approx(30.0 / plan.agents)
    assert plan.p_abandon == 0.0


def test_patience_switches_to_erlang_a_and_reports_abandonment() -> None:
    plan = plan_interval(300.0, 360.0, patience_s=120.0, max_occupancy=0.85)
    at = erlang_a(plan.agents, 300.0, 360.0, 120.0, 20.0)
    assert plan.model == "erlang_a"
    assert plan.p_abandon == pytest.approx(float(at.p_abandon)) and plan.p_abandon > 0.0
    assert plan.occupancy <= 0.85 and plan.service_level >= 0.8
    assert plan.agents <= plan_interval(300.0, 360.0, max_occupancy=0.85).agents


def test_no_arrivals_need_nobody() -> None:
    plan = plan_interval(0.0, 360.0)
    assert (plan.agents, plan.service_level, plan.asa_s, plan.occupancy) == (0, 1.0, 0.0, 0.0)


@pytest.mark.parametrize("within_s", [3600.0, 86_400.0])
def test_a_threshold_of_many_patiences_is_the_limit_not_a_warning(within_s: float) -> None:
    # e^(-T/patience) underflows: every answered caller was answered within T, so the service
    # level is the share that did not hang up
    plan = plan_interval(300.0, 360.0, patience_s=2.0, within_s=within_s)
    assert plan.service_level == pytest.approx(1.0 - plan.p_abandon)
    at = erlang_a(plan.agents, 300.0, 360.0, 2.0, 60.0)
    assert plan.p_abandon == pytest.approx(float(at.p_abandon))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"arrivals_per_hour": -1.0}, "arrivals_per_hour"),
     ({"arrivals_per_hour": 2e9}, "arrivals_per_hour"),
     ({"arrivals_per_hour": 5e-324}, "arrivals_per_hour"), ({"aht_s": 0.0}, "aht_s"),
     ({"target_sl": 1.0}, "service_level"), ({"patience_s": 0.0}, "patience_s"),
     ({"max_occupancy": 1.5}, "max_occupancy"), ({"max_occupancy": 1e-300}, "max_occupancy")],
)  # fmt: skip
def test_bad_questions_name_the_field(kwargs: dict[str, float], field: str) -> None:
    args = {"arrivals_per_hour": 300.0, "aht_s": 360.0} | kwargs
    with pytest.raises(InvalidInput) as caught:
        plan_interval(args.pop("arrivals_per_hour"), args.pop("aht_s"), **args)
    assert caught.value.field == field
