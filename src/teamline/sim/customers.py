"""Returning customers: who calls again, and which agent helped them last (issue 4, item 4).

DOMAIN.md section 1: the agent who last helped a customer gets their next contact when free
(continuity), so "handled by the same agent as last time" is a figure of routing quality; it
needs customers who come back. A scenario's `returning_share` of each stream's arrivals are
customers who called before: one picked at random among the customers of the same home team
whose last contact was completed and who have none open now (a customer with an open contact
would be linked to it, not routed). The rest are new customers.

This module owns that choice and its bookkeeping. Its randomness is one `Draws` per arrival
stream, spent two variates per arrival whatever happens, so the k-th contact of a stream makes
the same draws in every workflow compared on one seed (which customer it picks depends on who
was served before, which is the routing's doing).
"""

from __future__ import annotations

from dataclasses import dataclass

from teamline.sim.sampling import Draws


@dataclass(frozen=True, slots=True)
class Back:
    """A returning customer: their number, who completed their last contact, and when."""

    customer: int
    agent_id: str
    done_at: float


class Customers:
    """Served customers per home team, ready to call again."""

    __slots__ = ("_draws", "_pools", "_share")

    def __init__(self, share: float, draws: list[Draws], teams: int) -> None:
        self._share = share
        self._draws = draws
        self._pools: list[list[Back]] = [[] for _ in range(teams)]

    def arrival(self, stream: int, team: int) -> Back | None:
        """A returning customer for this arrival, or None for a new one."""
        draws = self._draws[stream]
        comes_back, pick = draws.uniform(), draws.uniform()
        pool = self._pools[team]
        if comes_back > self._share or not pool:
            return None
        i = min(int(pick * len(pool)), len(pool) - 1)
        back = pool[i]
        pool[i] = pool[-1]  # swap-remove: open now, so not pickable until served again
        pool.pop()
        return back

    def completed(self, customer: int, team: int, agent_id: str, t: float) -> None:
        self._pools[team].append(Back(customer, agent_id, t))
