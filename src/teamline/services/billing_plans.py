"""Plan changes with the grandfathered-plan warning, and heavy data use with the fraud team's
flags, as use cases (DOMAIN.md 5; issue 6 item 7; rules in `domain/billing_plans.py`).

A plan change is checked first (staff, or the account's own customer: both must see the
warning before confirming) and applied by staff only, refused while a warning is not
acknowledged. Data use comes from the usage feed (an admin login); a heavy one opens a fraud
flag on the account in the same transaction. Supervisors and admins are the fraud team's view:
they list the flags and clear them with a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from teamline.domain.billing_plans import (
    DataUse,
    DataUseAssessment,
    FlagState,
    FraudFlag,
    PlanChangeCheck,
    PlanChangeKind,
    assess_data_use,
    check_plan_change,
    check_term,
    confirm_plan_change,
)
from teamline.domain.errors import NotFound
from teamline.domain.users import User
from teamline.services.access import (
    access_account,
    require_admin,
    require_staff,
    require_supervisor,
)
from teamline.services.care_policies import CarePolicies
from teamline.services.ids import new_id
from teamline.services.tiers import local_today
from teamline.store.uow import UnitOfWork

LIST_MAX = 100


@dataclass(frozen=True)
class PlanChangeDraft:
    kind: PlanChangeKind
    new_plan: str
    acknowledged: bool = False
    term_months: int | None = None


@dataclass(frozen=True)
class PlanChangeResult:
    change_id: str
    check: PlanChangeCheck
    explanation: str


@dataclass(frozen=True)
class DataUseResult:
    use: DataUse
    assessment: DataUseAssessment
    flag: FraudFlag | None


def plan_change_check(
    uow: UnitOfWork, actor: User, number: str, kind: PlanChangeKind, new_plan: str
) -> PlanChangeCheck:
    """What an upgrade, a renewal or another plan would do to a grandfathered plan, said
    before anyone confirms it (staff, or the account's own customer)."""
    with uow:
        _, account = access_account(uow, actor, number)
        return check_plan_change(account.plan, account.grandfathered, kind, new_plan)


def change_plan(
    uow: UnitOfWork, actor: User, number: str, draft: PlanChangeDraft, now: datetime
) -> PlanChangeResult:
    """Apply a plan change (staff): refused, naming `acknowledged`, while the grandfathered
    plan's warning is not acknowledged; an upgrade or a renewal starts a new commitment today."""
    require_staff(actor, "change plans")
    with uow:
        customer, account = access_account(uow, actor, number)
        uow.billing.lock_account(number)
        check = check_plan_change(account.plan, account.grandfathered, draft.kind, draft.new_plan)
        term = check_term(draft.kind, draft.term_months)
        text = confirm_plan_change(check, draft.acknowledged)
        contract = (local_today(uow, customer, now), term) if term is not None else None
        if contract is not None:
            text += f" A {term}-month commitment starts on {contract[0]}."
        change_id = new_id("pch")
        uow.billing.apply_plan_change(change_id, check, number, contract, text, actor.id, now)
        detail = {
            "kind": draft.kind.value,
            "from": check.current_plan,
            "to": check.new_plan,
            "lost_grandfathered": check.loses_grandfathered,
        }
        uow.journal.audit(now, actor.id, "account.plan_change", "account", number, detail)
        uow.commit()
        return PlanChangeResult(change_id, check, text)


def record_data_use(
    uow: UnitOfWork,
    actor: User,
    use: DataUse,
    now: datetime,
    policies: CarePolicies | None = None,
) -> DataUseResult:
    """Data use of one period from the usage feed; heavy use flags the account for the fraud
    team, with the sentence that explains it. One report per account and period start."""
    require_admin(actor, "record data use")
    policy = (policies or CarePolicies()).billing
    with uow:
        customer, _ = access_account(uow, actor, use.account_number)
        assessment = assess_data_use(policy, use)
        use_id = uow.billing.add_data_use(use, now)
        flag = None
        if assessment.flagged:
            flag = FraudFlag(
                new_id("flg"),
                use.account_number,
                customer.id,
                use,
                assessment.threshold_gb,
                assessment.explanation,
                now,
            )
            uow.billing.add_flag(flag, use_id)
            detail = {"gigabytes": str(use.gigabytes), "threshold_gb": str(flag.threshold_gb)}
            uow.journal.audit(now, actor.id, "account.fraud_flag", "fraud_flag", flag.id, detail)
        uow.commit()
        return DataUseResult(use, assessment, flag)


def fraud_flags(uow: UnitOfWork, actor: User, state: FlagState | None) -> list[FraudFlag]:
    """The fraud team's view: flagged accounts, newest first (supervisors, admins)."""
    require_supervisor(actor, "see the fraud team's flags")
    with uow:
        return uow.billing.flags(state, LIST_MAX)


def clear_flag(uow: UnitOfWork, actor: User, flag_id: str, note: str, now: datetime) -> FraudFlag:
    """The fraud team reviewed the account and found nothing to act on (supervisors, admins)."""
    require_supervisor(actor, "clear fraud flags")
    with uow:
        flag = uow.billing.flag(flag_id)
        if flag is None:
            raise NotFound(f"flag {flag_id!r} not found")
        flag.clear(actor.id, now, note)
        uow.billing.clear_flag(flag)
        uow.journal.audit(now, actor.id, "fraud_flag.clear", "fraud_flag", flag.id, {"note": note})
        uow.commit()
        return flag
