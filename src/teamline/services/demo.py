"""`teamline demo`: load the demo company once, and the logins a newcomer can try at once.

The company comes from `demo_company.build_demo_company` (deterministic for a seed); this module
writes it in one transaction with bulk inserts, so a failed load leaves nothing behind, and a
second run finds the marker row and only makes sure the demo logins exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from teamline.domain.enums import AgentLevel, Role
from teamline.services.auth import register_user
from teamline.services.cases import CasePolicy
from teamline.services.demo_billing import opening_ledger_rows, suspension_rows
from teamline.services.demo_care import seed_care_cases
from teamline.services.demo_cases import seed_demo_cases
from teamline.services.demo_company import DemoCompany, build_demo_company
from teamline.services.demo_quality import write_demo_quality
from teamline.store.customers import account_row, customer_row, identity_rows
from teamline.store.organisation import agent_row, team_row
from teamline.store.tables import (
    AccountRow,
    AgentRow,
    ContactRow,
    ConversationRow,
    CustomerRow,
    DemoRow,
    IdentityRow,
    LedgerEntryRow,
    MessageRow,
    RegionRow,
    TeamRow,
)
from teamline.store.tables_billing import SuspensionRow
from teamline.store.timeline import contact_row, conversation_row, message_row
from teamline.store.uow import UnitOfWork

DEMO_PASSWORD = "teamline-demo"
BATCH = 5000


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    email: str
    password: str
    who: str


@dataclass(frozen=True)
class DemoResult:
    loaded: bool  # False when an earlier run had loaded it already
    customers: int
    logins: list[DemoLogin]


def _bulk(uow: UnitOfWork, table: type[Any], rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        uow.session.execute(insert(table), rows[start : start + BATCH])


def _write(uow: UnitOfWork, company: DemoCompany, now: datetime) -> None:
    _bulk(
        uow,
        RegionRow,
        [{"id": r.id, "name": r.name, "timezone": r.timezone} for r in company.regions],
    )
    _bulk(uow, TeamRow, [team_row(t) for t in company.teams])
    _bulk(uow, AgentRow, [agent_row(a) for a in company.agents])
    # a customer record exists from the day of their first contact or earlier
    first_seen: dict[str, datetime] = {}
    for contact in company.contacts:
        seen = first_seen.get(contact.customer_id)
        if seen is None or contact.created_at < seen:
            first_seen[contact.customer_id] = contact.created_at
    _bulk(
        uow,
        CustomerRow,
        [customer_row(c, first_seen.get(c.id, now)) for c in company.customers],
    )
    _bulk(uow, IdentityRow, [row for c in company.customers for row in identity_rows(c)])
    _bulk(uow, AccountRow, [account_row(a) for a in company.accounts])
    _bulk(uow, LedgerEntryRow, opening_ledger_rows(company, now))  # balance = sum of ledger
    _bulk(uow, SuspensionRow, suspension_rows(company, now))
    _bulk(uow, ConversationRow, [conversation_row(c) for c in company.conversations])
    _bulk(uow, MessageRow, [message_row(m) for c in company.conversations for m in c.messages])
    _bulk(uow, ContactRow, [contact_row(c) for c in company.contacts])


DEMO_EMAILS = {role: f"{role.value}@demo.teamline.dev" for role in Role}


def _demo_users(company: DemoCompany) -> dict[Role, tuple[str, str | None, str | None]]:
    """Display name, customer id and agent id of each demo login."""
    star = company.customers[0]
    team_agents = [a for a in company.agents if a.team_id == star.home_team_id]
    # the demo agent is the one who has been helping Maria: they speak her language
    helpers = [c.agent_id for c in company.contacts if c.customer_id == star.id and c.agent_id]
    agent = next(
        (a for a in team_agents if helpers and a.id == helpers[-1]),
        next(a for a in team_agents if a.level is AgentLevel.FRONTLINE),
    )
    supervisor = next(a for a in team_agents if a.level is AgentLevel.SUPERVISOR)
    return {
        Role.AGENT: (f"{agent.first_name} {agent.last_name}", None, agent.id),
        Role.SUPERVISOR: (f"{supervisor.first_name} {supervisor.last_name}", None, supervisor.id),
        Role.CUSTOMER: (star.display_name, star.id, None),
        Role.ADMIN: ("Demo Admin", None, None),
    }


def load_demo(
    new_uow: Callable[[], UnitOfWork], seed: int, customers: int, now: datetime
) -> DemoResult:
    with new_uow() as uow:
        loaded_before = uow.session.scalar(select(DemoRow.customers).where(DemoRow.seed == seed))
        missing = [r for r, email in DEMO_EMAILS.items() if uow.users.by_email(email) is None]
    company = None
    if loaded_before is None:
        company = build_demo_company(seed, now, customers)
        with new_uow() as uow:
            _write(uow, company, now)
            write_demo_quality(uow, company, seed, now)  # complaints, CSAT, knowledge (issue 7)
            uow.session.add(DemoRow(seed=seed, loaded_at=now, customers=customers))
            uow.journal.audit(now, None, "demo.load", "demo", str(seed), {"customers": customers})
            uow.commit()
    if missing:
        company = company or build_demo_company(seed, now, customers)
        people = _demo_users(company)
        for role in missing:
            name, customer_id, agent_id = people[role]
            email = DEMO_EMAILS[role]
            register_user(new_uow(), email, DEMO_PASSWORD, role, name, now, customer_id, agent_id)
    if loaded_before is None:  # coverage complaints and unlock requests (issue 6 items 5-6)
        with new_uow() as uow:
            agent = uow.users.by_email(DEMO_EMAILS[Role.AGENT])
            supervisor = uow.users.by_email(DEMO_EMAILS[Role.SUPERVISOR])
        if agent is not None and supervisor is not None:
            seed_care_cases(new_uow, agent, supervisor, now)
            seed_demo_cases(new_uow, agent, now, CasePolicy())  # issue 7: the pages show cases
    logins = []
    with new_uow() as uow:
        for role, email in DEMO_EMAILS.items():
            user = uow.users.by_email(email)
            if user is not None:
                logins.append(DemoLogin(role, email, DEMO_PASSWORD, user.display_name))
    return DemoResult(loaded_before is None, loaded_before or customers, logins)
