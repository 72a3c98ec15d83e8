"""The SLA sweep: raise every breach warning and breach whose instant has come, exactly once
(issue 7 item 1; a regulator's statutory deadline is never missed silently, item 2).

Each running clock stores when it next needs attention (`cases.next_alert_at`), so a pass reads
only the cases that are due. Each case is handled in a transaction of its own: the clock's
`warned` / `breached` flags, the case's new `next_alert_at` and the outbox events commit together,
so a crash before the commit raises the alert on the next pass and a crash after it never raises
it twice. Two sweeps at once (two processes) cannot both raise it either: the case is saved only
over the version it was read in, and the loser skips the case.

The running server calls `run` on every router tick (`app.py`); `teamline cases sweep` and
`POST /api/v1/sla/sweep` run one pass on demand.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from teamline.domain.errors import Conflict
from teamline.domain.hours import require_aware
from teamline.domain.users import User
from teamline.services.access import require_supervisor
from teamline.store.uow import UnitOfWork

log = logging.getLogger("teamline.sla")
BATCH = 200


@dataclass(frozen=True)
class SweepResult:
    cases: int  # cases that raised something
    alerts: int  # warnings and breaches raised


@dataclass
class SlaSweep:
    new_uow: Callable[[], UnitOfWork]

    def run(self, now: datetime) -> SweepResult:
        """One pass: every due case, one transaction each, until none is due."""
        require_aware(now)
        cases = alerts = 0
        skipped: set[str] = set()
        while True:
            with self.new_uow() as uow:
                due = [c for c in uow.cases.due_for_sweep(now, BATCH) if c not in skipped]
            if not due:
                return SweepResult(cases, alerts)
            for case_id in due:
                try:
                    raised = self._sweep_one(case_id, now)
                except Conflict:
                    raised = None  # changed meanwhile: whoever changed it raised its alerts
                if raised:
                    cases += 1
                    alerts += raised
                else:
                    skipped.add(case_id)

    def _sweep_one(self, case_id: str, now: datetime) -> int:
        with self.new_uow() as uow:
            case = uow.cases.get(case_id, for_update=True)
            if case is None:
                return 0
            raised = case.sweep(now)
            uow.cases.save(case)  # also moves next_alert_at on, so the case is not due again
            for event in case.events:
                uow.journal.record(event)
            if raised:
                detail = {"alerts": raised, "level": case.level.value}
                uow.journal.audit(now, None, "sla.sweep", "case", case.id, detail)
            uow.commit()
            if raised:
                log.info("case %s: %d SLA alert(s) raised", case.id, raised)
            return raised


def sweep_now(new_uow: Callable[[], UnitOfWork], actor: User, now: datetime) -> SweepResult:
    """One pass on demand (supervisors, admins): tests and operators need not wait a tick."""
    require_supervisor(actor, "run the SLA sweep")
    return SlaSweep(new_uow).run(now)
