"""Permission checks, written once: each `access_*` returns the object or raises.

Objects a role may not see answer `NotFound`, exactly like objects that do not exist, so a
customer probing ids learns nothing (ARCHITECTURE.md habit 4). Actions a role may not perform on
an object it can see answer `PermissionDenied`.
"""

from __future__ import annotations

from teamline.domain.customers import Account, Customer
from teamline.domain.enums import Role
from teamline.domain.errors import NotFound, PermissionDenied
from teamline.domain.users import User
from teamline.store.conversations import ConversationRecord
from teamline.store.uow import UnitOfWork


def access_customer(uow: UnitOfWork, actor: User, customer_id: str) -> Customer:
    customer = uow.customers.get(customer_id) if actor.may_see_customer(customer_id) else None
    if customer is None:
        raise NotFound(f"customer {customer_id!r} not found")
    return customer


def access_account(uow: UnitOfWork, actor: User, number: str) -> tuple[Customer, Account]:
    """An account and its owner: staff see any, a customer only their own (others: not found)."""
    owner = uow.customers.owner_of_account(number)
    customer = uow.customers.get(owner) if owner and actor.may_see_customer(owner) else None
    accounts = uow.customers.accounts_of(customer.id) if customer else []
    account = next((a for a in accounts if a.number == number), None)
    if customer is None or account is None:
        # the number is not echoed: it identifies a customer (DOMAIN.md 3), and a 404 to
        # someone probing another customer's number must not carry it back
        raise NotFound("account not found")
    return customer, account


def access_conversation(uow: UnitOfWork, actor: User, conversation_id: str) -> ConversationRecord:
    conversation = uow.conversations.get(conversation_id)
    if conversation is None or not actor.may_see_customer(conversation.customer_id):
        raise NotFound(f"conversation {conversation_id!r} not found")
    return conversation


def require_staff(actor: User, action: str) -> None:
    if not actor.is_staff:
        raise PermissionDenied(f"only staff may {action}")


def require_merge_right(actor: User) -> None:
    if not actor.may_merge_customers:
        raise PermissionDenied("only a supervisor or an admin may merge customer records")


def require_planner(actor: User, action: str) -> None:
    if not actor.may_plan_workforce:
        raise PermissionDenied(f"only a supervisor or an admin may {action}")


def require_admin(actor: User, action: str) -> None:
    if not actor.may_manage_users:
        raise PermissionDenied(f"only an admin may {action}")


def require_supervisor(actor: User, action: str) -> None:
    if actor.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise PermissionDenied(f"only a supervisor or an admin may {action}")
