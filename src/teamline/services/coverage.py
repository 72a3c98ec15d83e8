"""Coverage complaints as use cases (DOMAIN.md 5; issue 6 item 5; rules in `domain/coverage.py`
and `domain/coverage_cases.py`; the call records are `services/call_records.py`, the
investigations `services/coverage_investigations.py`).

- `file_complaint`: a customer (or an agent for them) complains. In one transaction the
  complaint is checked against the call records, joins the area's active investigation or is
  clustered with the area's other complaints, and a cluster or a verified drop opens one
  investigation for the area. The customer's timeline says what happened.
- `verify_after_calls`: call records often arrive hours after the call; those loaded later
  verify the complaints they show a dropped call for, which then join or open an investigation
  as they would have when filed.
- `issue_microcell`: once engineering confirmed bad reception, a free microcell order (through
  the service-order use case) for each complainant whose trouble is at home: one per customer
  per investigation, also for those who complain later while the confirmation stands.

Customers see their own complaints and where they stand; staff see investigations, with the
explanations of every decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from teamline.domain.coverage import (
    CallEnd,
    CallRecord,
    CoveragePolicy,
    cluster,
    verify,
)
from teamline.domain.coverage_cases import (
    Complaint,
    Investigation,
    MicrocellIssued,
    OpenedBy,
    complaint_status,
    opening_explanation,
    opening_reason,
)
from teamline.domain.enums import Role
from teamline.domain.errors import InvalidInput, NotFound, PermissionDenied
from teamline.domain.orders import OrderKind, OrderSource
from teamline.domain.users import User
from teamline.services.access import access_customer
from teamline.services.idempotency import Claim
from teamline.services.orders import OrderDraft, place_order
from teamline.services.status_notes import post_status_note
from teamline.store.uow import UnitOfWork

LIST_MAX = 100


def _number(prefix: str) -> str:
    """A number a customer can read out: a prefix and 12 hexadecimal digits."""
    return f"{prefix}-{uuid4().hex[:12].upper()}"


@dataclass(frozen=True)
class ComplaintDraft:
    occurred_at: datetime
    description: str
    area_id: str | None = None  # or the area of the dropped call that verifies it
    line: str = ""
    at_home: bool = False
    address: str = ""
    customer_id: str | None = None  # staff name the customer; a customer complains for themself


@dataclass(frozen=True)
class ComplaintView:
    complaint: Complaint
    investigation: Investigation | None
    microcell_order: str | None
    status: str  # received | open | confirmed_bad_reception | no_fault_found | fixed
    status_text: str  # the sentence the customer reads


def _complaint_view(uow: UnitOfWork, complaint: Complaint) -> ComplaintView:
    repo = uow.coverage
    found = None
    order = None
    if complaint.investigation_id is not None:
        found = repo.investigation(complaint.investigation_id)
        order = repo.microcell(complaint.investigation_id, complaint.customer_id)
    status, text = complaint_status(found, order)
    return ComplaintView(complaint, found, order, status, text)


def issue_microcell(
    uow: UnitOfWork,
    actor: User,
    investigation: Investigation,
    complaint: Complaint,
    now: datetime,
) -> str | None:
    """A free microcell for the complaint's customer, unless this investigation gave them one:
    the order number, or None when none was (or is) due."""
    repo = uow.coverage
    if not (investigation.issues_microcells and complaint.wants_microcell):
        return None
    if repo.microcell(investigation.id, complaint.customer_id) is not None:
        return None
    note = (
        f"Free microcell, no charge: bad reception confirmed in area {investigation.area_id} "
        f"by investigation {investigation.id} (complaint {complaint.id})."
    )
    draft = OrderDraft(OrderKind.MICROCELL, OrderSource.HOTLINE, complaint.address, note)
    # credited to the engineer who confirmed the bad reception, whoever triggers the issue
    taken_by = investigation.decided_by or actor.id
    order = place_order(uow, actor, complaint.customer_id, draft, taken_by, now)
    repo.add_microcell(investigation.id, complaint.customer_id, complaint.id, order.number, now)
    uow.journal.record(
        MicrocellIssued(
            at=now,
            investigation_id=investigation.id,
            customer_id=complaint.customer_id,
            complaint_id=complaint.id,
            order_number=order.number,
        )
    )
    return order.number


def _record(uow: UnitOfWork, complaint: Complaint, investigation: Investigation | None) -> None:
    for event in complaint.events:
        uow.journal.record(event)
    if investigation is not None:
        for event in investigation.events:
            uow.journal.record(event)


def file_complaint(
    uow: UnitOfWork,
    actor: User,
    draft: ComplaintDraft,
    now: datetime,
    policy: CoveragePolicy | None = None,
    idempotency: Claim[ComplaintView] | None = None,
) -> ComplaintView:
    """Take a dropped-call complaint: verify it, cluster it, open or join an investigation."""
    policy = policy or CoveragePolicy()
    if actor.role is Role.CUSTOMER:
        customer_id = actor.customer_id
    elif actor.is_staff:
        if draft.customer_id is None:
            raise InvalidInput("customer_id", "name the customer who complains")
        customer_id = draft.customer_id
    else:
        raise PermissionDenied("only staff and customers file complaints")
    assert customer_id is not None  # a customer login always links its customer record
    with uow:
        repo = uow.coverage
        customer = access_customer(uow, actor, customer_id)
        window = policy.verify_window
        calls = repo.calls_of(customer.id, draft.occurred_at - window, draft.occurred_at + window)
        check = verify(draft.occurred_at, calls, policy)
        complaint = Complaint.file(
            _number("CC"),
            customer.id,
            draft.area_id,
            draft.occurred_at,
            draft.line,
            draft.description,
            draft.at_home,
            draft.address,
            check,
            actor.id,
            now,
        )
        repo.lock_area(complaint.area_id, customer.id)
        investigation = repo.active_in_area(complaint.area_id)
        opened: Investigation | None = None
        neighbours: list[str] = []
        if investigation is not None:
            why = (
                f"Joined investigation {investigation.id}, {investigation.state.value} for "
                f"area {complaint.area_id} since {investigation.opened_at:%Y-%m-%d}."
            )
            complaint.join(investigation, why, now)
        else:
            span = policy.cluster_window
            candidates = repo.unassigned_in_area(
                complaint.area_id, complaint.occurred_at - span, complaint.occurred_at + span
            )
            grouping = cluster(
                complaint.id, complaint.area_id, complaint.occurred_at, candidates, policy
            )
            reason = opening_reason(check, grouping, policy)
            complaint.clustering = grouping.explanation
            if reason is not None:
                members = grouping.complaint_ids or (complaint.id,)
                opened = Investigation.open(
                    _number("INV"),
                    complaint.area_id,
                    reason,
                    opening_explanation(reason, check, grouping),
                    members,
                    now,
                )
                repo.add_investigation(opened)
                investigation = opened
                complaint.investigation_id = opened.id
                complaint.clustering += f" Investigation {opened.id} opened."
                neighbours = [i for i in members if i != complaint.id]
        repo.add_complaint(complaint)
        if opened is not None and neighbours:
            # another customer's complaint made the cluster: say so without naming it
            later = f"Clustered later, when more complaints came in: {complaint.clustering}"
            repo.join(neighbours, opened.id, later)
        _record(uow, complaint, opened)
        if investigation is not None:
            issue_microcell(uow, actor, investigation, complaint, now)
        view = _complaint_view(uow, complaint)
        uow.journal.audit(
            now,
            actor.id,
            "coverage.complaint",
            "coverage_complaint",
            complaint.id,
            {
                "customer_id": customer.id,
                "area_id": complaint.area_id,
                "verified": complaint.verified,
                "investigation_id": complaint.investigation_id,
            },
        )
        _tell_filed(uow, view, now)
        if opened is not None:
            _tell_neighbours(uow, neighbours, opened, now)
        if idempotency is not None:
            idempotency.record(uow, complaint.id, now, view)
        uow.commit()
        return view


def verify_after_calls(
    uow: UnitOfWork,
    actor: User,
    stored: Sequence[CallRecord],
    now: datetime,
    policy: CoveragePolicy | None = None,
) -> list[str]:
    """Inside the unit of work that stored call records: complaints that were not verified
    when filed and that a newly stored dropped call now verifies. Each is verified, then joins
    its area's active investigation, or (`verified_drop_opens`) opens one, as it would have
    when filed; its customer is told. The ids of the complaints verified, in order."""
    policy = policy or CoveragePolicy()
    window = policy.verify_window
    drops: dict[str, list[datetime]] = {}
    for call in stored:
        if call.end_reason is CallEnd.DROPPED:
            drops.setdefault(call.customer_id, []).append(call.ended_at)
    repo, verified = uow.coverage, []
    for customer_id in sorted(drops):
        times = drops[customer_id]
        for complaint in repo.unverified_of(customer_id, min(times) - window, max(times) + window):
            at = complaint.occurred_at
            check = verify(at, repo.calls_of(customer_id, at - window, at + window), policy)
            if not complaint.verify_late(check, now):
                continue
            opened = investigation = None
            if complaint.investigation_id is None:
                repo.lock_area(complaint.area_id, customer_id)
                investigation = repo.active_in_area(complaint.area_id)
                if investigation is not None:
                    why = (
                        f"{complaint.clustering} Joined investigation {investigation.id} when "
                        "its dropped call was verified."
                    )
                    complaint.join(investigation, why, now)
                elif policy.verified_drop_opens:
                    reason = OpenedBy.VERIFIED_DROP
                    opened = investigation = Investigation.open(
                        _number("INV"), complaint.area_id, reason,
                        f"Opened for a dropped call verified after the complaint. "
                        f"{complaint.verification}",
                        (complaint.id,), now,
                    )  # fmt: skip
                    repo.add_investigation(opened)
                    complaint.investigation_id = opened.id
                    complaint.clustering += f" Investigation {opened.id} opened."
            else:
                investigation = repo.investigation(complaint.investigation_id)
            repo.save_verification(complaint)
            _record(uow, complaint, opened)
            if investigation is not None:
                issue_microcell(uow, actor, investigation, complaint, now)
            uow.journal.audit(
                now, actor.id, "coverage.complaint_verified", "coverage_complaint", complaint.id,
                {"customer_id": customer_id, "investigation_id": complaint.investigation_id},
            )  # fmt: skip
            view = _complaint_view(uow, complaint)
            post_status_note(
                uow,
                customer_id,
                f"Your complaint {complaint.id}: the network's records now show the dropped "
                f"call. {complaint.verification} {view.status_text}",
                now,
            )
            verified.append(complaint.id)
    return verified


def _tell_filed(uow: UnitOfWork, view: ComplaintView, now: datetime) -> None:
    """The customer's note: received, verified or not, and where it stands (a microcell too)."""
    c = view.complaint
    body = (
        f"Your complaint {c.id} about dropped calls in area {c.area_id} was received. "
        f"{c.verification} {view.status_text}"
    )
    post_status_note(uow, c.customer_id, body, now)


