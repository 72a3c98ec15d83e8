"""Engineering investigations of coverage (DOMAIN.md 5; issue 6 item 5): staff list them, read
one with its complaints, and conclude it with their findings. Confirmed bad reception issues
the free microcells (`services/coverage.issue_microcell`) in the same transaction, and every
complainant is told on their timeline what engineering found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from teamline.domain.coverage_cases import Complaint, Investigation, InvestigationState
from teamline.domain.errors import NotFound
from teamline.domain.users import User
from teamline.services.access import require_staff
from teamline.services.coverage import LIST_MAX, issue_microcell
from teamline.services.status_notes import post_status_note
from teamline.store.uow import UnitOfWork


@dataclass(frozen=True)
class InvestigationView:
    investigation: Investigation
    complaints: list[Complaint]
    verified: int  # how many of them a dropped call on record verifies
    microcells: dict[str, str]  # customer id -> microcell order number
    decided_by_name: str | None


@dataclass(frozen=True)
class InvestigationSummary:
    investigation: Investigation
    complaints: int
    verified: int


def _investigation_view(uow: UnitOfWork, investigation: Investigation) -> InvestigationView:
    repo = uow.coverage
    complaints = repo.complaints_in(investigation.id)
    name = None
    if investigation.decided_by is not None:
        user = uow.users.get(investigation.decided_by)
        name = user.display_name if user else investigation.decided_by
    return InvestigationView(
        investigation,
        complaints,
        sum(1 for c in complaints if c.verified),
        repo.microcells(investigation.id),
        name,
    )


def _access_investigation(
    uow: UnitOfWork, actor: User, investigation_id: str, *, lock: bool = False
) -> Investigation:
    found = uow.coverage.investigation(investigation_id, for_update=lock)
    if found is None or not actor.is_staff:
        raise NotFound(f"investigation {investigation_id!r} not found")
    return found


def get_investigation(uow: UnitOfWork, actor: User, investigation_id: str) -> InvestigationView:
    """An investigation with its complaints and microcells (staff)."""
    with uow:
        return _investigation_view(uow, _access_investigation(uow, actor, investigation_id))


def list_investigations(
    uow: UnitOfWork,
    actor: User,
    state: InvestigationState | None = None,
    area_id: str | None = None,
) -> list[InvestigationSummary]:
    """Investigations newest first, optionally of one state or area (staff)."""
    require_staff(actor, "list coverage investigations")
    with uow:
        repo = uow.coverage
        found = repo.investigations(state, area_id, LIST_MAX)
        counts = repo.complaint_counts([i.id for i in found])
        return [InvestigationSummary(i, *counts.get(i.id, (0, 0))) for i in found]


_OUTCOME_TEXT = {
    InvestigationState.CONFIRMED_BAD_RECEPTION: "engineers confirmed bad reception in area {area}",
    InvestigationState.NO_FAULT_FOUND: "engineers investigated area {area} and found no fault",
    InvestigationState.FIXED: "engineers fixed reception in area {area}",
}


def conclude_investigation(
    uow: UnitOfWork,
    actor: User,
    investigation_id: str,
    outcome: InvestigationState,
    findings: str,
    now: datetime,
) -> InvestigationView:
    """Record engineering's finding; confirmed bad reception issues the free microcells."""
    require_staff(actor, "conclude coverage investigations")
    with uow:
        repo = uow.coverage
        investigation = _access_investigation(uow, actor, investigation_id, lock=True)
        read_in = investigation.state
        investigation.conclude(outcome, findings, actor.id, now)
        repo.save_investigation(investigation, read_in)
        for event in investigation.events:
            uow.journal.record(event)
        issued: dict[str, str] = {}
        complaints = repo.complaints_in(investigation.id)
        for complaint in complaints:
            number = issue_microcell(uow, actor, investigation, complaint, now)
            if number is not None:
                issued[complaint.customer_id] = number
        uow.journal.audit(
            now,
            actor.id,
            f"coverage.{outcome.value}",
            "coverage_investigation",
            investigation.id,
            {"area_id": investigation.area_id, "microcells": sorted(issued.values())},
        )
        what = _OUTCOME_TEXT[outcome].format(area=investigation.area_id)
        for customer_id in sorted({c.customer_id for c in complaints}):
            ids = ", ".join(c.id for c in complaints if c.customer_id == customer_id)
            body = f"Your complaint {ids}: {what}."
            if customer_id in issued:
                body += f" A free microcell is on its way to you: order {issued[customer_id]}."
            post_status_note(uow, customer_id, body, now)
        view = _investigation_view(uow, investigation)
        uow.commit()
        return view
