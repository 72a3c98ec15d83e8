"""A live peer whose client stops reading is cut loose, not buffered without end: after
`MAX_QUEUED_FRAMES` its queue ends with the close signal and takes nothing more."""

from __future__ import annotations

from teamline.domain.enums import Role
from teamline.domain.users import User
from teamline.services.live_peers import MAX_QUEUED_FRAMES, Peer


def test_a_peer_too_far_behind_is_told_to_close_and_takes_no_more() -> None:
    peer = Peer(User("usr-1", "maria@example.com", Role.CUSTOMER, "Maria", customer_id="cus-1"))
    for n in range(MAX_QUEUED_FRAMES + 10):
        peer.push({"type": "message", "seq": n})
    assert peer.overflowed and peer.frames.qsize() == MAX_QUEUED_FRAMES + 1
    frames = [peer.frames.get_nowait() for _ in range(MAX_QUEUED_FRAMES + 1)]
    assert frames[-1] is None and frames[-2] == {"type": "message", "seq": MAX_QUEUED_FRAMES - 1}
