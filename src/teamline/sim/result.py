"""What one run of the digital twin produced: plain arrays per contact and per agent interval.

This module owns the shape of a finished run, nothing of how it was run (`engine_driver.py`) or
what it means (`report.py`, which reads it alone).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from teamline.domain.enums import Channel
from teamline.sim.model import Scenario


@dataclass(frozen=True, slots=True, eq=False)  # arrays: compare the fields, not the results
class SimResult:
    """What happened, per contact (in arrival order) and per agent-time interval.

    Waits are seconds from arrival: `queue_wait` until the first offer (or the abandonment, if
    never offered), `answer_wait` until an agent accepted (NaN if not answered). A contact
    neither answered nor abandoned when the run stopped has NaN in both.
    """

    scenario: Scenario
    team_ids: tuple[str, ...]
    channels: tuple[Channel, ...]
    arrival: np.ndarray
    team: np.ndarray  # index into team_ids: the customer's home team
    channel: np.ndarray  # index into channels
    handle: np.ndarray  # the drawn handle time
    patience: np.ndarray  # the drawn patience (inf: never leaves)
    queue_wait: np.ndarray
    answer_wait: np.ndarray
    abandoned: np.ndarray
    agent_team: np.ndarray  # index of the answering agent's team, -1 if not answered
    busy: np.ndarray  # rows (start, end, share of the agent, agent's team index)
    staffed: np.ndarray  # rows (start, end, team index): agents logged in
    last_arrival: float
    end: float  # the clock when the run stopped
    engine_calls: int
    late_decisions: int
    decisions: dict[str, int]
    returning: np.ndarray  # the customer called before (a returning customer)
    same_agent: np.ndarray  # answered by the agent who completed their previous contact
    wall_seconds: float
