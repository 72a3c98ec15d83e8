"""CSAT (issue 7 item 4): one question in the customer's language, one answer per survey."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from teamline.domain.csat import Answer, Reason, Survey, csat_by, question
from teamline.domain.customers import SUPPORTED_LANGUAGES
from teamline.domain.errors import Conflict, InvalidInput

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def survey() -> Survey:
    return Survey("csat-1", "con-1", "cus-1", "agt-1", "team-1", "email", "es", NOW)


def test_the_question_speaks_every_customer_language() -> None:
    asked = {lang: question(lang, "North team") for lang in SUPPORTED_LANGUAGES}
    assert all("North team" in q and "1" in q and "5" in q for q in asked.values())
    assert len(set(asked.values())) == len(SUPPORTED_LANGUAGES)
    assert question("xx", "T") == question("en", "T")


def test_one_answer_a_repeat_is_accepted_once_another_is_a_conflict() -> None:
    s = survey()
    assert s.take(Answer(4, Reason.RESOLVED), NOW) is True
    assert s.take(Answer(4, Reason.RESOLVED), NOW) is False
    with pytest.raises(Conflict):
        s.take(Answer(2), NOW)
    assert s.answer == Answer(4, Reason.RESOLVED) and s.answered_at == NOW


@pytest.mark.parametrize("score", [0, 6, -1])
def test_a_score_is_1_to_5(score: int) -> None:
    with pytest.raises(InvalidInput) as caught:
        Answer(score)
    assert caught.value.field == "score"


def test_results_count_mean_and_satisfied_share() -> None:
    lines = csat_by([("agt-1", 5), ("agt-1", 4), ("agt-1", 1), ("agt-2", 3)])
    assert [(x.key, x.answers, x.mean, x.satisfied_share) for x in lines] == [
        ("agt-1", 3, 3.33, 0.667),
        ("agt-2", 1, 3.0, 0.0),
    ]
