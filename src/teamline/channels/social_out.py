"""Replies to social networks leave through a sender port; this module holds its in-memory
adapter (tests, demos). A real provider adapter (X, Facebook, Instagram APIs) needs network
access and provider credentials this project does not have: it would implement the same
`send(item)` and raise `DeliveryFailed` (permanent for a post that no longer exists or a user
who blocked us, temporary for rate limits and time-outs); `deliver_pending` does the rest.

An outbound social row carries: recipient `platform:handle`, body, and headers `platform`,
`kind` (`mention`: a public reply under the post; `dm`: a private message) and `in_reply_to`
(the customer's post id).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from teamline.services.outbound import DeliveryFailed, Outbound


@dataclass
class MemorySocialNetwork:
    """Keeps what it is sent; `failures` makes the next sends fail (temporarily), in order."""

    sent: list[Outbound] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def send(self, item: Outbound) -> None:
        if self.failures:
            raise DeliveryFailed(self.failures.pop(0))
        self.sent.append(item)
