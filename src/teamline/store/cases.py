"""Cases, their clocks, steps and contacts as rows, and back (`domain/cases.py`).

A change is saved only over the version it was read in, so two people (or the sweep and a
person) changing one case at once cannot both win: the second is told it changed meanwhile, and
a sweep simply tries that case again next tick. Steps are appended, never rewritten.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, or_, select, true, update
from sqlalchemy.orm import Session

from teamline.domain.case_steps import CaseStep, StepKind
from teamline.domain.cases import ACTIVE, Case, CaseState
from teamline.domain.errors import Conflict
from teamline.domain.escalation import Level
from teamline.domain.sla import ClockKind, SlaClock
from teamline.domain.sla_policy import Priority
from teamline.store.tables_cases import CaseClockRow, CaseContactRow, CaseRow, CaseStepRow

_ACTIVE = [s.value for s in ACTIVE]


def _us(delta: timedelta) -> int:
    return delta // timedelta(microseconds=1)


def _case_values(case: Case) -> dict[str, Any]:
    return {
        "subject": case.subject,
        "priority": case.priority.value,
        "state": case.state.value,
        "level": case.level.value,
        "team_id": case.team_id,
        "assignee_agent_id": case.assignee_agent_id,
        "regulator_id": case.regulator_id,
        "card_issuer": case.card_issuer,
        "filed_request": case.filed_request,
        "resolution": case.resolution,
        "next_alert_at": case.next_alert_at,
        "updated_at": case.updated_at or case.created_at,
    }


def _clock_row(case_id: str, clock: SlaClock) -> CaseClockRow:
    return CaseClockRow(
        case_id=case_id,
        kind=clock.kind.value,
        target_us=_us(clock.target),
        spent_us=_us(clock.spent),
        started_at=clock.started_at,
        running_since=clock.running_since,
        warn_at=clock.warn_at,
        due_at=clock.due_at,
        stopped_at=clock.stopped_at,
        warned=clock.warned,
        breached=clock.breached,
    )


def _clock(row: CaseClockRow) -> SlaClock:
    return SlaClock(
        ClockKind(row.kind),
        timedelta(microseconds=row.target_us),
        row.started_at,
        timedelta(microseconds=row.spent_us),
        row.running_since,
        row.warn_at,
        row.due_at,
        row.stopped_at,
        row.warned,
        row.breached,
    )


def _step(row: CaseStepRow) -> CaseStep:
    return CaseStep(
        row.at,
        StepKind(row.kind),
        Level(row.level),
        row.actor_id,
        row.note,
        row.internal,
        Level(row.from_level) if row.from_level else None,
        row.assignee_agent_id,
        row.detail,
    )


class CaseRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, case: Case) -> None:
        self._s.add(
            CaseRow(
                id=case.id,
                customer_id=case.customer_id,
                home_team_id=case.home_team_id,
                created_at=case.created_at,
                version=case.version,
                **_case_values(case),
            )
        )
        self._s.flush()  # rows are not linked by relationships: the case first, by hand
        self._write_parts(case)

    def get(self, case_id: str, *, for_update: bool = False) -> Case | None:
        query = select(CaseRow).where(CaseRow.id == case_id)
        row = self._s.scalar(query.with_for_update() if for_update else query)
        if row is None:
            return None
        clocks = self._s.scalars(select(CaseClockRow).where(CaseClockRow.case_id == case_id))
        return Case(
            row.id,
            row.customer_id,
            row.subject,
            Priority(row.priority),
            row.team_id,
            row.home_team_id,
            row.created_at,
            CaseState(row.state),
            Level(row.level),
            row.assignee_agent_id,
            row.updated_at,
            {ClockKind(c.kind): _clock(c) for c in clocks},
            row.regulator_id,
            row.card_issuer,
            row.filed_request,
            row.resolution,
            row.version,
        )

    def save(self, case: Case) -> None:
        """Write the case's change, unless someone else saved it since it was read."""
        done = self._s.execute(
            update(CaseRow)
            .where(CaseRow.id == case.id, CaseRow.version == case.version)
            .values(version=case.version + 1, **_case_values(case))
        )
        if cast(CursorResult[Any], done).rowcount != 1:
            raise Conflict(f"case {case.id} changed meanwhile; read it again")
        case.version += 1
        self._s.execute(delete(CaseClockRow).where(CaseClockRow.case_id == case.id))
        self._write_parts(case)

    def _write_parts(self, case: Case) -> None:
        self._s.add_all(_clock_row(case.id, c) for c in case.clocks.values())
        for step in case.steps:
            self._s.add(
                CaseStepRow(
                    case_id=case.id,
                    customer_id=case.customer_id,
                    at=step.at,
                    kind=step.kind.value,
                    level=step.level.value,
                    from_level=step.from_level.value if step.from_level else None,
                    actor_id=step.actor_id,
                    assignee_agent_id=step.assignee_agent_id,
                    note=step.note,
                    internal=step.internal,
                    detail=step.detail[:200],
                )
            )
            if step.kind is StepKind.CONTACT_LINKED:
                self._s.add(
                    CaseContactRow(contact_id=step.detail, case_id=case.id, linked_at=step.at)
                )
        case.steps.clear()
        self._s.flush()

    def steps(self, case_id: str) -> list[CaseStep]:
        """The case's whole history, oldest first (the service hides what customers may not see)."""
        query = select(CaseStepRow).where(CaseStepRow.case_id == case_id)
        return [_step(r) for r in self._s.scalars(query.order_by(CaseStepRow.id))]

    def contact_ids(self, case_id: str) -> list[str]:
        query = select(CaseContactRow.contact_id).where(CaseContactRow.case_id == case_id)
        return list(self._s.scalars(query.order_by(CaseContactRow.linked_at)))

    def case_of_contact(self, contact_id: str) -> str | None:
        return self._s.scalar(
            select(CaseContactRow.case_id).where(CaseContactRow.contact_id == contact_id)
        )

    def with_step_detail(self, customer_id: str, detail: str) -> str | None:
        """The customer's case that has a step naming `detail` (a mail it heard), if any."""
        return self._s.scalar(
            select(CaseStepRow.case_id)
            .where(CaseStepRow.customer_id == customer_id, CaseStepRow.detail == detail)
            .limit(1)
        )

    def of_customer(self, customer_id: str, limit: int | None) -> list[str]:
        """The customer's case ids, newest first (all of them without a limit)."""
        query = (
            select(CaseRow.id)
            .where(CaseRow.customer_id == customer_id)
            .order_by(CaseRow.created_at.desc(), CaseRow.id)
            .limit(limit)
        )
        return list(self._s.scalars(query))

    def active_at_level(self, customer_id: str, level: Level) -> str | None:
        """The customer's newest case still active at one rung, if any."""
        query = (
            select(CaseRow.id)
            .where(
                CaseRow.customer_id == customer_id,
                CaseRow.level == level.value,
                CaseRow.state.in_(_ACTIVE),
            )
            .order_by(CaseRow.created_at.desc(), CaseRow.id)
            .limit(1)
        )
        return self._s.scalar(query)

    def move(self, case_ids: list[str], to_customer: str) -> None:
        """The cases (and their steps, read by customer on the timeline) of a merged record."""
        if case_ids:
            self._s.execute(
                update(CaseRow).where(CaseRow.id.in_(case_ids)).values(customer_id=to_customer)
            )
            self._s.execute(
                update(CaseStepRow)
                .where(CaseStepRow.case_id.in_(case_ids))
                .values(customer_id=to_customer)
            )

    def due_for_sweep(self, now: datetime, limit: int) -> list[str]:
        """Cases with a warning or breach to raise at `now`, the most overdue first."""
        query = (
            select(CaseRow.id)
            .where(CaseRow.next_alert_at <= now)
            .order_by(CaseRow.next_alert_at, CaseRow.id)
            .limit(limit)
        )
        return list(self._s.scalars(query))

    def breached(self, now: datetime, limit: int) -> list[str]:
        """Open cases with a clock breached at `now` (raised or still to be swept)."""
        late = or_(
            CaseClockRow.breached == true(),
            (CaseClockRow.due_at <= now) & CaseClockRow.stopped_at.is_(None),
        )
        query = (
            select(CaseRow.id)
            .join(CaseClockRow, CaseClockRow.case_id == CaseRow.id)
            .where(CaseRow.state.in_(_ACTIVE), late)
            .group_by(CaseRow.id, CaseRow.created_at)
            .order_by(CaseRow.created_at, CaseRow.id)
            .limit(limit)
        )
        return list(self._s.scalars(query))
