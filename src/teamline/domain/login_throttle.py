"""Brute-force throttling of sign-ins (issue 9 item 4): slow the guesser, never the owner.

The rule (docs/security.md):
- Failures are counted per (account, source address). The first `FREE_FAILURES` cost nothing;
  each later one blocks that pair for `2 ** (n - FREE_FAILURES)` seconds, at most
  `MAX_BLOCK_SECONDS`. While blocked, that pair is refused before the password is even checked
  (so a blocked guesser learns nothing, not even from timing).
- The same owner from another address is a different pair: an attacker who guesses from their
  own machine can never lock the real owner out (the account itself is never locked).
- A source guessing across many accounts (password spraying) is counted under the account `*`
  with a larger allowance, `SOURCE_FREE_FAILURES`, and the same doubling.
- A successful sign-in clears the (account, source) pair; the source-wide count only decays by
  `FORGET_AFTER` without failures, so spraying cannot be reset by signing into one's own account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

FREE_FAILURES = 5
SOURCE_FREE_FAILURES = 50
MAX_BLOCK_SECONDS = 15 * 60
FORGET_AFTER = timedelta(hours=24)  # a pair quiet this long starts again from zero
ANY_ACCOUNT = "*"


@dataclass(frozen=True, slots=True)
class Throttle:
    """The failure count of one (account, source) pair and until when it is blocked."""

    account: str
    source: str
    failures: int
    last_failure_at: datetime
    blocked_until: datetime | None

    def blocked(self, now: datetime) -> bool:
        return self.blocked_until is not None and now < self.blocked_until

    def retry_after(self, now: datetime) -> int:
        """Whole seconds until the pair may try again (at least 1 while blocked)."""
        if self.blocked_until is None or now >= self.blocked_until:
            return 0
        return max(1, int((self.blocked_until - now).total_seconds() + 0.999))


def block_seconds(failures: int, free: int) -> int:
    """How long a pair with `failures` failures waits: 0 within the allowance, then 1, 2, 4...
    seconds, capped at `MAX_BLOCK_SECONDS`."""
    if failures <= free:
        return 0
    return min(MAX_BLOCK_SECONDS, int(2 ** min(failures - free - 1, 20)))


def after_failure(previous: Throttle | None, account: str, source: str, now: datetime) -> Throttle:
    """The pair's state after one more failure at `now`."""
    fresh = previous is None or now - previous.last_failure_at > FORGET_AFTER
    failures = 1 if fresh or previous is None else previous.failures + 1
    free = SOURCE_FREE_FAILURES if account == ANY_ACCOUNT else FREE_FAILURES
    seconds = block_seconds(failures, free)
    until = now + timedelta(seconds=seconds) if seconds else None
    return Throttle(account, source, failures, now, until)
