"""Coverage complaints and unlock requests in the demo company (issue 6 items 5-6), written
through the real use cases so a newcomer sees them at work.

Maria (the demo customer) has call records, one of them a call that dropped yesterday evening
in area `east-harbour`; three of her region's customers complained about that area in the last
day, so an engineering investigation is open there. When Maria complains from the app, the
dropped call verifies her complaint and it joins that investigation. Two other customers have
unlock requests: one decided and waiting for its code past its deadline (the supervisors'
overdue list), one whose code was sent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select

from teamline.domain.coverage import (
    CallEnd,
)
from teamline.domain.enums import IdentityKind
from teamline.domain.unlock_rules import (
    Travel,
)
from teamline.domain.unlocks import (
    Delivery,
)
from teamline.domain.users import User
from teamline.services.call_records import CallDraft, record_calls
from teamline.services.coverage import ComplaintDraft, file_complaint
from teamline.services.unlocks import UnlockDraft, request_unlock, send_code
from teamline.store.tables import CustomerRow
from teamline.store.uow import UnitOfWork

AREA = "east-harbour"
ADDRESSES = ("14 Harbour Road", "3 Quay Street", "27 Pier Lane")


def demo_imei(n: int) -> str:
    """A valid IMEI (Luhn check digit) from a small number: never a real device's."""
    body = f"35{n:012d}"
    total = 0
    for position, digit in enumerate(int(d) for d in reversed(body)):
        if position % 2 == 0:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return body + str((10 - total % 10) % 10)


def seed_care_cases(
    new_uow: Callable[[], UnitOfWork], agent: User, supervisor: User, now: datetime
) -> None:
    with new_uow() as uow:
        maria = uow.customers.get("cus-00001")
        assert maria is not None
        # the region's last customers: the tests act on the first ones
        ids = list(
            uow.session.scalars(
                select(CustomerRow.id)
                .where(CustomerRow.region_id == maria.region_id, CustomerRow.id != maria.id)
                .order_by(CustomerRow.id.desc())
                .limit(5)
            )
        )
        phones = {}
        for customer_id in [maria.id, *ids]:
            customer = uow.customers.get(customer_id)
            assert customer is not None
            phones[customer_id] = customer.identity(IdentityKind.PHONE) or "+15550100000"
    if len(ids) < 5:
        return  # a demo too small to show it
    evening = (now - timedelta(days=1)).replace(hour=18, minute=40, second=0, microsecond=0)
    calls = [
        _call(phones[maria.id], maria.id, evening - timedelta(hours=5), CallEnd.NORMAL, "cdr-1"),
        _call(phones[maria.id], maria.id, evening, CallEnd.DROPPED, "cdr-2"),
        _call(phones[maria.id], maria.id, evening + timedelta(minutes=6), CallEnd.NORMAL, "cdr-3"),
    ]
    for n, customer_id in enumerate(ids[:3]):
        at = evening - timedelta(hours=3 * n + 1)
        calls.append(_call(phones[customer_id], customer_id, at, CallEnd.DROPPED, f"cdr-{n + 4}"))
    record_calls(new_uow(), agent, calls, now - timedelta(hours=12))
    for n, customer_id in enumerate(ids[:3]):
        occurred = evening - timedelta(hours=3 * n + 1, minutes=5)
        draft = ComplaintDraft(
            occurred,
            "Calls drop in the kitchen and the signal bar shows one line at home.",
            AREA,
            phones[customer_id],
            True,
            ADDRESSES[n],
            customer_id,
        )
        file_complaint(new_uow(), agent, draft, occurred + timedelta(hours=2))
    late = now - timedelta(days=6)
    trip = Travel("IT", late.date() + timedelta(days=14), late.date() + timedelta(days=28))
    request_unlock(new_uow(), agent, UnlockDraft(demo_imei(1), None, ids[3], trip), late)
    sent = request_unlock(new_uow(), agent, UnlockDraft(demo_imei(2), None, ids[4]), late)
    send_code(new_uow(), supervisor, sent.request.id, Delivery.EMAIL, late + timedelta(hours=20))


def _call(line: str, customer_id: str, ended: datetime, end: CallEnd, ref: str) -> CallDraft:
    started = ended - timedelta(minutes=7)
    cell = f"{AREA}-3"
    return CallDraft(line, started, ended, end, cell, AREA, customer_id, f"demo-{ref}")
