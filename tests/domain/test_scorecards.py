"""Scorecards as data, weighted totals and calibration agreement (issue 7 item 3)."""

from __future__ import annotations

import pytest

from teamline.domain.errors import InvalidInput
from teamline.domain.scorecards import (
    DEFAULT_CRITERIA,
    Criterion,
    agreement,
    check_criteria,
    mean_by,
    score_total,
)

CARD = (Criterion("correct", "Correct answer", 3, 5), Criterion("tone", "Own words", 1, 3))


def test_the_total_is_the_weighted_mean_on_0_to_100() -> None:
    assert score_total(CARD, {"correct": 5, "tone": 3}) == 100.0
    assert score_total(CARD, {"correct": 1, "tone": 1}) == 0.0
    # correct 4/5 -> 0.75 x 3, tone 2/3 -> 0.5 x 1: (2.25 + 0.5) / 4 = 68.75
    assert score_total(CARD, {"correct": 4, "tone": 2}) == 68.8


@pytest.mark.parametrize(
    "scores",
    [{"correct": 5}, {"correct": 5, "tone": 3, "extra": 1}, {"correct": 6, "tone": 1},
     {"correct": 0, "tone": 1}],
)  # fmt: skip
def test_every_criterion_and_only_those_within_their_scale(scores: dict[str, int]) -> None:
    with pytest.raises(InvalidInput) as caught:
        score_total(CARD, scores)
    assert caught.value.field == "scores"


def test_criteria_are_checked_as_data() -> None:
    assert check_criteria(DEFAULT_CRITERIA) == DEFAULT_CRITERIA
    with pytest.raises(InvalidInput, match="once"):
        check_criteria([CARD[0], CARD[0]])
    with pytest.raises(InvalidInput):
        check_criteria([])
    for key, name, weight, scale in (("Bad Key", "x", 1, 5), ("k", "x", 0, 5), ("k", "x", 1, 1),
                                     ("k", " ", 1, 5)):  # fmt: skip
        with pytest.raises(InvalidInput):
            Criterion(key, name, weight, scale)


def test_reviewers_who_agree_score_1_and_opposite_ends_score_0() -> None:
    same = {"correct": 4, "tone": 2}
    assert agreement(CARD, [same, same, same]).agreement == 1.0
    split = agreement(CARD, [{"correct": 1, "tone": 1}, {"correct": 5, "tone": 3}])
    assert split.agreement == 0.0 and split.mean_absolute_deviation == 0.5
    assert split.total_spread == 100.0
    near = agreement(CARD, [{"correct": 4, "tone": 2}, {"correct": 5, "tone": 2}])
    # correct differs by a quarter of its scale: MAD 0.125; tone equal: MAD 0 -> mean 0.0625
    assert near.per_criterion == {"correct": 0.125, "tone": 0.0}
    assert near.agreement == 0.875 and near.reviewers == 2


def test_trends_are_one_line_per_key_and_month() -> None:
    lines = mean_by([("a", "2026-10", 80.0), ("a", "2026-10", 60.0), ("a", "2026-09", 50.0),
                     ("b", "2026-10", 90.0)])  # fmt: skip
    assert [(x.key, x.month, x.reviews, x.mean) for x in lines] == [
        ("a", "2026-09", 1, 50.0),
        ("a", "2026-10", 2, 70.0),
        ("b", "2026-10", 1, 90.0),
    ]
