"""Concessions as use cases: an agent asks, the limits decide, a supervisor approves or declines,
and every grant reaches the ledger in the same transaction (DOMAIN.md 3-4; rules in
`domain/discretion.py` and `domain/ledger.py`).

The tier used is recomputed first (the decision must not rest on a stale score) and again after
a grant (credits obtained can demote). The answer always carries the explanation an agent reads
out; the requester's level comes from their agent record, never from the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from teamline.domain.customers import Account
from teamline.domain.discretion import (
    APPROVER_ROLES,
    Ask,
    ConcessionKind,
    ConcessionRequest,
    RequestState,
    evaluate,
)
from teamline.domain.enums import AgentLevel
from teamline.domain.errors import InvalidInput, NotFound, PermissionDenied
from teamline.domain.ledger import LedgerEntry, customer_account, posting_for
from teamline.domain.money import Money
from teamline.domain.tiers import TierAssessment
from teamline.domain.users import User
from teamline.services.access import access_customer, require_staff
from teamline.services.care_policies import CarePolicies
from teamline.services.idempotency import Claim
from teamline.services.ids import new_id
from teamline.services.tiers import refresh_tier
from teamline.store.uow import UnitOfWork

LIST_MAX = 100


@dataclass(frozen=True)
class ConcessionDraft:
    kind: ConcessionKind
    amount: Decimal  # in the account's currency; per month for a discount; 0 for an unlock code
    reason: str
    months: int = 1
    account_number: str | None = None


@dataclass(frozen=True)
class ConcessionView:
    request: ConcessionRequest
    explanation: str  # the evaluation, then the supervisor's decision
    requested_by_name: str
    decided_by_name: str | None
    tier: TierAssessment | None  # the customer's tier after the step (None in lists)


@dataclass(frozen=True)
class LedgerView:
    customer_id: str
    entries: list[LedgerEntry]
    balances: dict[tuple[str, str], Money]  # (account number, currency) -> sum of its lines


def agent_level(uow: UnitOfWork, actor: User) -> AgentLevel:
    """The requester's rung on the ladder, from their agent record; an admin without one
    counts as a supervisor."""
    agent = uow.organisation.agent(actor.agent_id) if actor.agent_id else None
    if agent is not None:
        return agent.level
    return AgentLevel.SUPERVISOR if actor.role in APPROVER_ROLES else AgentLevel.FRONTLINE


def _account(accounts: list[Account], number: str | None) -> Account:
    if number is None:
        if len(accounts) == 1:
            return accounts[0]
        if not accounts:
            raise InvalidInput("account_number", "the customer has no account")
        raise InvalidInput("account_number", f"the customer has {len(accounts)} accounts: name one")
    for account in accounts:
        if account.number == number:
            return account
    raise InvalidInput("account_number", f"{number!r} is not one of the customer's accounts")


def _name(uow: UnitOfWork, user_id: str | None) -> str | None:
    if user_id is None:
        return None
    user = uow.users.get(user_id)
    return user.display_name if user else user_id


def _view(
    uow: UnitOfWork, request: ConcessionRequest, tier: TierAssessment | None
) -> ConcessionView:
    decider = _name(uow, request.decided_by)
    return ConcessionView(
        request,
        request.full_explanation(decider),
        _name(uow, request.requested_by) or request.requested_by,
        decider,
        tier,
    )


def _settle(
    uow: UnitOfWork, request: ConcessionRequest, now: datetime, policies: CarePolicies
) -> TierAssessment:
    """Post a granted request to the ledger, record its events, and recompute the tier."""
    posting = posting_for(request, new_id("pst"), now)
    if posting is not None:
        uow.concessions.add_posting(posting)
    customer = uow.customers.get(request.customer_id)
    assert customer is not None  # the request's customer row cannot vanish (foreign key)
    return refresh_tier(uow, customer, now, f"concession.{request.state.value}", policies.tiers)


def request_concession(
    uow: UnitOfWork,
    actor: User,
    customer_id: str,
    draft: ConcessionDraft,
    now: datetime,
    policies: CarePolicies | None = None,
    idempotency: Claim[ConcessionView] | None = None,
) -> ConcessionView:
    """An agent asks for a concession: granted at once within their limit, otherwise pending
    a supervisor. The customer's attitude is no input; nothing here could carry it."""
    require_staff(actor, "ask for concessions")
    policies = policies or CarePolicies()
    policy = policies.discretion
    with uow:
        customer = access_customer(uow, actor, customer_id)
        account = _account(uow.customers.accounts_of(customer.id), draft.account_number)
        level = agent_level(uow, actor)
        tier = refresh_tier(uow, customer, now, "concession.requested", policies.tiers)
        ask = Ask(
            draft.kind,
            Money(draft.amount, account.monthly_charge.currency),
            draft.reason,
            draft.months,
        )
        since = now - timedelta(days=policy.window_days)
        already = uow.concessions.granted_at_once_since(
            customer.id, ask.kind, policy.currency, since
        )
        evaluation = evaluate(policy, ask, customer.tier, level, already)
        request = ConcessionRequest.open(
            new_id("req"),
            customer.id,
            account.number,
            ask,
            actor.id,
            level,
            customer.tier,
            evaluation,
            now,
        )
        uow.concessions.add(request)
        if request.state is RequestState.GRANTED:
            tier = _settle(uow, request, now, policies)
        for event in request.events:
            uow.journal.record(event)
        detail = {"kind": ask.kind.value, "value": str(ask.value), "state": request.state.value}
        uow.journal.audit(now, actor.id, "concession.request", "concession", request.id, detail)
        view = _view(uow, request, tier)
        if idempotency is not None:  # the key commits with the request, or neither does
            idempotency.record(uow, request.id, now, view)
        uow.commit()
        return view