def _tell_neighbours(
    uow: UnitOfWork, complaint_ids: Sequence[str], opened: Investigation, now: datetime
) -> None:
    """Earlier complainants learn that their complaints now have an investigation."""
    repo = uow.coverage
    told: set[str] = set()
    for complaint_id in sorted(complaint_ids):
        earlier = repo.complaint(complaint_id)
        if earlier is None or earlier.customer_id in told:
            continue
        told.add(earlier.customer_id)
        body = (
            f"Your complaint {earlier.id}: more customers reported trouble in area "
            f"{opened.area_id}, and engineers are now investigating it ({opened.id})."
        )
        post_status_note(uow, earlier.customer_id, body, now)


def _access_complaint(uow: UnitOfWork, actor: User, complaint_id: str) -> Complaint:
    complaint = uow.coverage.complaint(complaint_id)
    if complaint is None or not actor.may_see_customer(complaint.customer_id):
        raise NotFound(f"complaint {complaint_id!r} not found")
    return complaint


def get_complaint(uow: UnitOfWork, actor: User, complaint_id: str) -> ComplaintView:
    """A complaint and where it stands (staff, or the customer who made it)."""
    with uow:
        return _complaint_view(uow, _access_complaint(uow, actor, complaint_id))


def customer_complaints(
    uow: UnitOfWork, actor: User, customer_id: str | None
) -> list[ComplaintView]:
    """A customer's complaints, newest first (staff name the customer; a customer sees theirs)."""
    customer_id = customer_id or actor.customer_id
    if customer_id is None:
        raise InvalidInput("customer_id", "name the customer whose complaints to list")
    with uow:
        customer = access_customer(uow, actor, customer_id)
        found = uow.coverage.complaints_of(customer.id, LIST_MAX)
        return [_complaint_view(uow, c) for c in found]
