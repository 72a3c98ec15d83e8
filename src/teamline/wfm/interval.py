"""One interval's staffing answer: the fewest agents meeting the targets, and what they achieve.

This module owns the answer a supervisor asks for ("300 calls an hour, 6 minutes each, 80 % in
20 s: how many agents?", DOMAIN.md section 8) as one record: the search is
`teamline.wfm.staffing.required_agents`, the measures at that head count are
`teamline.wfm.erlang` (Erlang C, or Erlang A when callers have a mean patience). The CLI's
`teamline staff` and the API's staffing endpoint both print this record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from teamline.domain.errors import InvalidInput
from teamline.wfm.erlang import erlang_a, erlang_c, offered_load
from teamline.wfm.staffing import required_agents

# the formulas are checked from 1 to 100,000 agents; a larger load is a typo, not a question
MAX_LOAD_ERLANGS: Final = 100_000.0
MAX_AGENTS: Final = 100_000
# one call in a million hours (114 years) is none: below it Erlang A's lambda/theta underflows
MIN_ARRIVALS_PER_HOUR: Final = 1e-6


@dataclass(frozen=True, slots=True)
class IntervalPlan:
    """`agents` and the steady state they reach: service level (share of ALL arrivals answered
    within the threshold), mean wait of answered calls, probability of waiting, abandonment
    (0 under Erlang C) and occupancy."""

    model: str  # "erlang_c" or "erlang_a"
    agents: int
    load_erlangs: float
    service_level: float
    asa_s: float
    p_wait: float
    p_abandon: float
    occupancy: float


def plan_interval(
    arrivals_per_hour: float,
    aht_s: float,
    *,
    target_sl: float = 0.8,
    within_s: float = 20.0,
    patience_s: float | None = None,
    max_occupancy: float | None = None,
    max_asa_s: float | None = None,
    max_abandon: float | None = None,
) -> IntervalPlan:
    """The fewest agents meeting every target, with the measures at that head count."""
    load = float(offered_load(arrivals_per_hour, aht_s))
    if max_occupancy is not None and max_occupancy > 0.0 and load / max_occupancy > MAX_AGENTS:
        raise InvalidInput(
            "max_occupancy",
            f"{load:,.4g} Erlangs at most {max_occupancy:g} busy need more than {MAX_AGENTS:,} "
            "agents",
        )
    if 0.0 < arrivals_per_hour < MIN_ARRIVALS_PER_HOUR:
        raise InvalidInput(
            "arrivals_per_hour", f"give 0 for no calls, or at least {MIN_ARRIVALS_PER_HOUR:g}"
        )
    if load > MAX_LOAD_ERLANGS:
        raise InvalidInput(
            "arrivals_per_hour",
            f"an offered load of {load:,.0f} Erlangs is beyond {MAX_LOAD_ERLANGS:,.0f}: check "
            "the arrivals and the handle time",
        )
    agents = int(
        required_agents(
            arrivals_per_hour,
            aht_s,
            service_level=target_sl,
            threshold_s=within_s,
            max_asa_s=max_asa_s,
            max_occupancy=max_occupancy,
            patience_s=patience_s,
            max_abandon=max_abandon,
        )
    )
    model = "erlang_c" if patience_s is None else "erlang_a"
    if agents == 0:  # no arrivals: nobody waits, nobody is busy
        return IntervalPlan(model, 0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0)
    if patience_s is None:
        m = erlang_c(agents, arrivals_per_hour, aht_s, within_s)
    else:
        m = erlang_a(agents, arrivals_per_hour, aht_s, patience_s, within_s)
    return IntervalPlan(
        model,
        agents,
        load,
        float(m.service_level),
        float(m.asa_s),
        float(m.p_wait),
        float(m.p_abandon),
        float(m.occupancy),
    )
