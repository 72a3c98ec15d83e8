"""Unlock codes as use cases (DOMAIN.md 5; issue 6 item 6; rules in `domain/unlocks.py`).

A customer asks for their own device, or an agent asks for a customer; either way the request is
a case: decided at once by the rule table (with every rule's sentence), given a deadline in
business days, and visible to the customer with its status. The tier the rules read is
recomputed first (a decision must not rest on a stale score). An ineligible request can be
checked again (after the customer paid the overdue bill, say); staff record that the code was
sent, and how, never the code itself; a refusal says why, and refusing a request the rules
found eligible takes a supervisor. Supervisors list the overdue ones. Every step writes its
event, an audit row and a note on the customer's timeline in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from teamline.domain.customers import Account, Customer
from teamline.domain.enums import EquipmentClass, Role
from teamline.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from teamline.domain.months import add_months
from teamline.domain.unlock_rules import (
    Travel,
    UnlockFacts,
    decide,
)
from teamline.domain.unlocks import (
    Delivery,
    UnlockRequest,
    UnlockState,
    add_business_days,
    check_imei,
    masked_imei,
)
from teamline.domain.users import User
from teamline.services.access import access_account, access_customer, require_staff
from teamline.services.care_policies import CarePolicies
from teamline.services.idempotency import Claim
from teamline.services.status_notes import post_status_note
from teamline.services.tiers import customer_since, local_today, refresh_tier
from teamline.store.uow import UnitOfWork

LIST_MAX = 100
SUPERVISORS = frozenset({Role.SUPERVISOR, Role.ADMIN})


@dataclass(frozen=True)
class UnlockDraft:
    imei: str
    account_number: str | None = None  # required when the customer has several accounts
    customer_id: str | None = None  # staff name the customer or the account; customers neither
    travel: Travel | None = None


@dataclass(frozen=True)
class UnlockView:
    request: UnlockRequest
    overdue: bool
    status_text: str  # the sentence the customer reads
    requested_by_name: str | None
    closed_by_name: str | None


def _name(uow: UnitOfWork, user_id: str | None) -> str | None:
    if user_id is None:
        return None
    user = uow.users.get(user_id)
    return user.display_name if user else user_id


def _view(uow: UnitOfWork, request: UnlockRequest, now: datetime) -> UnlockView:
    return UnlockView(
        request,
        request.overdue(now),
        request.status_text(now),
        _name(uow, request.requested_by),
        _name(uow, request.closed_by),
    )


def _account(uow: UnitOfWork, customer: Customer, number: str | None) -> Account:
    accounts = uow.customers.accounts_of(customer.id)
    if number is None:
        if len(accounts) == 1:
            return accounts[0]
        if not accounts:
            raise InvalidInput("account_number", "the customer has no account")
        raise InvalidInput("account_number", f"the customer has {len(accounts)} accounts: name one")
    found = next((a for a in accounts if a.number == number), None)
    if found is None:
        raise InvalidInput("account_number", f"{number!r} is not one of the customer's accounts")
    return found


def _facts(
    uow: UnitOfWork,
    customer: Customer,
    account: Account,
    tier: int,
    travel: Travel | None,
    now: datetime,
) -> UnlockFacts:
    """What the rules read, on the customer's local date."""
    today = local_today(uow, customer, now)
    bought = account.contract_start if account.equipment is not EquipmentClass.NONE else None
    ends = None
    if bought is not None and account.contract_term_months:
        ends = add_months(bought, account.contract_term_months)
    return UnlockFacts(
        today=today,
        tier=tier,
        region_id=customer.region_id,
        customer_since=customer_since(uow, customer, uow.customers.accounts_of(customer.id), today),
        account_number=account.number,
        oldest_overdue_bill=uow.unlocks.oldest_overdue_bill(account.number, today),
        equipment=account.equipment,
        device_bought_on=bought,
        commitment_ends_on=ends,
        travel=travel,
    )


def _record(
    uow: UnitOfWork, actor: User, request: UnlockRequest, action: str, now: datetime
) -> None:
    for event in request.events:
        uow.journal.record(event)
    detail = {
        "state": request.state.value,
        "customer_id": request.customer_id,
        "by_law": request.by_law,
    }
    uow.journal.audit(now, actor.id, action, "unlock_request", request.id, detail)


def _decision_note(request: UnlockRequest, now: datetime) -> str:
    return f"Unlock request {request.id}: {request.status_text(now)}"


