"""One call, one contact, on SQLite and PostgreSQL: twin webhook deliveries racing each other
write one contact (and, for a stranger, one customer record); the loser answers with the
winner's contact (issue 5 acceptance: "delivered 3 times (2 concurrently)")."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import func, select

from teamline.routing.workflow import default_workflow
from teamline.services import voice
from teamline.services.router import Router
from teamline.store.tables import ContactRow, CustomerRow
from teamline.store.uow import UnitOfWork

from conftest import NOW

NewUow = Callable[[], UnitOfWork]


def deliver_three_times(new_uow: NewUow, sid: str, phone: str, words: str) -> set[str]:
    """Two deliveries at once, then a third: the contact ids each was answered with."""
    router = Router(new_uow, default_workflow())
    router.rebuild(NOW)
    start = threading.Barrier(2)
    answered: list[str] = []

    def deliver() -> None:
        start.wait()
        answered.append(voice.take_call(new_uow(), router, sid, phone, words, NOW).contact_id)

    twins = [threading.Thread(target=deliver) for _ in range(2)]
    for twin in twins:
        twin.start()
    for twin in twins:
        twin.join()
    answered.append(voice.take_call(new_uow(), router, sid, phone, words, NOW).contact_id)
    return set(answered)


def rows(new_uow: NewUow, table: type[ContactRow] | type[CustomerRow]) -> int:
    with new_uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(table)) or 0


def test_twin_deliveries_of_a_known_callers_call_write_one_contact(new_uow: NewUow) -> None:
    before = rows(new_uow, ContactRow)
    answered = deliver_three_times(new_uow, "CA" + "a" * 32, "+15550100199", "la bolletta")
    assert len(answered) == 1 and rows(new_uow, ContactRow) == before + 1


def test_twin_deliveries_of_a_strangers_call_write_one_record_and_one_contact(
    new_uow: NewUow,
) -> None:
    customers, contacts = rows(new_uow, CustomerRow), rows(new_uow, ContactRow)
    answered = deliver_three_times(new_uow, "CA" + "b" * 32, "+15557770199", "operator please")
    assert len(answered) == 1
    assert (rows(new_uow, CustomerRow), rows(new_uow, ContactRow)) == (customers + 1, contacts + 1)
