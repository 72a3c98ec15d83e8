"""Matching: which free agent gets a waiting contact, and which waiting contact a free agent gets.

A contact goes to the longest-idle eligible agent of its innermost open ring; a freed agent takes
the contact that has waited longest (by effective start) among the pools it may serve: its
personal pool, its team's, and, while its team is healthy enough to lend, the borrow and
all-teams pools. Offers reserve capacity until accepted, rejected or timed out.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from teamline.domain.enums import CapacityClass
from teamline.domain.errors import InvalidTransition
from teamline.routing.agents import ALL_REGIONAL, AVAILABLE, CLASSES, AgentState, IndexKey
from teamline.routing.core import EngineCore, open_key
from teamline.routing.model import (
    ACT,
    DK,
    RS,
    RouteState,
)
from teamline.routing.queues import (
    AGED_BONUS,
    PoolKey,
    RoutedContact,
    head_of,
)
from teamline.routing.timers import TK


def parse_pool(pool: PoolKey) -> tuple[str, str, IndexKey]:
    """A pool's kind ("agent", "team", "borrow", "all"), owner, and the key of the agents who
    serve it in the index."""
    name, cls, lang, level = pool
    kind, _sep, owner = name.partition(":")
    return kind, owner, (ALL_REGIONAL if kind == "all" else owner, cls, lang, level)


class Matcher(EngineCore):
    def _may_lend_to(self, borrower: str | None, t: float, team_id: str) -> bool:
        return team_id != borrower and self._lending_allowed(team_id, t)

    def _match_contact(self, contact: RoutedContact, t: float) -> None:
        """Offer a queued contact to the best free agent of its innermost open ring."""
        parsed = self._parsed_pools
        for pool in contact.pools:
            known = parsed.get(pool)
            if known is None:
                known = parsed[pool] = parse_pool(pool)
            kind, owner, index_key = known
            if kind == "agent":
                state = self.agents[owner]
                if state.can_take(index_key[1]) and owner not in contact.refused_by:
                    self._offer(contact, state, t, "continuity", (f"{owner} is free now",))
                    return
                continue
            if kind == "borrow" and not self._lending_allowed(owner, t):
                continue
            if kind == "all":
                found = self._index.best(
                    index_key,
                    contact.refused_by,
                    partial(self._may_lend_to, contact.home_team_id, t),
                )
            else:
                found = self._index.best(index_key, contact.refused_by)
            if found is not None:
                state = found
                self._offer(
                    contact,
                    state,
                    t,
                    kind,
                    (f"{state.id} of {state.agent.team_id} idle longest among those eligible",),
                )
                return

    def _feed(self, state: AgentState, t: float) -> None:
        """Give a free agent the best waiting contacts they may take, while they have room: their
        own and their team's first, and only when none of those waits, another team's (while
        their team may lend). A team serves its own customers before it helps anyone."""
        while state.activity is AVAILABLE:
            if not self.workflow.own_team_first:  # one first-come-first-served queue
                lend = state.regional and self._lending_allowed(state.agent.team_id, t)
                best = self._best_waiting(
                    state, state.own_pools, state.lend_pools if lend else None
                )
                if best is None:
                    return
                self._offer(best, state, t, "pool", (f"{state.id} became free; this contact "
                                                     "waited longest in its pools",))  # fmt: skip
                continue
            best = self._best_waiting(state, state.own_pools)
            if best is not None:
                why = f"{state.id} became free; this contact waited longest in its team"
                self._offer(best, state, t, "pool", (why,))
                continue
            if not (state.regional and self._lending_allowed(state.agent.team_id, t)):
                return
            best = self._best_waiting(state, state.lend_pools)
            if best is None:
                return
            why = (
                f"{state.id} became free and nobody waits at {state.agent.team_id}: "
                "this contact waited longest among those it may help"
            )
            self._offer(best, state, t, "lent", (why,))

    def _best_waiting(
        self,
        state: AgentState,
        pools: dict[CapacityClass, tuple[list[Any], ...]],
        more: dict[CapacityClass, tuple[list[Any], ...]] | None = None,
    ) -> RoutedContact | None:
        best: RoutedContact | None = None
        contacts, listed = self.contacts, state.listed
        for cls in CLASSES:
            if listed[cls] is None:  # the index's note of `can_take`, kept on every change
                continue
            heaps = pools[cls] + more[cls] if more is not None else pools[cls]
            for heap in heaps:
                if not heap:
                    continue
                found = head_of(heap, contacts, state.id)
                if found is not None and (
                    best is None or (found.key, found.seq) < (best.key, best.seq)
                ):
                    best = found
        return best

    def _offer(
        self,
        contact: RoutedContact,
        state: AgentState,
        t: float,
        step: str,
        reasons: tuple[str, ...],
    ) -> None:
        cls = contact.cls
        self._become(contact, RS.OFFERED)
        contact.agent_id = state.id
        contact.version += 1
        state.add_load(cls)
        state.offers.add(contact.id)
        self._refresh(state)
        self._timers.at(
            t + self.workflow.offer_timeout_seconds,
            TK.OFFER_TIMEOUT,
            contact.id,
            contact.version,
        )
        self._say(DK.OFFERED, t, contact, state, step=step, reasons=reasons)

    def _withdraw_offer(self, contact: RoutedContact, state: AgentState, t: float) -> None:
        state.offers.discard(contact.id)
        state.drop_load(contact.cls)
        self._refresh(state)
        refused = contact.refused_by
        if isinstance(refused, set):
            refused.add(state.id)
        else:
            contact.refused_by = {state.id}
        contact.agent_id = None
        self._arm_ageing(contact, t)
        self._become(contact, RS.QUEUED)
        contact.version += 1
        self._queues.relist(contact)

    def _arm_ageing(self, contact: RoutedContact, t: float) -> None:
        """The contact is about to wait in a queue for the first time: it ages at its time.

        Until now it has only been offered since it came (queued or offered throughout): an
        ageing timer set at its start would have found it so, and aged it, at its time. So past
        that time it ages now, and before it a timer is set. Most contacts are offered at once
        and never wait: they never need a timer (one per contact was a tenth of all timers).
        Once settled, later waits change nothing.
        """
        if contact.ageing_armed:
            return
        contact.ageing_armed = True
        if t < contact.aged_due:
            self._timers.at(contact.aged_due, TK.AGED, contact.id)
        elif not contact.aged:
            self._age(contact)

    def _arm_ageing_of_assigned(self, contact: RoutedContact, t: float) -> None:
        """An assigned contact goes back to the queue (a transfer): it ages as if its timer had
        been set at its start, when it was queued or offered until it was assigned."""
        if contact.ageing_armed:
            return
        contact.ageing_armed = True
        if contact.assigned_at >= contact.aged_due:
            if not contact.aged:
                self._age(contact)  # still offered at its time
        elif t < contact.aged_due:
            self._timers.at(contact.aged_due, TK.AGED, contact.id)

    def _age(self, contact: RoutedContact) -> None:
        """It has waited the maximum: ahead of every credited contact (the caller relists it
        if it is queued)."""
        self.timer_events += 1
        contact.aged = True
        contact.key = contact.virtual_start - AGED_BONUS

    def _offer_timed_out(self, contact: RoutedContact, t: float) -> None:
        state = self.agents[contact.agent_id or ""]
        self._withdraw_offer(contact, state, t)
        state.missed_offers += 1
        self._say(
            DK.OFFER_TIMED_OUT,
            t,
            contact,
            state,
            reasons=(
                f"no answer in {self.workflow.offer_timeout_seconds:g} s "
                f"({state.missed_offers} missed in a row)",
            ),
        )
        if state.missed_offers >= self.workflow.missed_offers_limit:
            self._change_activity(state, ACT.BREAK, t)
            self._say(
                DK.AGENT_PAUSED,
                t,
                agent=state,
                reasons=(
                    f"{state.missed_offers} offers missed in a row: set unavailable, "
                    "supervisors are told",
                ),
            )
        self._match_contact(contact, t)
        self._feed(state, t)  # a missed offer frees the agent for other waiting work

    def _leave(self, contact: RoutedContact, final: RouteState, t: float) -> None:
        if contact.state not in (RS.NEW, RS.QUEUED, RS.OFFERED):
            raise InvalidTransition("contact", contact.state.value, final.value)
        if contact.state is RS.OFFERED:
            state = self.agents[contact.agent_id or ""]
            state.offers.discard(contact.id)
            self._release(state, contact.cls, t, finished=False)
            self._close(contact, final, t)
            self._feed(state, t)
        else:
            self._close(contact, final, t)
        kind = DK.ABANDONED if final is RS.ABANDONED else DK.CANCELLED
        self._say(kind, t, contact, reasons=(f"after {t - contact.submitted_at:.0f} s",))

    def _close(self, contact: RoutedContact, final: RouteState, t: float) -> None:
        self._become(contact, final)
        del self.contacts[contact.id]  # finished: only its final state is kept (for a day)
        self._finished(contact.id, final, t)
        contact.version += 1
        key = open_key(contact.request.customer_id, contact.cls)
        if self._open_of_customer.get(key) == contact.id:
            del self._open_of_customer[key]
