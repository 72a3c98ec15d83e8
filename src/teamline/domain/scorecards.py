"""Review scorecards, reviews and calibration (DOMAIN.md 7; issue 7 item 3).

A **scorecard** is data, not code: a list of criteria, each with a key, a name, a weight and a
scale (scored 1 to `scale`). A **review** scores one sampled conversation against a scorecard;
its total is the weighted mean of the criteria, each mapped onto 0-100
(`(score - 1) / (scale - 1) * 100`), so criteria of different scales weigh only by `weight`.

A **calibration** has several reviewers score one conversation with one scorecard. Their
**agreement** is measured per criterion as the mean absolute deviation (MAD) of the normalised
scores (0-1) from their mean, averaged over criteria; `agreement = 1 - 2 * MAD`, so 1 means every
reviewer gave the same scores and 0 means they split between the ends of every scale (0.5 is the
largest MAD values in [0, 1] can have). We chose MAD over Krippendorff's alpha or an ICC because
a calibration has one conversation and a handful of criteria: alpha and ICC divide by the
variance between units, which is zero or meaningless when every reviewer rates a conversation
where all criteria deserve the same score, while MAD stays defined and reads in scale points.
The spread of the totals (highest minus lowest, in points of 100) is reported beside it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from teamline.domain.errors import InvalidInput

NAME_MAX = 100
KEY_MAX = 40
CRITERIA_MAX = 30
SCALE_MIN, SCALE_MAX = 2, 10
WEIGHT_MAX = 100
COMMENT_MAX = 4000
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Criterion:
    key: str
    name: str
    weight: int = 1
    scale: int = 5  # scored 1..scale

    def __post_init__(self) -> None:
        if not _KEY.match(self.key) or len(self.key) > KEY_MAX:
            raise InvalidInput("criteria.key", f"{self.key!r}: lower-case letters, digits, _")
        if not self.name.strip() or len(self.name) > NAME_MAX:
            raise InvalidInput("criteria.name", f"1 to {NAME_MAX} characters")
        if not 1 <= self.weight <= WEIGHT_MAX:
            raise InvalidInput("criteria.weight", f"a weight is 1 to {WEIGHT_MAX}")
        if not SCALE_MIN <= self.scale <= SCALE_MAX:
            raise InvalidInput("criteria.scale", f"a scale is {SCALE_MIN} to {SCALE_MAX} points")

    def normalised(self, score: int) -> float:
        """A score of 1..scale on 0..1."""
        return (score - 1) / (self.scale - 1)


def check_criteria(criteria: Sequence[Criterion]) -> tuple[Criterion, ...]:
    if not 1 <= len(criteria) <= CRITERIA_MAX:
        raise InvalidInput("criteria", f"a scorecard has 1 to {CRITERIA_MAX} criteria")
    keys = [c.key for c in criteria]
    if len(set(keys)) != len(keys):
        raise InvalidInput("criteria", "each criterion key appears once")
    return tuple(criteria)


def check_name(name: str) -> str:
    if not name.strip() or len(name) > NAME_MAX:
        raise InvalidInput("name", f"a scorecard's name has 1 to {NAME_MAX} characters")
    return name.strip()


# the scorecard a new installation starts with: what DOMAIN.md 4 and 7 ask reviewers to look at
DEFAULT_CRITERIA: tuple[Criterion, ...] = (
    Criterion("correct_answer", "The answer and the policy applied were correct", 3),
    Criterion("history_used", "Used the customer's history; nobody had to repeat", 2),
    Criterion("own_words", "Spoke in their own words, not a script", 1),
    Criterion("hold_mute_explained", "Hold and mute were announced and short", 1),
    Criterion("next_steps", "The customer knows what happens next", 2),
)


def score_total(criteria: Sequence[Criterion], scores: Mapping[str, int]) -> float:
    """The weighted total on 0-100 (one decimal) of scores for every criterion, each 1..scale.
    Every criterion must be scored, and nothing else."""
    known = {c.key for c in criteria}
    unknown = sorted(set(scores) - known)
    if unknown:
        raise InvalidInput("scores", f"not criteria of this scorecard: {', '.join(unknown)}")
    missing = [c.key for c in criteria if c.key not in scores]
    if missing:
        raise InvalidInput("scores", f"score every criterion; missing: {', '.join(missing)}")
    for c in criteria:
        if not 1 <= scores[c.key] <= c.scale:
            raise InvalidInput("scores", f"{c.key} is scored 1 to {c.scale}")
    weight = sum(c.weight for c in criteria)
    total = sum(c.weight * c.normalised(scores[c.key]) for c in criteria) / weight * 100
    return round(total, 1)


def check_comment(comment: str) -> str:
    if len(comment) > COMMENT_MAX or "\x00" in comment:
        raise InvalidInput("comment", f"at most {COMMENT_MAX} characters, no NUL")
    return comment


@dataclass(frozen=True, slots=True)
class Agreement:
    reviewers: int
    mean_absolute_deviation: float  # on the 0-1 normalised scale, averaged over criteria
    agreement: float  # 1 - 2 * MAD: 1 all agree, 0 split between the scale's ends
    total_spread: float  # highest total minus lowest, in points of 100
    per_criterion: dict[str, float]  # the MAD of each criterion


def agreement(criteria: Sequence[Criterion], reviews: Sequence[Mapping[str, int]]) -> Agreement:
    """How far several reviewers' scores of one conversation agree (see the module docstring).
    One review alone agrees with itself (agreement 1)."""
    if not reviews:
        raise InvalidInput("reviews", "agreement needs at least one review")
    per: dict[str, float] = {}
    for c in criteria:
        values = [c.normalised(r[c.key]) for r in reviews]
        mean = sum(values) / len(values)
        per[c.key] = round(sum(abs(v - mean) for v in values) / len(values), 4)
    mad = sum(per.values()) / len(per)
    totals = [score_total(criteria, r) for r in reviews]
    return Agreement(
        len(reviews),
        round(mad, 4),
        round(max(0.0, 1 - 2 * mad), 4),
        round(max(totals) - min(totals), 1),
        per,
    )


@dataclass(frozen=True, slots=True)
class ScoreLine:
    """Reviews of one agent or team in one month: how many, and their mean total."""

    key: str
    month: str
    reviews: int
    mean: float


def mean_by(rows: Sequence[tuple[str, str, float]]) -> list[ScoreLine]:
    """(key, month, total) rows -> one line per key and month, by key then month: the trend."""
    groups: dict[tuple[str, str], list[float]] = {}
    for key, month, total in rows:
        groups.setdefault((key, month), []).append(total)
    return [
        ScoreLine(key, month, len(totals), round(sum(totals) / len(totals), 1))
        for (key, month), totals in sorted(groups.items())
    ]
