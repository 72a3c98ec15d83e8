"""Social posts into the author's thread: one effect however often a delivery comes (even at
once), public mentions flagged and put ahead, replies out through the sender port."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from sqlalchemy import func, select

from teamline.channels.social_out import MemorySocialNetwork
from teamline.domain.enums import Channel
from teamline.domain.users import User
from teamline.routing.workflow import default_workflow
from teamline.services.conversations import post_message
from teamline.services.outbound import deliver_pending
from teamline.services.replies import CHANNEL_REPLY_HOOKS
from teamline.services.router import Router
from teamline.services.social import SocialKind, SocialPost, receive_social
from teamline.store.tables import ContactRow, MessageRow, WebhookDeliveryRow
from teamline.store.uow import UnitOfWork

from conftest import NOW

NewUow = Callable[[], UnitOfWork]
MARIA = "cus-00001"


@pytest.fixture
def router(new_uow: NewUow) -> Router:
    router = Router(new_uow, default_workflow())
    router.rebuild(NOW)
    return router


def post(kind: SocialKind = SocialKind.MENTION, post_id: str = "1790001") -> SocialPost:
    return SocialPost(
        "twitter", kind, "@MariaRossi", "@teamline my internet is down since this morning!",
        post_id, f"https://twitter.example/MariaRossi/status/{post_id}",
    )  # fmt: skip


def count(new_uow: NewUow, table: type, *where: object) -> int:
    with new_uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(table).where(*where)) or 0)


def contact_of(new_uow: NewUow, external_id: str) -> tuple[bool, bool, int, str]:
    with new_uow() as uow:
        conversation_id = uow.session.scalar(
            select(MessageRow.conversation_id).where(MessageRow.external_id == external_id)
        )
        row = uow.session.execute(
            select(
                ContactRow.public_mention, ContactRow.human_required, ContactRow.tier,
                ContactRow.channel,
            ).where(ContactRow.conversation_id == conversation_id, ContactRow.created_at == NOW)
        ).one()  # fmt: skip
    return row[0], row[1], row[2], row[3]


def test_a_delivery_three_times_two_at_once_has_one_effect(new_uow: NewUow, router: Router) -> None:
    both = Barrier(2)

    def deliver() -> str:
        both.wait()
        return receive_social(new_uow(), router, "msg_1", post(), NOW).status

    with ThreadPoolExecutor(2) as pool:
        statuses = list(pool.map(lambda _: deliver(), range(2)))
    statuses.append(receive_social(new_uow(), router, "msg_1", post(), NOW).status)

    assert sorted(statuses) == ["accepted", "duplicate", "duplicate"]
    assert count(new_uow, MessageRow, MessageRow.external_id == post().external_id) == 1
    assert count(new_uow, ContactRow, ContactRow.created_at == NOW) == 1
    assert count(new_uow, WebhookDeliveryRow, WebhookDeliveryRow.delivery_id == "msg_1") == 1


def test_the_same_post_under_a_new_delivery_id_is_still_stored_once(
    new_uow: NewUow, router: Router
) -> None:
    first = receive_social(new_uow(), router, "msg_1", post(), NOW)
    again = receive_social(new_uow(), router, "msg_2", post(), NOW)

    assert (first.status, again.status) == ("accepted", "duplicate")
    assert again.message_id == first.message_id


def test_a_public_mention_is_flagged_and_put_ahead(new_uow: NewUow, router: Router) -> None:
    receive_social(new_uow(), router, "msg_1", post(), NOW)

    assert contact_of(new_uow, post().external_id) == (True, True, 5, "social")


def test_a_direct_message_is_private_async_work(new_uow: NewUow, router: Router) -> None:
    dm = post(SocialKind.DM, "dm-77")
    receive_social(new_uow(), router, "msg_1", dm, NOW)

    public, _human, _tier, channel = contact_of(new_uow, dm.external_id)
    assert not public and channel == "social"


def test_an_author_who_is_no_customer_is_acknowledged_and_audited(
    new_uow: NewUow, router: Router
) -> None:
    stranger = SocialPost("twitter", SocialKind.MENTION, "@nobody_here", "hello", "55", None)

    receipt = receive_social(new_uow(), router, "msg_9", stranger, NOW)

    assert receipt.status == "unmatched"
    assert count(new_uow, MessageRow, MessageRow.external_id == stranger.external_id) == 0
    with new_uow() as uow:
        [entry] = uow.journal.audit_entries(object_type="social_post")
    assert entry.action == "social.unmatched" and entry.detail["handle"] == "twitter:nobody_here"


def test_the_agents_reply_leaves_through_the_sender_port(
    new_uow: NewUow, router: Router, users: dict[str, User]
) -> None:
    receive_social(new_uow(), router, "msg_1", post(), NOW)
    post_message(
        new_uow(), router, users["agent"], MARIA, "Sorry! A technician is on the way.", NOW,
        channel=Channel.SOCIAL, reply_hooks=CHANNEL_REPLY_HOOKS,
    )  # fmt: skip
    network = MemorySocialNetwork(failures=["rate limited"])

    first = deliver_pending(new_uow, "social", network, NOW)
    later = deliver_pending(new_uow, "social", network, NOW.replace(hour=16))

    assert first.retrying and later.sent == first.retrying
    [sent] = network.sent
    assert sent.recipient == "twitter:mariarossi"
    assert sent.headers == {"platform": "twitter", "kind": "mention", "in_reply_to": "1790001"}
    assert sent.body == "Sorry! A technician is on the way."