def request_unlock(
    uow: UnitOfWork,
    actor: User,
    draft: UnlockDraft,
    now: datetime,
    policies: CarePolicies | None = None,
    idempotency: Claim[UnlockView] | None = None,
) -> UnlockView:
    """Open an unlock case and decide it by the rules, with its deadline."""
    policies = policies or CarePolicies()
    imei = check_imei(draft.imei)
    if actor.role is Role.CUSTOMER:
        customer_id = actor.customer_id
    elif actor.is_staff:
        customer_id = draft.customer_id
        if customer_id is None and draft.account_number is None:
            raise InvalidInput("customer_id", "name the customer or the account")
    else:
        raise PermissionDenied("only staff and customers ask for unlock codes")
    with uow:
        if customer_id is None:
            assert draft.account_number is not None
            customer, account = access_account(uow, actor, draft.account_number)
        else:
            customer = access_customer(uow, actor, customer_id)
            account = _account(uow, customer, draft.account_number)
        repo = uow.unlocks
        if (open_id := repo.open_for_device(imei)) is not None:
            raise Conflict(f"unlock request {open_id} for the device {masked_imei(imei)} is open")
        region = uow.organisation.region(customer.region_id)
        if region is None:
            raise NotFound(f"region {customer.region_id!r} not found")
        home = uow.organisation.team(customer.home_team_id) if customer.home_team_id else None
        holidays = home.hours.default.holidays if home is not None else frozenset()
        deadline = add_business_days(
            now, policies.unlocks.deadline_business_days, region.zone, holidays
        )
        tier = refresh_tier(uow, customer, now, "unlock.requested", policies.tiers).tier
        request = UnlockRequest.open(
            f"UL-{uuid4().hex[:12].upper()}",
            customer.id,
            account.number,
            imei,
            draft.travel,
            actor.id,
            now,
            deadline,
        )
        decision = decide(policies.unlocks, _facts(uow, customer, account, tier, draft.travel, now))
        request.decide(decision, tier, now)
        repo.add(request)
        _record(uow, actor, request, "unlock.request", now)
        post_status_note(uow, customer.id, _decision_note(request, now), now)
        view = _view(uow, request, now)
        if idempotency is not None:
            idempotency.record(uow, request.id, now, view)
        uow.commit()
        return view


def _access(uow: UnitOfWork, actor: User, request_id: str, *, lock: bool = False) -> UnlockRequest:
    found = uow.unlocks.get(request_id, for_update=lock)
    if found is None or not actor.may_see_customer(found.customer_id):
        raise NotFound(f"unlock request {request_id!r} not found")
    return found


def get_unlock(uow: UnitOfWork, actor: User, request_id: str, now: datetime) -> UnlockView:
    """An unlock request with its status and deadline (staff, or the customer it is for)."""
    with uow:
        return _view(uow, _access(uow, actor, request_id), now)


def reevaluate_unlock(
    uow: UnitOfWork,
    actor: User,
    request_id: str,
    now: datetime,
    policies: CarePolicies | None = None,
) -> UnlockView:
    """Check an ineligible request again against today's account (staff, or its customer)."""
    policies = policies or CarePolicies()
    with uow:
        request = _access(uow, actor, request_id, lock=True)
        if request.state is not UnlockState.INELIGIBLE:
            raise Conflict(f"unlock request {request.id} is {request.state.value}, not ineligible")
        customer = access_customer(uow, actor, request.customer_id)
        account = _account(uow, customer, request.account_number)
        tier = refresh_tier(uow, customer, now, "unlock.reevaluated", policies.tiers).tier
        facts = _facts(uow, customer, account, tier, request.travel, now)
        read_in = request.state
        request.decide(decide(policies.unlocks, facts), tier, now)
        uow.unlocks.save(request, read_in)
        _record(uow, actor, request, "unlock.reevaluate", now)
        post_status_note(uow, customer.id, _decision_note(request, now), now)
        view = _view(uow, request, now)
        uow.commit()
        return view


def send_code(
    uow: UnitOfWork, actor: User, request_id: str, delivery: Delivery, now: datetime
) -> UnlockView:
    """Record that the code of an eligible request was sent, and how (staff). The code is not
    taken here, so it can appear nowhere: not in the case, the timeline, the audit log."""
    require_staff(actor, "send unlock codes")
    with uow:
        request = _access(uow, actor, request_id, lock=True)
        read_in = request.state
        request.code_sent(delivery, actor.id, now)
        uow.unlocks.save(request, read_in)
        _record(uow, actor, request, "unlock.code_sent", now)
        post_status_note(uow, request.customer_id, _decision_note(request, now), now)
        view = _view(uow, request, now)
        uow.commit()
        return view


def refuse_unlock(
    uow: UnitOfWork, actor: User, request_id: str, reason: str, now: datetime
) -> UnlockView:
    """Close a request with a refusal, saying why (staff; a supervisor when the rules found it
    eligible: the rules are the policy, overruling them is not a frontline call)."""
    require_staff(actor, "refuse unlock requests")
    with uow:
        request = _access(uow, actor, request_id, lock=True)
        if request.state is UnlockState.ELIGIBLE and actor.role not in SUPERVISORS:
            raise PermissionDenied("only a supervisor refuses a request the rules found eligible")
        read_in = request.state
        request.refuse(reason, actor.id, now)
        uow.unlocks.save(request, read_in)
        _record(uow, actor, request, "unlock.refuse", now)
        post_status_note(uow, request.customer_id, _decision_note(request, now), now)
        view = _view(uow, request, now)
        uow.commit()
        return view


def customer_unlocks(
    uow: UnitOfWork, actor: User, customer_id: str | None, now: datetime
) -> list[UnlockView]:
    """A customer's unlock requests, newest first (staff name the customer)."""
    customer_id = customer_id or actor.customer_id
    if customer_id is None:
        raise InvalidInput("customer_id", "name the customer whose unlock requests to list")
    with uow:
        customer = access_customer(uow, actor, customer_id)
        return [_view(uow, r, now) for r in uow.unlocks.of_customer(customer.id, LIST_MAX)]


def overdue_unlocks(uow: UnitOfWork, actor: User, now: datetime) -> list[UnlockView]:
    """Requests past their deadline that still wait on the company, oldest first (supervisors)."""
    if actor.role not in SUPERVISORS:
        raise PermissionDenied("only a supervisor or an admin may list overdue unlock requests")
    with uow:
        return [_view(uow, r, now) for r in uow.unlocks.overdue(now, LIST_MAX)]
