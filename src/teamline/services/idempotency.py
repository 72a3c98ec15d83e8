"""Idempotent requests: a POST repeated with the same `Idempotency-Key` gets the first answer
and changes nothing (ARCHITECTURE.md, data rules: clients retry, networks duplicate).

How it holds when repeats race and processes die:
- A use case that takes a `Claim` writes the key in the same transaction as its effect
  (`Claim.record`). The unique (owner, key) constraint lets exactly one of two concurrent
  duplicates commit; the other's transaction fails whole, effect included, and it answers
  with the first request's answer.
- When the use case's result is the answer (a posted message), the answer itself is stored
  with the effect. Otherwise (a contact's answer says how routing went, after the commit) the
  row is a claim naming what was created, and the answer is attached right after.
- A repeat that finds a claim without its answer waits for it (`WAIT_SECONDS`); if none comes
  (the first writer died in between), the answer is rebuilt from what the claim names and
  stored, so every later repeat gets that same answer. A claim older than the answering
  process (`started_at`) is rebuilt at once: its writer was an earlier life of the server,
  killed before it answered (waiting for it would only make a restarting server's clients
  wait, or never get through if it restarts again within the wait).
- The same key with another request (method, path or body) is refused: 422 naming
  `Idempotency-Key`. A request that failed left no key, so its retry runs again.
- Keys belong to their owner (the signed-in user): two users cannot collide.

A use case that does not take a `Claim` still answers repeats consistently (`settle` writes
the key after the effect), but two concurrent duplicates could then both act.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from teamline.domain.errors import Conflict, InvalidInput, TeamlineError, Unavailable
from teamline.store.idempotency import PENDING, StoredKey
from teamline.store.uow import UnitOfWork

T = TypeVar("T")
HEADER = "Idempotency-Key"
WAIT_SECONDS = 10.0  # a contact's first answer waits for the router (5 s at most)
POLL_SECONDS = 0.02


@dataclass(frozen=True)
class IdempotentRequest:
    owner: str
    key: str
    fingerprint: str

    @classmethod
    def of(
        cls, owner: str, key: str, method: str, path: str, body: dict[str, Any]
    ) -> IdempotentRequest:
        """`body` is the parsed request with its defaults, so the same request written with
        other spacing, key order or omitted defaults is the same request."""
        canonical = json.dumps([method.upper(), path, body], sort_keys=True, separators=(",", ":"))
        return cls(owner, key, hashlib.sha256(canonical.encode()).hexdigest())


@dataclass(frozen=True)
class Answer:
    status_code: int
    body: dict[str, Any]


@dataclass
class Claim(Generic[T]):
    """What a use case needs to make itself idempotent: the request, and how its result
    becomes the answer."""

    request: IdempotentRequest
    render: Callable[[T], Answer]
    # tells this run's claim from a concurrent duplicate's
    attempt: str = field(default_factory=lambda: uuid.uuid4().hex)
    # the final answer, once `record` stored it with the effect: nothing is left to settle
    answered: Answer | None = None

    def record(
        self, uow: UnitOfWork, resource: str, now: datetime, result: T | None = None
    ) -> None:
        """Inside the use case's open unit of work, before its commit: the key, with the answer
        when `result` is final, else naming `resource` (the id of what was created)."""
        r = self.request
        if result is None:
            claim = {"resource": resource, "attempt": self.attempt}
            uow.idempotency.add(r.owner, r.key, r.fingerprint, PENDING, claim, now)
        else:
            answer = self.render(result)
            uow.idempotency.add(r.owner, r.key, r.fingerprint, answer.status_code, answer.body, now)
            self.answered = answer


def _check(stored: StoredKey, request: IdempotentRequest) -> None:
    if stored.fingerprint != request.fingerprint:
        raise InvalidInput(
            HEADER, "this key was already used for a different request; use a new key"
        )


def previous_answer(
    uow: UnitOfWork,
    request: IdempotentRequest,
    now: datetime,
    replay: Callable[[str], Answer],
    wait_seconds: float = WAIT_SECONDS,
    attempt: str | None = None,
    started_at: datetime | None = None,
) -> Answer | None:
    """The answer given to this request before, or None if it was never made. A claim of
    `attempt` (the caller's own, whose run failed after its commit) is answered at once."""
    deadline = time.monotonic() + wait_seconds
    while True:
        with uow:
            stored = uow.idempotency.get(request.owner, request.key)
        if stored is None:
            return None
        _check(stored, request)
        if stored.status_code != PENDING:
            return Answer(stored.status_code, stored.response)
        orphaned = started_at is not None and stored.created_at < started_at
        if stored.response.get("attempt") == attempt or orphaned or time.monotonic() >= deadline:
            # the first writer stored its effect but never its answer: rebuild it, once for all
            return settle(uow, request, replay(str(stored.response["resource"])), now)
        time.sleep(POLL_SECONDS)


def settle(uow: UnitOfWork, request: IdempotentRequest, answer: Answer, now: datetime) -> Answer:
    """Attach `answer` to the request's key; the answer already there wins, if any."""
    with uow:
        if uow.idempotency.settle(request.owner, request.key, answer.status_code, answer.body):
            uow.commit()
            return answer
        stored = uow.idempotency.get(request.owner, request.key)
        if stored is None:  # the use case wrote no claim: the unique key settles the race
            uow.idempotency.add(
                request.owner, request.key, request.fingerprint, answer.status_code,
                answer.body, now,
            )  # fmt: skip
            try:
                uow.commit()
            except Conflict:
                stored = uow.idempotency.get(request.owner, request.key)
            else:
                return answer
    if stored is None or stored.status_code == PENDING:
        return answer  # a concurrent claim's owner attaches its own answer
    _check(stored, request)
    return Answer(stored.status_code, stored.response)


def run_once(
    uow: UnitOfWork,
    request: IdempotentRequest | None,
    now: datetime,
    effect: Callable[[Claim[T] | None], T],
    render: Callable[[T], Answer],
    replay: Callable[[str], T] | None = None,
    started_at: datetime | None = None,
    optimistic: bool = False,
) -> tuple[Answer, bool]:
    """Run `effect` once per request; the answer, and whether it was given before.

    `replay(resource)` reads what an earlier run created, to rebuild its answer; a use case
    that always stores its answer with its effect needs none. `optimistic` skips looking for
    an earlier answer first (a transaction per request saved): only for an effect that writes
    its `Claim` and does nothing outside its transaction before committing, so that a repeat
    fails whole on the unique key and is answered from the earlier answer then."""
    if request is None:
        return render(effect(None)), False

    def rebuilt(resource: str) -> Answer:
        if replay is None:
            raise Unavailable(f"the first request with this {HEADER} has no answer yet")
        return render(replay(resource))

    if not optimistic:
        found = previous_answer(uow, request, now, rebuilt, started_at=started_at)
        if found is not None:
            return found, True
    claim = Claim(request, render)
    try:
        result = effect(claim)
    except TeamlineError:
        # a concurrent duplicate's claim won (our transaction failed whole), or ours committed
        # and a later step failed: either way the effect happened once; answer as it did
        found = previous_answer(
            uow, request, now, rebuilt, attempt=claim.attempt, started_at=started_at
        )
        if found is None:
            raise
        return found, True
    if claim.answered is not None:
        return claim.answered, False
    return settle(uow, request, render(result), now), False