def _decide(
    uow: UnitOfWork,
    actor: User,
    request_id: str,
    approve: bool,
    note: str,
    now: datetime,
    policies: CarePolicies | None,
) -> ConcessionView:
    if actor.role not in APPROVER_ROLES:
        raise PermissionDenied("only a supervisor or an admin approves or declines requests")
    policies = policies or CarePolicies()
    with uow:
        request = uow.concessions.get(request_id, for_update=True)
        if request is None:
            raise NotFound(f"request {request_id!r} not found")
        access_customer(uow, actor, request.customer_id)
        if request.requested_by == actor.id:
            # asking for "the supervisor's supervisor" reaches another supervisor (DOMAIN.md 4)
            raise PermissionDenied("another supervisor decides your own request")
        if approve:
            request.approve(actor.id, actor.role, now, note)
        else:
            request.decline(actor.id, actor.role, now, note)
        uow.concessions.save_decision(request)
        tier = _settle(uow, request, now, policies) if approve else None
        for event in request.events:
            uow.journal.record(event)
        action = "concession.approve" if approve else "concession.decline"
        detail = {"note": request.decision_note, "value": str(request.ask.value)}
        uow.journal.audit(now, actor.id, action, "concession", request.id, detail)
        uow.commit()
        return _view(uow, request, tier)


def approve_request(
    uow: UnitOfWork,
    actor: User,
    request_id: str,
    note: str,
    now: datetime,
    policies: CarePolicies | None = None,
) -> ConcessionView:
    return _decide(uow, actor, request_id, True, note, now, policies)


def decline_request(
    uow: UnitOfWork,
    actor: User,
    request_id: str,
    note: str,
    now: datetime,
    policies: CarePolicies | None = None,
) -> ConcessionView:
    return _decide(uow, actor, request_id, False, note, now, policies)


def customer_requests(uow: UnitOfWork, actor: User, customer_id: str) -> list[ConcessionView]:
    """A customer's requests, newest first, with their explanations (staff)."""
    require_staff(actor, "see concession requests")
    with uow:
        access_customer(uow, actor, customer_id)
        return [_view(uow, r, None) for r in uow.concessions.of_customer(customer_id, LIST_MAX)]


def pending_requests(uow: UnitOfWork, actor: User) -> list[ConcessionView]:
    """What waits for a supervisor, oldest first."""
    if actor.role not in APPROVER_ROLES:
        raise PermissionDenied("only a supervisor or an admin sees the approval queue")
    with uow:
        return [_view(uow, r, None) for r in uow.concessions.pending(LIST_MAX)]


def customer_ledger(uow: UnitOfWork, actor: User, customer_id: str) -> LedgerView:
    """The customer's ledger lines and the balance of each of their accounts (staff, or the
    customer themself)."""
    with uow:
        customer = access_customer(uow, actor, customer_id)
        entries = uow.concessions.ledger_of(customer.id)
        balances: dict[tuple[str, str], Money] = {}
        for entry in entries:
            line = entry.line
            if line.ledger_account != customer_account(entry.account_number):
                continue  # the company's side of the posting
            key = (entry.account_number, line.amount.currency)
            balances[key] = balances.get(key, Money(Decimal(0), key[1])) + line.amount
        return LedgerView(customer.id, entries, balances)
