"""Knowledge articles and saved replies (DOMAIN.md 4 and 9; issue 7 item 5).

Agents answer from standard phrases, and customers hate robotic scripts: the texts here help,
never replace, the human. Both kinds are kept **per team and language** (a team's own, or the
whole company's when `team_id` is empty). An agent **searches** them, **inserts** one into a
reply (placeholders filled from the customer) and then edits the text before sending; agents
may also **edit** the texts themselves. Every edit bumps `version` and records who and when; an
edit made over an older version than the current one is refused, so nobody silently
overwrites a colleague's change.

Search: every word of the query must occur in the title or the body (case-insensitive, in any
of the six languages, Cyrillic included); results rank by where the words occur: each word
found in the title counts 3, each occurrence in the body 1, then the shorter title first.

Placeholders in saved replies: `{first_name}`, `{name}`, `{agent_first_name}`, `{team_name}`.
A text with any other `{...}` is refused when saved, so an insert never shows a raw brace.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from teamline.domain.customers import SUPPORTED_LANGUAGES
from teamline.domain.errors import Conflict, InvalidInput
from teamline.domain.hours import require_aware

TITLE_MAX = 200
BODY_MAX = 20_000
QUERY_WORDS_MAX = 8
WORD_MAX = 60
PLACEHOLDERS = frozenset({"first_name", "name", "agent_first_name", "team_name"})
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class TextKind(StrEnum):
    ARTICLE = "article"
    SAVED_REPLY = "saved_reply"


def check_language(language: str) -> str:
    if language not in SUPPORTED_LANGUAGES:
        raise InvalidInput(
            "language", f"{language!r} is not one of {', '.join(SUPPORTED_LANGUAGES)}"
        )
    return language


def check_text(kind: TextKind, title: str, body: str) -> tuple[str, str]:
    """A title of 1-200 characters and a body of 1-20,000, no NUL; a saved reply's
    placeholders must be known ones."""
    title = " ".join(title.split())
    if not title or len(title) > TITLE_MAX:
        raise InvalidInput("title", f"a title has 1 to {TITLE_MAX} characters")
    if not body.strip() or len(body) > BODY_MAX:
        raise InvalidInput("body", f"a text has 1 to {BODY_MAX} characters")
    if "\x00" in title + body:
        raise InvalidInput("body", "a text cannot hold NUL characters")
    if kind is TextKind.SAVED_REPLY:
        unknown = sorted(set(_PLACEHOLDER.findall(body)) - PLACEHOLDERS)
        if unknown:
            known = ", ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS))
            raise InvalidInput("body", f"unknown placeholder {{{unknown[0]}}}; use {known}")
    return title, body


def search_text(title: str, body: str) -> str:
    """What search matches against: title and body case-folded (SQLite's LIKE and lower()
    fold ASCII only, so Cyrillic and accented letters are folded here, once)."""
    return f"{title}\n{body}".casefold()


def query_words(query: str) -> list[str]:
    """The query's distinct words, case-folded, in order; 1 to 8 of them."""
    words = list(dict.fromkeys(w.casefold() for w in query.split()))
    if not words:
        raise InvalidInput("q", "search for at least one word")
    if len(words) > QUERY_WORDS_MAX or any(len(w) > WORD_MAX for w in words):
        raise InvalidInput("q", f"at most {QUERY_WORDS_MAX} words of {WORD_MAX} characters")
    if any("\x00" in w for w in words):
        raise InvalidInput("q", "a query cannot hold NUL characters")
    return words


def rank(words: list[str], title: str, body: str) -> int:
    """The higher, the better: 3 per word in the title, 1 per occurrence in the body; 0 when a
    word is missing from both (not a match)."""
    folded_title, folded_body = title.casefold(), body.casefold()
    score = 0
    for word in words:
        in_title, in_body = word in folded_title, folded_body.count(word)
        if not in_title and not in_body:
            return 0
        score += 3 * in_title + in_body
    return score


def suggestion_words(subject: str) -> list[str]:
    """The words of a contact's subject worth searching on: case-folded, punctuation stripped,
    four letters or more (short words match everything), at most 8."""
    words = (w.strip(".,;:!?()[]\"'«»“”").casefold() for w in subject.split())
    return list(dict.fromkeys(w for w in words if len(w) >= 4 and len(w) <= WORD_MAX))[
        :QUERY_WORDS_MAX
    ]


def relevance(words: list[str], title: str, body: str) -> int:
    """For suggestions, where any word may match: the sum of each word's `rank` alone."""
    return sum(rank([w], title, body) for w in words)


def fill(body: str, values: Mapping[str, str]) -> str:
    """The saved reply with its placeholders filled; a placeholder without a value (a customer
    with no first name on file) becomes empty, then doubled spaces close up."""
    filled = _PLACEHOLDER.sub(
        lambda m: values.get(m[1], "") if m[1] in PLACEHOLDERS else m[0], body
    )
    return re.sub(r"[ \t]{2,}", " ", re.sub(r" +([,.!?])", r"\1", filled))


@dataclass(slots=True)
class KnowledgeText:
    """An article or a saved reply."""

    id: str
    kind: TextKind
    team_id: str | None  # None: the whole company's
    language: str
    title: str
    body: str
    version: int
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime

    def __post_init__(self) -> None:
        check_language(self.language)
        require_aware(self.created_at, "created_at")

    def edit(self, title: str, body: str, expected_version: int, by: str, now: datetime) -> None:
        """Replace the text; refused when someone edited it since `expected_version`."""
        require_aware(now)
        if expected_version != self.version:
            raise Conflict(
                f"{self.kind.value} {self.id} is at version {self.version}, not "
                f"{expected_version}: someone edited it meanwhile; read it again"
            )
        self.title, self.body = check_text(self.kind, title, body)
        self.version += 1
        self.updated_by, self.updated_at = by, now
