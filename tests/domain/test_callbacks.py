"""A callback job's life: dialled, retried after the pause, failed after the last try, and never
moved the wrong way (DOMAIN.md section 1: a callback instead of holding)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from teamline.domain.callbacks import CallbackJob, CallOutcome, JobState
from teamline.domain.errors import InvalidInput, InvalidTransition

T0 = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
PAUSE = timedelta(minutes=10)


def job(max_attempts: int = 3) -> CallbackJob:
    return CallbackJob("cbj-1", "con-1", "cus-1", "+15550100199", T0, max_attempts, T0)


def test_no_answer_is_retried_after_the_pause_until_the_attempts_run_out() -> None:
    j = job(max_attempts=2)
    j.start_dialling(T0)
    j.dialled(CallOutcome.NO_ANSWER, T0, PAUSE)
    assert (j.state, j.attempts, j.due_at, j.next_attempt_at) == (
        JobState.RETRY, 1, T0 + PAUSE, T0 + PAUSE
    )  # fmt: skip
    assert j.describe() == "Callback: no answer (attempt 1 of 2); next try 2026-11-24 15:10 UTC"
    j.requeued("con-2", T0 + PAUSE)
    assert (j.state, j.contact_id) == (JobState.WAITING, "con-2")
    j.start_dialling(T0 + PAUSE)
    j.dialled(CallOutcome.BUSY, T0 + PAUSE, PAUSE)
    assert (j.state, j.attempts, j.next_attempt_at) == (JobState.FAILED, 2, None)


@pytest.mark.parametrize("outcome", [CallOutcome.ANSWERED, CallOutcome.AGENT_DIALS])
def test_a_call_that_reaches_the_customer_is_done(outcome: CallOutcome) -> None:
    j = job()
    j.start_dialling(T0)
    j.dialled(outcome, T0, PAUSE)
    assert (j.state, j.attempts, j.outcome) == (JobState.DONE, 1, outcome.value)


def test_a_call_still_ringing_waits_for_its_outcome() -> None:
    j = job()
    j.start_dialling(T0)
    j.dialled(CallOutcome.PLACED, T0 + timedelta(seconds=1), PAUSE)
    assert (j.state, j.attempts, j.outcome) == (JobState.DIALLING, 0, "placed")
    j.dialled(CallOutcome.ANSWERED, T0 + timedelta(seconds=20), PAUSE)
    assert j.state is JobState.DONE


def test_a_job_never_moves_the_wrong_way() -> None:
    j = job()
    with pytest.raises(InvalidTransition):
        j.dialled(CallOutcome.ANSWERED, T0, PAUSE)  # not being dialled
    with pytest.raises(InvalidTransition):
        j.requeued("con-2", T0)  # nothing to retry
    j.cancel("contact cancelled before the call", T0)
    with pytest.raises(InvalidTransition):
        j.start_dialling(T0)
    with pytest.raises(InvalidInput):
        CallbackJob("cbj-2", "con-1", "cus-1", "+1", T0.replace(tzinfo=None), 3, T0)
